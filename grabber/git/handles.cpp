#include "grabber/git/handles.h"

#include "base/redact_url.h"

namespace flakegrab::git {

std::string last_error_message() {
  const git_error* e = git_error_last();
  if (e == nullptr || e->message == nullptr) return "unknown libgit2 error";
  std::string msg = e->message;
  // libgit2 sometimes quotes the URL it was given; never let userinfo through.
  for (auto& c : msg) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  return redact_url(msg);
}

void check(int rc, std::string_view what) {
  if (rc < 0) throw Error(std::string(what) + ": " + last_error_message());
}

std::string oid_hex(const git_oid& oid) {
  char buf[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buf, sizeof buf, &oid);
  return buf;
}

std::string blob_id_hex(std::string_view bytes) {
  git_oid oid;
  check(git_odb_hash(&oid, bytes.data(), bytes.size(), GIT_OBJECT_BLOB), "cannot hash a file");
  return oid_hex(oid);
}

}  // namespace flakegrab::git
