#pragma once

// A real history file with three weekly runs for the run comparison and drift tests:
//   t1 scores 87.5% on model-a in weeks 0 and 1, then 25% on model-b in week 2 (a silent swap:
//      worse, faster, the reported model changed);
//   t2 scores 50% in every run on model-x, with no known price (cost unknown), and one failed
//      answer in week 1;
//   t3 is in weeks 0 and 2 only.

#include "../store/StoreTestSupport.h"

#include <memory>

namespace HistoryFixture {

using namespace Slopscope;
using namespace StoreTest;

struct History
{
    QDateTime t0;
    QStringList runIds; // oldest first
};

inline QList<CellResult> weekCells(int week)
{
    const bool swapped = week == 2;
    QList<CellResult> cells;
    for (int c = 1; c <= 4; ++c) {
        const QString caseId = QStringLiteral("c%1").arg(c);
        for (int repeat = 0; repeat < 2; ++repeat) {
            CellSpec spec;
            spec.caseId = caseId;
            spec.repeat = repeat;
            spec.target = QStringLiteral("t1");
            spec.score = swapped ? (c % 2 == 0 ? 0.0 : 0.5) : (c == 4 && repeat == 1 ? 0.0 : 1.0);
            spec.ttftMs = swapped ? 80 + c : 200 + 10 * c + repeat;
            spec.tokensPerSecond = swapped ? 300.0 + c : 100.0 + c;
            spec.usd = 0.001 * c;
            spec.model = swapped ? QStringLiteral("model-b") : QStringLiteral("model-a");
            cells.append(makeCell(spec));
        }
        cells.append(makeCell(Cell()
                                  .caseId(caseId)
                                  .target(QStringLiteral("t2"))
                                  .score(0.5)
                                  .ttftMs(400)
                                  .usd(std::nullopt)
                                  .model(QStringLiteral("model-x"))));
        if (week != 1)
            cells.append(makeCell(Cell()
                                      .caseId(caseId)
                                      .target(QStringLiteral("t3"))
                                      .score(0.75)
                                      .model(QStringLiteral("model-z"))));
    }
    if (week == 1)
        cells.append(makeCell(Cell()
                                  .caseId(QStringLiteral("c5"))
                                  .target(QStringLiteral("t2"))
                                  .state(JobState::Failed)
                                  .score(0.0)
                                  .usd(std::nullopt)
                                  .model(QStringLiteral("model-x"))));
    return cells;
}

// Adds one run with `cells` to the history at `path` (which exists) through a real writer;
// false when it could not be committed.
inline bool appendRun(const QString &path, RunStart run, const QList<CellResult> &cells)
{
    auto writer = std::make_unique<HistoryWriter>();
    QSignalSpy ready(writer.get(), &HistoryWriter::opened);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    writer->start(path, options);
    if (!ready.wait(10'000) || !ready.first().at(0).toBool())
        return false;
    run.plannedCells = static_cast<int>(cells.size());
    QSignalSpy committed(writer.get(), &HistoryWriter::committed);
    writer->beginRun(run);
    QStringList ids;
    for (const CellResult &c : cells) {
        writer->addResult(run.id, c);
        ids.append(c.job.jobId);
    }
    writer->endRun(run.id, RunState::Completed);
    const bool ok = waitCommitted(committed, ids);
    writer.reset(); // commits the run's end
    return ok;
}

// A quick-compare exchange (kind "quick_compare" in its settings snapshot) between t1 and t2,
// started at `startedAt`; its id, or empty on failure.
inline QString appendQuickCompare(const QString &path, const QDateTime &startedAt)
{
    RunStart run = makeRun(QStringLiteral("Quick compare"), {QStringLiteral("t1"), QStringLiteral("t2")}, startedAt);
    run.settingsJson = QStringLiteral(R"({"kind":"quick_compare","title":"hi"})");
    const QList<CellResult> cells{
        makeCell(Cell().caseId(QStringLiteral("c1")).target(QStringLiteral("t1")).score(0.0)),
        makeCell(Cell().caseId(QStringLiteral("c1")).target(QStringLiteral("t2")).score(0.0))};
    return appendRun(path, run, cells) ? run.id : QString();
}

// Records the three runs into `path`; empty runIds on failure.
inline History record(const QString &path)
{
    History history;
    history.t0 = QDateTime::currentDateTimeUtc().addDays(-30);
    {
        HistoryStore created; // the writer opens an existing file only
        if (const auto opened = created.open(path); !opened) {
            qWarning() << "cannot create" << path << opened.error();
            return {};
        }
    }
    auto writer = std::make_unique<HistoryWriter>();
    QSignalSpy ready(writer.get(), &HistoryWriter::opened);
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    writer->start(path, options);
    if (!ready.wait(10'000) || !ready.first().at(0).toBool()) {
        qWarning() << "cannot open" << path << (ready.isEmpty() ? QString() : ready.first().at(1).toString());
        return {};
    }
    for (int week = 0; week < 3; ++week) {
        QStringList targets{QStringLiteral("t1"), QStringLiteral("t2")};
        if (week != 1)
            targets << QStringLiteral("t3");
        RunStart run = makeRun(QStringLiteral("weekly"), targets, history.t0.addDays(7 * week));
        // A suite that loads (RecordedRun::load), so the runs can be opened as well as listed.
        run.suiteJson = QStringLiteral(R"({"name":"weekly","cases":[)"
                                       R"({"id":"c1","prompt":"What is six times seven?"},)"
                                       R"({"id":"c2","prompt":"Name the capital of France."},)"
                                       R"({"id":"c3","prompt":"Write a haiku about autumn."},)"
                                       R"({"id":"c4","prompt":"Spell cat backwards."},)"
                                       R"({"id":"c5","prompt":"Name a prime number."}]})");
        const QList<CellResult> cells = weekCells(week);
        run.plannedCells = static_cast<int>(cells.size());
        QSignalSpy committed(writer.get(), &HistoryWriter::committed);
        writer->beginRun(run);
        QStringList ids;
        for (const CellResult &c : cells) {
            writer->addResult(run.id, c);
            ids.append(c.job.jobId);
        }
        writer->endRun(run.id, RunState::Completed);
        if (!waitCommitted(committed, ids)) {
            qWarning() << "not every result was committed";
            return {};
        }
        history.runIds.append(run.id);
    }
    writer.reset(); // commits the runs' ends
    return history;
}

} // namespace HistoryFixture
