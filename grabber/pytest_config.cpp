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

// pytest splits an "args" ini value with shlex.split: words, with '...' and "..." quoting and
// backslash escapes.
std::vector<std::string> split_args(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char ch = s[i];
    if (ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n') {
      if (in_word) out.push_back(std::move(cur));
      cur.clear();
      in_word = false;
    } else if (ch == '\'') {
      in_word = true;
      for (++i; i < s.size() && s[i] != '\''; ++i) cur += s[i];
    } else if (ch == '"') {
      in_word = true;
      for (++i; i < s.size() && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < s.size() && (s[i + 1] == '"' || s[i + 1] == '\\')) ++i;
        cur += s[i];
      }
    } else if (ch == '\\' && i + 1 < s.size()) {
      in_word = true;
      cur += s[++i];
    } else {
      in_word = true;
      cur += ch;
    }
  }
  if (in_word) out.push_back(std::move(cur));
  return out;
}

// The options flakegrab reads, besides `markers`.
std::optional<std::vector<std::string>>* args_option(PytestConfig& cfg, std::string_view name) {
  if (name == "python_files") return &cfg.python_files;
  if (name == "python_classes") return &cfg.python_classes;
  if (name == "python_functions") return &cfg.python_functions;
  if (name == "norecursedirs") return &cfg.norecursedirs;
  if (name == "testpaths") return &cfg.testpaths;
  return nullptr;
}

void add_args(std::optional<std::vector<std::string>>& option, std::string_view value) {
  if (!option) option.emplace();
  for (auto& w : split_args(value)) option->push_back(std::move(w));
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
  if (auto* option = args_option(st->cfg, name)) add_args(*option, value);
  return 1;
}

bool has_section(const std::string& text, std::string_view section) {
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);)
    if (trim(line) == "[" + std::string(section) + "]") return true;
  return false;
}

std::optional<PytestConfig> parse_ini(std::string_view file_name, std::string_view contents,
                                      std::string section) {
  IniState st;
  st.section = std::move(section);
  std::string text(contents);
  // A syntax error later in the file must not hide the pytest section read so far.
  ini_parse_string(text.c_str(), ini_handler, &st);
  // pytest.ini and .pytest.ini are the config even without a [pytest] section; other files
  // need the section (an empty one counts).
  bool dedicated = file_name == "pytest.ini" || file_name == ".pytest.ini";
  if (!st.found && !dedicated && !has_section(text, st.section)) return std::nullopt;
  st.cfg.source = std::string(file_name);
  return st.cfg;
}

std::shared_ptr<cpptoml::table> parse_toml_text(std::string_view file_name,
                                                std::string_view contents) {
  std::istringstream in{std::string(contents)};
  try {
    cpptoml::parser p(in);
    return p.parse();
  } catch (const std::exception& e) {
    throw Error(std::string(file_name) + ": not valid TOML: " + e.what());
  }
}

// A string option is split like an ini value; an array is taken as it is.
void read_toml_option(const cpptoml::table& t, const std::string& key,
                      std::optional<std::vector<std::string>>& option) {
  if (auto arr = t.get_array_of<std::string>(key)) {
    option.emplace(*arr);
  } else if (auto s = t.get_as<std::string>(key)) {
    option.reset();
    add_args(option, *s);
  }
}

PytestConfig from_toml_table(std::string_view file_name, const cpptoml::table& opts) {
  PytestConfig cfg;
  cfg.source = std::string(file_name);
  if (auto arr = opts.get_array_of<std::string>("markers")) {
    for (const auto& m : *arr) add_markers(cfg, m);
  } else if (auto s = opts.get_as<std::string>("markers")) {
    add_markers(cfg, *s);
  }
  for (const char* key :
       {"python_files", "python_classes", "python_functions", "norecursedirs", "testpaths"})
    read_toml_option(opts, key, *args_option(cfg, key));
  return cfg;
}

// pyproject.toml: [tool.pytest.ini_options], or pytest 9's [tool.pytest] with native types.
std::optional<PytestConfig> parse_pyproject(std::string_view file_name, std::string_view contents) {
  auto root = parse_toml_text(file_name, contents);
  if (auto opts = root->get_table_qualified("tool.pytest.ini_options"))
    return from_toml_table(file_name, *opts);
  auto tool_pytest = root->get_table_qualified("tool.pytest");
  if (!tool_pytest || tool_pytest->empty()) return std::nullopt;
  return from_toml_table(file_name, *tool_pytest);
}

// pytest.toml and .pytest.toml: the [pytest] table; the config even when empty.
std::optional<PytestConfig> parse_pytest_toml(std::string_view file_name,
                                              std::string_view contents) {
  auto root = parse_toml_text(file_name, contents);
  if (auto opts = root->get_table("pytest")) return from_toml_table(file_name, *opts);
  PytestConfig cfg;
  cfg.source = std::string(file_name);
  return cfg;
}

}  // namespace

std::optional<PytestConfig> parse_pytest_config(std::string_view file_name,
                                                std::string_view contents) {
  if (file_name == "pytest.toml" || file_name == ".pytest.toml")
    return parse_pytest_toml(file_name, contents);
  if (file_name == "pyproject.toml") return parse_pyproject(file_name, contents);
  if (file_name == "setup.cfg") return parse_ini(file_name, contents, "tool:pytest");
  return parse_ini(file_name, contents, "pytest");  // pytest.ini, .pytest.ini, tox.ini
}

const std::vector<std::string>& pytest_config_names() {
  static const std::vector<std::string> names{"pytest.toml", ".pytest.toml",   "pytest.ini",
                                              ".pytest.ini", "pyproject.toml", "tox.ini",
                                              "setup.cfg"};
  return names;
}

std::optional<PytestConfig> find_pytest_config(
    const std::function<std::optional<std::string>(const std::string& name)>& read) {
  for (const auto& name : pytest_config_names()) {
    try {
      std::optional<std::string> contents = read(name);
      if (!contents) continue;
      if (auto cfg = parse_pytest_config(name, *contents)) return cfg;
    } catch (const Error&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace flakegrab
