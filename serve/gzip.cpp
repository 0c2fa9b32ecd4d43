#include "serve/gzip.h"

#include <zlib.h>

#include "base/error.h"

namespace flakegrab::serve {

std::string gzip_compress(std::string_view data) {
  z_stream z{};
  // 15 + 16: a gzip header and trailer rather than a bare zlib stream.
  if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    throw Error("serve: zlib: cannot start compressing");
  std::string out(deflateBound(&z, data.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error("serve: zlib: compression failed");
  return out;
}

}  // namespace flakegrab::serve
