#include "grabber/source_text.h"

#include <iconv.h>

#include <cctype>
#include <cerrno>
#include <memory>
#include <vector>

#include "grabber/file_checks.h"

namespace flakegrab {

namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool cookie_char(char ch) {
  return std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.';
}

// Python's cookie_re, `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`, on one line.
std::optional<std::string> cookie_in(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t\f");
  if (i == std::string_view::npos || line[i] != '#') return std::nullopt;
  for (std::size_t at = line.find("coding", i); at != std::string_view::npos;
       at = line.find("coding", at + 1)) {
    std::size_t j = at + 6;
    if (j >= line.size() || (line[j] != ':' && line[j] != '=')) continue;
    ++j;
    while (j < line.size() && (line[j] == ' ' || line[j] == '\t')) ++j;
    std::size_t end = j;
    while (end < line.size() && cookie_char(line[end])) ++end;
    if (end > j) return std::string(line.substr(j, end - j));
  }
  return std::nullopt;
}

// Python's blank_re: a line that is blank or only a comment.
bool blank_or_comment(std::string_view line) {
  std::size_t i = line.find_first_not_of(" \t\f");
  return i == std::string_view::npos || line[i] == '#' || line[i] == '\r';
}

std::string lower_dashed(std::string_view name) {
  std::string out;
  for (char ch : name) out += ch == '_' ? '-' : static_cast<char>(std::tolower(ch));
  return out;
}

bool starts_with_either(const std::string& s, std::string_view base) {
  return s == base || s.starts_with(std::string(base) + "-");
}

// Python's normalisation of the names it treats specially, then glibc's spellings.
std::vector<std::string> iconv_names(std::string_view cookie) {
  std::string n = lower_dashed(cookie);
  if (starts_with_either(n, "utf-8") || n == "utf8") return {"UTF-8"};
  if (starts_with_either(n, "latin-1") || starts_with_either(n, "iso-8859-1") ||
      starts_with_either(n, "iso-latin-1") || n == "latin1" || n == "l1")
    return {"ISO-8859-1"};
  if (n == "mac-roman" || n == "macroman") return {"MACINTOSH"};
  // Python source must be ASCII-compatible: these cannot be the encoding of a cookie's line.
  if (n.starts_with("utf-16") || n.starts_with("utf-32") || n.starts_with("utf16") ||
      n.starts_with("utf32") || n.starts_with("ucs"))
    return {};
  std::string upper;
  for (char ch : n) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  std::string underscored = upper, bare;
  for (char& ch : underscored)
    if (ch == '-') ch = '_';
  for (char ch : upper)
    if (ch != '-') bare += ch;
  return {upper, underscored, bare};
}

struct IconvCloser {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

enum class Converted { ok, unknown_encoding, bad_bytes };

Converted convert(const std::string& from, const std::string& bytes, std::string& out) {
  iconv_t cd = iconv_open("UTF-8", from.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return Converted::unknown_encoding;
  std::unique_ptr<void, IconvCloser> owner(cd);
  out.assign(bytes.size() * 2 + 16, '\0');
  char* in = const_cast<char*>(bytes.data());
  std::size_t in_left = bytes.size();
  std::size_t done = 0;
  while (in_left > 0) {
    char* dst = out.data() + done;
    std::size_t out_left = out.size() - done;
    std::size_t rc = iconv(cd, &in, &in_left, &dst, &out_left);
    done = out.size() - out_left;
    if (rc != static_cast<std::size_t>(-1)) break;
    if (errno != E2BIG) return Converted::bad_bytes;  // EILSEQ, or EINVAL: cut off at the end
    out.resize(out.size() * 2);
  }
  out.resize(done);
  return Converted::ok;
}

}  // namespace

std::optional<std::string> coding_cookie(std::string_view bytes) {
  if (bytes.starts_with(kBom)) bytes.remove_prefix(kBom.size());
  std::size_t nl = bytes.find('\n');
  std::string_view first = bytes.substr(0, nl);
  if (auto c = cookie_in(first)) return c;
  if (nl == std::string_view::npos || !blank_or_comment(first)) return std::nullopt;
  std::string_view rest = bytes.substr(nl + 1);
  return cookie_in(rest.substr(0, rest.find('\n')));
}

SourceText python_source_text(std::string bytes) {
  SourceText out;
  const bool bom = bytes.starts_with(kBom);
  if (bom) bytes.erase(0, kBom.size());
  // A CR not followed by LF ends a line for Python; tree-sitter counts rows at LF only. In
  // every ASCII-compatible encoding byte 0x0D is CR, so this may come before decoding.
  for (std::size_t i = bytes.find('\r'); i != std::string::npos; i = bytes.find('\r', i + 1))
    if (i + 1 == bytes.size() || bytes[i + 1] != '\n') bytes[i] = '\n';
  std::optional<std::string> cookie = coding_cookie(bytes);
  std::vector<std::string> names = cookie ? iconv_names(*cookie) : std::vector<std::string>{};
  if (!cookie || (!names.empty() && names.front() == "UTF-8")) {
    if (!is_valid_utf8(bytes)) {
      out.skip_reason = "not utf-8";
      return out;
    }
    out.text = std::move(bytes);
    return out;
  }
  if (bom) {
    out.skip_reason = "bad encoding";
    return out;
  }
  for (const auto& name : names) {
    Converted c = convert(name, bytes, out.text);
    if (c == Converted::unknown_encoding) continue;
    if (c == Converted::bad_bytes) {
      out.text.clear();
      out.skip_reason = "bad encoding";
    }
    return out;
  }
  out.skip_reason = "unknown encoding";
  return out;
}

}  // namespace flakegrab
