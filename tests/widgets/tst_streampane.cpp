#include "stream/StreamTypes.h"
#include "ElidedLabel.h"
#include "LongTextView.h"
#include "StreamPane.h"
#include "run/ChainTurnResult.h"

#include <QLabel>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTest>
#include <QTextBlock>
#include <QToolButton>

using namespace Slopscope;

class TestStreamPane final : public QObject
{
    Q_OBJECT

private slots:
    void appendsInArrivalOrder();
    void batchesAreHeldAndInsertedOnce();
    void modelOutputIsNeverMarkup();
    void reasoningIsCollapsibleAndHiddenWhenEmpty();
    void figuresSayUnknownRatherThanZero();
    void stateCarriesDetail();
    void longNamesAndStatesAreCutWithAnEllipsis();
    void aChainTranscriptKeepsEarlierTurnsAbove();
    void controlCharactersAreShownNotObeyed();
    void aHugeLineStreamsInShortParagraphs_data();
    void aHugeLineStreamsInShortParagraphs();
};

void TestStreamPane::appendsInArrivalOrder()
{
    StreamPane pane(QStringLiteral("t"), QStringLiteral("Target"), QStringLiteral("#0072B2"));
    pane.appendAnswer(QStringLiteral("Hel"));
    pane.appendAnswer(QStringLiteral("lo, "));
    pane.appendAnswer(QStringLiteral("world\n…"));
    QCOMPARE(pane.answerText(), QStringLiteral("Hello, world\n…"));
    pane.clear();
    QCOMPARE(pane.answerText(), QString());
    QCOMPARE(pane.state(), StreamPane::State::Idle);
}

void TestStreamPane::batchesAreHeldAndInsertedOnce()
{
    StreamPane pane(QStringLiteral("t"), QStringLiteral("Target"), QStringLiteral("#0072B2"));
    auto *answer = pane.findChild<QPlainTextEdit *>(QStringLiteral("answer"));
    QVERIFY(answer);
    QSignalSpy inserts(answer->document(), &QTextDocument::contentsChange);
    QList<ContentDelta> batch;
    QString expected;
    for (int i = 0; i < 100; ++i) {
        const QString token = QStringLiteral(" w%1").arg(i);
        batch.append({ContentKind::Answer, token});
        expected += token;
    }
    batch.append({ContentKind::Reasoning, QStringLiteral("thinking")});
    batch.append({ContentKind::ToolCall, QStringLiteral("{}"), 0});
    batch.append({ContentKind::Refusal, QStringLiteral(" no")});
    expected += QStringLiteral(" no");
    pane.appendDeltas(batch);
    pane.appendDeltas({{ContentKind::Answer, QStringLiteral(" more")}});
    expected += QStringLiteral(" more");

    // Held: nothing laid out yet, but the pane's text already includes it.
    QCOMPARE(inserts.count(), 0);
    QCOMPARE(pane.answerText(), expected);
    QCOMPARE(pane.reasoningText(), QStringLiteral("thinking"));
    // Two batches of 102 tokens: one insert.
    QTRY_COMPARE(inserts.count(), 1);
    QCOMPARE(answer->toPlainText(), expected);
    QCOMPARE(pane.answerText(), expected);

    // A direct append goes after what is held; clear() drops what is held.
    pane.appendDeltas({{ContentKind::Answer, QStringLiteral(" tail")}});
    pane.appendAnswer(QStringLiteral("!"));
    QCOMPARE(answer->toPlainText(), expected + QStringLiteral(" tail!"));
    pane.appendDeltas({{ContentKind::Answer, QStringLiteral("stale")}});
    pane.clear();
    QTest::qWait(StreamPane::kFlushMs * 3);
    QCOMPARE(pane.answerText(), QString());
    QCOMPARE(answer->toPlainText(), QString());

    // A stream that ends shows all its text at once, not at the next flush.
    pane.appendDeltas({{ContentKind::Answer, QStringLiteral("last words")}});
    QCOMPARE(answer->toPlainText(), QString());
    pane.setState(StreamPane::State::Done);
    QCOMPARE(answer->toPlainText(), QStringLiteral("last words"));
}

void TestStreamPane::modelOutputIsNeverMarkup()
{
    StreamPane pane(QStringLiteral("t"), QStringLiteral("<b>label</b>"), QStringLiteral("#0072B2"));
    const QString hostile = QStringLiteral("<img src=x onerror=alert(1)><b>bold</b>&amp;");
    pane.appendAnswer(hostile);
    // Stored and shown verbatim: the characters survive, nothing was interpreted.
    QCOMPARE(pane.answerText(), hostile);
    const auto edits = pane.findChildren<QPlainTextEdit *>();
    for (const auto *edit : edits)
        QVERIFY(edit->document()->toHtml().contains(QStringLiteral("&lt;img")) || edit->toPlainText().isEmpty());
}

void TestStreamPane::reasoningIsCollapsibleAndHiddenWhenEmpty()
{
    StreamPane pane(QStringLiteral("t"), QStringLiteral("T"), QStringLiteral("#0072B2"));
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    auto *toggle = pane.findChild<QToolButton *>();
    QVERIFY(toggle);
    QVERIFY(!toggle->isVisible());
    pane.appendReasoning(QStringLiteral("thinking about it"));
    QVERIFY(toggle->isVisible());
    QVERIFY(toggle->text().contains(QStringLiteral("17")));
    QCOMPARE(pane.reasoningText(), QStringLiteral("thinking about it"));
    toggle->click();
    auto *reasoning = pane.findChild<QPlainTextEdit *>(QStringLiteral("reasoning"));
    QVERIFY(reasoning);
    QVERIFY(reasoning->isVisible());
    toggle->click();
    QVERIFY(!reasoning->isVisible());
}

void TestStreamPane::figuresSayUnknownRatherThanZero()
{
    StreamPane pane(QStringLiteral("t"), QStringLiteral("T"), QStringLiteral("#0072B2"));
    QVERIFY(pane.figuresText().contains(QStringLiteral("cost –")));
    pane.setState(StreamPane::State::Done);
    QVERIFY2(pane.figuresText().contains(QStringLiteral("cost unknown")), qPrintable(pane.figuresText()));
    QVERIFY(!pane.figuresText().contains(QStringLiteral("$0")));
    StreamPane::Figures f;
    f.ttftMs = 212.4;
    f.tokensPerSecond = 2980.2;
    f.outputTokens = 512;
    f.costUsd = 0.000384;
    pane.setFigures(f);
    const QString text = pane.figuresText();
    QVERIFY2(text.contains(QStringLiteral("TTFT 212 ms")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("2,980 tok/s")) || text.contains(QStringLiteral("2980 tok/s")),
             qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("512 tokens")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("$0.000384")), qPrintable(text));
    f.tokensPerSecondEstimated = true;
    pane.setFigures(f);
    QVERIFY(pane.figuresText().contains(QStringLiteral("~2")));
    QVERIFY(pane.findChild<QLabel *>(QStringLiteral("figures"))->toolTip().contains(QStringLiteral("estimated")));
}

void TestStreamPane::stateCarriesDetail()
{
    StreamPane pane(QStringLiteral("t"), QStringLiteral("T"), QStringLiteral("#0072B2"));
    pane.setState(StreamPane::State::Failed, QStringLiteral("timed out: no data for 2 s"));
    QCOMPARE(pane.state(), StreamPane::State::Failed);
    QCOMPARE(pane.stateText(), QStringLiteral("failed: timed out: no data for 2 s"));
}

// A pane at its narrowest: the long target name and the failure state are cut with "…" rather
// than clipped mid-letter, the whole texts stay in the tooltips, and a wide pane shows them whole.
void TestStreamPane::longNamesAndStatesAreCutWithAnEllipsis()
{
    const QString name = QStringLiteral("GPT-OSS-120B on Cerebras-like host (simulated)");
    StreamPane pane(QStringLiteral("gpt-oss-cerebras"), name, QStringLiteral("#0072B2"));
    pane.setState(StreamPane::State::Failed, QStringLiteral("HTTP 401: invalid API key for this organisation"));
    pane.resize(pane.minimumWidth(), 300);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    auto *title = pane.findChild<ElidedLabel *>(QStringLiteral("paneTitle"));
    auto *state = pane.findChild<ElidedLabel *>(QStringLiteral("paneState"));
    QVERIFY(title && state);
    QVERIFY2(title->isElided() && title->shownText().endsWith(u'…'), qPrintable(title->shownText()));
    QVERIFY(name.startsWith(title->shownText().chopped(1)));
    QVERIFY(title->shownText().size() > 4); // the name keeps most of the room, not the state
    QVERIFY2(state->isElided(), qPrintable(state->shownText()));
    QCOMPARE(title->text(), name);
    QVERIFY(title->toolTip().contains(name) && title->toolTip().contains(u"gpt-oss-cerebras"));
    QCOMPARE(state->toolTip(), pane.stateText());
    QVERIFY(title->geometry().right() <= state->geometry().left()); // side by side, not overlapping
    if (const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS"); !keep.isEmpty())
        pane.grab().save(keep + QStringLiteral("/stream-pane-narrow.png"));

    // A short state at the same width is shown whole; the name gives way.
    pane.setState(StreamPane::State::Done, QStringLiteral("pass"));
    QTRY_VERIFY2(!state->isElided(), qPrintable(state->shownText()));
    QVERIFY(title->isElided());
    QVERIFY(title->geometry().right() <= state->geometry().left());
    pane.setState(StreamPane::State::Failed, QStringLiteral("HTTP 401: invalid API key for this organisation"));

    pane.resize(1200, 300);
    // The badge's room follows the pane's width on the next layout pass.
    QTRY_VERIFY2(!state->isElided(), qPrintable(state->shownText()));
    QVERIFY(!title->isElided());
    QCOMPARE(title->shownText(), name);
}

void TestStreamPane::aChainTranscriptKeepsEarlierTurnsAbove()
{
    ChainTurnResult first;
    first.user = QStringLiteral("Price of ACME?\nUse the tool.");
    first.toolCalls = {{QStringLiteral("call_1"), QStringLiteral("stock_price"), QStringLiteral(R"({"ticker":"ACME"})")}};
    first.toolResults = {{QStringLiteral("call_1"), QStringLiteral("stock_price"), ToolResultKind::Result,
                          QStringLiteral("42.17")}};
    first.answer = QStringLiteral("<b>$42.17</b>") + QString(400, u'x');
    first.grade.pass = true;
    first.grade.score = 1.0;
    ChainTurnResult second; // being answered: no answer, no verdict yet
    second.user = QStringLiteral("And in euros?");

    const QString text = StreamPane::chainTranscript({first, second});
    const QStringList lines = text.split(u'\n');
    QCOMPARE(lines.size(), 7);
    QCOMPARE(lines.at(0), QStringLiteral("Turn 1 · passed · score 100%"));
    QCOMPARE(lines.at(1), QStringLiteral("  User: Price of ACME? Use the tool.")); // one line per message
    QCOMPARE(lines.at(2), QStringLiteral(R"(  → stock_price({"ticker":"ACME"}))"));
    QCOMPARE(lines.at(3), QStringLiteral("  ← Tool result: 42.17"));
    QVERIFY(lines.at(4).startsWith(QStringLiteral("  Assistant: <b>$42.17</b>xx")));
    QVERIFY(lines.at(4).endsWith(QChar(0x2026))); // cut: the detail panel has it whole
    QCOMPARE(lines.at(4).size(), QStringLiteral("  Assistant: ").size() + StreamPane::kTranscriptLineChars);
    QCOMPARE(lines.at(5), QStringLiteral("Turn 2 · answering…"));
    QCOMPARE(lines.at(6), QStringLiteral("  User: And in euros?"));
    QVERIFY(StreamPane::chainTranscript({}).isEmpty());

    StreamPane pane(QStringLiteral("t"), QStringLiteral("Target"), QStringLiteral("#0072B2"));
    auto *transcript = pane.findChild<QPlainTextEdit *>(QStringLiteral("chainTranscript"));
    QVERIFY(transcript);
    QVERIFY(transcript->isHidden()); // not a chain: no room taken
    pane.setTranscript(text);
    pane.appendAnswer(QStringLiteral("About €39."));
    QVERIFY(!transcript->isHidden());
    QCOMPARE(pane.transcriptText(), text);
    QCOMPARE(pane.answerText(), QStringLiteral("About €39.")); // the answer pane has the current turn only
    // Plain text: the model's markup is shown as typed, never rendered.
    QVERIFY(transcript->toPlainText().contains(QStringLiteral("<b>$42.17</b>")));
    pane.clear();
    QVERIFY(pane.transcriptText().isEmpty());
    QVERIFY(transcript->isHidden());
}

// B-14: ANSI colour codes, a bell or a NUL in an answer are shown as the symbols for them, never
// passed to the text engine raw; line breaks and tabs stay.
void TestStreamPane::controlCharactersAreShownNotObeyed()
{
    StreamPane pane(QStringLiteral("t"), QStringLiteral("T"), QStringLiteral("#0072B2"));
    pane.appendAnswer(QStringLiteral("\x1b[31mred\x1b[0m\a\tok\nnext") + QChar(0) + QChar(0x7F));
    QCOMPARE(pane.answerText(), u"\u241B[31mred\u241B[0m\u2407\tok\nnext\u2400\u2421"_qs);
    pane.appendReasoning(QStringLiteral("\x1b[2J"));
    auto *reasoning = pane.findChild<QPlainTextEdit *>(QStringLiteral("reasoning"));
    QVERIFY(reasoning);
    QCOMPARE(reasoning->toPlainText(), u"\u241B[2J"_qs);
    // The same through the batched path.
    pane.clear();
    ContentDelta delta;
    delta.text = QStringLiteral("a\x1b" "b");
    pane.appendDeltas({delta});
    QCOMPARE(pane.answerText(), u"a\u241Bb"_qs);
}

void TestStreamPane::aHugeLineStreamsInShortParagraphs_data()
{
    QTest::addColumn<QStringList>("tokens"); // cycled through
    QTest::addColumn<qsizetype>("chars");
    // 50 MB (in UTF-16 code units) with no newline and no space: every break is a hard one.
    QTest::newRow("50 MB without a newline")
        << QStringList{QStringLiteral("abcd"), QStringLiteral("efgh"), QStringLiteral("ijkl")} << qsizetype(50) * 1024 * 1024;
    // A Markdown table row with 10,000 columns: breaks at spaces.
    QTest::newRow("10,000-column table row")
        << QStringList{QStringLiteral("| c"), QStringLiteral("ol "), QStringLiteral("42 ")} << qsizetype(10'000) * 9;
}

void TestStreamPane::aHugeLineStreamsInShortParagraphs()
{
    QFETCH(QStringList, tokens);
    QFETCH(qsizetype, chars);
    StreamPane pane(QStringLiteral("t"), QStringLiteral("Target"), QStringLiteral("#0072B2"));
    pane.resize(500, 400);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    LongTextView *answer = pane.answerView();
    QSignalSpy inserts(answer->document(), &QTextDocument::contentsChange);
    // As the engine sends them: one delta per token, in batches; each batch is let flush.
    constexpr qsizetype kBatchTokens = 65'536;
    QString expected;
    expected.reserve(chars);
    qsizetype token = 0;
    while (expected.size() < chars) {
        QList<ContentDelta> batch;
        batch.reserve(kBatchTokens);
        for (qsizetype i = 0; i < kBatchTokens && expected.size() < chars; ++i, ++token) {
            const QString &t = tokens.at(token % tokens.size());
            batch.append({ContentKind::Answer, t});
            expected += t;
        }
        const qsizetype before = inserts.count();
        pane.appendDeltas(batch);
        QTRY_VERIFY_WITH_TIMEOUT(inserts.count() > before, 5000);
    }
    pane.setState(StreamPane::State::Done);
    QCOMPARE(pane.answerText().size(), expected.size());
    QVERIFY(pane.answerText() == expected); // intact (QCOMPARE would print 50 MB on failure)

    // The structure that keeps each insert cheap: no paragraph longer than the hard limit, so
    // the document is many short blocks rather than one enormous one.
    int longest = 0;
    for (QTextBlock b = answer->document()->begin(); b.isValid(); b = b.next())
        longest = std::max(longest, b.length() - 1);
    QVERIFY2(longest <= LongTextView::kHardBlockChars, qPrintable(QString::number(longest)));
    QVERIFY(answer->document()->blockCount() >= chars / LongTextView::kHardBlockChars);
    // It paints.
    QVERIFY(!answer->viewport()->grab().isNull());
}

QTEST_MAIN(TestStreamPane)
#include "tst_streampane.moc"
