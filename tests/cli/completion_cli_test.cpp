// Shell completion and the man page, generated from the help text: run in a real bash, and
// rendered by groff when the machine has it.
#include <gtest/gtest.h>

#include <string>

#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

// What bash's completion function offers for the words of `line` (the last one being
// completed).
std::string complete_in_bash(const std::filesystem::path& script, const std::string& line) {
  auto r = run("/bin/bash", {"--norc", "-c",
                             "source " + script.string() + "; COMP_WORDS=(" + line +
                                 "); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _flakegrab; "
                                 "for w in \"${COMPREPLY[@]}\"; do echo \"$w\"; done"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

TEST(CompletionCli, BashCompletesCommandsAndEachCommandsOptions) {
  TempDir tmp;
  auto script = run_cli({"completion", "bash"});
  ASSERT_EQ(script.exit_code, 0) << script.err;
  write_file(tmp / "flakegrab.bash", script.out);
  EXPECT_EQ(complete_in_bash(tmp / "flakegrab.bash", "flakegrab sc"), "scan\n");
  EXPECT_EQ(complete_in_bash(tmp / "flakegrab.bash", "flakegrab co"), "correlate\ncompletion\n");
  EXPECT_EQ(complete_in_bash(tmp / "flakegrab.bash", "flakegrab correlate --bun"), "--bundle\n");
  // Options belong to their command: `scan` has no --bundle.
  EXPECT_EQ(complete_in_bash(tmp / "flakegrab.bash", "flakegrab scan --bun"), "");
  EXPECT_NE(complete_in_bash(tmp / "flakegrab.bash", "flakegrab push --"), "");
  EXPECT_NE(complete_in_bash(tmp / "flakegrab.bash", "flakegrab push --").find("--db\n"),
            std::string::npos);
}

TEST(CompletionCli, ZshScriptDescribesEveryCommand) {
  auto zsh = run_cli({"completion", "zsh"});
  ASSERT_EQ(zsh.exit_code, 0) << zsh.err;
  EXPECT_EQ(zsh.out.rfind("#compdef flakegrab\n", 0), 0u);
  for (const char* cmd : {"scan", "dump", "bundle", "correlate", "push", "serve", "audit"}) {
    EXPECT_NE(zsh.out.find(std::string("    '") + cmd + ":"), std::string::npos) << cmd;
    EXPECT_NE(zsh.out.find(std::string("    ") + cmd + ")\n"), std::string::npos) << cmd;
  }
  // Brackets in descriptions are escaped, or zsh would read them as the end of the spec.
  EXPECT_EQ(zsh.out.find("[sqlite:PATH or a path (default sqlite:flakegrab.db)"),
            std::string::npos);
  if (std::filesystem::exists("/usr/bin/zsh")) {
    TempDir tmp;
    write_file(tmp / "_flakegrab", zsh.out);
    auto r = run("/usr/bin/zsh", {"-n", (tmp / "_flakegrab").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
}

TEST(CompletionCli, UnknownShellIsOneClearError) {
  auto r = run_cli({"completion", "fish"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.rfind("flakegrab: completion: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("fish"), std::string::npos) << r.err;
}

TEST(CompletionCli, ManPageHasEveryCommandAndMatchesTheBuiltOne) {
  auto man = run_cli({"help", "--man"});
  ASSERT_EQ(man.exit_code, 0) << man.err;
  EXPECT_EQ(man.out.rfind(".TH FLAKEGRAB 1 ", 0), 0u) << man.out.substr(0, 80);
  for (const char* cmd : {"scan", "dump", "bundle", "correlate", "push", "serve", "audit"})
    EXPECT_NE(man.out.find(std::string("\n.SS ") + cmd), std::string::npos) << cmd;
  EXPECT_NE(man.out.find("\\-\\-max\\-file\\-size"), std::string::npos);
  auto built = cli_binary().parent_path() / "flakegrab.1";
  ASSERT_TRUE(std::filesystem::exists(built)) << built;
  EXPECT_EQ(read_file(built), man.out);
  if (std::filesystem::exists("/usr/bin/groff")) {
    TempDir tmp;
    write_file(tmp / "flakegrab.1", man.out);
    auto r = run("/usr/bin/groff", {"-man", "-Tutf8", "-ww", "-z", (tmp / "flakegrab.1").string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err, "") << "groff warnings";
  }
}

}  // namespace
}  // namespace flakegrab::test
