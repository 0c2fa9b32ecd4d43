#include <libpq-fe.h>

#include <string>

#include "base/redact_url.h"
#include "store/pg_connection.h"
#include "store/sql_history_sink.h"
#include "store/sqlite_connection.h"
#include "store/store.h"

namespace flakegrab {
namespace {

// How a database URL is named in messages: no userinfo, no query (it may hold a password).
std::string display(std::string_view url) {
  std::string d = redact_url(url);
  return d.substr(0, d.find('?'));
}

// A password in the URL would sit in argv and shell history: libpq reads PGPASSWORD or
// ~/.pgpass instead, and so do we. libpq's own parser says what it would use, so no spelling
// (userinfo, ?password=, percent-encoded keys) gets past. Its messages may quote a value, so
// they are not repeated.
void reject_password(const std::string& libpq_uri, std::string_view url) {
  char* err = nullptr;
  PQconninfoOption* opts = PQconninfoParse(libpq_uri.c_str(), &err);
  if (!opts) {
    PQfreemem(err);
    throw Error("--db " + display(url) + ": not a valid database URL");
  }
  bool has_password = false;
  for (PQconninfoOption* o = opts; o->keyword; ++o)
    if (std::string_view(o->keyword) == "password" && o->val) has_password = true;
  PQconninfoFree(opts);
  if (has_password)
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

// "mysql" for "mysql://...", "" when `target` has no URL scheme (a path).
std::string_view url_scheme(std::string_view target) {
  size_t colon = target.find("://");
  if (colon == std::string_view::npos || colon == 0) return "";
  std::string_view s = target.substr(0, colon);
  for (char ch : s)
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '+' && ch != '-' && ch != '.')
      return "";
  return s;
}

std::unique_ptr<SqlConnection> open_connection(std::string_view target, bool create) {
  std::string_view scheme = url_scheme(target);
  if (scheme == "postgresql" || scheme == "postgres") {
    std::string uri(target);
    reject_password(uri, target);
    return open_pg(uri, display(target), SqlDialect::postgres);
  }
  if (scheme == "redshift") {
    std::string uri = redshift_to_libpq(target);
    reject_password(uri, target);
    return open_pg(uri, display(target), SqlDialect::redshift);
  }
  if (!scheme.empty() && scheme != "sqlite")
    throw Error("--db " + display(target) + ": unsupported database scheme '" +
                std::string(scheme) +
                "' (use sqlite:PATH or a path, postgresql://, postgres:// or redshift://)");
  std::string path(target);
  if (path.starts_with("sqlite:")) path = path.substr(7);
  if (path.empty()) throw Error("--db: empty SQLite path");
  return open_sqlite(path, create);
}

}  // namespace

std::unique_ptr<HistorySink> open_history_sink(std::string_view target, bool create) {
  return make_sql_history_sink(open_connection(target, create));
}

}  // namespace flakegrab
