// Marker age and expiry.
#include <ini.h>

#include <algorithm>
#include <optional>

#include "correlate/mute_policy.h"
#include "correlate/time_util.h"

namespace flakegrab::correlate {
namespace {

std::string unquoted(std::string s) {
  std::erase_if(s, [](char c) { return c == '"' || c == '\'' || c == ' '; });
  return s;
}

std::optional<std::int64_t> date_of(const std::optional<std::string>& text) {
  if (!text) return std::nullopt;
  return parse_iso8601(unquoted(*text));
}

// The mute's own end date: expires="2026-01-01" or until=...
std::optional<std::string> written_expiry(const Marker& m) {
  for (const auto& [k, v] : m.args)
    if (k == "expires" || k == "until") return v;
  return std::nullopt;
}

int limit_days(const Marker& m, const ExpiryPolicy& p) {
  if (auto it = p.days.find(m.name); it != p.days.end()) return it->second;
  if (auto it = p.days.find(to_string(m.kind)); it != p.days.end()) return it->second;
  return p.default_days;
}

int collect_expiry(void* user, const char* section, const char* name, const char* value) {
  if (std::string_view(section) == "expiry")
    static_cast<std::vector<std::pair<std::string, std::string>>*>(user)->emplace_back(name, value);
  return 1;
}

}  // namespace

ExpiryPolicy load_expiry_policy(const std::filesystem::path& file, ExpiryPolicy base) {
  std::vector<std::pair<std::string, std::string>> entries;
  if (ini_parse(file.string().c_str(), collect_expiry, &entries) < 0)
    throw Error(file.string() + ": cannot open config file");
  for (const auto& [key, value] : entries) {
    char* end = nullptr;
    long days = std::strtol(value.c_str(), &end, 10);
    if (value.empty() || *end != '\0' || days < 0 || days > 100000)
      throw Error(file.string() + ": [expiry] " + key + ": expected a number of days, got '" +
                  value + "'");
    if (key == "default")
      base.default_days = static_cast<int>(days);
    else
      base.days[key] = static_cast<int>(days);
  }
  return base;
}

std::vector<std::string> unknown_expiry_keys(const ExpiryPolicy& policy, const ScanConfig& config,
                                             const std::string& source) {
  std::vector<std::string> out;
  for (const auto& [key, days] : policy.days)
    if (!marker_kind_from_string(key) && !config.markers.contains(key))
      out.push_back(source + ": [expiry] " + key +
                    ": neither a marker kind nor a marker name; ignored");
  return out;
}

std::string first_seen_key(std::string_view test_id, std::string_view name, MarkerKind kind) {
  // A node id holds no NUL.
  return std::string(test_id) + '\0' + std::string(name) + '\0' + std::string(to_string(kind));
}

std::vector<std::string> apply_age(CorrelateResult& result, const MarkerOrigins& origins,
                                   const ExpiryPolicy& policy, const std::string& as_of,
                                   const MarkerFirstSeen& first_seen) {
  std::vector<std::string> warnings;
  const auto now = parse_iso8601(as_of);
  for (auto& row : result.rows) {
    if (!row.muted) continue;
    std::optional<std::int64_t> oldest_added, earliest_expiry, oldest_seen;
    for (const auto& m : row.markers) {
      std::optional<std::int64_t> start = date_of(m.since);
      std::optional<std::int64_t> seen;
      if (auto it = first_seen.find(first_seen_key(m.test_id, m.name, m.kind));
          it != first_seen.end())
        seen = parse_iso8601(it->second);
      if (seen && (!oldest_seen || *seen < *oldest_seen)) oldest_seen = seen;
      if (auto it = origins.find(marker_origin_key(m.file, m.line)); it != origins.end()) {
        auto added = parse_iso8601(it->second.date);
        if (added && (!oldest_added || *added < *oldest_added)) {
          oldest_added = added;
          row.mute.age.added_at = it->second.date;
          row.mute.age.added_in = it->second.commit;
        }
        if (!start) start = added;
      }
      if (!start) start = seen;  // no since=, no git: muted at least since the history saw it
      std::optional<std::int64_t> expiry;
      if (auto w = written_expiry(m)) {
        expiry = date_of(w);
        if (!expiry)
          warnings.push_back(m.file + ":" + std::to_string(m.line) + ": " + m.name +
                             ": expires/until " + *w + " is not a date (YYYY-MM-DD); ignored");
      }
      if (!expiry && start) {
        const int days = limit_days(m, policy);
        if (days > 0) expiry = *start + std::int64_t{days} * 86400;
      }
      if (expiry && (!earliest_expiry || *expiry < *earliest_expiry)) earliest_expiry = expiry;
    }
    // days_muted counts from since= when the verdict code found one, else from git.
    if (row.evidence.days_muted < 0 && oldest_added && now && *oldest_added <= *now)
      row.evidence.days_muted = (*now - *oldest_added) / 86400;
    if (row.evidence.days_muted < 0 && oldest_seen && now && *oldest_seen <= *now)
      row.evidence.days_muted = (*now - *oldest_seen) / 86400;
    if (earliest_expiry) {
      row.mute.age.expires_at = format_iso8601(*earliest_expiry);
      row.mute.age.expired = now && *earliest_expiry <= *now;
      if (row.mute.age.expired)
        row.reason += "; mute expired " + row.mute.age.expires_at.substr(0, 10);
    }
  }
  return warnings;
}

}  // namespace flakegrab::correlate
