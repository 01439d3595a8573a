// A process the run crash test kills: a real RunSession against the embedded simulator, recorded
// through RunRecorder. It prints what the test needs to know at the moment of the kill:
//   RUN <id>        the run being recorded
//   CONTENT <job>   the first content of a cell arrived (it is streaming)
//   DONE <job>      the cell finished
//   ACK <job>       the cell is committed to the history file
//
//   run_crash_helper <db> [--quick]
//
// With --quick, the run is one quick-compare exchange (QuickCompareSession), recorded as the main
// window records it: through setBeforeStart.
#include "RunCrashSpec.h"

#include "run/QuickCompareSession.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RunRecorder.h"

#include <QCoreApplication>
#include <QSet>

#include <cstdio>

using namespace Slopscope;

namespace {

void say(const QString &line)
{
    std::fputs(line.toUtf8().constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout); // in the pipe before anything else happens
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fputs("usage: run_crash_helper <db>\n", stderr);
        return 2;
    }
    const QString path = args.at(1);
    {
        HistoryStore store;
        if (auto report = store.open(path); !report.ok()) {
            say(QStringLiteral("ERROR ") + report.error());
            return 1;
        }
    }
    HistoryWriter writer;
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    QObject::connect(&writer, &HistoryWriter::committed, &app, [](const QStringList &ids) {
        for (const QString &id : ids)
            say(QStringLiteral("ACK ") + id);
    });
    writer.start(path, options);
    RunRecorder recorder(&writer);
    QSet<QString> streaming;
    const auto follow = [&app, &streaming](RunSession &session) {
        QObject::connect(&session, &RunSession::cellContent, &app,
                         [&streaming](const QString &jobId, const QString &, const QList<ContentDelta> &) {
                             if (!streaming.contains(jobId)) {
                                 streaming.insert(jobId);
                                 say(QStringLiteral("CONTENT ") + jobId);
                             }
                         });
        QObject::connect(&session, &RunSession::cellFinished, &app,
                         [](const CellResult &cell) { say(QStringLiteral("DONE ") + cell.job.jobId); });
        QObject::connect(&session, &RunSession::runFinished, &app, [] { say(QStringLiteral("FINISHED")); });
    };
    if (args.contains(QStringLiteral("--quick"))) {
        auto *quick = new QuickCompareSession(&app);
        quick->setWorkspace(Workspace::demo());
        quick->setTargetIds(StoreTest::crashQuickTargets());
        quick->setBeforeStart([&](RunSession &session, const RunSpec &spec) {
            follow(session);
            recorder.attach(&session);
            say(QStringLiteral("RUN ") + recorder.begin(spec));
        });
        if (const Status sent = quick->send(StoreTest::kCrashQuickPrompt); !sent.ok()) {
            say(QStringLiteral("ERROR ") + sent.error());
            return 1;
        }
        return app.exec();
    }
    RunSession session;
    recorder.attach(&session);
    follow(session);
    const RunSpec spec = StoreTest::crashRunSpec();
    say(QStringLiteral("RUN ") + recorder.begin(spec));
    if (const Status started = session.start(spec); !started.ok()) {
        say(QStringLiteral("ERROR ") + started.error());
        return 1;
    }
    return app.exec();
}
