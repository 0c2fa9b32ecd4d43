#include <string>

#include "base/redact_url.h"
#include "store/pg_sink.h"
#include "store/sqlite_sink.h"
#include "store/store.h"

namespace flakegrab {
namespace {

// How a database URL is named in messages: no userinfo, no query (it may hold a password).
std::string display(std::string_view url) {
  std::string d = redact_url(url);
  return d.substr(0, d.find('?'));
}

// A password in the URL would sit in argv and shell history: libpq reads PGPASSWORD or
// ~/.pgpass instead, and so do we.
void reject_password(std::string_view url, std::string_view scheme_end) {
  std::string_view rest = url.substr(scheme_end.size());
  std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  auto at = authority.rfind('@');
  bool in_userinfo =
      at != std::string_view::npos && authority.substr(0, at).find(':') != std::string_view::npos;
  bool in_query = url.find("password=") != std::string_view::npos;
  if (in_userinfo || in_query)
    throw Error("--db " + display(url) +
                ": put the password in PGPASSWORD or ~/.pgpass, not in the URL");
}

// redshift://[user@]host[:port]/db[?params] -> the libpq URI Redshift needs: port 5439 unless
// given, TLS required unless sslmode says otherwise.
std::string redshift_to_libpq(std::string_view url) {
  std::string rest(url.substr(std::string_view("redshift://").size()));
  size_t auth_end = rest.find_first_of("/?");
  std::string authority = rest.substr(0, auth_end);
  std::string tail = auth_end == std::string::npos ? "" : rest.substr(auth_end);
  std::string host = authority.substr(authority.rfind('@') + 1);
  bool bracketed_v6 = !host.empty() && host.front() == '[';
  bool has_port =
      bracketed_v6 ? host.find("]:") != std::string::npos : host.find(':') != std::string::npos;
  if (!has_port) authority += ":5439";
  if (tail.find("sslmode=") == std::string::npos)
    tail += tail.find('?') == std::string::npos ? "?sslmode=require" : "&sslmode=require";
  return "postgresql://" + authority + tail;
}

}  // namespace

std::unique_ptr<HistorySink> open_history_sink(std::string_view target) {
  if (target.starts_with("postgresql://") || target.starts_with("postgres://")) {
    std::string_view scheme = target.starts_with("postgres://") ? "postgres://" : "postgresql://";
    reject_password(target, scheme);
    return make_pg_sink(std::string(target), display(target), SqlDialect::postgres);
  }
  if (target.starts_with("redshift://")) {
    reject_password(target, "redshift://");
    return make_pg_sink(redshift_to_libpq(target), display(target), SqlDialect::redshift);
  }
  std::string path(target);
  if (path.starts_with("sqlite:")) path = path.substr(7);
  if (path.empty()) throw Error("--db: empty SQLite path");
  return make_sqlite_sink(path);
}

}  // namespace flakegrab
