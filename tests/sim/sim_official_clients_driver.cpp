// Starts the simulator in-process on an ephemeral loopback port and runs the official-clients
// check (official-clients/check.mjs) against it with Node. Exit code 77 (CTest "skipped") when the
// npm packages are not installed: npm ci --prefix tests/sim/official-clients
#include "sim/SimServer.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QProcess>
#include <QTimer>

#include <cstdio>

using namespace Slopscope;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QString dir = QStringLiteral(SLOPSCOPE_OFFICIAL_CLIENTS_DIR);
    if (!QFileInfo::exists(dir + QStringLiteral("/node_modules"))) {
        std::fprintf(stderr, "skipped: node_modules missing; run: npm ci --prefix %s\n", qPrintable(dir));
        return 77;
    }
    SimServer server;
    if (Status s = server.loadDefaults(); !s) {
        std::fprintf(stderr, "%s\n", qPrintable(s.error()));
        return 1;
    }
    server.setPersonaFaultsEnabled(false); // the check sends x-sim-fault: none as well
    if (!server.listen()) {
        std::fprintf(stderr, "cannot listen: %s\n", qPrintable(server.errorString()));
        return 1;
    }
    QProcess node;
    node.setProcessChannelMode(QProcess::ForwardedChannels);
    node.setWorkingDirectory(dir);
    QObject::connect(&node, &QProcess::finished, &app, [](int code, QProcess::ExitStatus status) {
        QCoreApplication::exit(status == QProcess::NormalExit ? code : 1);
    });
    QObject::connect(&node, &QProcess::errorOccurred, &app, [](QProcess::ProcessError error) {
        if (error == QProcess::FailedToStart) {
            std::fprintf(stderr, "node failed to start\n");
            QCoreApplication::exit(1);
        }
    });
    QTimer::singleShot(150'000, &app, [&node] {
        std::fprintf(stderr, "timed out\n");
        node.kill();
        QCoreApplication::exit(1);
    });
    node.start(QStringLiteral(SLOPSCOPE_NODE),
               {dir + QStringLiteral("/check.mjs"), server.baseUrl().toString(QUrl::RemovePath)});
    const int rc = QCoreApplication::exec();
    if (node.state() != QProcess::NotRunning) {
        node.kill();
        node.waitForFinished(2000);
    }
    return rc;
}
