#include "run/QuickCompareSession.h"

// Quick compare against the embedded simulator: each target's conversation carries its own
// answers, a failed answer stays out of the history, exchanges become suite cases, and plain-text
// attachments are folded in (binary and oversize files refused).

#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {

const QString kGroq = QStringLiteral("gpt-oss-groq");
const QString kSonnet = QStringLiteral("sonnet");
const QString kFaulty = QStringLiteral("faulty");

ChatMessage msg(const char *role, const QString &content)
{
    return {QString::fromLatin1(role), content};
}

// The demo workspace plus a target whose provider breaks every stream after a few tokens, with
// no retry: a failure that leaves partial text.
Workspace workspaceWithFaultyTarget()
{
    Workspace ws = Workspace::demo();
    ProviderConfig faulty = *ws.provider(QStringLiteral("sim-openai"));
    faulty.id = QStringLiteral("sim-faulty");
    faulty.maxRetries = 0;
    faulty.headers.insert(QStringLiteral("x-sim-fault"), QStringLiteral("error_inband;after=8"));
    ws.providers.append(faulty);
    TargetConfig target = *ws.target(QStringLiteral("qwen3-coder")); // no reasoning: the partial text is answer
    target.id = kFaulty;
    target.label = QStringLiteral("Faulty");
    target.providerId = faulty.id;
    ws.targets.append(target);
    return ws;
}

bool sendAndWait(QuickCompareSession &session, const QString &prompt, const QString &system = {})
{
    QSignalSpy finished(&session, &QuickCompareSession::exchangeFinished);
    const Status sent = session.send(prompt, system);
    if (!sent.ok()) {
        qWarning("send: %s", qPrintable(sent.error()));
        return false;
    }
    return finished.wait(60'000);
}

} // namespace

class TestQuickCompareSession final : public QObject
{
    Q_OBJECT

private slots:
    void foldsAttachmentsBetweenNamedMarkers();
    void refusesBinaryAndOversizeAttachments();
    void refusesWhatCannotBeSent();
    void eachTargetCarriesItsOwnAnswersIntoTheNextTurn();
    void aFailedAnswerKeepsItsTextButStaysOutOfTheHistory();
    void newChatForgetsEveryConversation();
    void theSpendCapStopsTheTurnAndTheChat();
};

void TestQuickCompareSession::foldsAttachmentsBetweenNamedMarkers()
{
    const QList<TextAttachment> files{{QStringLiteral("a.txt"), QStringLiteral("alpha")},
                                      {QStringLiteral("notes.md"), QStringLiteral("beta\n")}};
    QCOMPARE(TextAttachment::fold(QStringLiteral("Compare these."), files),
             QStringLiteral("Compare these.\n\n"
                            "--- Attached file: a.txt ---\nalpha\n--- End of a.txt ---\n\n"
                            "--- Attached file: notes.md ---\nbeta\n--- End of notes.md ---"));
    QCOMPARE(TextAttachment::fold(QStringLiteral("Just this."), {}), QStringLiteral("Just this."));
    // An attachment alone is a prompt too.
    QVERIFY(TextAttachment::fold(QString(), files).startsWith(QStringLiteral("--- Attached file: a.txt ---")));
}

void TestQuickCompareSession::refusesBinaryAndOversizeAttachments()
{
    const auto text = TextAttachment::fromBytes(QByteArrayLiteral("\xEF\xBB\xBFhéllo\n"), QStringLiteral("t.txt"));
    QVERIFY2(text.ok(), qPrintable(text.error()));
    QCOMPARE(text.value().text, QStringLiteral("héllo\n")); // the BOM is not part of the text

    const auto binary = TextAttachment::fromBytes(QByteArray("PNG\0\x01\x02", 6), QStringLiteral("img.png"));
    QVERIFY(!binary.ok());
    QVERIFY2(binary.error().contains(QStringLiteral("img.png")) && binary.error().contains(QStringLiteral("binary")),
             qPrintable(binary.error()));

    const auto latin1 = TextAttachment::fromBytes(QByteArrayLiteral("caf\xE9"), QStringLiteral("old.txt"));
    QVERIFY(!latin1.ok());
    QVERIFY2(latin1.error().contains(QStringLiteral("UTF-8")), qPrintable(latin1.error()));

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString atLimit = dir.filePath(QStringLiteral("limit.txt"));
    const QString over = dir.filePath(QStringLiteral("huge.log"));
    for (const auto &[path, size] :
         {std::pair{atLimit, TextAttachment::kMaxBytes}, std::pair{over, TextAttachment::kMaxBytes + 1}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(size, 'x'));
    }
    const auto fits = TextAttachment::fromFile(atLimit);
    QVERIFY2(fits.ok(), qPrintable(fits.error()));
    QCOMPARE(fits.value().fileName, QStringLiteral("limit.txt"));
    QCOMPARE(fits.value().text.size(), TextAttachment::kMaxBytes);
    const auto huge = TextAttachment::fromFile(over);
    QVERIFY(!huge.ok());
    QVERIFY2(huge.error().contains(QStringLiteral("huge.log")) && huge.error().contains(QStringLiteral("256")),
             qPrintable(huge.error()));
    QVERIFY(!TextAttachment::fromFile(dir.filePath(QStringLiteral("missing.txt"))).ok());
}

void TestQuickCompareSession::refusesWhatCannotBeSent()
{
    QuickCompareSession session;
    session.setWorkspace(Workspace::demo());
    QVERIFY(!session.send(QStringLiteral("hello")).ok()); // no target
    session.setTargetIds({kGroq});
    QVERIFY(!session.send(QStringLiteral("   ")).ok()); // nothing to send
    session.setTargetIds({QStringLiteral("no-such-target")});
    QVERIFY(!session.send(QStringLiteral("hello")).ok());
    QVERIFY(session.exchanges().isEmpty());
    QVERIFY(!session.isRunning());
}

void TestQuickCompareSession::eachTargetCarriesItsOwnAnswersIntoTheNextTurn()
{
    QuickCompareSession session;
    session.setWorkspace(Workspace::demo());
    session.setTargetIds({kGroq, kSonnet});
    const QString system = QStringLiteral("Answer in one sentence.");
    const QString first = QStringLiteral("What is the capital of France?");
    const QString second = QStringLiteral("And of Italy?");

    QVERIFY(sendAndWait(session, first, system));
    QVERIFY(!session.isRunning());
    QCOMPARE(session.exchanges().size(), 1);
    QHash<QString, QString> firstAnswers;
    for (const QString &t : {kGroq, kSonnet}) {
        const QuickAnswer &a = session.exchanges().at(0).answers.value(t);
        QCOMPARE(a.state, JobState::Completed);
        QVERIFY(!a.text.isEmpty());
        QVERIFY(a.metrics.ttftNs.has_value());
        QVERIFY(a.metrics.outputTokens.has_value());
        QVERIFY(a.cost.usd.has_value()); // the demo's targets have prices
        QCOMPARE(a.sent, (QList<ChatMessage>{msg("system", system), msg("user", first)}));
        firstAnswers.insert(t, a.text);
    }
    QVERIFY(session.spentUsd() > 0);

    QVERIFY(sendAndWait(session, second, system));
    QCOMPARE(session.exchanges().size(), 2);
    for (const QString &t : {kGroq, kSonnet}) {
        const QuickAnswer &a = session.exchanges().at(1).answers.value(t);
        QCOMPARE(a.state, JobState::Completed);
        // The second request carries this target's own first answer, not the other one's.
        QCOMPARE(a.sent, (QList<ChatMessage>{msg("system", system), msg("user", first),
                                             msg("assistant", firstAnswers.value(t)), msg("user", second)}));
        QCOMPARE(session.history(t), (QList<ChatMessage>{msg("user", first), msg("assistant", firstAnswers.value(t)),
                                                         msg("user", second), msg("assistant", a.text)}));
    }

    // The second exchange as a suite case: the conversation up to that user turn, the answer as
    // reference, and the same messages when a suite sends it.
    const auto c = session.caseFromExchange(1, kSonnet);
    QVERIFY2(c.ok(), qPrintable(c.error()));
    QCOMPARE(c.value().id, QStringLiteral("quick-2"));
    QCOMPARE(c.value().messages, session.exchanges().at(1).answers.value(kSonnet).sent);
    QCOMPARE(c.value().reference, session.exchanges().at(1).answers.value(kSonnet).text);
    Suite suite;
    suite.cases.append(c.value());
    QCOMPARE(suite.messagesFor(c.value()), c.value().messages);
    const auto firstCase = session.caseFromExchange(0, kGroq, false);
    QVERIFY(firstCase.ok());
    QCOMPARE(firstCase.value().messages, (QList<ChatMessage>{msg("system", system), msg("user", first)}));
    QVERIFY(firstCase.value().reference.isEmpty());
    QVERIFY(!session.caseFromExchange(2, kGroq).ok());
    QVERIFY(!session.caseFromExchange(0, QStringLiteral("opus")).ok());
}

void TestQuickCompareSession::aFailedAnswerKeepsItsTextButStaysOutOfTheHistory()
{
    QuickCompareSession session;
    session.setWorkspace(workspaceWithFaultyTarget());
    session.setTargetIds({kGroq, kFaulty});
    const QString first = QStringLiteral("Explain what a hash table is, in detail.");
    QVERIFY(sendAndWait(session, first));
    const QuickAnswer &broken = session.exchanges().at(0).answers.value(kFaulty);
    QVERIFY2(broken.state != JobState::Completed, qPrintable(broken.text));
    QVERIFY2(
        !broken.text.isEmpty(),
        qPrintable(broken.error + QStringLiteral(" state %1").arg(int(broken.state)))); // the partial answer is kept...
    QVERIFY(!broken.error.isEmpty());                                                   // ...with what went wrong
    QVERIFY(session.history(kFaulty).isEmpty());
    QCOMPARE(session.history(kGroq).size(), 2);
    // A broken answer is no reference.
    QVERIFY(session.caseFromExchange(0, kFaulty).value().reference.isEmpty());

    const QString second = QStringLiteral("Now give an example.");
    QVERIFY(sendAndWait(session, second));
    // The faulty target is asked again without the broken exchange; the other one with its own.
    QCOMPARE(session.exchanges().at(1).answers.value(kFaulty).sent, (QList<ChatMessage>{msg("user", second)}));
    QCOMPARE(session.exchanges().at(1).answers.value(kGroq).sent.size(), 3);
}

void TestQuickCompareSession::newChatForgetsEveryConversation()
{
    QuickCompareSession session;
    session.setWorkspace(Workspace::demo());
    session.setTargetIds({kGroq});
    QVERIFY(sendAndWait(session, QStringLiteral("Hello")));
    QCOMPARE(session.history(kGroq).size(), 2);

    // A second prompt while one is going is refused; New chat stops it and forgets everything.
    QVERIFY(session.send(QStringLiteral("Tell me a long story.")).ok());
    QVERIFY(session.isRunning());
    QVERIFY(!session.send(QStringLiteral("Another")).ok());
    QSignalSpy cleared(&session, &QuickCompareSession::cleared);
    session.newChat();
    QCOMPARE(cleared.size(), 1);
    QVERIFY(!session.isRunning());
    QVERIFY(session.exchanges().isEmpty());
    QVERIFY(session.history(kGroq).isEmpty());
    QCOMPARE(session.spentUsd(), 0.0);

    // The new chat starts from nothing.
    QVERIFY(sendAndWait(session, QStringLiteral("Hi again")));
    QCOMPARE(session.exchanges().size(), 1);
    QCOMPARE(session.exchanges().at(0).answers.value(kGroq).sent,
             (QList<ChatMessage>{msg("user", QStringLiteral("Hi again"))}));
}

// The chat's spend cap: a turn stops once the chat has spent it (here the fast target's answer
// alone crosses it while the other target's stream is stalled), and no turn is sent after that
// until the cap is raised.
void TestQuickCompareSession::theSpendCapStopsTheTurnAndTheChat()
{
    Workspace ws = Workspace::demo();
    ProviderConfig stalling = *ws.provider(QStringLiteral("sim-openai"));
    stalling.id = QStringLiteral("sim-stalling");
    stalling.headers.insert(QStringLiteral("x-sim-fault"), QStringLiteral("stall;after=2;ms=30000"));
    ws.providers.append(stalling);
    TargetConfig slow = *ws.target(QStringLiteral("qwen3-coder"));
    slow.id = QStringLiteral("stalling");
    slow.providerId = stalling.id;
    ws.targets.append(slow);

    QuickCompareSession session;
    session.setWorkspace(ws);
    session.setTargetIds({kGroq, slow.id});
    session.setMaxCostUsd(1e-9);
    QElapsedTimer clock;
    clock.start();
    QVERIFY(sendAndWait(session, QStringLiteral("What is the capital of France?")));
    QVERIFY2(clock.elapsed() < 25'000, "the stalled answer was waited for instead of stopped");
    const QuickExchange &turn = session.exchanges().constFirst();
    QCOMPARE(turn.answers.value(kGroq).state, JobState::Completed);
    QVERIFY(turn.answers.value(slow.id).state != JobState::Completed);
    QVERIFY(turn.cancelled);
    QVERIFY2(turn.stopReason.contains(u"spend cap"), qPrintable(turn.stopReason));
    QVERIFY(session.spentUsd() >= 1e-9);

    // Spent: the next prompt is refused and nothing is sent.
    const Status refused = session.send(QStringLiteral("And of Italy?"));
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(u"spend cap"), qPrintable(refused.error()));
    QCOMPARE(session.exchanges().size(), 1);
    QVERIFY(!session.isRunning());

    // Raised: the chat goes on.
    session.setTargetIds({kGroq});
    session.setMaxCostUsd(std::nullopt);
    QVERIFY(sendAndWait(session, QStringLiteral("And of Italy?")));
    QCOMPARE(session.exchanges().size(), 2);
    QCOMPARE(session.exchanges().at(1).answers.value(kGroq).state, JobState::Completed);
}

QTEST_GUILESS_MAIN(TestQuickCompareSession)
#include "tst_quickcomparesession.moc"
