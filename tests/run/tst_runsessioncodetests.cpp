#include "run/RunSession.h"

// RunSession's code tests: a code-tests case answered by a local fake provider with fenced python,
// graded by the real sandbox before the cell is recorded; cancel kills the sandboxes; without
// bubblewrap and without the opt-in the grade is the clear error; a chain's turns run their own
// code tests on their own answers.

#include "FakeProvider.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

using namespace Slopscope;
using Slopscope::Test::FakeProvider;
using Slopscope::Test::FakeResponse;
using Slopscope::Test::RecordedRequest;

namespace {

FakeResponse openAiAnswer(const QString &text)
{
    return FakeResponse::openAiChat(text);
}

QString lastUserOf(const RecordedRequest &request)
{
    const auto body = nlohmann::json::parse(request.body.toStdString(), nullptr, false);
    QString out;
    for (const auto &m : body.value("messages", nlohmann::json::array())) {
        if (m.value("role", "") == "user" && m.contains("content") && m.at("content").is_string())
            out = QString::fromStdString(m.at("content").get<std::string>());
    }
    return out;
}

QString modelOf(const RecordedRequest &request)
{
    const auto body = nlohmann::json::parse(request.body.toStdString(), nullptr, false);
    return QString::fromStdString(body.value("model", ""));
}

Workspace fakeWorkspace(const FakeProvider &fake, const QStringList &targets)
{
    Workspace ws;
    ProviderConfig p;
    p.id = QStringLiteral("fake");
    p.dialect = Dialect::OpenAIChat;
    p.baseUrl = fake.baseUrl() + QStringLiteral("/v1");
    p.maxRetries = 0;
    p.maxConcurrency = 8;
    ws.providers = {p};
    for (const QString &id : targets) {
        TargetConfig t;
        t.id = id;
        t.providerId = p.id;
        t.model = QStringLiteral("m-") + id;
        ws.targets.append(t);
    }
    return ws;
}

// One case: write add(a, b); its tests import it from the module solution.
Suite addSuite()
{
    const QByteArray json = R"({"name": "code", "cases": [{"id": "add", "prompt": "Write add(a, b) in Python.",
        "assert": [{"type": "icontains", "value": "def add"},
                   {"type": "code-tests", "interpreter": "python3",
                    "value": "from solution import add\nassert add(2, 3) == 5, f'add(2, 3) gave {add(2, 3)}'\n"}]}]})";
    auto suite = Suite::fromJson(json, QStringLiteral("code-tests-test"));
    if (!suite)
        qFatal("%s", qPrintable(suite.error()));
    return suite.value();
}

const CellResult *cellOf(const QList<CellResult> &cells, const QString &target)
{
    for (const CellResult &c : cells) {
        if (c.job.targetId == target)
            return &c;
    }
    return nullptr;
}

} // namespace

class TestRunSessionCodeTests final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sandboxGradesTheCellBeforeItIsRecorded();
    void cancelKillsRunningSandboxes();
    void withoutBubblewrapTheGradeIsAnError();
    void destroyingTheSessionKillsItsSandboxes();
    void chainTurnsRunTheirOwnCodeTests();
    void aCellWaitsForItsJudgeAndItsTests_data();
    void aCellWaitsForItsJudgeAndItsTests();

private:
    QString m_sandboxProblem;
};

void TestRunSessionCodeTests::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    CodeSandbox probe(CodeSandboxSettings{});
    QSignalSpy finished(&probe, &CodeSandbox::finished);
    CodeTestRequest r;
    r.tests = QStringLiteral("print('ok')\n");
    probe.start(r);
    const bool done = finished.wait(30'000);
    const auto outcome = done ? finished.first().first().value<CodeTestOutcome>() : CodeTestOutcome{};
    if (done && outcome.pass() && outcome.sandboxed)
        return;
    m_sandboxProblem = QStringLiteral("bubblewrap cannot run python3 here: %1").arg(outcome.reason);
    if (!qEnvironmentVariableIsEmpty("SLOPSCOPE_CI"))
        QFAIL(qPrintable(m_sandboxProblem));
}

void TestRunSessionCodeTests::sandboxGradesTheCellBeforeItIsRecorded()
{
    if (!m_sandboxProblem.isEmpty())
        QSKIP(qPrintable(m_sandboxProblem));
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([](const RecordedRequest &request, int) {
        const QString model = modelOf(request);
        if (model == u"m-right")
            return openAiAnswer(
                QStringLiteral("Here you go:\r\n```python\r\ndef add(a, b):\r\n    return a + b\r\n```\r\n"));
        if (model == u"m-wrong")
            return openAiAnswer(QStringLiteral("```bash\necho hi\n```\n```py\ndef add(a, b):\n    return a - b\n```"));
        return openAiAnswer(QStringLiteral("def add(a, b): return a + b, without a fence."));
    });
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("right"), QStringLiteral("wrong"), QStringLiteral("prose")});
    spec.suite = addSuite();
    spec.codeSandbox = CodeSandboxSettings{}; // bubblewrap, whatever the environment says
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    qsizetype emittedAtEnd = -1;
    connect(&session, &RunSession::runFinished, this, [&] { emittedAtEnd = emitted.size(); });
    const Status ok = session.start(spec);
    QVERIFY2(ok.ok(), qPrintable(ok.error()));
    QVERIFY(finished.wait(60'000));
    QCOMPARE(finished.first().first().toBool(), false);
    // Every cell was emitted once, with its sandbox verdict, before the run ended.
    QCOMPARE(emittedAtEnd, 3);
    QCOMPARE(session.results().size(), 3);
    for (const auto &args : std::as_const(emitted)) {
        const auto cell = args.first().value<CellResult>();
        QCOMPARE(cell.job.state, JobState::Completed);
        QCOMPARE(cell.grade.grades.size(), 2);
        QVERIFY2(!cell.grade.grades.at(1).needsJudge, qPrintable(cell.grade.grades.at(1).reason));
        QVERIFY(!cell.grade.pendingJudge);
    }

    const CellResult *right = cellOf(session.results(), QStringLiteral("right"));
    QVERIFY(right);
    const Grade &passed = right->grade.grades.at(1);
    QCOMPARE(passed.type, QStringLiteral("code-tests"));
    QVERIFY2(passed.pass, qPrintable(passed.reason));
    QCOMPARE(passed.score, 1.0);
    QCOMPARE(passed.reason, QStringLiteral("the tests passed"));
    QVERIFY(right->grade.pass);
    QCOMPARE(right->grade.score, 1.0);

    const CellResult *wrong = cellOf(session.results(), QStringLiteral("wrong"));
    QVERIFY(wrong);
    const Grade &failed = wrong->grade.grades.at(1);
    QVERIFY(!failed.pass);
    QCOMPARE(failed.score, 0.0);
    QVERIFY2(failed.reason.contains(QStringLiteral("AssertionError: add(2, 3) gave -1")), qPrintable(failed.reason));
    QVERIFY(!wrong->grade.pass);
    QCOMPARE(wrong->grade.score, 0.5); // icontains passed, the tests did not

    const CellResult *prose = cellOf(session.results(), QStringLiteral("prose"));
    QVERIFY(prose);
    QCOMPARE(prose->grade.grades.at(1).reason, QStringLiteral("no code block in the answer"));
    QVERIFY(!prose->grade.pass);

    // The summaries count the graded cells: no cell is left ungraded.
    for (const TargetSummary &s : session.summaries())
        QCOMPARE(s.ungraded, 0);
}

void TestRunSessionCodeTests::cancelKillsRunningSandboxes()
{
    if (!m_sandboxProblem.isEmpty())
        QSKIP(qPrintable(m_sandboxProblem));
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([](const RecordedRequest &, int) {
        return openAiAnswer(QStringLiteral("```python\ndef add(a, b):\n    while True:\n        pass\n```"));
    });
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("loop")});
    spec.suite = addSuite();
    spec.codeSandbox = CodeSandboxSettings{};
    spec.codeSandbox.timeoutMs = 120'000; // only the cancel can end it in time
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    QVERIFY(session.start(spec).ok());
    QTRY_COMPARE(fake.requestCount(), 1);
    QTest::qWait(1500); // the answer is in and its tests loop in the sandbox
    QVERIFY(finished.isEmpty());
    QVERIFY(emitted.isEmpty()); // not recorded before its tests end
    QElapsedTimer clock;
    clock.start();
    session.cancel();
    QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10'000); // may end inside cancel()
    QVERIFY(clock.elapsed() < 10'000);
    QCOMPARE(finished.first().first().toBool(), true);
    QCOMPARE(emitted.size(), 1);
    const auto cell = emitted.first().first().value<CellResult>();
    const Grade &g = cell.grade.grades.at(1);
    QVERIFY(g.needsJudge); // not graded: neither pass nor fail
    QVERIFY2(g.reason.contains(QStringLiteral("cancelled")), qPrintable(g.reason));
    QVERIFY(!cell.grade.pass);
    QVERIFY(!session.isRunning());
}

void TestRunSessionCodeTests::withoutBubblewrapTheGradeIsAnError()
{
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([](const RecordedRequest &, int) {
        return openAiAnswer(QStringLiteral("```python\ndef add(a, b):\n    return a + b\n```"));
    });
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("right")});
    spec.suite = addSuite();
    spec.codeSandbox.bwrap = QStringLiteral("/nonexistent/slopscope-test/bwrap");
    spec.codeSandbox.allowUnsandboxed = false;
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(30'000));
    QCOMPARE(session.results().size(), 1);
    const Grade &g = session.results().first().grade.grades.at(1);
    QVERIFY(!g.needsJudge);
    QVERIFY(!g.pass);
    QCOMPARE(g.score, 0.0);
    QVERIFY2(g.reason.startsWith(QStringLiteral("code-tests need bubblewrap")), qPrintable(g.reason));
}

void TestRunSessionCodeTests::destroyingTheSessionKillsItsSandboxes()
{
    if (!m_sandboxProblem.isEmpty())
        QSKIP(qPrintable(m_sandboxProblem));
    const QString marker = QStringLiteral("slopscope-session-%1").arg(QCoreApplication::applicationPid());
    const auto running = [&marker] {
        int n = 0;
        for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
            if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(marker.toUtf8()))
                ++n;
        }
        return n;
    };
    FakeProvider fake;
    QVERIFY(fake.listen());
    const QString answer =
        QStringLiteral("```python\nimport subprocess, sys\n"
                       "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', '%1'])\n"
                       "while True:\n    pass\n```")
            .arg(marker);
    fake.setScript([answer](const RecordedRequest &, int) { return openAiAnswer(answer); });
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("loop")});
    spec.suite = addSuite();
    spec.codeSandbox = CodeSandboxSettings{};
    spec.codeSandbox.timeoutMs = 120'000;
    {
        RunSession session;
        QVERIFY(session.start(spec).ok());
        QTRY_COMPARE_WITH_TIMEOUT(running(), 1, 10'000); // the tests are running
    }
    QTRY_COMPARE_WITH_TIMEOUT(running(), 0, 5000);
}

void TestRunSessionCodeTests::chainTurnsRunTheirOwnCodeTests()
{
    if (!m_sandboxProblem.isEmpty())
        QSKIP(qPrintable(m_sandboxProblem));
    FakeProvider fake;
    QVERIFY(fake.listen());
    // "right" writes both functions right; "wrong" gets the follow-up's wrong. Each turn's tests
    // must run on that turn's answer: the first turn's add() is not in the second's answer.
    fake.setScript([](const RecordedRequest &request, int) {
        const bool followUp = lastUserOf(request).contains(QStringLiteral("sub(a, b)"));
        if (!followUp)
            return openAiAnswer(QStringLiteral("```python\ndef add(a, b):\n    return a + b\n```"));
        if (modelOf(request) == u"m-right")
            return openAiAnswer(QStringLiteral("```python\ndef sub(a, b):\n    return a - b\n```"));
        return openAiAnswer(QStringLiteral("```python\ndef sub(a, b):\n    return b - a\n```"));
    });
    const QByteArray json = R"({"name": "code", "cases": [{"id": "add", "prompt": "Write add(a, b) in Python.",
        "assert": [{"type": "code-tests", "interpreter": "python3",
                    "value": "from solution import add\nassert add(2, 3) == 5\n"}],
        "turns": [{"user": "Now write sub(a, b) in Python.",
                   "assert": [{"type": "code-tests", "interpreter": "python3",
                               "value": "from solution import sub\nassert sub(5, 3) == 2, f'sub(5, 3) gave {sub(5, 3)}'\n"}]}]}]})";
    auto suite = Suite::fromJson(json, QStringLiteral("chain-code-tests"));
    QVERIFY2(suite, qPrintable(suite.error()));
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("right"), QStringLiteral("wrong")});
    spec.suite = suite.value();
    spec.codeSandbox = CodeSandboxSettings{};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(60'000));
    QCOMPARE(emitted.size(), 2);
    for (const CellResult &cell : session.results()) {
        QCOMPARE(cell.job.state, JobState::Completed);
        QCOMPARE(cell.turns.size(), 2);
        const Grade &first = cell.turns.at(0).grade.grades.at(0);
        const Grade &second = cell.turns.at(1).grade.grades.at(0);
        QVERIFY2(!first.needsJudge && first.pass, qPrintable(first.reason));
        QVERIFY2(!second.needsJudge, qPrintable(second.reason));
        QVERIFY(!cell.grade.pendingJudge);
        const bool right = cell.job.targetId == u"right";
        QCOMPARE(second.pass, right);
        if (!right)
            QVERIFY2(second.reason.contains(QStringLiteral("sub(5, 3) gave -2")), qPrintable(second.reason));
        // The turns' grades feed the chain's: it passes only when both do; the mean of the turns.
        QCOMPARE(cell.turns.at(1).grade.pass, right);
        QCOMPARE(cell.grade.pass, right);
        QCOMPARE(cell.grade.score, right ? 1.0 : 0.5);
        QCOMPARE(cell.grade.grades.size(), 2);
        QCOMPARE(cell.grade.grades.at(1).reason, second.reason);
    }
}

void TestRunSessionCodeTests::aCellWaitsForItsJudgeAndItsTests_data()
{
    QTest::addColumn<bool>("judgeLast");
    QTest::newRow("the judge answers last") << true;
    QTest::newRow("the tests end last") << false;
}

void TestRunSessionCodeTests::aCellWaitsForItsJudgeAndItsTests()
{
    QFETCH(bool, judgeLast);
    if (!m_sandboxProblem.isEmpty())
        QSKIP(qPrintable(m_sandboxProblem));
    FakeProvider fake;
    QVERIFY(fake.listen());
    fake.setScript([judgeLast](const RecordedRequest &request, int) {
        if (modelOf(request) == u"m-judge") {
            FakeResponse verdict =
                openAiAnswer(QStringLiteral(R"({"reason": "readable", "score": 0.8, "pass": true})"));
            verdict.headerDelayMs = judgeLast ? 1500 : 0; // whichever comes last, the cell waits for it
            return verdict;
        }
        return openAiAnswer(QStringLiteral("```python\ndef add(a, b):\n    return a + b\n```"));
    });
    RunSpec spec;
    spec.workspace = fakeWorkspace(fake, {QStringLiteral("right"), QStringLiteral("judge")});
    spec.targetIds = {QStringLiteral("right")};
    spec.judgeTargetId = QStringLiteral("judge");
    spec.suite = addSuite();
    spec.suite.cases[0].assertions.append(
        Assertion{QStringLiteral("llm-rubric"), "The code is readable.", std::nullopt, 1.0, {}, {}});
    if (!judgeLast)
        spec.suite.cases[0].assertions[1].value =
            "import time\ntime.sleep(1.5)\n" + spec.suite.cases[0].assertions[1].value.get<std::string>();
    spec.codeSandbox = CodeSandboxSettings{};
    RunSession session;
    QSignalSpy finished(&session, &RunSession::runFinished);
    QSignalSpy emitted(&session, &RunSession::cellFinished);
    QVERIFY(session.start(spec).ok());
    QVERIFY(finished.wait(60'000));
    QCOMPARE(emitted.size(), 1);
    const auto cell = emitted.first().first().value<CellResult>();
    QCOMPARE(cell.grade.grades.size(), 3);
    QVERIFY2(cell.grade.grades.at(1).pass, qPrintable(cell.grade.grades.at(1).reason)); // the tests
    QVERIFY2(!cell.grade.grades.at(2).needsJudge, qPrintable(cell.grade.grades.at(2).reason));
    QCOMPARE(cell.grade.grades.at(2).score, 0.8); // the judge
    QVERIFY(cell.grade.pass);
    QVERIFY(std::abs(cell.grade.score - (1.0 + 1.0 + 0.8) / 3.0) < 1e-12);
    QCOMPARE(cell.judgeCalls.size(), 1);
}

QTEST_GUILESS_MAIN(TestRunSessionCodeTests)
#include "tst_runsessioncodetests.moc"
