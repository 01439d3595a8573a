#include "SimCommand.h"

#include "sim/SimServer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QHostAddress>
#include <QTextStream>
#include <QTimer>

#include <atomic>
#include <csignal>

using namespace Slopscope;

namespace {

std::atomic<int> g_signal{0};

extern "C" void onSignal(int sig)
{
    g_signal.store(sig); // async-signal-safe; a timer on the main thread notices it
}

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(cli)
};

} // namespace

int runSimCommand(const QStringList &args)
{
    QTextStream out(stdout);
    QTextStream err(stderr);

    QCommandLineParser parser;
    parser.setApplicationDescription(
        Tr::tr("Runs the Slopscope provider simulator: simulated OpenAI, Anthropic, Gemini "
               "and Ollama endpoints on one port. Every model it serves is simulated."));
    const QCommandLineOption portOption(QStringLiteral("port"), Tr::tr("TCP port (0 picks a free one)."), Tr::tr("N"),
                                        QStringLiteral("18080"));
    const QCommandLineOption personasOption(QStringLiteral("personas"),
                                            Tr::tr("Personas file instead of the bundled lineup."), Tr::tr("FILE"));
    const QCommandLineOption suiteOption(QStringLiteral("suite"),
                                         Tr::tr("Also recognise the cases of this suite file."), Tr::tr("FILE"));
    const QCommandLineOption logOption(QStringLiteral("log"),
                                       Tr::tr("Append one JSON line of ground truth per request."), Tr::tr("FILE"));
    const QCommandLineOption listenOption(QStringLiteral("listen"),
                                          Tr::tr("Address to listen on (default 127.0.0.1; anything else is exposed)."),
                                          Tr::tr("ADDR"), QStringLiteral("127.0.0.1"));
    const QCommandLineOption noFaultsOption(
        QStringLiteral("no-faults"), Tr::tr("Switch off the personas' random faults (x-sim-fault still works)."));
    parser.addOptions({portOption, personasOption, suiteOption, logOption, listenOption, noFaultsOption});
    parser.addHelpOption();
    if (!parser.parse(QStringList{QStringLiteral("slopscope-cli sim")} + args)) {
        err << parser.errorText() << Qt::endl;
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        out << parser.helpText();
        return 0;
    }
    bool portOk = false;
    const uint port = parser.value(portOption).toUInt(&portOk);
    if (!portOk || port > 65535) {
        err << Tr::tr("--port: \"%1\" is not a port number.").arg(parser.value(portOption)) << Qt::endl;
        return 2;
    }
    const QHostAddress address(parser.value(listenOption));
    if (address.isNull()) {
        err << Tr::tr("--listen: \"%1\" is not an IP address.").arg(parser.value(listenOption)) << Qt::endl;
        return 2;
    }

    SimServer server;
    if (Status s = server.loadDefaults(); !s) {
        err << s.error() << Qt::endl;
        return 1;
    }
    if (parser.isSet(personasOption)) {
        if (Status s = server.loadPersonasFile(parser.value(personasOption)); !s) {
            err << s.error() << Qt::endl;
            return 1;
        }
    }
    const QStringList suites = parser.values(suiteOption);
    for (const QString &suite : suites) {
        if (Status s = server.addSuiteFile(suite); !s) {
            err << s.error() << Qt::endl;
            return 1;
        }
    }
    if (parser.isSet(logOption)) {
        if (Status s = server.setLogFile(parser.value(logOption)); !s) {
            err << s.error() << Qt::endl;
            return 1;
        }
    }
    server.setPersonaFaultsEnabled(!parser.isSet(noFaultsOption));
    if (!address.isLoopback()) {
        err << Tr::tr("Warning: listening on %1, not on loopback: anyone who can reach this address can use the "
                      "simulator.")
                   .arg(address.toString())
            << Qt::endl;
    }
    if (!server.listen(address, static_cast<quint16>(port))) {
        err << Tr::tr("Cannot listen on %1:%2: %3").arg(address.toString()).arg(port).arg(server.errorString())
            << Qt::endl;
        return 1;
    }
    QString host = address.toString();
    if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = u'[' + host + u']';
    out << Tr::tr("Slopscope simulator listening on http://%1:%2 (%3 simulated models)")
               .arg(host)
               .arg(server.serverPort())
               .arg(server.personas().all().size())
        << Qt::endl;

    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QTimer poll;
    QObject::connect(&poll, &QTimer::timeout, &server, [&] {
        if (g_signal.load() != 0)
            QCoreApplication::quit();
    });
    poll.start(100);
    const int rc = QCoreApplication::exec();
    server.close();
    err << Tr::tr("Simulator stopped.") << Qt::endl;
    return rc;
}
