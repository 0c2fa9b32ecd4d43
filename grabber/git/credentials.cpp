#include "grabber/git/credentials.h"

#include <cstdlib>
#include <filesystem>
#include <string_view>

namespace flakegrab::git {

namespace {

struct EnvToken {
  const char* name;
  const char* value;
};

std::optional<EnvToken> env_token() {
  for (const char* name : {"GITHUB_TOKEN", "GIT_TOKEN"}) {
    const char* v = std::getenv(name);
    if (v != nullptr && *v != '\0') return EnvToken{name, v};
  }
  return std::nullopt;
}

// Where the user/password credential would come from, for messages; nullopt when there is none.
std::optional<std::string> userpass_source(const CredentialState& state) {
  if (state.url_password) return std::string("the password in the URL");
  if (state.url_username) return std::string("the token in the URL");
  if (auto t = env_token()) return std::string(t->name);
  return std::nullopt;
}

// Holds a credential back from plain http and from another origin than the REPO's.
bool withhold(CredentialState& state, const char* url, const std::string& source) {
  std::string target = url != nullptr ? url : "";
  std::string shown = target.substr(0, target.find_first_of("?#"));
  if (!state.origin.empty() && !target.empty() && url_origin(target) != state.origin) {
    state.withheld = source + " not sent to " + url_origin(target) + ", another origin than " +
                     state.origin + " (a redirect)";
    return true;
  }
  if (!may_send_credential(target.empty() ? state.origin : target, state.policy)) {
    state.withheld = withheld_credential_message(source, url_origin(shown));
    return true;
  }
  return false;
}

int ssh_key_from_files(git_credential** out, const char* user) {
  const char* home = std::getenv("HOME");
  if (home == nullptr) return GIT_PASSTHROUGH;
  for (const char* name : {"id_ed25519", "id_ecdsa", "id_rsa"}) {
    std::filesystem::path key = std::filesystem::path(home) / ".ssh" / name;
    std::error_code ec;
    if (!std::filesystem::exists(key, ec)) continue;
    std::filesystem::path pub = key;
    pub += ".pub";
    std::string pub_s = std::filesystem::exists(pub, ec) ? pub.string() : std::string();
    return git_credential_ssh_key_new(out, user, pub_s.empty() ? nullptr : pub_s.c_str(),
                                      key.c_str(), nullptr);
  }
  return GIT_PASSTHROUGH;
}

}  // namespace

int credential_callback(git_credential** out, const char* url, const char* username_from_url,
                        unsigned int allowed_types, void* payload) {
  auto* state = static_cast<CredentialState*>(payload);
  // libgit2 asks again after a refusal; each kind of secret gets one go, then we give up
  // (returning an error) instead of looping.
  if (allowed_types & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
    if (state->userpass_tries++ == 0) {
      if (auto source = userpass_source(*state); source && withhold(*state, url, *source)) {
        state->rejected = true;
        return GIT_EUSER;
      }
      if (state->url_password) {
        return git_credential_userpass_plaintext_new(
            out, state->url_username.value_or("x-access-token").c_str(),
            state->url_password->c_str());
      }
      if (state->url_username) {  // https://TOKEN@host/... form
        return git_credential_userpass_plaintext_new(out, "x-access-token",
                                                     state->url_username->c_str());
      }
      if (auto token = env_token()) {
        return git_credential_userpass_plaintext_new(out, "x-access-token", token->value);
      }
    }
    state->rejected = true;
    return GIT_EUSER;
  }
  const char* user = username_from_url != nullptr
                         ? username_from_url
                         : (state->url_username ? state->url_username->c_str() : "git");
  if (allowed_types & GIT_CREDENTIAL_USERNAME) return git_credential_username_new(out, user);
  if (allowed_types & GIT_CREDENTIAL_SSH_KEY) {
    int attempt = state->ssh_tries++;
    bool agent = std::getenv("SSH_AUTH_SOCK") != nullptr;
    if (attempt == 0 && agent) return git_credential_ssh_key_from_agent(out, user);
    if (attempt == (agent ? 1 : 0)) {
      int rc = ssh_key_from_files(out, user);
      if (rc != GIT_PASSTHROUGH) return rc;
    }
  }
  state->rejected = true;
  return GIT_EUSER;
}

}  // namespace flakegrab::git
