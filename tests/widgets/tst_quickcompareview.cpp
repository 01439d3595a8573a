#include "DiffView.h"
#include "MainWindow.h"
#include "QuickCompareView.h"
#include "run/QuickCompareSession.h"
#include "StreamPane.h"
#include "StreamPaneGrid.h"
#include "TargetListWidget.h"

// Quick compare on screen: Ctrl+Enter sends to every target, panes stream each target's
// conversation, failures say they stay out of it, attachments are chips, an exchange is saved
// as a suite case (into the main window's selected suite), New Chat clears.

#include <QComboBox>
#include <QMenu>
#include <QMenuBar>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace Slopscope;

namespace {

const QString kGroq = QStringLiteral("gpt-oss-groq");
const QString kSonnet = QStringLiteral("sonnet");

QuickCompareView::Prepare lineup(const Workspace &ws, const QStringList &targets)
{
    return [ws, targets](QuickCompareSession &session) -> Status {
        session.setWorkspace(ws);
        session.setTargetIds(targets);
        return {};
    };
}

bool typeAndSend(QuickCompareView &view, const QString &prompt)
{
    QSignalSpy finished(view.session(), &QuickCompareSession::exchangeFinished);
    QTest::keyClicks(view.promptBox(), prompt);
    QTest::keyClick(view.promptBox(), Qt::Key_Return, Qt::ControlModifier);
    if (!view.session()->isRunning())
        return false;
    return finished.wait(60'000);
}

} // namespace

class TestQuickCompareView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void ctrlEnterSendsAndThePanesShowEachConversation();
    void aFailedAnswerSaysItStaysOutOfTheConversation();
    void theSpendCapSaysWhyTheChatStopped();
    void attachmentsAreRemovableChips();
    void saveAsSuiteCaseEmitsTheExchange();
    void newChatClearsThePanes();
    void mainWindowSavesIntoTheSelectedSuite();
};

void TestQuickCompareView::ctrlEnterSendsAndThePanesShowEachConversation()
{
    QuickCompareView view;
    view.setPrepare(lineup(Workspace::demo(), {kGroq, kSonnet}));
    view.resize(1200, 800);
    view.show();
    QVERIFY(QTest::qWaitForWindowExposed(&view));

    QVERIFY(typeAndSend(view, QStringLiteral("What is the capital of France?")));
    QVERIFY(view.promptBox()->toPlainText().isEmpty()); // the box is free for the next turn
    QCOMPARE(view.panes()->paneCount(), 2);
    const QuickExchange first = view.session()->exchanges().at(0); // a copy: the list grows below
    for (const QString &t : {kGroq, kSonnet}) {
        StreamPane *pane = view.panes()->pane(t);
        QVERIFY(pane);
        QCOMPARE(pane->state(), StreamPane::State::Done);
        QVERIFY(pane->answerText().contains(QStringLiteral("▶ You: What is the capital of France?")));
        QVERIFY(pane->answerText().contains(first.answers.value(t).text));
        QVERIFY2(!pane->figuresText().startsWith(QStringLiteral("TTFT –")), qPrintable(pane->figuresText()));
        QVERIFY2(pane->figuresText().contains(QStringLiteral("cost $")), qPrintable(pane->figuresText()));
    }

    QVERIFY(typeAndSend(view, QStringLiteral("And of Italy?")));
    const QuickExchange &second = view.session()->exchanges().at(1);
    for (const QString &t : {kGroq, kSonnet}) {
        const QString text = view.panes()->pane(t)->answerText();
        // The pane shows this target's conversation: its first answer, then the second turn.
        const qsizetype firstAnswer = text.indexOf(first.answers.value(t).text);
        const qsizetype secondPrompt = text.indexOf(QStringLiteral("▶ You: And of Italy?"));
        QVERIFY(firstAnswer >= 0);
        QVERIFY(secondPrompt > firstAnswer);
        QVERIFY(text.indexOf(second.answers.value(t).text, secondPrompt) > secondPrompt);
    }
    QVERIFY(view.statusText().contains(QStringLiteral("Turn 2")));
}

// A turn stopped by the chat's spend cap says so, and so does the next prompt it refuses.
void TestQuickCompareView::theSpendCapSaysWhyTheChatStopped()
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
    QuickCompareView view;
    view.setPrepare([ws, slow](QuickCompareSession &session) -> Status {
        session.setWorkspace(ws);
        session.setTargetIds({kGroq, slow.id});
        session.setMaxCostUsd(1e-9);
        return {};
    });
    QVERIFY(typeAndSend(view, QStringLiteral("Hello")));
    QVERIFY2(view.statusText().contains(QStringLiteral("Stopped: spend cap")), qPrintable(view.statusText()));
    QCOMPARE(view.panes()->pane(kGroq)->state(), StreamPane::State::Done);

    QTest::keyClicks(view.promptBox(), QStringLiteral("Again"));
    QTest::keyClick(view.promptBox(), Qt::Key_Return, Qt::ControlModifier);
    QVERIFY(!view.session()->isRunning());
    QVERIFY2(view.statusText().contains(QStringLiteral("spend cap")), qPrintable(view.statusText()));
    QCOMPARE(view.promptBox()->toPlainText(), QStringLiteral("Again")); // the refused prompt is kept
}

void TestQuickCompareView::aFailedAnswerSaysItStaysOutOfTheConversation()
{
    Workspace ws = Workspace::demo();
    ProviderConfig *openai = nullptr;
    for (ProviderConfig &p : ws.providers) {
        if (p.id == u"sim-openai")
            openai = &p;
    }
    QVERIFY(openai);
    openai->maxRetries = 0;
    openai->headers.insert(QStringLiteral("x-sim-fault"), QStringLiteral("server_error;status=500"));
    QuickCompareView view;
    view.setPrepare(lineup(ws, {QStringLiteral("qwen3-coder"), kSonnet}));
    QVERIFY(typeAndSend(view, QStringLiteral("Hello")));
    StreamPane *failed = view.panes()->pane(QStringLiteral("qwen3-coder"));
    QCOMPARE(failed->state(), StreamPane::State::Failed);
    QVERIFY2(failed->answerText().contains(QStringLiteral("next turn is sent to this target without this exchange")),
             qPrintable(failed->answerText()));
    QCOMPARE(view.panes()->pane(kSonnet)->state(), StreamPane::State::Done);
    QVERIFY(view.statusText().contains(QStringLiteral("incomplete")));
}

void TestQuickCompareView::attachmentsAreRemovableChips()
{
    QTemporaryDir dir;
    const QString notes = dir.filePath(QStringLiteral("notes.txt"));
    const QString image = dir.filePath(QStringLiteral("photo.png"));
    for (const auto &[path, bytes] :
         {std::pair{notes, QByteArray("the notes\n")}, std::pair{image, QByteArray("\x89PNG\0\0", 6)}}) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
    }
    QuickCompareView view;
    view.setPrepare(lineup(Workspace::demo(), {kGroq}));
    QVERIFY(view.attachFile(notes));
    QVERIFY(!view.attachFile(image));
    QVERIFY(view.statusText().contains(QStringLiteral("photo.png")));
    QVERIFY(view.statusText().contains(QStringLiteral("binary")));
    QVERIFY(view.attachFile(notes));
    QCOMPARE(view.findChildren<QToolButton *>(QStringLiteral("attachmentChip")).size(), 2);
    view.findChildren<QToolButton *>(QStringLiteral("attachmentChip")).first()->click();
    QCOMPARE(view.attachments().size(), 1);
    QCOMPARE(view.findChildren<QToolButton *>(QStringLiteral("attachmentChip")).size(), 1);

    QVERIFY(typeAndSend(view, QStringLiteral("Summarise the notes.")));
    const QuickExchange &e = view.session()->exchanges().at(0);
    QCOMPARE(e.attachmentNames, QStringList{QStringLiteral("notes.txt")});
    QVERIFY(e.userMessage.contains(QStringLiteral("--- Attached file: notes.txt ---\nthe notes\n")));
    QVERIFY(view.attachments().isEmpty()); // sent with that turn only
    QVERIFY(view.panes()->pane(kGroq)->answerText().contains(QStringLiteral("(attached: notes.txt)")) ||
            view.panes()->pane(kGroq)->answerText().contains(QStringLiteral("▶ You: Summarise the notes.")));
}

void TestQuickCompareView::saveAsSuiteCaseEmitsTheExchange()
{
    QuickCompareView view;
    view.setPrepare(lineup(Workspace::demo(), {kGroq, kSonnet}));
    auto *save = view.findChild<QPushButton *>(QStringLiteral("saveCase"));
    QVERIFY(save);
    QVERIFY(!save->isEnabled()); // nothing to save yet
    view.systemPromptBox()->setPlainText(QStringLiteral("Be terse."));
    view.findChild<QToolButton *>(QStringLiteral("systemToggle"))->setChecked(true);
    QVERIFY(typeAndSend(view, QStringLiteral("Name a prime number.")));
    QVERIFY(save->isEnabled());
    auto *target = view.findChild<QComboBox *>(QStringLiteral("saveTarget"));
    target->setCurrentIndex(target->findData(kSonnet));
    QSignalSpy saved(&view, &QuickCompareView::caseSaved);
    save->click();
    QCOMPARE(saved.size(), 1);
    const auto c = saved.at(0).at(0).value<SuiteCase>();
    const QuickAnswer answer = view.session()->exchanges().at(0).answers.value(kSonnet);
    QCOMPARE(c.messages, (QList<ChatMessage>{{QStringLiteral("system"), QStringLiteral("Be terse.")},
                                             {QStringLiteral("user"), QStringLiteral("Name a prime number.")}}));
    QCOMPARE(c.reference, answer.text);

    // Diff: the chosen target's answer against the other one's.
    QSignalSpy diff(&view, &QuickCompareView::diffRequested);
    view.findChild<QPushButton *>(QStringLiteral("diffAnswers"))->click();
    QCOMPARE(diff.size(), 1);
    QCOMPARE(diff.at(0).at(1).toString(), answer.text);
    QCOMPARE(diff.at(0).at(3).toString(), view.session()->exchanges().at(0).answers.value(kGroq).text);
}

void TestQuickCompareView::newChatClearsThePanes()
{
    QuickCompareView view;
    view.setPrepare(lineup(Workspace::demo(), {kGroq}));
    QVERIFY(typeAndSend(view, QStringLiteral("Hello")));
    QCOMPARE(view.panes()->paneCount(), 1);
    view.findChild<QPushButton *>(QStringLiteral("newChat"))->click();
    QCOMPARE(view.panes()->paneCount(), 0);
    QVERIFY(view.session()->exchanges().isEmpty());
    QVERIFY(view.session()->history(kGroq).isEmpty());
    QCOMPARE(view.findChild<QComboBox *>(QStringLiteral("saveExchange"))->count(), 0);
    QVERIFY(!view.findChild<QPushButton *>(QStringLiteral("saveCase"))->isEnabled());
}

void TestQuickCompareView::mainWindowSavesIntoTheSelectedSuite()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    // Ctrl+K is View ▸ Quick Compare.
    QAction *show = nullptr;
    for (QAction *menu : window.menuBar()->actions()) {
        for (QAction *action : menu->menu()->actions()) {
            if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::Key_K))
                show = action;
        }
    }
    QVERIFY(show);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    show->trigger();
    QVERIFY(window.quickCompare()->isVisible());

    // The window's checked targets are the ones asked.
    TargetListWidget *list = window.targetList();
    for (int i = 2; i < list->topLevelItemCount(); ++i)
        list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
    window.quickCompare()->promptBox()->setPlainText(QStringLiteral("Hi"));
    QSignalSpy finished(window.quickCompare()->session(), &QuickCompareSession::exchangeFinished);
    QVERIFY(window.quickCompare()->send());
    QCOMPARE(window.quickCompare()->session()->targetIds(), list->checkedTargetIds());
    QVERIFY(finished.wait(60'000));

    auto *suites = window.findChild<QComboBox *>(QStringLiteral("suiteBox"));
    QVERIFY(suites && suites->count() > 0);
    const QString before = suites->currentText();
    QSignalSpy message(window.statusBar(), &QStatusBar::messageChanged);
    window.quickCompare()->saveCase();
    window.quickCompare()->saveCase();
    QVERIFY(suites->currentText() != before); // its case count went up
    QCOMPARE(message.size(), 2);
    QVERIFY(message.at(0).at(0).toString().contains(QStringLiteral("\"quick-1\"")));
    QVERIFY(message.at(1).at(0).toString().contains(QStringLiteral("\"quick-1-2\"")));

    // Diff opens the window's diff page on the two answers.
    window.quickCompare()->diffAnswers();
    QCOMPARE(window.resultsTabs()->currentWidget(), window.diffView());
    const QuickExchange &e = window.quickCompare()->session()->exchanges().at(0);
    QCOMPARE(window.diffView()->leftEdit()->toPlainText(), e.answers.value(list->checkedTargetIds().at(0)).text);
    QCOMPARE(window.diffView()->rightEdit()->toPlainText(), e.answers.value(list->checkedTargetIds().at(1)).text);
}

QTEST_MAIN(TestQuickCompareView)
#include "tst_quickcompareview.moc"
