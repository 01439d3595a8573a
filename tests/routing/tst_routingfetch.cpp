#include "routing/RoutingEvaluator.h"
#include "routing/RoutingFetch.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RecordedRun.h"
#include "store/RunRecorder.h"
#include "store/RunSnapshot.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {

const QString kDraft = QStringLiteral("gpt-oss-groq");
const QString kStrong = QStringLiteral("sonnet");

MissingItem missing(MissingItem::Kind kind, const QString &caseId, int repeat, const QString &target,
                    const QString &forTarget = {})
{
    return MissingItem{kind, caseId, repeat, target, forTarget, {}};
}

MissingItem pick(const QString &caseId, const QString &judge, const QStringList &candidates)
{
    return MissingItem{MissingItem::Kind::Pick, caseId, 0, judge, {}, candidates};
}

CellResult recordedCell(const QString &caseId, const QString &target, JobState state)
{
    CellResult c;
    c.caseId = caseId;
    c.job.targetId = target;
    c.job.jobId = composeJobId(caseId, QString(), 0, target);
    c.job.state = state;
    return c;
}

RoutingPolicy draftThenValidate()
{
    return RoutingPolicy::cascade(QStringLiteral("draft, validate, escalate"),
                                  {CascadeStage{kDraft, kStrong, 0.7}, CascadeStage{kStrong, {}, 0.5}});
}

} // namespace

// A routing replay lists what the run lacks; a fetch sends just that and records it into the run.
class TestRoutingFetch final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void plansEachMissingItemOnce();
    void keepsTheRecordedAnswers();
    void fetchesJustWhatTheReplayLacks();
    void fetchesTheJudgesPicks();

private:
    RoutingEvaluation replay(const RecordedRun &run, const RoutingPolicy &policy = draftThenValidate()) const;
    RecordedRun loadRun(const QString &runId) const;
    // Runs `spec` recorded into the history: a new run when `runId` is empty, else into that run.
    QString record(const RunSpec &spec, const QString &runId, QStringList *sent, RunSession *session);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    HistoryStore m_store;
    std::unique_ptr<HistoryWriter> m_writer;
};

void TestRoutingFetch::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    m_path = m_dir->filePath(QStringLiteral("history.sqlite"));
    QVERIFY(m_store.open(m_path).ok());
    m_writer = std::make_unique<HistoryWriter>();
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    m_writer->start(m_path, options);
}

void TestRoutingFetch::cleanup()
{
    m_writer.reset();
    m_store.close();
    m_dir.reset();
}

void TestRoutingFetch::plansEachMissingItemOnce()
{
    const QStringList lineup{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("v")};
    const QList<MissingItem> items{
        missing(MissingItem::Kind::Answer, QStringLiteral("c1"), 0, QStringLiteral("a")),
        missing(MissingItem::Kind::Verdict, QStringLiteral("c1"), 1, QStringLiteral("v"), QStringLiteral("a")),
        // A second policy lacking the same things: planned once.
        missing(MissingItem::Kind::Answer, QStringLiteral("c1"), 0, QStringLiteral("a")),
        missing(MissingItem::Kind::Verdict, QStringLiteral("c1"), 1, QStringLiteral("v"), QStringLiteral("a")),
        // Another validator on the same answer is another verdict.
        missing(MissingItem::Kind::Verdict, QStringLiteral("c1"), 1, QStringLiteral("b"), QStringLiteral("a")),
        // Not in the run's lineup: fetching it would change what the run compared.
        missing(MissingItem::Kind::Answer, QStringLiteral("c2"), 0, QStringLiteral("z")),
        // A best-of-N pick over two recorded answers, lacked by two policies.
        pick(QStringLiteral("c3"), QStringLiteral("v"), {QStringLiteral("a"), QStringLiteral("b")}),
        pick(QStringLiteral("c3"), QStringLiteral("v"), {QStringLiteral("a"), QStringLiteral("b")}),
        // Another judge, or other candidates, is another pick.
        pick(QStringLiteral("c3"), QStringLiteral("b"), {QStringLiteral("a"), QStringLiteral("b")}),
        pick(QStringLiteral("c3"), QStringLiteral("v"), {QStringLiteral("b"), QStringLiteral("a")}),
    };
    const RoutingFetch fetch = RoutingFetch::plan(items, lineup);
    QCOMPARE(fetch.answerJobIds, QStringList{QStringLiteral("c1||0|a")});
    const QList<ExtraVerdict> verdicts{{QStringLiteral("c1||1|a"), QStringLiteral("v")},
                                       {QStringLiteral("c1||1|a"), QStringLiteral("b")}};
    QCOMPARE(fetch.verdicts, verdicts);
    const QStringList ab{QStringLiteral("c3||0|a"), QStringLiteral("c3||0|b")};
    const QStringList ba{QStringLiteral("c3||0|b"), QStringLiteral("c3||0|a")};
    QCOMPARE(fetch.picks,
             (QList<ExtraPick>{{ab, QStringLiteral("v")}, {ab, QStringLiteral("b")}, {ba, QStringLiteral("v")}}));
    QCOMPARE(fetch.judgeCalls(), 2 + 2 * 3);
    QCOMPARE(fetch.notFetchable.size(), 1);
    QCOMPARE(fetch.notFetchable.at(0).targetId, QStringLiteral("z"));
    QVERIFY(!fetch.isEmpty());
    QVERIFY(RoutingFetch::plan({items.at(5)}, lineup).isEmpty());
    QVERIFY(!RoutingFetch::plan({items.at(6)}, lineup).isEmpty());
}

void TestRoutingFetch::keepsTheRecordedAnswers()
{
    const QList<CellResult> cells{recordedCell(QStringLiteral("c1"), QStringLiteral("a"), JobState::Completed),
                                  recordedCell(QStringLiteral("c2"), QStringLiteral("a"), JobState::Incomplete),
                                  recordedCell(QStringLiteral("c3"), QStringLiteral("a"), JobState::Failed),
                                  recordedCell(QStringLiteral("c4"), QStringLiteral("a"), JobState::Cancelled)};
    RoutingFetch fetch;
    fetch.answerJobIds = {QStringLiteral("c4||0|a")};
    fetch.verdicts = {{QStringLiteral("c1||0|a"), QStringLiteral("v")}};
    RunSpec recorded;
    recorded.repeats = 2;
    ProviderConfig provider;
    provider.id = QStringLiteral("p");
    recorded.workspace.providers = {provider};
    const auto targetOn = [](const QString &id, const QString &providerId) {
        TargetConfig t;
        t.id = id;
        t.providerId = providerId;
        t.model = id;
        return t;
    };
    recorded.workspace.targets = {targetOn(QStringLiteral("a"), QStringLiteral("p"))};
    // The validator is not in the run's lineup: it comes from the workspace, with its provider.
    Workspace live = recorded.workspace;
    ProviderConfig other;
    other.id = QStringLiteral("q");
    live.providers.append(other);
    live.targets.append(targetOn(QStringLiteral("v"), QStringLiteral("q")));
    auto made = RoutingFetch::spec(recorded, cells, fetch, live);
    QVERIFY2(made.ok(), qPrintable(made.error()));
    const RunSpec spec = made.value();
    QVERIFY(spec.workspace.target(QStringLiteral("v")));
    QVERIFY(spec.workspace.provider(QStringLiteral("q")));
    QCOMPARE(spec.workspace.providers.size(), 2);
    QCOMPARE(spec.targetIds, QStringList{QStringLiteral("a")}); // the validator does not join the lineup
    // A validator the workspace lacks is named.
    const auto lacking = RoutingFetch::spec(recorded, cells, fetch, recorded.workspace);
    QVERIFY(!lacking.ok());
    QVERIFY2(lacking.error().contains(QStringLiteral("\"v\"")), qPrintable(lacking.error()));
    QStringList kept;
    for (const CellResult &c : spec.completed)
        kept.append(c.job.jobId);
    // A resume keeps what has an answer; a failed or cancelled cell may be sent again.
    QCOMPARE(kept, (QStringList{QStringLiteral("c1||0|a"), QStringLiteral("c2||0|a")}));
    QVERIFY(spec.onlyJobIds.has_value());
    QCOMPARE(*spec.onlyJobIds, fetch.answerJobIds);
    QCOMPARE(spec.extraVerdicts, fetch.verdicts);
    QCOMPARE(spec.repeats, 2);
}

RoutingEvaluation TestRoutingFetch::replay(const RecordedRun &run, const RoutingPolicy &policy) const
{
    RoutingEvaluator::Options options;
    options.oracleFallback = false; // a missing verdict leaves the replay out: nothing is guessed
    return RoutingEvaluator(run.cells, run.spec.suite, options).evaluate(policy);
}

RecordedRun TestRoutingFetch::loadRun(const QString &runId) const
{
    auto run = RecordedRun::load(m_path, runId);
    if (!run)
        qFatal("%s", qPrintable(run.error()));
    return run.value();
}

QString TestRoutingFetch::record(const RunSpec &spec, const QString &runId, QStringList *sent, RunSession *session)
{
    RunRecorder recorder(m_writer.get());
    recorder.attach(session);
    QSignalSpy started(session, &RunSession::cellStarted);
    QSignalSpy finished(session, &RunSession::runFinished);
    QString id = runId;
    if (id.isEmpty())
        id = recorder.begin(spec);
    else
        recorder.resume(id);
    const Status status = session->start(spec);
    if (!status.ok()) {
        qWarning("%s", qPrintable(status.error()));
        return {};
    }
    if (!finished.wait(120'000))
        return {};
    for (const auto &args : std::as_const(started)) {
        if (args.at(3).toInt() == 0)
            sent->append(args.at(0).toString());
    }
    // Until the writer has ended the run, every cell is on disk.
    QElapsedTimer waited;
    waited.start();
    while (m_store.run(id).value().state == RunState::Running && waited.elapsed() < 20'000)
        QTest::qWait(20);
    return id;
}

void TestRoutingFetch::fetchesJustWhatTheReplayLacks()
{
    RunSpec spec;
    spec.workspace = Workspace::demo();
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/facts.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    spec.suite = suite.value();
    spec.targetIds = {kDraft, kStrong};
    for (int i = 0; i < 4; ++i)
        spec.caseIds.append(spec.suite.cases.at(i).id);
    spec.seed = 3;
    // The run leaves one of the draft's answers out (as a run cancelled before it would) and has
    // no judge, so no validator verdict either.
    spec.onlyJobIds = QStringList{};
    const QString left = composeJobId(spec.caseIds.at(1), QString(), 0, kDraft);
    for (const QString &caseId : std::as_const(spec.caseIds)) {
        for (const QString &target : std::as_const(spec.targetIds)) {
            if (composeJobId(caseId, QString(), 0, target) != left)
                spec.onlyJobIds->append(composeJobId(caseId, QString(), 0, target));
        }
    }
    QStringList sent;
    RunSession first;
    const QString runId = record(spec, {}, &sent, &first);
    QVERIFY(!runId.isEmpty());
    QCOMPARE(sent.size(), 7);
    const RecordedRun before = loadRun(runId);
    QCOMPARE(before.cells.size(), 7);

    const RoutingEvaluation lacking = replay(before);
    QCOMPARE(lacking.missingAnswers, 1);
    QCOMPARE(lacking.missingVerdicts, 3); // sonnet's verdict on each answer of the draft
    QCOMPARE(lacking.cases, 0);
    RoutingFetch fetch = RoutingFetch::plan(lacking.missing, before.spec.targetIds);
    QCOMPARE(fetch.answerJobIds, QStringList{left});
    QCOMPARE(fetch.verdicts.size(), 3);
    QVERIFY(fetch.notFetchable.isEmpty());

    // The snapshot keeps no key or header: the workspace gives the providers back.
    auto recorded = RunSnapshot::withProvidersFrom(before.spec, Workspace::demo());
    QVERIFY2(recorded.ok(), qPrintable(recorded.error()));
    sent.clear();
    RunSession second;
    QCOMPARE(record(RoutingFetch::spec(recorded.value(), before.cells, fetch, Workspace::demo()).value(), runId, &sent,
                    &second),
             runId);
    QCOMPARE(sent, QStringList{left}); // one answer sent, nothing else
    QCOMPARE(second.judgeCallsMade(), 3);
    QVERIFY(second.extraVerdictsSkipped().isEmpty());
    QVERIFY(second.judgeSpentUsd() > 0);

    const RecordedRun after = loadRun(runId);
    QCOMPARE(after.cells.size(), 8);
    QCOMPARE(after.record.sessions, 2);
    // The verdicts join the draft's cells; their grades stay as recorded.
    QHash<QString, CellResult> earlier;
    for (const CellResult &c : before.cells)
        earlier.insert(c.job.jobId, c);
    int judged = 0;
    for (const CellResult &c : after.cells) {
        if (!earlier.contains(c.job.jobId))
            continue;
        const CellResult &was = earlier.value(c.job.jobId);
        QCOMPARE(c.grade.score, was.grade.score);
        QCOMPARE(c.grade.pass, was.grade.pass);
        QCOMPARE(c.job.result.text, was.job.result.text);
        if (c.job.targetId == kStrong) {
            QCOMPARE(c.judgeCalls.size(), was.judgeCalls.size());
            continue;
        }
        QCOMPARE(c.judgeCalls.size(), was.judgeCalls.size() + 1);
        const JudgeCall &call = c.judgeCalls.last();
        QCOMPARE(call.judgeTargetId, kStrong);
        QCOMPARE(call.assertionType, QStringLiteral("factuality"));
        QVERIFY2(call.verdict.has_value(), qPrintable(call.error));
        ++judged;
    }
    QCOMPARE(judged, 3);

    // The fetched answer needs its own verdict now: a second fetch asks just that.
    const RoutingEvaluation closer = replay(after);
    QCOMPARE(closer.missingAnswers, 0);
    QCOMPARE(closer.missingVerdicts, 1);
    QCOMPARE(closer.recordedVerdicts, 3);
    fetch = RoutingFetch::plan(closer.missing, after.spec.targetIds);
    QVERIFY(fetch.answerJobIds.isEmpty());
    QCOMPARE(fetch.verdicts, (QList<ExtraVerdict>{{left, kStrong}}));
    sent.clear();
    RunSession third;
    QCOMPARE(record(RoutingFetch::spec(recorded.value(), after.cells, fetch, Workspace::demo()).value(), runId, &sent,
                    &third),
             runId);
    QVERIFY(sent.isEmpty());
    QCOMPARE(third.judgeCallsMade(), 1);

    const RoutingEvaluation complete = replay(loadRun(runId));
    QVERIFY(complete.missing.isEmpty());
    QCOMPARE(complete.cases, 4);
    QCOMPARE(complete.recordedVerdicts, 4);
    QVERIFY(complete.quality.has_value());
    QVERIFY(complete.costPer1000Cases.has_value());
}

void TestRoutingFetch::fetchesTheJudgesPicks()
{
    // Best of the draft and the strong model, picked by a target the run did not compare. The run
    // stopped before a third target answered: the picks need none of its answers, and the fetch
    // must not send them.
    const QString unanswered = QStringLiteral("o4-mini");
    RunSpec spec;
    spec.workspace = Workspace::demo();
    auto suite = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/facts.json"));
    QVERIFY2(suite.ok(), qPrintable(suite.error()));
    spec.suite = suite.value();
    spec.targetIds = {kDraft, kStrong, unanswered};
    spec.onlyJobIds = QStringList{};
    for (int i = 0; i < 3; ++i) {
        spec.caseIds.append(spec.suite.cases.at(i).id);
        for (const QString &target : {kDraft, kStrong})
            spec.onlyJobIds->append(composeJobId(spec.caseIds.last(), QString(), 0, target));
    }
    spec.seed = 5;
    QStringList sent;
    RunSession first;
    const QString runId = record(spec, {}, &sent, &first);
    QVERIFY(!runId.isEmpty());
    const RecordedRun before = loadRun(runId);
    QCOMPARE(before.cells.size(), 6);

    RoutingPolicy best;
    best.name = QStringLiteral("best of two");
    best.kind = RoutingPolicy::Kind::BestOfN;
    best.candidateTargets = {kDraft, kStrong};
    best.judgeTargetId = QStringLiteral("opus");
    const RoutingEvaluation lacking = replay(before, best);
    QCOMPARE(lacking.missingAnswers, 0);
    QCOMPARE(lacking.missingVerdicts, 3); // one pick per case
    QCOMPARE(lacking.cases, 0);
    const RoutingFetch fetch = RoutingFetch::plan(lacking.missing, before.spec.targetIds);
    QCOMPARE(fetch.picks.size(), 3);
    QVERIFY(fetch.answerJobIds.isEmpty());
    QVERIFY(fetch.verdicts.isEmpty());
    QVERIFY(fetch.notFetchable.isEmpty());

    auto recorded = RunSnapshot::withProvidersFrom(before.spec, Workspace::demo());
    QVERIFY2(recorded.ok(), qPrintable(recorded.error()));
    QVERIFY(!recorded.value().workspace.target(best.judgeTargetId)); // the snapshot has the lineup only
    auto fetchSpec = RoutingFetch::spec(recorded.value(), before.cells, fetch, Workspace::demo());
    QVERIFY2(fetchSpec.ok(), qPrintable(fetchSpec.error()));
    sent.clear();
    RunSession second;
    QCOMPARE(record(fetchSpec.value(), runId, &sent, &second), runId);
    QVERIFY2(sent.isEmpty(), qPrintable(sent.join(u' '))); // no answer sent
    QCOMPARE(second.judgeCallsMade(), 6);                  // each pick asked twice, the answers' positions swapped
    QVERIFY2(second.extraVerdictsSkipped().isEmpty(), qPrintable(second.extraVerdictsSkipped().join(u'\n')));

    const RecordedRun after = loadRun(runId);
    QCOMPARE(after.cells.size(), 6);
    QHash<QString, CellResult> earlier;
    for (const CellResult &c : before.cells)
        earlier.insert(c.job.jobId, c);
    QHash<QString, QSet<QString>> pickedByCase; // case → the answers the asks picked
    for (const CellResult &c : after.cells) {
        const CellResult &was = earlier.value(c.job.jobId);
        QCOMPARE(c.grade.score, was.grade.score);
        QCOMPARE(c.grade.pass, was.grade.pass);
        QCOMPARE(c.job.result.text, was.job.result.text);
        QCOMPARE(c.judgeCalls.size(), was.judgeCalls.size() + 2);
        const QStringList candidates{composeJobId(c.caseId, QString(), 0, kDraft),
                                     composeJobId(c.caseId, QString(), 0, kStrong)};
        for (const JudgeCall &call : c.judgeCalls.mid(was.judgeCalls.size())) {
            QCOMPARE(call.judgeTargetId, QStringLiteral("opus"));
            QCOMPARE(call.assertionType, QStringLiteral("select-best"));
            QCOMPARE(call.answersJudged, 2);
            QVERIFY2(call.pick.has_value(), qPrintable(call.error));
            QVERIFY2(candidates.contains(call.pickedJobId), qPrintable(call.pickedJobId));
            pickedByCase[c.caseId].insert(call.pickedJobId);
        }
    }
    QCOMPARE(pickedByCase.size(), 3);

    // The replay now rests on the judge's recorded picks: the agreed one, or the draft when the
    // two asks disagreed.
    const RoutingEvaluation complete = replay(after, best);
    QVERIFY(complete.missing.isEmpty());
    QCOMPARE(complete.cases, 3);
    QCOMPARE(complete.recordedVerdicts, 3);
    QVERIFY(complete.costPer1000Cases.has_value());
    for (const RoutedCase &r : complete.routed) {
        const QSet<QString> picked = pickedByCase.value(r.caseId);
        const QString expected =
            picked.size() == 1 ? picked.cbegin()->section(u'|', 3) : kDraft; // job id: case|variant|repeat|target
        QCOMPARE(r.finalTargetId, expected);
    }
}

QTEST_GUILESS_MAIN(TestRoutingFetch)
#include "tst_routingfetch.moc"
