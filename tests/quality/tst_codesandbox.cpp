#include "quality/CodeSandbox.h"
#include "quality/CodeTestQueue.h"

// The code-tests sandbox, for real: python3 under bubblewrap with its limits. A machine where
// bubblewrap cannot create namespaces skips the sandboxed tests, except in CI (SLOPSCOPE_CI),
// where that is a failure.

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {

CodeTestOutcome run(const CodeTestRequest &request, const CodeSandboxSettings &settings = {})
{
    CodeSandbox sandbox(settings);
    QSignalSpy finished(&sandbox, &CodeSandbox::finished);
    sandbox.start(request);
    if (!finished.wait(60'000)) {
        CodeTestOutcome none;
        none.reason = QStringLiteral("no outcome within 60 s");
        return none;
    }
    return finished.first().first().value<CodeTestOutcome>();
}

CodeTestRequest python(const char *code, const QString &tests)
{
    CodeTestRequest r;
    r.code = QString::fromUtf8(code);
    r.tests = tests;
    return r;
}

// Settings without bubblewrap: the opt-in decides.
CodeSandboxSettings withoutBwrap(bool optIn)
{
    CodeSandboxSettings s;
    s.bwrap = QStringLiteral("/nonexistent/slopscope-test/bwrap");
    s.allowUnsandboxed = optIn;
    return s;
}

const char *kAdd = "def add(a, b):\n    return a + b\n";

} // namespace

class TestCodeSandbox final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void passingCodePasses();
    void wrongCodeFailsWithTheTestsOutput();
    void reportedCountSetsTheScore();
    void infiniteLoopIsKilledAtTheTimeLimit();
    void timeoutKillsEscapedChildren();
    void memoryHogFailsWithinTheLimit();
    void codeCannotReachTheNetwork();
    void codeCannotReadFilesOutside();
    void outputFloodIsCapped();
    void cancelKillsTheRun();
    void unknownInterpreterIsAnError();
    void withoutBubblewrapOnlyAnOptInRuns();
    void bubblewrapThatCannotStartIsAnError();
    void queueRunsAFewAtATime();
    void queueCancelReturnsWhatItDropped();

private:
    // Empty when the sandbox runs here; else why not.
    QString m_sandboxProblem;
};

#define REQUIRE_SANDBOX()                                                                                              \
    do {                                                                                                               \
        if (!m_sandboxProblem.isEmpty())                                                                               \
            QSKIP(qPrintable(m_sandboxProblem));                                                                       \
    } while (false)

void TestCodeSandbox::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    const CodeTestOutcome probe = run(python("", QStringLiteral("print('ok')\n")));
    if (probe.pass() && probe.sandboxed)
        return;
    m_sandboxProblem = QStringLiteral("bubblewrap cannot run python3 here (install bubblewrap and python3, and allow "
                                      "unprivileged user namespaces): %1")
                           .arg(probe.reason);
    if (!qEnvironmentVariableIsEmpty("SLOPSCOPE_CI"))
        QFAIL(qPrintable(m_sandboxProblem));
}

void TestCodeSandbox::passingCodePasses()
{
    REQUIRE_SANDBOX();
    const auto out =
        run(python(kAdd, QStringLiteral("from solution import add\nassert add(2, 3) == 5\nassert add(-1, 1) == 0\n")));
    QVERIFY2(out.pass(), qPrintable(out.reason));
    QVERIFY(out.sandboxed);
    QCOMPARE(out.score, 1.0);
    QCOMPARE(out.exitCode, 0);
    QCOMPARE(out.reason, QStringLiteral("the tests passed"));
}

void TestCodeSandbox::wrongCodeFailsWithTheTestsOutput()
{
    REQUIRE_SANDBOX();
    const auto out = run(python("def add(a, b):\n    return a - b\n",
                                QStringLiteral("from solution import add\n"
                                               "assert add(2, 3) == 5, f'add(2, 3) gave {add(2, 3)}'\n")));
    QCOMPARE(out.status, CodeTestOutcome::Status::Failed);
    QCOMPARE(out.score, 0.0);
    QCOMPARE(out.exitCode, 1);
    // The reason's first line names the failure; the traceback's tail follows.
    QVERIFY2(out.reason.startsWith(QStringLiteral("the tests failed (exit code 1): AssertionError: add(2, 3) gave -1")),
             qPrintable(out.reason));
    QVERIFY2(out.reason.contains(QStringLiteral("test_solution.py")), qPrintable(out.reason));
}

void TestCodeSandbox::reportedCountSetsTheScore()
{
    REQUIRE_SANDBOX();
    const auto partial = run(python(kAdd, QStringLiteral("print('passed 3 of 4')\nraise SystemExit(1)\n")));
    QCOMPARE(partial.status, CodeTestOutcome::Status::Failed);
    QCOMPARE(partial.score, 0.75);
    const auto all = run(python(kAdd, QStringLiteral("print('Passed 4 of 4')\n")));
    QVERIFY(all.pass());
    QCOMPARE(all.score, 1.0);
    // A count that cannot be true is ignored.
    const auto bogus = run(python(kAdd, QStringLiteral("print('passed 9 of 4')\nraise SystemExit(2)\n")));
    QCOMPARE(bogus.score, 0.0);
    QCOMPARE(bogus.exitCode, 2);
}

void TestCodeSandbox::infiniteLoopIsKilledAtTheTimeLimit()
{
    REQUIRE_SANDBOX();
    CodeSandboxSettings settings;
    settings.timeoutMs = 1000;
    QElapsedTimer clock;
    clock.start();
    const auto out = run(
        python("print('looping', flush=True)\nwhile True:\n    pass\n", QStringLiteral("import solution\n")), settings);
    QCOMPARE(out.status, CodeTestOutcome::Status::TimedOut);
    QVERIFY(!out.pass());
    QCOMPARE(out.score, 0.0);
    QVERIFY2(out.reason.startsWith(QStringLiteral("timed out after 1 s")), qPrintable(out.reason));
    // Output up to the kill is kept.
    QVERIFY(out.stdOut.contains("looping"));
    QVERIFY2(clock.elapsed() < 8000, qPrintable(QString::number(clock.elapsed())));
}

void TestCodeSandbox::timeoutKillsEscapedChildren()
{
    REQUIRE_SANDBOX();
    // A child in its own session escapes a process-group kill; the sandbox's PID namespace still
    // takes it down with the tests.
    const QString marker = QStringLiteral("slopscope-escaped-%1").arg(QCoreApplication::applicationPid());
    const QString code =
        QStringLiteral("import subprocess, sys\n"
                       "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)', '%1'],\n"
                       "                 start_new_session=True)\n"
                       "while True:\n    pass\n")
            .arg(marker);
    CodeTestRequest r;
    r.code = code;
    r.tests = QStringLiteral("import solution\n");
    const auto survivors = [&marker] {
        int n = 0;
        for (const QString &pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
            QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
            if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(marker.toUtf8()))
                ++n;
        }
        return n;
    };
    CodeSandboxSettings settings;
    settings.timeoutMs = 3000;
    CodeSandbox sandbox(settings);
    QSignalSpy finished(&sandbox, &CodeSandbox::finished);
    sandbox.start(r);
    // While the tests run, the child is there to be found (the check below can fail).
    QTRY_COMPARE_WITH_TIMEOUT(survivors(), 1, 2500);
    QVERIFY(finished.wait(10'000));
    QCOMPARE(finished.first().first().value<CodeTestOutcome>().status, CodeTestOutcome::Status::TimedOut);
    QTRY_COMPARE_WITH_TIMEOUT(survivors(), 0, 5000);
}

void TestCodeSandbox::memoryHogFailsWithinTheLimit()
{
    REQUIRE_SANDBOX();
    QElapsedTimer clock;
    clock.start();
    const auto out = run(python("hog = bytearray(2 * 1024 ** 3)\n", QStringLiteral("import solution\n")));
    QCOMPARE(out.status, CodeTestOutcome::Status::Failed);
    QVERIFY2(out.reason.contains(QStringLiteral("MemoryError")), qPrintable(out.reason));
    QVERIFY(clock.elapsed() < 9000); // failed at once, not at the time limit

    // Reserving 2 GiB of address space (an untouched anonymous map: no real memory) fails under
    // the limit and succeeds with room for it: the limit, not the machine, stopped the hog.
    const char *reserve = "import mmap\nm = mmap.mmap(-1, 2 * 1024 ** 3)\n";
    const auto limited = run(python(reserve, QStringLiteral("import solution\n")));
    QCOMPARE(limited.status, CodeTestOutcome::Status::Failed);
    QVERIFY2(limited.reason.contains(QStringLiteral("Cannot allocate memory")), qPrintable(limited.reason));
    CodeSandboxSettings roomy;
    roomy.memoryBytes = 16LL * 1024 * 1024 * 1024;
    const auto control = run(python(reserve, QStringLiteral("import solution\n")), roomy);
    QVERIFY2(control.pass(), qPrintable(control.reason));
    // 64 MiB fits under the default 512 MiB: the limit is not simply "no memory".
    const auto fits = run(python("ok = bytearray(64 * 1024 ** 2)\n", QStringLiteral("import solution\n")));
    QVERIFY2(fits.pass(), qPrintable(fits.reason));
}

void TestCodeSandbox::codeCannotReachTheNetwork()
{
    REQUIRE_SANDBOX();
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QSignalSpy connections(&server, &QTcpServer::newConnection);
    const QString tests = QStringLiteral("import solution\nsolution.call(%1)\n").arg(server.serverPort());
    const char *code = "import socket\n"
                       "def call(port):\n"
                       "    socket.create_connection(('127.0.0.1', port), timeout=3).close()\n";
    const auto out = run(python(code, tests));
    QCOMPARE(out.status, CodeTestOutcome::Status::Failed);
    QVERIFY2(out.reason.contains(QStringLiteral("Error")), qPrintable(out.reason));
    QTest::qWait(200);
    QCOMPARE(connections.size(), 0);
    QVERIFY(!server.hasPendingConnections());

    // The same code outside the sandbox does connect: the test above can fail.
    const auto control = run(python(code, tests), withoutBwrap(true));
    QVERIFY2(control.pass(), qPrintable(control.reason));
    QTRY_VERIFY(connections.size() + (server.hasPendingConnections() ? 1 : 0) > 0);
}

void TestCodeSandbox::codeCannotReadFilesOutside()
{
    REQUIRE_SANDBOX();
    QTemporaryDir outside;
    QVERIFY(outside.isValid());
    const QString secret = outside.filePath(QStringLiteral("secret.txt"));
    {
        QFile f(secret);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("s3cret");
    }
    QStringList paths{secret, QStringLiteral("/etc/passwd")};
    const QString home = QDir::homePath();
    if (home != u"/" && !home.startsWith(QStringLiteral("/usr")))
        paths.append(home);
    QString tests = QStringLiteral("import os, solution\n");
    for (const QString &p : std::as_const(paths))
        tests += QStringLiteral("assert not os.path.exists(%1), 'visible: ' + %1\n").arg(u'\'' + p + u'\'');
    tests += QStringLiteral("try:\n    open(%1).read()\n    raise SystemExit('read the secret')\n"
                            "except FileNotFoundError:\n    pass\n")
                 .arg(u'\'' + secret + u'\'');
    const auto out = run(python("", tests));
    QVERIFY2(out.pass(), qPrintable(out.reason));

    // Unsandboxed the same tests see the file: the check above is real.
    const auto control = run(python("", tests), withoutBwrap(true));
    QCOMPARE(control.status, CodeTestOutcome::Status::Failed);
    QVERIFY2(control.reason.contains(QStringLiteral("visible: ")), qPrintable(control.reason));
}

void TestCodeSandbox::outputFloodIsCapped()
{
    REQUIRE_SANDBOX();
    CodeSandboxSettings settings;
    settings.outputCapBytes = 4096;
    const auto out = run(python("", QStringLiteral("import sys\nsys.stdout.write('x' * 20_000_000)\n"
                                                   "sys.stderr.write('e' * 1_000_000)\nraise SystemExit(3)\n")),
                         settings);
    QCOMPARE(out.status, CodeTestOutcome::Status::Failed);
    QCOMPARE(out.exitCode, 3);
    QCOMPARE(out.stdOut.size(), 4096);
    QCOMPARE(out.stdErr.size(), 4096);
    QVERIFY(out.reason.size() <= 1200);
}

void TestCodeSandbox::cancelKillsTheRun()
{
    REQUIRE_SANDBOX();
    CodeSandbox sandbox(CodeSandboxSettings{});
    QSignalSpy finished(&sandbox, &CodeSandbox::finished);
    sandbox.start(python("while True:\n    pass\n", QStringLiteral("import solution\n")));
    QTest::qWait(300);
    QVERIFY(sandbox.isRunning());
    QElapsedTimer clock;
    clock.start();
    sandbox.cancel();
    QVERIFY(finished.wait(5000));
    QVERIFY(clock.elapsed() < 5000);
    QCOMPARE(finished.first().first().value<CodeTestOutcome>().status, CodeTestOutcome::Status::Cancelled);
    QVERIFY(!sandbox.isRunning());
}

void TestCodeSandbox::unknownInterpreterIsAnError()
{
    REQUIRE_SANDBOX();
    CodeTestRequest r = python(kAdd, QStringLiteral("import solution\n"));
    r.interpreter = QStringLiteral("no-such-python-slopscope");
    const auto out = run(r);
    QCOMPARE(out.status, CodeTestOutcome::Status::Error);
    QVERIFY2(out.reason.contains(QStringLiteral("was not found")), qPrintable(out.reason));
    r.interpreter = QStringLiteral("bin/python3");
    QCOMPARE(run(r).status, CodeTestOutcome::Status::Error);
    const auto noTests = run(python(kAdd, QStringLiteral("  \n")));
    QCOMPARE(noTests.status, CodeTestOutcome::Status::Error);

    // An interpreter that cannot be executed (no format the kernel knows) fails to start.
    QTemporaryDir dir;
    QFile bogus(dir.filePath(QStringLiteral("bogus-python")));
    QVERIFY(bogus.open(QIODevice::WriteOnly));
    bogus.write("\x01\x02 not a program");
    bogus.close();
    QVERIFY(bogus.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    r.interpreter = bogus.fileName();
    const auto notStarted = run(r, withoutBwrap(true));
    QCOMPARE(notStarted.status, CodeTestOutcome::Status::Error);
    QVERIFY2(notStarted.reason.startsWith(QStringLiteral("could not start")), qPrintable(notStarted.reason));
}

void TestCodeSandbox::withoutBubblewrapOnlyAnOptInRuns()
{
    const CodeTestRequest r = python(kAdd, QStringLiteral("from solution import add\nassert add(2, 3) == 5\n"));
    const auto refused = run(r, withoutBwrap(false));
    QCOMPARE(refused.status, CodeTestOutcome::Status::Error);
    QCOMPARE(refused.reason,
             QStringLiteral("code-tests need bubblewrap (Debian: apt install bubblewrap) or an explicit "
                            "opt-in to run generated code unsandboxed"));
    QVERIFY(refused.stdOut.isEmpty() && refused.exitCode == -1); // nothing ran

    if (QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty())
        QSKIP("no python3 on PATH for the unsandboxed run");
    const auto optedIn = run(r, withoutBwrap(true));
    QVERIFY2(optedIn.pass(), qPrintable(optedIn.reason));
    QVERIFY(!optedIn.sandboxed);
    QVERIFY(optedIn.reason.contains(QStringLiteral("(unsandboxed)")));

    CodeSandboxSettings env = CodeSandboxSettings::fromEnvironment();
    QCOMPARE(env.allowUnsandboxed, qEnvironmentVariable("SLOPSCOPE_CODE_TESTS_UNSANDBOXED") == u"1");
}

void TestCodeSandbox::bubblewrapThatCannotStartIsAnError()
{
    if (QStandardPaths::findExecutable(QStringLiteral("python3"), {QStringLiteral("/usr/bin")}).isEmpty())
        QSKIP("no /usr/bin/python3");
    // A bwrap that fails the way it does without user namespaces: the code never ran, so the grade
    // is an error naming bubblewrap's complaint, not a failure of the answer.
    QTemporaryDir dir;
    const QString fake = dir.filePath(QStringLiteral("bwrap"));
    QFile script(fake);
    QVERIFY(script.open(QIODevice::WriteOnly));
    script.write("#!/bin/sh\necho 'bwrap: Creating new namespace failed: Operation not permitted' >&2\nexit 1\n");
    script.close();
    QVERIFY(script.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner));
    CodeSandboxSettings settings;
    settings.bwrap = fake;
    const auto out = run(python(kAdd, QStringLiteral("import solution\n")), settings);
    QCOMPARE(out.status, CodeTestOutcome::Status::Error);
    QCOMPARE(out.reason, QStringLiteral("the sandbox did not start: bwrap: Creating new namespace failed: Operation "
                                        "not permitted"));
}

void TestCodeSandbox::queueRunsAFewAtATime()
{
    REQUIRE_SANDBOX();
    CodeTestQueue queue(CodeSandboxSettings{}, 2);
    QSignalSpy finished(&queue, &CodeTestQueue::finished);
    int most = 0;
    connect(&queue, &CodeTestQueue::finished, this, [&] { most = std::max(most, queue.runningCount()); });
    for (int i = 0; i < 5; ++i) {
        const bool good = i % 2 == 0;
        queue.enqueue(
            QStringLiteral("run-%1").arg(i),
            python(good ? kAdd : "def add(a, b):\n    return 0\n",
                   QStringLiteral("import time\ntime.sleep(0.2)\nfrom solution import add\nassert add(1, 1) == 2\n")));
        QVERIFY(queue.runningCount() <= 2);
    }
    QCOMPARE(queue.runningCount(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 5, 30'000);
    QVERIFY(queue.isIdle());
    QVERIFY(most <= 2);
    QSet<QString> ids;
    for (const auto &args : std::as_const(finished)) {
        const QString id = args.at(0).toString();
        ids.insert(id);
        const bool good = id.back().digitValue() % 2 == 0;
        QCOMPARE(args.at(1).value<CodeTestOutcome>().pass(), good);
    }
    QCOMPARE(ids.size(), 5);
}

void TestCodeSandbox::queueCancelReturnsWhatItDropped()
{
    REQUIRE_SANDBOX();
    CodeTestQueue queue(CodeSandboxSettings{}, 1);
    QSignalSpy finished(&queue, &CodeTestQueue::finished);
    for (int i = 0; i < 3; ++i)
        queue.enqueue(QStringLiteral("loop-%1").arg(i),
                      python("while True:\n    pass\n", QStringLiteral("import solution\n")));
    QTest::qWait(300);
    QStringList dropped = queue.cancelAll();
    dropped.sort();
    QCOMPARE(dropped, (QStringList{QStringLiteral("loop-0"), QStringLiteral("loop-1"), QStringLiteral("loop-2")}));
    QVERIFY(queue.isIdle());
    QTest::qWait(500);
    QVERIFY(finished.isEmpty()); // the caller settles what was dropped
}

QTEST_GUILESS_MAIN(TestCodeSandbox)
#include "tst_codesandbox.moc"
