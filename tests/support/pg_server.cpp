#include "support/pg_server.h"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace flakegrab::test {
namespace fs = std::filesystem;

namespace {

std::string newest_pg_bin() {
  std::vector<fs::path> found;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/usr/lib/postgresql", ec))
    if (fs::exists(e.path() / "bin/initdb")) found.push_back(e.path() / "bin");
  if (found.empty()) throw std::runtime_error("no PostgreSQL server under /usr/lib/postgresql");
  std::sort(found.begin(), found.end());
  return found.back().string();
}

}  // namespace

// PostgreSQL refuses to run as root: as root, the cluster belongs to the `postgres` user.
RunResult PgServer::as_owner(const std::string& tool, const std::vector<std::string>& args) const {
  if (::geteuid() != 0) return run(bin_ + "/" + tool, args);
  std::vector<std::string> a = {"-u", "postgres", "--", bin_ + "/" + tool};
  a.insert(a.end(), args.begin(), args.end());
  return run("/usr/sbin/runuser", a);
}

PgServer::PgServer() : bin_(newest_pg_bin()), data_((dir_ / "data").string()) {
  write_file(dir_ / "pwfile", std::string(kPassword) + "\n");
  if (::geteuid() == 0) {
    passwd* pw = ::getpwnam("postgres");
    if (!pw) throw std::runtime_error("running as root and there is no postgres user");
    for (const auto& p : {dir_.path(), dir_ / "pwfile"})
      if (::chown(p.c_str(), pw->pw_uid, pw->pw_gid) != 0)
        throw std::runtime_error("cannot chown " + p.string());
  }
  auto init = as_owner("initdb",
                       {"-D", data_, "-U", kUser, "--auth-local=trust", "--auth-host=scram-sha-256",
                        "--pwfile", (dir_ / "pwfile").string(), "--no-sync", "-E", "UTF8"});
  if (init.exit_code != 0) throw std::runtime_error("initdb failed: " + init.err);
  port_ = free_port();
  start();
}

void PgServer::start() {
  auto start = as_owner(
      "pg_ctl", {"-D", data_, "-w", "-l", data_ + "/server.log", "-o",
                 "-h 127.0.0.1 -p " + std::to_string(port_) + " -k " + data_ + " -F", "start"});
  if (start.exit_code != 0)
    throw std::runtime_error("pg_ctl start failed: " + start.out + start.err +
                             read_file(data_ + "/server.log"));
  started_ = true;
}

void PgServer::stop_immediately() {
  auto stop = as_owner("pg_ctl", {"-D", data_, "-m", "immediate", "-w", "stop"});
  if (stop.exit_code != 0) throw std::runtime_error("pg_ctl stop failed: " + stop.out + stop.err);
  started_ = false;
}

PgServer::~PgServer() {
  if (started_) as_owner("pg_ctl", {"-D", data_, "-m", "immediate", "-w", "stop"});
}

std::string PgServer::url(const std::string& db) const {
  return "postgresql://" + std::string(kUser) + "@127.0.0.1:" + std::to_string(port_) + "/" + db;
}

std::string PgServer::query(const std::string& sql, const std::string& db) const {
  std::string conninfo = "host=127.0.0.1 port=" + std::to_string(port_) + " user=" + kUser +
                         " password=" + kPassword + " dbname=" + db;
  PGconn* c = PQconnectdb(conninfo.c_str());
  std::string out;
  if (PQstatus(c) != CONNECTION_OK) {
    out = std::string("error: ") + PQerrorMessage(c);
  } else {
    PGresult* r = PQexec(c, sql.c_str());
    auto st = PQresultStatus(r);
    if (st == PGRES_TUPLES_OK) {
      for (int i = 0; i < PQntuples(r); ++i) {
        for (int j = 0; j < PQnfields(r); ++j)
          out += (j ? "|" : "") + std::string(PQgetisnull(r, i, j) ? "NULL" : PQgetvalue(r, i, j));
        out += "\n";
      }
    } else if (st != PGRES_COMMAND_OK) {
      out = std::string("error: ") + PQerrorMessage(c);
    }
    PQclear(r);
  }
  PQfinish(c);
  return out;
}

}  // namespace flakegrab::test
