#pragma once
#include <memory>
#include <string>

#include "store/store.h"

namespace flakegrab {

std::unique_ptr<HistorySink> make_sqlite_sink(const std::string& path);

}  // namespace flakegrab
