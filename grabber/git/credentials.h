#pragma once
// The libgit2 credential callback: tokens from the environment for http(s), ssh-agent or key
// files for ssh. Secrets are read inside the callback and handed straight to libgit2.
#include <git2.h>

#include <optional>
#include <string>

#include "grabber/auth_policy.h"

namespace flakegrab::git {

struct CredentialState {
  std::optional<std::string> url_username;  // userinfo that was in the REPO argument
  std::optional<std::string> url_password;
  int userpass_tries = 0;  // libgit2 re-asks after a refusal; counted to stop, not loop
  int ssh_tries = 0;
  bool rejected = false;
  AuthPolicy policy;
  std::string origin;  // of the REPO URL: credentials go to no other (a redirect may lead there)
  // Set when a credential was held back (plain http, another origin): why, naming where the
  // secret came from, never the secret.
  std::optional<std::string> withheld;
};

// payload must point to a CredentialState.
int credential_callback(git_credential** out, const char* url, const char* username_from_url,
                        unsigned int allowed_types, void* payload);

}  // namespace flakegrab::git
