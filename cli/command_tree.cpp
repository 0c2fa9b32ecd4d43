#include "cli/command_tree.h"

namespace flakegrab::cli {
namespace {

OptionInfo option_info(const CLI::Option* o) {
  OptionInfo info;
  for (const auto& l : o->get_lnames()) info.names.push_back("--" + l);
  for (const auto& s : o->get_snames()) info.names.push_back("-" + s);
  if (info.names.empty()) info.names.push_back(o->get_name());
  if (o->get_type_size_max() > 0) {
    info.value = o->get_type_name();
    if (info.value.empty()) info.value = "VALUE";
  }
  info.description = o->get_description();
  return info;
}

}  // namespace

std::vector<CommandInfo> command_tree(const CLI::App& app) {
  std::vector<CommandInfo> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_group().empty()) continue;  // hidden
    CommandInfo c{sub->get_name(), sub->get_description(), sub->get_footer(), {}, {}};
    for (const CLI::Option* o : sub->get_options()) {
      if (o->get_group().empty()) continue;
      (o->get_positional() && o->get_lnames().empty() && o->get_snames().empty() ? c.positionals
                                                                                 : c.options)
          .push_back(option_info(o));
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace flakegrab::cli
