#pragma once

#include "engine/KeyringSecrets.h"

#include <QStringList>

#include <memory>

namespace Slopscope {
struct Workspace;
}

// `slopscope-cli keys`: API keys in the system keychain, by the name a provider's api_key_env
// gives (the same name as the environment variable, which wins when set).
//   slopscope-cli keys set NAME        reads the key from stdin (never from argv), prints nothing of it
//   slopscope-cli keys remove NAME
//   slopscope-cli keys allow-host NAME HOST   a stored key may go to HOST too (KeyHostBindings)
//   slopscope-cli keys status [--workspace FILE | --demo] [NAME...]
//       per name: environment / keychain / missing (or why the keychain could not answer);
//       exit 1 when a key a real provider needs is missing
// Exit codes: 0 ok, 1 not found / missing, 2 bad usage, 3 the keychain could not be used.
int runKeysCommand(const QStringList &args);

// Loads from the keychain the keys the workspace's real (not simulated) providers name and the
// environment does not set, and makes them current for RunSession. Failures go to stderr, never
// a value. Null when there was nothing to load; otherwise keep it alive for the run.
std::unique_ptr<Slopscope::KeyringSecrets> loadKeychainKeys(const Slopscope::Workspace &workspace);
