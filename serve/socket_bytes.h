#pragma once
// Bytes the kernel has received on a TCP socket (TCP_INFO's tcpi_bytes_received), in a file
// of its own: glibc's <netinet/tcp.h>, which cpp-httplib includes, has an older struct
// tcp_info without the field, and <linux/tcp.h> cannot be included next to it.
#include <cstdint>
#include <optional>

namespace flakegrab::serve {

std::optional<std::uint64_t> tcp_bytes_received(int fd);

}  // namespace flakegrab::serve
