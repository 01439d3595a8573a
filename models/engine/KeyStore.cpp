#include "engine/KeyStore.h"

#include <QCoreApplication>

namespace Slopscope {

QString KeyStore::describe(KeyStoreStatus status, const QString &name)
{
    switch (status) {
    case KeyStoreStatus::Ok:
        return {};
    case KeyStoreStatus::NotFound:
        return QCoreApplication::translate("KeyStore", "No key named %1 is stored.").arg(name);
    case KeyStoreStatus::NoService:
        return QCoreApplication::translate("KeyStore", "No keychain service is available (no session bus or "
                                                       "no secret service running).");
    case KeyStoreStatus::Locked:
        return QCoreApplication::translate("KeyStore", "The keychain is locked.");
    case KeyStoreStatus::Denied:
        return QCoreApplication::translate("KeyStore", "Access to the keychain was denied.");
    case KeyStoreStatus::TimedOut:
        return QCoreApplication::translate("KeyStore", "Keychain not responding.");
    case KeyStoreStatus::Failed:
        return QCoreApplication::translate("KeyStore", "The keychain failed.");
    }
    return {};
}

} // namespace Slopscope
