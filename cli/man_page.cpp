// flakegrab(1) in roff, from the same help text as `--help` (built by CMake as flakegrab.1).
#include <sstream>

#include "cli/command_tree.h"

namespace flakegrab::cli {
namespace {

// Text as roff: backslashes and leading dots/quotes would be read as requests.
std::string roff(const std::string& s) {
  std::string out;
  bool line_start = true;
  for (char ch : s) {
    if (line_start && (ch == '.' || ch == '\'')) out += "\\&";
    if (ch == '\\') {
      out += "\\e";
    } else if (ch == '-') {
      out += "\\-";
    } else {
      out += ch;
    }
    line_start = ch == '\n';
  }
  return out;
}

}  // namespace

std::string man_page(const CLI::App& app, const std::vector<CommandInfo>& commands) {
  std::ostringstream m;
  m << ".TH FLAKEGRAB 1 \"\" \"flakegrab " << FLAKEGRAB_VERSION << "\" \"User Commands\"\n"
    << ".SH NAME\nflakegrab \\- "
    << roff(app.get_description().substr(app.get_description().find(':') + 2))
    << "\n.SH SYNOPSIS\n.B flakegrab\n.I COMMAND\n[\\fIOPTIONS\\fR]\n"
    << ".SH EXIT STATUS\n0 complete result; 1 partial result (what failed is named on stderr); "
       "2 nothing useful could be done.\n"
    << ".SH COMMANDS\n";
  for (const auto& c : commands) {
    m << ".SS " << c.name;
    for (const auto& p : c.positionals) m << " " << roff(p.names[0]);
    m << "\n" << roff(c.description) << "\n";
    for (const auto& o : c.options) {
      m << ".TP\n.B ";
      for (std::size_t i = 0; i < o.names.size(); ++i) m << (i ? ", " : "") << roff(o.names[i]);
      if (!o.value.empty()) m << " \\fI" << roff(o.value) << "\\fR";
      m << "\n" << roff(o.description) << "\n";
    }
    if (!c.footer.empty()) m << ".PP\n.nf\n" << roff(c.footer) << "\n.fi\n";
  }
  m << ".SH SEE ALSO\nThe README of the flakegrab sources.\n";
  return m.str();
}

}  // namespace flakegrab::cli
