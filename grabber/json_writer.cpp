// JsonWriter: nlohmann's own serializer writes each value, so strings are escaped and numbers
// printed exactly as dump() does; the containers follow its layout (see dump's pretty printer:
// "{\n", members at the next indent, ",\n" between them, "\n" and the closing brace at the
// container's indent; "{}" and "[]" when empty).
#include <charconv>
#include <ostream>
#include <string>

#include "grabber/grabber.h"

namespace flakegrab {

using json = nlohmann::ordered_json;

struct JsonWriter::Serializer {
  explicit Serializer(std::string& out) : s(nlohmann::detail::output_adapter<char>(out), ' ') {}
  nlohmann::detail::serializer<json> s;
};

JsonWriter::JsonWriter(std::ostream& out, int indent)
    : out_(out), indent_(indent), serializer_(std::make_unique<Serializer>(buf_)) {}

JsonWriter::~JsonWriter() {
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
}

void JsonWriter::written() {
  constexpr std::size_t kPiece = 64 << 10;
  if (!open_.empty() && buf_.size() < kPiece) return;
  out_.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
  buf_.clear();
}

void JsonWriter::element() {
  if (open_.empty()) return;
  std::size_t& n = open_.back().count;
  if (indent_ >= 0) {
    buf_ += n ? ",\n" : "\n";
    buf_.append(open_.size() * static_cast<std::size_t>(indent_), ' ');
  } else if (n) {
    buf_ += ',';
  }
  ++n;
}

void JsonWriter::before_value() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  element();
}

void JsonWriter::begin_object() {
  before_value();
  buf_ += '{';
  open_.push_back({'}', 0});
}

void JsonWriter::begin_array() {
  before_value();
  buf_ += '[';
  open_.push_back({']', 0});
}

void JsonWriter::end() {
  Open o = open_.back();
  open_.pop_back();
  if (indent_ >= 0 && o.count) {
    buf_ += '\n';
    buf_.append(open_.size() * static_cast<std::size_t>(indent_), ' ');
  }
  buf_ += o.close;
  written();
}

namespace {
// Printable ASCII but the quote and the backslash: what the serializer writes as it is.
bool plain(std::string_view s) {
  for (char c : s)
    if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') return false;
  return true;
}
}  // namespace

void JsonWriter::quoted(std::string_view s) {
  // Most names, paths and ids need no escaping; anything else (and any UTF-8 to check) is the
  // serializer's.
  if (plain(s)) {
    buf_ += '"';
    buf_ += s;
    buf_ += '"';
  } else {
    serializer_->s.dump(json(s), false, false, 0);
  }
}

void JsonWriter::key(std::string_view name) {
  element();
  quoted(name);
  buf_ += indent_ >= 0 ? ": " : ":";
  after_key_ = true;
}

void JsonWriter::string(std::string_view s) {
  before_value();
  quoted(s);
  written();
}

void JsonWriter::number(std::int64_t n) {
  before_value();
  char digits[24];
  auto end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  buf_.append(digits, end);
  written();
}

void JsonWriter::boolean(bool b) {
  before_value();
  buf_ += b ? "true" : "false";
  written();
}

void JsonWriter::null() {
  before_value();
  buf_ += "null";
  written();
}

void JsonWriter::value(const json& v) {
  before_value();
  if (indent_ >= 0)
    serializer_->s.dump(v, true, false, static_cast<unsigned>(indent_),
                        static_cast<unsigned>(open_.size() * static_cast<std::size_t>(indent_)));
  else
    serializer_->s.dump(v, false, false, 0);
  written();
}

}  // namespace flakegrab
