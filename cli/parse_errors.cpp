#include "cli/parse_errors.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "base/error.h"
#include "cli/commands.h"

namespace flakegrab::cli {
namespace {

std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* sub : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(sub->get_name());
  return names;
}

std::vector<std::string> long_option_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const auto* opt : app.get_options())
    for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
  return names;
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best = nearest(word, candidates);
  return best.empty() ? "" : "; did you mean '" + best + "'?";
}

// The subcommand the arguments chose, or the app itself.
const CLI::App& chosen(const CLI::App& app) {
  auto subs = app.get_subcommands();
  return subs.empty() ? app : *subs.front();
}

}  // namespace

std::string nearest(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  std::size_t best_distance = std::max<std::size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

void check_subcommand_word(const CLI::App& app, const std::string& word) {
  if (word.empty() || word[0] == '-') return;
  auto names = subcommand_names(app);
  if (std::find(names.begin(), names.end(), word) != names.end()) return;
  throw Error("unknown command '" + word + "'" + did_you_mean(word, names) +
              " (see 'flakegrab help')");
}

int report_parse_error(CLI::App& app, const CLI::ParseError& e) {
  if (e.get_exit_code() == 0) {  // --help, --version
    app.exit(e);
    return kExitOk;
  }
  const CLI::App& cmd = chosen(app);
  std::string where = &cmd == &app ? "" : cmd.get_name() + ": ";
  std::string see = &cmd == &app ? "flakegrab help" : "flakegrab help " + cmd.get_name();
  std::string message = e.what();
  if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
    // "The following argument(s) were not expected: A B"
    std::string first = message.substr(message.find(": ") + 2);
    first = first.substr(0, first.find(' '));
    if (!first.empty() && first[0] == '-') {
      std::string name = first.substr(0, first.find('='));
      message = "unknown option '" + name + "'" + did_you_mean(name, long_option_names(cmd));
    } else {
      message = "unexpected argument '" + first + "'";
    }
  } else if (dynamic_cast<const CLI::RequiredError*>(&e) && &cmd == &app) {
    message = "a command is required";
  }
  std::fprintf(stderr, "flakegrab: %s%s (see '%s')\n", where.c_str(), message.c_str(), see.c_str());
  return kExitError;
}

}  // namespace flakegrab::cli
