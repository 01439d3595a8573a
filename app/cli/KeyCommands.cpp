#include "KeyCommands.h"

#include "core/Workspace.h"
#include "engine/KeyHostBindings.h"
#include "engine/KeychainKeyStore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QFile>
#include <QRegularExpression>
#include <QTextStream>

#include <algorithm>
#include <cstdio>

#ifdef Q_OS_UNIX
#include <termios.h>
#include <unistd.h>
#endif

using namespace Slopscope;

namespace {

enum KeysExit { KeysOk = 0, KeysMissing = 1, KeysBadUsage = 2, KeysUnavailable = 3 };

// Q_DECLARE_TR_FUNCTIONS so lupdate files the strings under the context they are looked up in.
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(KeyCommands)
};

// A KeyringSecrets over the system keychain; the store is its child.
std::unique_ptr<KeyringSecrets> keychainSecrets()
{
    auto *store = new KeychainKeyStore;
    auto secrets = std::make_unique<KeyringSecrets>(store);
    store->setParent(secrets.get());
    return secrets;
}

bool validName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return pattern.match(name).hasMatch();
}

// The key from stdin: one line from a terminal (echo off), or the whole of a pipe, trimmed.
QString readKey()
{
    QFile in;
    if (!in.open(stdin, QIODevice::ReadOnly))
        return {};
#ifdef Q_OS_UNIX
    if (isatty(fileno(stdin))) {
        QTextStream prompt(stderr);
        prompt << Tr::tr("Key (input hidden): ") << Qt::flush;
        termios saved{};
        const bool hidden = tcgetattr(fileno(stdin), &saved) == 0;
        if (hidden) {
            termios quiet = saved;
            quiet.c_lflag &= ~tcflag_t(ECHO);
            tcsetattr(fileno(stdin), TCSANOW, &quiet);
        }
        QByteArray line = in.readLine();
        if (hidden)
            tcsetattr(fileno(stdin), TCSANOW, &saved);
        prompt << Qt::endl;
        QString key = QString::fromUtf8(line).trimmed();
        line.fill('\0');
        return key;
    }
#endif
    QByteArray all = in.readAll();
    QString key = QString::fromUtf8(all).trimmed();
    all.fill('\0');
    return key;
}

int setKey(const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.size() != 1 || !validName(args.first())) {
        err << Tr::tr("Usage: slopscope-cli keys set NAME  (the key is read from stdin; NAME is the "
                      "provider's api_key_env, e.g. OPENAI_API_KEY)")
            << Qt::endl;
        return KeysBadUsage;
    }
    const QString name = args.first();
    QString key = readKey();
    if (key.isEmpty()) {
        err << Tr::tr("No key on stdin; nothing was saved.") << Qt::endl;
        return KeysBadUsage;
    }
    auto secrets = keychainSecrets();
    QEventLoop loop;
    int code = KeysOk;
    secrets->save(name, SecretString::takeFrom(key), [&](const KeyringSecrets::SaveReport &report) {
        if (report.result.ok()) {
            out << Tr::tr("Saved %1 in the system keychain.").arg(name) << Qt::endl;
        } else {
            // In a one-shot command a session-only copy ends with the process: say so plainly.
            err << Tr::tr("Could not save %1 in the system keychain: %2").arg(name, report.result.message) << Qt::endl;
            err << Tr::tr("The key was not stored anywhere. Set the environment variable %1 instead.").arg(name)
                << Qt::endl;
            code = KeysUnavailable;
        }
        loop.quit();
    });
    key.fill(QChar(u'\0'));
    loop.exec();
    return code;
}

int removeKey(const QStringList &args, QTextStream &out, QTextStream &err)
{
    if (args.size() != 1 || !validName(args.first())) {
        err << Tr::tr("Usage: slopscope-cli keys remove NAME") << Qt::endl;
        return KeysBadUsage;
    }
    const QString name = args.first();
    auto secrets = keychainSecrets();
    QEventLoop loop;
    int code = KeysOk;
    secrets->remove(name, [&](const KeyStoreResult &result) {
        if (result.ok()) {
            out << Tr::tr("Removed %1 from the system keychain.").arg(name) << Qt::endl;
        } else if (result.status == KeyStoreStatus::NotFound) {
            err << Tr::tr("The system keychain holds no key named %1.").arg(name) << Qt::endl;
            code = KeysMissing;
        } else {
            err << Tr::tr("Could not remove %1 from the system keychain: %2").arg(name, result.message) << Qt::endl;
            code = KeysUnavailable;
        }
        loop.quit();
    });
    loop.exec();
    return code;
}

int keyStatus(const QStringList &args, QTextStream &out, QTextStream &err)
{
    QStringList names;
    QStringList needed; // names a real provider uses: missing ones fail the command
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (arg == u"--workspace" || arg == u"--demo") {
            Result<Workspace> ws = Workspace::demo();
            if (arg == u"--workspace") {
                if (i + 1 >= args.size()) {
                    err << Tr::tr("--workspace needs a file.") << Qt::endl;
                    return KeysBadUsage;
                }
                ws = Workspace::fromFile(args.at(++i));
            }
            if (!ws) {
                err << ws.error() << Qt::endl;
                return KeysBadUsage;
            }
            names += KeyringSecrets::keyNames(ws.value(), true);
            needed += KeyringSecrets::keyNames(ws.value(), false);
        } else if (validName(arg)) {
            names.append(arg);
            needed.append(arg);
        } else {
            err << Tr::tr("Usage: slopscope-cli keys status [--workspace FILE | --demo] [NAME...]") << Qt::endl;
            return KeysBadUsage;
        }
    }
    names.removeDuplicates();
    if (names.isEmpty()) {
        err << Tr::tr("No key names: give --workspace FILE, --demo or NAME...") << Qt::endl;
        return KeysBadUsage;
    }
    auto secrets = keychainSecrets();
    QEventLoop loop;
    KeyringSecrets::LoadReport report;
    secrets->load(names, [&](const KeyringSecrets::LoadReport &loaded) {
        report = loaded;
        loop.quit();
    });
    loop.exec();

    int code = KeysOk;
    for (const QString &name : std::as_const(names)) {
        QString where;
        switch (secrets->origin(name)) {
        case KeyringSecrets::Origin::Environment:
            where = Tr::tr("environment");
            break;
        case KeyringSecrets::Origin::Keychain:
        case KeyringSecrets::Origin::Session:
            where = Tr::tr("keychain");
            break;
        case KeyringSecrets::Origin::Missing:
            where = Tr::tr("missing");
            for (const auto &[failedName, result] : std::as_const(report.failed)) {
                if (failedName == name)
                    where = Tr::tr("missing (keychain: %1)").arg(result.message);
            }
            if (!needed.contains(name))
                where += u' ' + Tr::tr("(simulated providers need none)");
            else
                code = KeysMissing;
            break;
        }
        out << name.leftJustified(28) << u' ' << where << Qt::endl;
    }
    return code;
}

// Confirms, as the app's question before a run does, that a stored key may go to another host.
int allowHost(const QStringList &args, QTextStream &out, QTextStream &err)
{
    const QString host = args.value(1).trimmed().toLower();
    if (args.size() != 2 || !validName(args.first()) || host.isEmpty() || host.contains(u'/') || host.contains(u' ')) {
        err << Tr::tr("Usage: slopscope-cli keys allow-host NAME HOST  (HOST as in the provider's base URL, "
                      "e.g. api.openai.com)")
            << Qt::endl;
        return KeysBadUsage;
    }
    KeyHostBindings bindings;
    bindings.allow(args.first(), host);
    out << Tr::tr("%1 may now be sent to: %2").arg(args.first(), bindings.hostsFor(args.first()).join(QStringLiteral(", ")))
        << Qt::endl;
    return KeysOk;
}

} // namespace

int runKeysCommand(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);
    const QString sub = args.value(0);
    if (sub == u"set")
        return setKey(args.mid(1), out, err);
    if (sub == u"remove")
        return removeKey(args.mid(1), out, err);
    if (sub == u"status")
        return keyStatus(args.mid(1), out, err);
    if (sub == u"allow-host")
        return allowHost(args.mid(1), out, err);
    err << Tr::tr("Usage: slopscope-cli keys set NAME | remove NAME | allow-host NAME HOST | status [--workspace FILE | "
                  "--demo] [NAME...]")
        << Qt::endl;
    return KeysBadUsage;
}

std::unique_ptr<KeyringSecrets> loadKeychainKeys(const Workspace &workspace)
{
    const QStringList names = KeyringSecrets::keyNames(workspace, false);
    EnvSecretSource env;
    const bool anyToLoad =
        std::any_of(names.cbegin(), names.cend(), [&env](const QString &n) { return !env.secret(n); });
    if (!anyToLoad)
        return nullptr;
    auto secrets = keychainSecrets();
    QEventLoop loop;
    secrets->load(names, [&loop](const KeyringSecrets::LoadReport &report) {
        QTextStream err(stderr);
        for (const auto &[name, result] : report.failed)
            err << Tr::tr("Keychain: no key for %1: %2").arg(name, result.message) << Qt::endl;
        loop.quit();
    });
    loop.exec();
    secrets->makeCurrent();
    return secrets;
}
