// A process the crash test kills: it writes results through the real writer and prints
// "ACK <jobId>" once each is committed, so the test knows what must survive a kill -9.
//
//   store_crash_helper write <db> <seed>   record a run until killed (prints RUN <id>, ACK <jobId>)
//   store_crash_helper open <db>           open read-write and print OK or ERROR <message>

#include "StoreTestSupport.h"

#include <QCoreApplication>
#include <QTimer>

#include <cstdio>

using namespace Slopscope;

namespace {

void say(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout); // the line is in the pipe before anything else happens
}

int openOnly(const QString &path)
{
    HistoryStore store;
    auto report = store.open(path);
    say(report.ok() ? QStringLiteral("OK") : QStringLiteral("ERROR ") + report.error());
    return report.ok() ? 0 : 1;
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() >= 3 && args.at(1) == u"open")
        return openOnly(args.at(2));
    if (args.size() < 4 || args.at(1) != u"write") {
        std::fputs("usage: store_crash_helper write <db> <seed> | open <db>\n", stderr);
        return 2;
    }
    const QString path = args.at(2);
    quint64 state = args.at(3).toULongLong() * 6364136223846793005ULL + 1442695040888963407ULL;
    const auto next = [&state](quint64 below) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return (state >> 33) % below;
    };

    HistoryStore store;
    auto report = store.open(path);
    if (!report.ok()) {
        say(QStringLiteral("ERROR ") + report.error());
        return 1;
    }
    store.close();
    HistoryWriter writer;
    QObject::connect(&writer, &HistoryWriter::committed, &app, [](const QStringList &ids) {
        for (const QString &id : ids)
            say(QStringLiteral("ACK ") + id);
    });
    QObject::connect(&writer, &HistoryWriter::opened, &app, [](bool ok, const QString &error) {
        if (!ok) {
            say(QStringLiteral("ERROR ") + error);
            QCoreApplication::exit(1);
        }
    });
    writer.start(path);
    const RunStart run = StoreTest::makeRun(QStringLiteral("crash"), {QStringLiteral("t1"), QStringLiteral("t2")});
    writer.beginRun(run);
    say(QStringLiteral("RUN ") + run.id);

    int sent = 0;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, &app, [&] {
        // Bursts of 1 to 4 results, like a run whose streams end close together.
        const int burst = 1 + static_cast<int>(next(4));
        for (int i = 0; i < burst && sent < 5000; ++i, ++sent) {
            StoreTest::CellSpec spec;
            spec.caseId = QStringLiteral("c%1").arg(sent);
            spec.target = next(2) ? QStringLiteral("t1") : QStringLiteral("t2");
            spec.text = QStringLiteral("answer %1 ").arg(sent).repeated(1 + static_cast<int>(next(50)));
            writer.addResult(run.id, StoreTest::makeCell(spec));
        }
        timer.setInterval(static_cast<int>(next(4)));
    });
    timer.start(0);
    return app.exec();
}
