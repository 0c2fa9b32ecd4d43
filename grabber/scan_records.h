#pragma once
// The compact binary form of markers and scan results that the caches store (the per-file log,
// the whole-tree results): varints, and each string written once per record or document and
// then referred to by number, so a file's markers do not repeat its path, reason and condition,
// and a test id is its file plus interned "::" parts. Read straight into the structs, written
// straight from them: no JSON document is built on either side.
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "grabber/grabber.h"

namespace flakegrab::records {

// Thrown by Reader on bytes that do not decode: a truncated record or another format.
struct Corrupt : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// The strings handed to a Writer must outlive it: its table refers to them, it does not copy
// them (a whole scan's strings, copied, were a sizable part of writing its tree result).
class Writer {
 public:
  void number(std::uint64_t v);
  void string(std::string_view s);
  void optional(const std::optional<std::string>& s);
  void strings(const std::vector<std::string>& list);
  void marker(const Marker& m);
  void markers(const std::vector<Marker>& list);
  std::string& bytes() { return out_; }

 private:
  void text(std::string_view s, std::uint64_t first_reference);
  std::string out_;
  std::unordered_map<std::string_view, std::uint64_t> table_;  // string -> its number
};

// Reads what a Writer wrote, in the same order; the strings it returns are copies, the input
// need not outlive them.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}
  std::uint64_t number();
  std::string string();
  std::optional<std::string> optional();
  std::vector<std::string> strings();
  Marker marker();
  std::vector<Marker> markers();
  void markers(std::vector<Marker>& append_to);
  bool done() const { return at_ == in_.size(); }

 private:
  std::string_view text(std::uint64_t tag, std::uint64_t first_reference);
  std::string_view in_;
  std::size_t at_ = 0;
  std::vector<std::string_view> table_;  // views into in_
};

// A whole scan result (the whole-tree cache), with a leading format tag: anything else,
// including the msgpack documents older builds wrote, throws Corrupt.
std::string encode_scan(const ScanResult& r);
ScanResult decode_scan(std::string_view bytes);

}  // namespace flakegrab::records
