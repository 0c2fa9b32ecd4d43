#include <ini.h>

#include <cpptoml.h>

#include <sstream>

#include "grabber/grabber.h"

namespace flakegrab {

namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// "slow: marks slow tests" / "xfailflake(jira): ..." -> the bare name.
std::string marker_name(std::string_view line) {
  auto end = line.find_first_of(":(");
  return trim(line.substr(0, end));
}

void add_markers(PytestConfig& cfg, std::string_view value) {
  std::istringstream lines{std::string(value)};
  for (std::string line; std::getline(lines, line);) {
    std::string name = marker_name(line);
    if (!name.empty()) cfg.registered_markers.push_back(name);
  }
}

void add_globs(PytestConfig& cfg, std::string_view value) {
  std::istringstream words{std::string(value)};
  for (std::string w; words >> w;) cfg.python_files.push_back(w);
}

struct IniState {
  std::string section;
  PytestConfig cfg;
  bool found = false;
};

int ini_handler(void* user, const char* section, const char* name, const char* value) {
  auto* st = static_cast<IniState*>(user);
  if (std::string_view(section) != st->section) return 1;
  st->found = true;
  // inih reports each continuation line of a multi-line value as its own call.
  if (std::string_view(name) == "markers") add_markers(st->cfg, value);
  if (std::string_view(name) == "python_files") add_globs(st->cfg, value);
  return 1;
}

std::optional<PytestConfig> parse_ini(std::string_view file_name, std::string_view contents,
                                      std::string section) {
  IniState st;
  st.section = std::move(section);
  std::string text(contents);
  // A syntax error later in the file must not hide the pytest section read so far.
  ini_parse_string(text.c_str(), ini_handler, &st);
  // pytest.ini's [pytest] section counts even when empty; others need the section.
  if (!st.found && !(file_name == "pytest.ini" && text.find("[pytest]") != std::string::npos))
    return std::nullopt;
  st.cfg.source = std::string(file_name);
  return st.cfg;
}

std::optional<PytestConfig> parse_toml(std::string_view file_name, std::string_view contents) {
  std::istringstream in{std::string(contents)};
  std::shared_ptr<cpptoml::table> root;
  try {
    cpptoml::parser p(in);
    root = p.parse();
  } catch (const std::exception& e) {
    throw Error(std::string(file_name) + ": not valid TOML: " + e.what());
  }
  auto opts = root->get_table_qualified("tool.pytest.ini_options");
  if (!opts) return std::nullopt;
  PytestConfig cfg;
  cfg.source = std::string(file_name);
  if (auto arr = opts->get_array_of<std::string>("markers")) {
    for (const auto& m : *arr) add_markers(cfg, m);
  } else if (auto s = opts->get_as<std::string>("markers")) {
    add_markers(cfg, *s);
  }
  if (auto arr = opts->get_array_of<std::string>("python_files")) {
    for (const auto& g : *arr) add_globs(cfg, g);
  } else if (auto s = opts->get_as<std::string>("python_files")) {
    add_globs(cfg, *s);
  }
  return cfg;
}

}  // namespace

std::optional<PytestConfig> parse_pytest_config(std::string_view file_name,
                                                std::string_view contents) {
  if (file_name == "pyproject.toml") return parse_toml(file_name, contents);
  if (file_name == "setup.cfg") return parse_ini(file_name, contents, "tool:pytest");
  return parse_ini(file_name, contents, "pytest");  // pytest.ini, tox.ini
}

}  // namespace flakegrab
