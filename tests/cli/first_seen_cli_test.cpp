// The history's first_seen read back: correlate (and audit) given --db date a mute that has no
// since= and no git age from the day `push` first saw its marker.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/paths.h"
#include "support/process.h"

namespace flakegrab::test {
namespace {

std::string history(const std::string& rel) {
  return (fixtures_dir() / "history" / rel).string();
}

void exec(const std::filesystem::path& db, const std::string& sql) {
  sqlite3* h = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &h), SQLITE_OK);
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(h, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << err;
  sqlite3_free(err);
  sqlite3_close(h);
}

std::map<std::string, nlohmann::json> rows_by_test(const std::string& out) {
  std::map<std::string, nlohmann::json> rows;
  const auto doc = nlohmann::json::parse(out);
  for (const auto& t : doc["tests"]) rows[t["test_id"].get<std::string>()] = t;
  return rows;
}

const std::string F = "tests/test_checkout.py::";

TEST(FirstSeenCli, CorrelateDatesAMuteWithoutSinceFromTheHistory) {
  TempDir tmp;
  // A copy outside any git checkout: no git age, and the branch push records is "".
  auto repo = tmp / "repo";
  std::filesystem::copy(history("repo"), repo, std::filesystem::copy_options::recursive);
  auto db = tmp / "h.db";
  auto push = run_cli({"push", "--db", "sqlite:" + db.string(), "--dir", repo.string()});
  ASSERT_EQ(push.exit_code, 0) << push.err;
  // As if the daily job had first seen the markers on April 1st.
  exec(db, "UPDATE flakegrab_first_seen SET first_seen = '2026-04-01T00:00:00Z'");

  std::vector<std::string> args = {"correlate",  "--scan-dir",      repo.string(),
                                   "--junit",    history("junit"),  "--as-of",
                                   "2026-05-22", "--max-mute-days", "40"};
  auto without = run_cli(args);
  ASSERT_EQ(without.exit_code, 0) << without.err;
  args.insert(args.end(), {"--db", "sqlite:" + db.string()});
  auto with = run_cli(args);
  ASSERT_EQ(with.exit_code, 0) << with.err;
  auto before = rows_by_test(without.out), after = rows_by_test(with.out);
  EXPECT_EQ(before[F + "test_payment"]["days_muted"], -1);
  EXPECT_EQ(after[F + "test_payment"]["days_muted"], 51);  // 2026-04-01 .. 2026-05-22
  // The policy counts from it too: 40 days after April 1st is before the as-of date.
  EXPECT_EQ(after[F + "test_payment"]["expired"], true);
  EXPECT_EQ(after[F + "test_payment"]["added_at"], "");  // not a git age
  // since= still wins.
  EXPECT_EQ(after[F + "test_refund"]["days_muted"], 2674);

  // FLAKEGRAB_DB gives the default, as for push.
  args.resize(args.size() - 2);
  auto env = run_cli(args, {{"FLAKEGRAB_DB", "sqlite:" + db.string()}});
  EXPECT_EQ(rows_by_test(env.out)[F + "test_payment"]["days_muted"], 51);
}

TEST(FirstSeenCli, AnUnreadableHistoryCostsTheAgeNotTheResult) {
  TempDir tmp;
  auto missing = tmp / "nowhere.db";
  auto r = run_cli({"correlate", "--scan-dir", history("repo"), "--junit", history("junit"),
                    "--as-of", "2026-05-22", "--db", "sqlite:" + missing.string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("flakegrab: warning: no first_seen from the history: "), std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(missing)) << "a read created the database";
  EXPECT_EQ(rows_by_test(r.out)[F + "test_payment"]["days_muted"], -1);
}

}  // namespace
}  // namespace flakegrab::test
