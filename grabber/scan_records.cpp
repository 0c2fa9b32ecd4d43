#include "grabber/scan_records.h"

namespace flakegrab::records {

namespace {

// Bump when the layout below changes: a tree result of another layout is a miss.
constexpr std::string_view kScanTag = "FGSCAN2";

// Tags of a string: 0 is "null" (optional only), 1 "a new string follows", n >= 2 the string
// numbered n - 2 in the order they were first written.
constexpr std::uint64_t kNull = 0, kNew = 1, kFirstReference = 2;

}  // namespace

void Writer::number(std::uint64_t v) {
  while (v >= 0x80) {
    out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out_.push_back(static_cast<char>(v));
}

void Writer::text(std::string_view s, std::uint64_t first_reference) {
  auto [it, fresh] = table_.try_emplace(s, table_.size());
  if (!fresh) {
    number(first_reference + it->second);
    return;
  }
  number(kNew);
  number(s.size());
  out_.append(s);
}

void Writer::string(std::string_view s) {
  text(s, kFirstReference);
}

void Writer::optional(const std::optional<std::string>& s) {
  if (s)
    text(*s, kFirstReference);
  else
    number(kNull);
}

void Writer::strings(const std::vector<std::string>& list) {
  number(list.size());
  for (const auto& s : list) string(s);
}

void Writer::marker(const Marker& m) {
  string(m.file);
  // A test id is nearly always "FILE::A::b[p]": its file, then its parts, each interned (class
  // and method names repeat across files), rejoined with "::" on reading.
  std::string_view id = m.test_id;
  std::string prefix = m.file + "::";
  if (id.substr(0, prefix.size()) == prefix) {
    id.remove_prefix(prefix.size());
    std::vector<std::string_view> parts;
    for (std::size_t at; (at = id.find("::")) != std::string_view::npos; id.remove_prefix(at + 2))
      parts.push_back(id.substr(0, at));
    parts.push_back(id);
    number(parts.size());
    for (auto p : parts) string(p);
  } else {
    number(0);
    string(m.test_id);
  }
  number(static_cast<std::uint64_t>(m.line));
  string(m.name);
  number(static_cast<std::uint64_t>(m.kind));
  number(static_cast<std::uint64_t>(m.scope));
  optional(m.reason);
  optional(m.ticket);
  optional(m.since);
  optional(m.condition);
  number(m.strict ? (*m.strict ? 2 : 1) : 0);
  number((m.effective ? 1 : 0) | (m.resolved ? 2 : 0));
  number(m.args.size());
  for (const auto& [k, v] : m.args) string(k), string(v);
  optional(m.origin);
  optional(m.via);
  optional(m.factory);
  number(m.factory_args.size());
  for (const auto& [k, v] : m.factory_args) string(k), string(v);
}

void Writer::markers(const std::vector<Marker>& list) {
  number(list.size());
  for (const auto& m : list) marker(m);
}

std::uint64_t Reader::number() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at_ >= in_.size()) throw Corrupt("truncated number");
    auto byte = static_cast<unsigned char>(in_[at_++]);
    v |= std::uint64_t(byte & 0x7f) << shift;
    if (!(byte & 0x80)) return v;
  }
  throw Corrupt("overlong number");
}

std::string_view Reader::text(std::uint64_t tag, std::uint64_t first_reference) {
  if (tag == kNew) {
    std::uint64_t n = number();
    if (n > in_.size() - at_) throw Corrupt("truncated string");
    std::string_view s = in_.substr(at_, n);
    at_ += n;
    table_.push_back(s);
    return s;
  }
  if (tag < first_reference || tag - first_reference >= table_.size())
    throw Corrupt("bad string reference");
  return table_[tag - first_reference];
}

std::string Reader::string() {
  return std::string(text(number(), kFirstReference));
}

std::optional<std::string> Reader::optional() {
  std::uint64_t tag = number();
  if (tag == kNull) return std::nullopt;
  return std::string(text(tag, kFirstReference));
}

std::vector<std::string> Reader::strings() {
  std::uint64_t n = number();
  if (n > in_.size() - at_) throw Corrupt("bad count");  // each entry is at least a byte
  std::vector<std::string> out;
  out.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) out.push_back(string());
  return out;
}

namespace {

template <class Enum>
Enum enum_of(std::uint64_t v, Enum last) {
  if (v > static_cast<std::uint64_t>(last)) throw Corrupt("bad enum");
  return static_cast<Enum>(v);
}

}  // namespace

Marker Reader::marker() {
  Marker m;
  m.file = string();
  std::uint64_t parts = number();
  if (parts == 0) {
    m.test_id = string();
  } else {
    if (parts > in_.size() - at_) throw Corrupt("bad count");
    m.test_id = m.file;
    for (std::uint64_t i = 0; i < parts; ++i) {
      m.test_id += "::";
      m.test_id += text(number(), kFirstReference);
    }
  }
  std::uint64_t line = number();
  if (line > static_cast<std::uint64_t>(std::numeric_limits<int>::max())) throw Corrupt("bad line");
  m.line = static_cast<int>(line);
  m.name = string();
  m.kind = enum_of(number(), MarkerKind::custom);
  m.scope = enum_of(number(), MarkerScope::fixture);
  m.reason = optional();
  m.ticket = optional();
  m.since = optional();
  m.condition = optional();
  std::uint64_t strict = number();
  if (strict > 2) throw Corrupt("bad strict");
  if (strict) m.strict = strict == 2;
  std::uint64_t flags = number();
  if (flags > 3) throw Corrupt("bad flags");
  m.effective = flags & 1;
  m.resolved = flags & 2;
  auto pairs = [this](std::vector<std::pair<std::string, std::string>>& out) {
    std::uint64_t n = number();
    if (n > in_.size() - at_) throw Corrupt("bad count");
    out.reserve(n);
    for (std::uint64_t i = 0; i < n; ++i) {
      std::string k = string();
      out.emplace_back(std::move(k), string());
    }
  };
  pairs(m.args);
  m.origin = optional();
  m.via = optional();
  m.factory = optional();
  pairs(m.factory_args);
  return m;
}

std::vector<Marker> Reader::markers() {
  std::vector<Marker> out;
  markers(out);
  return out;
}

void Reader::markers(std::vector<Marker>& append_to) {
  std::uint64_t n = number();
  if (n > in_.size() - at_) throw Corrupt("bad count");
  if (append_to.empty()) append_to.reserve(n);
  for (std::uint64_t i = 0; i < n; ++i) append_to.push_back(marker());
}

std::string encode_scan(const ScanResult& r) {
  Writer w;
  w.bytes().append(kScanTag);
  w.string(r.root);
  w.string(r.scanned_at);
  w.number(r.complete ? 1 : 0);
  w.markers(r.markers);
  const ScanStats& s = r.stats;
  w.number(s.files_seen);
  w.number(s.files_parsed);
  w.number(s.files_cached);
  w.number(s.files_relinked);
  w.number(s.parse_errors);
  w.strings(s.parse_error_files);
  w.number(s.markers);
  w.number(s.skipped.size());
  for (const auto& k : s.skipped) w.string(k.file), w.string(k.reason), w.string(k.detail);
  w.strings(s.registered_markers);
  w.strings(s.custom_markers);
  return std::move(w.bytes());
}

ScanResult decode_scan(std::string_view bytes) {
  if (bytes.substr(0, kScanTag.size()) != kScanTag) throw Corrupt("not a scan record");
  Reader in(bytes.substr(kScanTag.size()));
  ScanResult r;
  r.root = in.string();
  r.scanned_at = in.string();
  r.complete = in.number() != 0;
  r.markers = in.markers();
  ScanStats& s = r.stats;
  s.files_seen = in.number();
  s.files_parsed = in.number();
  s.files_cached = in.number();
  s.files_relinked = in.number();
  s.parse_errors = in.number();
  s.parse_error_files = in.strings();
  s.markers = in.number();
  std::uint64_t skipped = in.number();
  if (skipped > bytes.size()) throw Corrupt("bad count");
  for (std::uint64_t i = 0; i < skipped; ++i) {
    SkippedFile k;
    k.file = in.string();
    k.reason = in.string();
    k.detail = in.string();
    s.skipped.push_back(std::move(k));
  }
  s.registered_markers = in.strings();
  s.custom_markers = in.strings();
  if (!in.done()) throw Corrupt("trailing bytes");
  return r;
}

}  // namespace flakegrab::records
