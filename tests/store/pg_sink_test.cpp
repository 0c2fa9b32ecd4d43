// The PostgreSQL and Redshift sinks against a real PostgreSQL server on 127.0.0.1.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <thread>

#include "store/store.h"
#include "support/paths.h"
#include "support/pg_server.h"
#include "support/process.h"

namespace flakegrab {
namespace {

using test::PgServer;

ScanSnapshot snapshot(std::string branch, std::string scanned_at, int markers) {
  ScanSnapshot s{
      "https://example.invalid/org/repo.git", std::move(branch), std::string(40, 'b'), {}};
  s.scan.scanned_at = std::move(scanned_at);
  s.scan.stats.files_seen = 5;
  for (int i = 0; i < markers; ++i) {
    Marker m;
    m.test_id = "tests/test_a.py::test_" + std::to_string(i);
    m.file = "tests/test_a.py";
    m.line = 10 + i;
    m.name = "xfailflake";
    m.kind = MarkerKind::xfail;
    m.reason = std::string(300, 'r');  // longer than Redshift's TEXT
    m.ticket = "DCOS-" + std::to_string(i);
    m.strict = i % 2 == 0;
    m.args = {{"jira", "'DCOS-1'"}};
    s.scan.markers.push_back(m);
  }
  return s;
}

class PgSink : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server = std::make_unique<PgServer>(); }
  static void TearDownTestSuite() { server.reset(); }
  void SetUp() override { ::setenv("PGPASSWORD", PgServer::kPassword, 1); }
  void TearDown() override { ::unsetenv("PGPASSWORD"); }
  static std::unique_ptr<PgServer> server;
};
std::unique_ptr<PgServer> PgSink::server;

TEST_F(PgSink, PushesOnceAndKeepsEveryField) {
  ASSERT_EQ(server->query("CREATE DATABASE pg1"), "");
  auto sink = open_history_sink(server->url("pg1"));
  // 1,200 markers span several multi-row inserts.
  auto summary = sink->push({snapshot("main", "2026-11-23T10:00:00Z", 1200),
                             snapshot("release/1", "2026-11-23T10:00:00Z", 1)});
  EXPECT_EQ(summary.scans_written, 2u);
  EXPECT_EQ(summary.markers_written, 1201u);
  EXPECT_EQ(server->query("SELECT count(*) FROM flakegrab_markers", "pg1"), "1201\n");
  EXPECT_EQ(server->query("SELECT line, ticket, strict, condition, effective, args, length(reason)"
                          " FROM flakegrab_markers WHERE test_id LIKE '%::test_1' AND branch = "
                          "'main'",
                          "pg1"),
            "11|DCOS-1|0|NULL|1|{\"jira\":\"'DCOS-1'\"}|300\n");
  // The same scan again is a no-op.
  auto again =
      open_history_sink(server->url("pg1"))->push({snapshot("main", "2026-11-23T10:00:00Z", 1200)});
  EXPECT_EQ(again.scans_written, 0u);
  EXPECT_EQ(again.scans_already_present, 1u);
  EXPECT_EQ(server->query("SELECT count(*) FROM flakegrab_scans", "pg1"), "2\n");
}

TEST_F(PgSink, AFailedPushWritesNothing) {
  ASSERT_EQ(server->query("CREATE DATABASE pg2"), "");
  auto sink = open_history_sink(server->url("pg2"));
  sink->push({snapshot("main", "2026-11-22T10:00:00Z", 2)});
  ASSERT_EQ(server->query(R"(CREATE FUNCTION boom() RETURNS trigger AS $$
    BEGIN IF NEW.test_id LIKE '%test_1' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER boom BEFORE INSERT ON flakegrab_markers FOR EACH ROW EXECUTE FUNCTION boom();)",
                          "pg2"),
            "");
  EXPECT_THROW(sink->push({snapshot("dev", "2026-11-23T10:00:00Z", 1),
                           snapshot("main", "2026-11-23T10:00:00Z", 3)}),
               Error);
  EXPECT_EQ(server->query("SELECT count(*) FROM flakegrab_scans", "pg2"), "1\n");
  EXPECT_EQ(server->query("SELECT count(*) FROM flakegrab_markers", "pg2"), "2\n");
}

TEST_F(PgSink, RedshiftDialectOnTheSameWire) {
  ASSERT_EQ(server->query("CREATE DATABASE rs"), "");
  // The local server has no TLS: the Redshift default sslmode=require is overridden.
  std::string url =
      "redshift://flakegrab@127.0.0.1:" + std::to_string(server->port()) + "/rs?sslmode=disable";
  auto sink = open_history_sink(url);
  EXPECT_EQ(sink->push({snapshot("main", "2026-11-23T10:00:00Z", 3)}).markers_written, 3u);
  EXPECT_EQ(sink->push({snapshot("main", "2026-11-23T10:00:00Z", 3)}).scans_already_present, 1u);
  EXPECT_EQ(server->query("SELECT data_type, character_maximum_length FROM "
                          "information_schema.columns WHERE table_name = 'flakegrab_markers' "
                          "AND column_name = 'reason'",
                          "rs"),
            "character varying|65535\n");
  EXPECT_EQ(server->query("SELECT count(*) FROM flakegrab_markers", "rs"), "3\n");
}

TEST_F(PgSink, CliPushToPostgres) {
  ASSERT_EQ(server->query("CREATE DATABASE cli"), "");
  auto r = test::run_cli(
      {"push", "--db", server->url("cli"), "--dir", (test::fixtures_dir() / "repo").string()},
      {{"PGPASSWORD", PgServer::kPassword}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find(PgServer::kPassword), std::string::npos) << r.err;
  EXPECT_EQ(server->query("SELECT count(*) FROM flakegrab_markers WHERE name = 'xfailflake' AND "
                          "ticket = 'DCOS-123' AND since = '2019-01-25'",
                          "cli"),
            "1\n");
  auto no_password = test::run_cli(
      {"push", "--db", server->url("cli"), "--dir", (test::fixtures_dir() / "repo").string()},
      {{"PGPASSWORD", ""}});
  EXPECT_EQ(no_password.exit_code, 2);
  EXPECT_NE(no_password.err.find("cannot connect"), std::string::npos) << no_password.err;
}

TEST_F(PgSink, PasswordsNeverInUrlsOrMessages) {
  ::setenv("PGPASSWORD", "wr0ng-s3cret-value", 1);
  try {
    open_history_sink(server->url());
    FAIL() << "a wrong password connected";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_EQ(msg.find("wr0ng-s3cret-value"), std::string::npos) << msg;
    EXPECT_NE(msg.find("127.0.0.1"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  for (std::string url : {"postgresql://flakegrab:" + std::string(PgServer::kPassword) +
                              "@127.0.0.1:" + std::to_string(server->port()) + "/postgres",
                          server->url() + "?password=" + PgServer::kPassword,
                          // Percent-encoded keys are decoded by libpq all the same.
                          server->url() + "?pass%77ord=" + PgServer::kPassword,
                          server->url() + "?sslmode=disable&%70%61ssword=" + PgServer::kPassword,
                          "redshift://u:" + std::string(PgServer::kPassword) + "@h/db"}) {
    try {
      open_history_sink(url);
      FAIL() << "accepted a password in the URL";
    } catch (const Error& e) {
      std::string msg = e.what();
      EXPECT_EQ(msg.find(PgServer::kPassword), std::string::npos) << msg;
      EXPECT_NE(msg.find("PGPASSWORD"), std::string::npos) << msg;
    }
  }
}

TEST_F(PgSink, ServerNoticesAreOneFlakegrabLine) {
  ASSERT_EQ(server->query("CREATE DATABASE notices"), "");
  open_history_sink(server->url("notices"));
  ASSERT_EQ(server->query(R"(CREATE FUNCTION chatty() RETURNS trigger AS $$
    BEGIN RAISE WARNING E'markers\n\tarriving'; RETURN NULL; END
    $$ LANGUAGE plpgsql;
    CREATE TRIGGER chatty AFTER INSERT ON flakegrab_scans FOR EACH STATEMENT
      EXECUTE FUNCTION chatty();)",
                          "notices"),
            "");
  auto r = test::run_cli(
      {"push", "--db", server->url("notices"), "--dir", (test::fixtures_dir() / "repo").string()},
      {{"PGPASSWORD", PgServer::kPassword}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Named as every message names the database: without userinfo.
  std::string named = "postgresql://127.0.0.1:" + std::to_string(server->port()) + "/notices";
  EXPECT_NE(r.err.find("flakegrab: " + named + ": WARNING: markers arriving\n"), std::string::npos)
      << r.err;
  size_t start = 0;
  while (start < r.err.size()) {
    EXPECT_EQ(r.err.compare(start, 11, "flakegrab: "), 0) << r.err;
    start = r.err.find('\n', start) + 1;
    if (start == 0) break;
  }

  // Informational, so --quiet silences them as it does the CLI's own lines.
  auto quiet = test::run_cli({"push", "--quiet", "--db", server->url("notices"), "--dir",
                              (test::fixtures_dir() / "repo").string()},
                             {{"PGPASSWORD", PgServer::kPassword}});
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_EQ(quiet.err.find("WARNING"), std::string::npos) << quiet.err;
}

TEST_F(PgSink, AServerNotUpYetIsWaitedFor) {
  ASSERT_EQ(server->query("CREATE DATABASE late"), "");
  server->stop_immediately();
  auto push = std::async(std::launch::async, [&] {
    return test::run_cli(
        {"push", "--db", server->url("late"), "--dir", (test::fixtures_dir() / "repo").string()},
        {{"PGPASSWORD", PgServer::kPassword}});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  server->start();
  auto r = push.get();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(server->query("SELECT count(*) FROM flakegrab_scans", "late"), "1\n");
}

// Nothing listening: refused at once, retried with backoff for about 4 s (a server starting up
// is waited for), then one line naming host and database.
TEST(PgConnect, AClosedPortFailsWithinSecondsInOneLineNamingHostAndDatabase) {
  int port = test::free_port();
  auto started = std::chrono::steady_clock::now();
  auto r = test::run_cli(
      {"push", "--db", "postgresql://flakegrab@127.0.0.1:" + std::to_string(port) + "/nowhere",
       "--dir", (test::fixtures_dir() / "repo").string()},
      {{"PGPASSWORD", PgServer::kPassword}, {"PGCONNECT_TIMEOUT", ""}});
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_GE(waited, std::chrono::milliseconds(3500)) << "transient failures are retried";
  EXPECT_LT(waited, std::chrono::seconds(8));
  EXPECT_EQ(r.err.rfind("flakegrab: postgresql://127.0.0.1:" + std::to_string(port) +
                            "/nowhere: cannot connect (host 127.0.0.1:" + std::to_string(port) +
                            ", database nowhere, 5 attempts): ",
                        0),
            0u)
      << r.err;
  EXPECT_NE(r.err.find("Connection refused"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

// A port that takes the connection and never answers (as a host that drops packets): without a
// connect_timeout libpq would wait for as long as the OS lets it. One attempt, 10 s by default.
struct SilentListener {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  int port = 0;
  SilentListener() {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof addr;
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 && ::listen(fd, 8) == 0 &&
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
      port = ntohs(addr.sin_port);
  }
  ~SilentListener() { ::close(fd); }
  std::string url() const {
    return "postgresql://flakegrab@127.0.0.1:" + std::to_string(port) + "/silent";
  }
};

TEST(PgConnect, APortThatNeverAnswersTimesOutOnceInOneLine) {
  SilentListener silent;
  ASSERT_NE(silent.port, 0);
  auto started = std::chrono::steady_clock::now();
  auto r = test::run_cli(
      {"push", "--db", silent.url(), "--dir", (test::fixtures_dir() / "repo").string()},
      {{"PGPASSWORD", PgServer::kPassword}, {"PGCONNECT_TIMEOUT", ""}});
  auto waited = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_GE(waited, std::chrono::seconds(9));
  EXPECT_LT(waited, std::chrono::seconds(18)) << "a timed-out attempt is not retried";
  EXPECT_NE(r.err.find("cannot connect (host 127.0.0.1:" + std::to_string(silent.port) +
                       ", database silent): "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("timeout expired"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
}

TEST(PgConnect, TheUrlsOrTheEnvironmentsConnectTimeoutWins) {
  SilentListener silent;
  ASSERT_NE(silent.port, 0);
  for (auto [url, env] : {std::pair{silent.url() + "?connect_timeout=2", std::string()},
                          std::pair{silent.url(), std::string("2")}}) {
    auto started = std::chrono::steady_clock::now();
    auto r = test::run_cli({"push", "--db", url, "--dir", (test::fixtures_dir() / "repo").string()},
                           {{"PGPASSWORD", PgServer::kPassword}, {"PGCONNECT_TIMEOUT", env}});
    auto waited = std::chrono::steady_clock::now() - started;
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_LT(waited, std::chrono::seconds(6)) << url << " PGCONNECT_TIMEOUT=" << env;
    EXPECT_NE(r.err.find("timeout expired"), std::string::npos) << r.err;
  }
}

TEST_F(PgSink, AServerKilledInTheMiddleOfAPushKeepsNothingOfIt) {
  ASSERT_EQ(server->query("CREATE DATABASE killed"), "");
  auto sink = open_history_sink(server->url("killed"));
  sink->push({snapshot("main", "2026-11-22T10:00:00Z", 3)});
  std::vector<ScanSnapshot> big;
  for (int b = 0; b < 10; ++b)
    big.push_back(snapshot("branch-" + std::to_string(b), "2026-11-23T10:00:00Z", 20000));
  auto push = std::async(std::launch::async, [&] { return sink->push(big); });
  // Kill it once the markers are flowing.
  for (int i = 0; i < 3000; ++i) {
    if (server->query("SELECT count(*) FROM pg_stat_activity WHERE datname = 'killed' AND query"
                      " LIKE 'INSERT INTO flakegrab_markers%'") != "0\n")
      break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  server->stop_immediately();
  try {
    push.get();
    FAIL() << "the push survived its server";
  } catch (const Error& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("127.0.0.1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("/killed"), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  }
  server->start();
  EXPECT_EQ(server->query("SELECT count(*) FROM flakegrab_scans", "killed"), "1\n");
  EXPECT_EQ(server->query("SELECT count(*) FROM flakegrab_markers", "killed"), "3\n");
}

}  // namespace
}  // namespace flakegrab
