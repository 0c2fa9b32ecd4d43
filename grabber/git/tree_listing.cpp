#include "grabber/git/tree_listing.h"

#include <exception>
#include <string_view>

namespace flakegrab::git {

namespace {

std::optional<PytestConfig> read_pytest_config(git_odb* odb, const git_tree* root) {
  for (const char* name : {"pytest.ini", "pyproject.toml", "tox.ini", "setup.cfg"}) {
    const git_tree_entry* e = git_tree_entry_byname(root, name);
    if (e == nullptr || git_tree_entry_type(e) != GIT_OBJECT_BLOB) continue;
    std::string contents = read_blob(odb, *git_tree_entry_id(e), name);
    if (auto cfg = parse_pytest_config(name, contents)) {
      if (!cfg->source) cfg->source = name;
      return cfg;
    }
  }
  return std::nullopt;
}

bool looks_python(std::string_view path) {
  return path.ends_with(".py");
}

struct WalkState {
  const ScanConfig* config;
  const std::vector<std::string>* python_files;
  TreeListing* out;
  std::string path;
  std::optional<std::string> error;
};

int visit(const char* root, const git_tree_entry* entry, WalkState* st) {
  git_filemode_t mode = git_tree_entry_filemode(entry);
  if (mode == GIT_FILEMODE_TREE) return 0;
  st->path.assign(root);
  st->path.append(git_tree_entry_name(entry));
  const std::string& path = st->path;
  bool wanted = st->config->all_files ? looks_python(path) : is_test_file(path, *st->python_files);
  if (mode == GIT_FILEMODE_COMMIT) {
    // Submodules are always named: their tests are out of reach, wherever they sit.
    st->out->skipped.push_back({path, "submodule"});
    return 0;
  }
  if (!wanted) return 0;
  if (mode == GIT_FILEMODE_LINK) {
    st->out->skipped.push_back({path, "symlink"});
    return 0;
  }
  st->out->candidates.push_back({path, *git_tree_entry_id(entry)});
  return 0;
}

// Exceptions must not unwind through libgit2's C frames.
int walk_cb(const char* root, const git_tree_entry* entry, void* payload) {
  auto* st = static_cast<WalkState*>(payload);
  try {
    return visit(root, entry, st);
  } catch (const std::exception& e) {
    st->error = e.what();
    return -1;
  }
}

}  // namespace

std::string read_blob(git_odb* odb, const git_oid& blob, const std::string& path) {
  git_odb_object* raw = nullptr;
  if (git_odb_read(&raw, odb, &blob) < 0) throw Error("cannot read blob of " + path);
  OdbObject obj(raw);
  const char* data = static_cast<const char*>(git_odb_object_data(raw));
  return std::string(data, git_odb_object_size(raw));
}

std::uint64_t blob_size(git_odb* odb, const git_oid& blob, const std::string& path) {
  size_t size = 0;
  git_object_t type{};
  if (git_odb_read_header(&size, &type, odb, &blob) < 0) throw Error("cannot read blob of " + path);
  return size;
}

TreeListing list_tree(git_odb* odb, const git_tree* root, const ScanConfig& config) {
  TreeListing out;
  out.pytest = read_pytest_config(odb, root);
  static const std::vector<std::string> kNone;
  const std::vector<std::string>& python_files = !config.python_files.empty() ? config.python_files
                                                 : (out.pytest && !out.pytest->python_files.empty())
                                                     ? out.pytest->python_files
                                                     : kNone;
  WalkState st{&config, &python_files, &out, {}, {}};
  int rc = git_tree_walk(root, GIT_TREEWALK_PRE, walk_cb, &st);
  if (st.error) throw Error(*st.error);
  check(rc, "cannot walk tree");
  return out;
}

}  // namespace flakegrab::git
