#pragma once

#include "core/SecretString.h"

#include <QString>

namespace Slopscope {

// How a key store operation ended. The failures are kept apart because each asks something
// different of the user: start a keychain, unlock it, allow the app, or enter the key.
enum class KeyStoreStatus {
    Ok,
    NotFound,  // nothing stored under that name
    NoService, // no keychain at all: no session bus, no secret service, no backend
    Locked,    // the keychain is there but locked
    Denied,    // the keychain (or the user) refused access
    TimedOut,  // the keychain did not answer in time
    Failed,    // anything else; the message says what
};

// The outcome of one read, write or remove. `value` is set only by a successful read; `message`
// (translated) only on failure, and never contains a key.
struct KeyStoreResult
{
    KeyStoreStatus status = KeyStoreStatus::Ok;
    SecretString value;
    QString message;

    [[nodiscard]] bool ok() const { return status == KeyStoreStatus::Ok; }
    // The keychain cannot be used at the moment (as opposed to "no such key" or a bad request):
    // a key to be saved is then kept for this session only.
    [[nodiscard]] bool unavailable() const
    {
        return status == KeyStoreStatus::NoService || status == KeyStoreStatus::Locked ||
               status == KeyStoreStatus::Denied || status == KeyStoreStatus::TimedOut;
    }
};

} // namespace Slopscope
