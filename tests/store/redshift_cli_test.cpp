// `flakegrab redshift REPO BRANCH`, the original action, against the real PostgreSQL the tests
// start (spoken to with the Redshift dialect): configured from POSTGRES_* only, and the password
// in no message, even when the connection fails.
#include <gtest/gtest.h>

#include "history_backend.h"
#include "store/history_schema.h"
#include "support/git_repo_builder.h"
#include "support/process.h"

namespace flakegrab {
namespace {

using test::HistoryBackend;
using test::PgServer;

struct RedshiftCli : ::testing::Test {
  HistoryBackend db{"redshift"};
  test::TempDir tmp;
  std::string repo;
  void SetUp() override {
    test::GitRepoBuilder b(tmp / "origin");
    b.write("main", "tests/test_a.py",
            "import pytest\n\n@pytest.mark.xfailflake(jira='DCOS-1')\ndef test_a():\n    pass\n");
    b.commit("main");
    repo = b.path().string();
  }
  std::map<std::string, std::string> env(const std::string& password) const {
    return {{"POSTGRES_HOST", "127.0.0.1"},
            {"POSTGRES_PORT", std::to_string(HistoryBackend::server().port())},
            {"POSTGRES_DB", db.database()},
            {"POSTGRES_USER", PgServer::kUser},
            {"POSTGRES_PASSWORD", password},
            {"PGPASSWORD", ""},  // only POSTGRES_PASSWORD may let it in
            {"PGSSLMODE", "disable"},
            {"XDG_CACHE_HOME", (tmp / "cache").string()}};
  }
};

TEST_F(RedshiftCli, PushesTheBranchWithTheRedshiftDialect) {
  auto r = test::run_cli({"redshift", repo, "main"}, env(PgServer::kPassword));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("flakegrab: redshift: 1 scan(s), 1 marker(s) written to redshift://"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(db.query("SELECT branch, test_id, ticket FROM flakegrab_markers"),
            "main|tests/test_a.py::test_a|DCOS-1\n");
  EXPECT_EQ(db.query("SELECT max(version) FROM flakegrab_schema"),
            std::to_string(kSchemaVersion) + "\n");
  // Redshift's DDL: no indexes but the key's (PostgreSQL's would be there).
  EXPECT_EQ(db.query("SELECT count(*) FROM pg_indexes WHERE tablename LIKE 'flakegrab_%' AND"
                     " indexname NOT LIKE '%_pkey'"),
            "0\n");
  EXPECT_EQ(r.out.find(PgServer::kPassword), std::string::npos);
  EXPECT_EQ(r.err.find(PgServer::kPassword), std::string::npos);
}

TEST_F(RedshiftCli, AFailingConnectionNamesHostAndDatabaseNeverThePassword) {
  const std::string wrong = "Wr0ng-pa55word-xyzzy";
  auto r = test::run_cli({"redshift", repo, "main"}, env(wrong));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("127.0.0.1"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(db.database()), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(wrong), std::string::npos) << r.err;
  EXPECT_EQ(r.out.find(wrong), std::string::npos) << r.out;
  EXPECT_TRUE(db.query("SELECT count(*) FROM flakegrab_scans").starts_with("error: "))
      << "nothing, not even the schema, was written";
}

TEST_F(RedshiftCli, EachSettingIsNamedWhenMissing) {
  for (const char* name : {"POSTGRES_HOST", "POSTGRES_DB", "POSTGRES_USER"}) {
    auto e = env(PgServer::kPassword);
    e[name] = "";
    auto r = test::run_cli({"redshift", repo, "main"}, e);
    EXPECT_EQ(r.exit_code, 2) << name;
    EXPECT_NE(r.err.find(std::string("flakegrab: redshift: ") + name + " is not set"),
              std::string::npos)
        << r.err;
  }
  auto e = env(PgServer::kPassword);
  e["POSTGRES_PORT"] = "54x";
  auto r = test::run_cli({"redshift", repo, "main"}, e);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("POSTGRES_PORT"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace flakegrab
