// The child of tst_memoryscan: takes a canary key on stdin and carries it through the real path
// (KeyringSecrets keeping it for the session, RequestBuilder resolving it and building the
// request with its header), says "loaded", waits for "drop", lets go of everything, wipes the
// request's header, says "dropped" and waits to be killed while the parent scans its memory.
// It reads stdin with read(2) into a buffer it wipes, so no stdio or Qt buffer keeps a copy.
#include "core/SecretString.h"
#include "engine/KeyringSecrets.h"
#include "engine/RequestBuilder.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QTemporaryDir>

#include <cstdio>
#include <cstring>
#include <memory>
#include <optional>
#include <unistd.h>

using namespace Slopscope;

namespace {

// One line from stdin, without the newline, in `buffer`; its length.
std::size_t readLine(char *buffer, std::size_t capacity)
{
    std::size_t n = 0;
    while (n < capacity) {
        char c = 0;
        if (::read(STDIN_FILENO, &c, 1) != 1 || c == '\n')
            break;
        buffer[n++] = c;
    }
    return n;
}

void say(const char *word)
{
    const std::size_t length = std::strlen(word);
    if (::write(STDOUT_FILENO, word, length) != static_cast<ssize_t>(length))
        std::_Exit(3);
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTemporaryDir settings;
    const QString name = QStringLiteral("SLOPSCOPE_SCAN_KEY");

    auto secrets = std::make_unique<KeyringSecrets>(nullptr); // no keychain: kept for the session
    secrets->setHostBindingsFile(settings.filePath(QStringLiteral("bindings.ini")));
    {
        char line[256];
        const std::size_t length = readLine(line, sizeof line);
        SecretString key = SecretString::fromUtf8(QByteArrayView(line, static_cast<qsizetype>(length)));
        SecretString::wipe(line, sizeof line);
        QEventLoop loop;
        secrets->save(name, key, [&loop](const KeyringSecrets::SaveReport &) { loop.quit(); });
        loop.exec();
    }

    ProviderConfig provider;
    provider.id = QStringLiteral("scan");
    provider.dialect = Dialect::OpenAIChat;
    provider.baseUrl = QStringLiteral("https://api.example.com/v1");
    provider.apiKeyEnv = name;
    ChatRequest request;
    request.id = QStringLiteral("job");
    request.targetId = QStringLiteral("t");
    request.providerId = provider.id;
    request.model = QStringLiteral("m");
    request.messages = {{QStringLiteral("user"), QStringLiteral("Hi")}};

    std::optional<PreparedRequest> prepared;
    {
        const auto key = RequestBuilder::resolveKey(provider, *secrets);
        if (!key)
            return 2;
        auto built = RequestBuilder::build(request, provider, key.value());
        if (!built)
            return 2;
        prepared = std::move(built).value();
    }
    say("loaded\n");

    char command[16];
    readLine(command, sizeof command);
    RequestBuilder::wipeCredentials(*prepared);
    prepared.reset();
    secrets.reset();
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
    say("dropped\n");

    readLine(command, sizeof command); // until the parent is done (or closes stdin)
    return 0;
}
