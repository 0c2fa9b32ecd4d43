#include <INIReader.h>
#include <ini.h>

#include <set>

#include "grabber/scan_pipeline.h"

namespace flakegrab {

namespace {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',' || c == ' ' || c == '\n' || c == '\t') {
      if (!cur.empty()) out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(std::move(cur));
  return out;
}

int collect_markers(void* user, const char* section, const char* name, const char* value) {
  if (std::string_view(section) == "markers")
    static_cast<std::vector<std::pair<std::string, std::string>>*>(user)->emplace_back(name, value);
  return 1;
}

}  // namespace

ScanConfig load_scan_config(const std::filesystem::path& file, ScanConfig base) {
  INIReader ini(file.string());
  if (ini.ParseError() == -1) throw Error(file.string() + ": cannot open config file");
  if (ini.ParseError() != 0)
    throw Error(file.string() + ":" + std::to_string(ini.ParseError()) + ": config syntax error");
  // INIReader cannot list a section's keys, so the [markers] table is read with inih directly.
  std::vector<std::pair<std::string, std::string>> markers;
  ini_parse(file.string().c_str(), collect_markers, &markers);
  for (const auto& [key, kind] : markers) {
    auto k = marker_kind_from_string(kind);
    if (!k) throw Error(file.string() + ": [markers] " + key + ": unknown kind '" + kind + "'");
    base.markers[key] = *k;
  }
  if (ini.HasValue("scan", "python_files"))
    base.python_files = split_list(ini.Get("scan", "python_files", ""));
  if (ini.HasValue("scan", "all_files"))
    base.all_files = ini.GetBoolean("scan", "all_files", false);
  if (ini.HasValue("scan", "max_file_size")) {
    long v = ini.GetInteger("scan", "max_file_size", -1);
    if (v <= 0) throw Error(file.string() + ": [scan] max_file_size must be a positive integer");
    base.max_file_bytes = static_cast<std::uint64_t>(v);
  }
  for (const char* k : {"ticket_keys", "reason_keys", "since_keys"}) {
    if (!ini.HasValue("scan", k)) continue;
    auto list = split_list(ini.Get("scan", k, ""));
    if (std::string_view(k) == "ticket_keys") base.ticket_keys = list;
    if (std::string_view(k) == "reason_keys") base.reason_keys = list;
    if (std::string_view(k) == "since_keys") base.since_keys = list;
  }
  return base;
}

}  // namespace flakegrab
