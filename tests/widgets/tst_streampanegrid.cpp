#include "MainWindow.h"
#include "run/RunSession.h"
#include "StreamPane.h"
#include "StreamPaneGrid.h"
#include "TargetListWidget.h"

#include <QStandardPaths>
#include <QTest>
#include <QTimer>

using namespace Slopscope;

namespace {
QList<TargetConfig> targets(int n)
{
    QList<TargetConfig> list;
    for (int i = 0; i < n; ++i) {
        TargetConfig t;
        t.id = QStringLiteral("t%1").arg(i);
        t.label = QStringLiteral("Target %1").arg(i);
        t.color = QStringLiteral("#0072B2");
        list.append(t);
    }
    return list;
}
} // namespace

class TestStreamPaneGrid final : public QObject
{
    Q_OBJECT

private slots:
    void onePanePerTarget();
    void columnsFollowTheWidth();
    void replacingTargetsDropsOldPanes();
    void aLiveChainKeepsItsEarlierTurnsInThePane();
};

void TestStreamPaneGrid::onePanePerTarget()
{
    StreamPaneGrid grid;
    grid.setTargets(targets(6));
    QCOMPARE(grid.paneCount(), 6);
    QVERIFY(grid.pane(QStringLiteral("t5")));
    QVERIFY(!grid.pane(QStringLiteral("t6")));
    grid.pane(QStringLiteral("t2"))->appendAnswer(QStringLiteral("x"));
    grid.clearAll();
    QCOMPARE(grid.pane(QStringLiteral("t2"))->answerText(), QString());
    grid.setCaseTitle(QStringLiteral("c1: Capital of France?"));
}

void TestStreamPaneGrid::columnsFollowTheWidth()
{
    StreamPaneGrid grid;
    grid.resize(1400, 800);
    grid.setTargets(targets(8));
    grid.show();
    QVERIFY(QTest::qWaitForWindowExposed(&grid));
    QCOMPARE(grid.columnCount(), 4);
    grid.resize(600, 800);
    QTRY_COMPARE(grid.columnCount(), 2);
    grid.setTargets(targets(1));
    QCOMPARE(grid.columnCount(), 1);
}

void TestStreamPaneGrid::replacingTargetsDropsOldPanes()
{
    StreamPaneGrid grid;
    grid.setTargets(targets(3));
    QPointer<StreamPane> old = grid.pane(QStringLiteral("t0"));
    grid.setTargets(targets(2));
    QCOMPARE(grid.paneCount(), 2);
    QTRY_VERIFY(old.isNull());
}

// The demo chains against the embedded simulator: when a chain's later request starts, the pane
// still shows the turns before it (user, tool rounds, answers), above the answer now streaming.
void TestStreamPaneGrid::aLiveChainKeepsItsEarlierTurnsInThePane()
{
    QStandardPaths::setTestModeEnabled(true);
    auto loaded = Suite::fromFile(QStringLiteral(":/slopscope/demo/suites/chains.json"));
    QVERIFY2(loaded.ok(), qPrintable(loaded.ok() ? QString() : loaded.error()));
    Suite suite = loaded.value();
    QList<SuiteCase> cases;
    for (const SuiteCase &c : std::as_const(suite.cases)) {
        if (c.id == u"chain-followup-planet" || c.id == u"chain-tool-stock-price")
            cases.append(c);
    }
    QCOMPARE(cases.size(), 2);
    suite.cases = cases;

    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.addSuite(suite);
    // Every demo target: not all of them call the tool when asked to.
    const QStringList targets = window.targetList()->checkedTargetIds();
    QVERIFY(targets.size() > 1);

    // What the pane shows as each request starts (MainWindow's own handler ran first).
    QStringList seen;
    const QString artifacts = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS");
    bool grabbed = false;
    connect(window.session(), &RunSession::cellStarted, this,
            [&](const QString &, const QString &targetId) {
                StreamPane *pane = window.streamPanes()->pane(targetId);
                if (!pane)
                    return;
                seen << pane->transcriptText();
                // A picture of the panes mid-chain, a moment into a second turn's answer.
                if (!artifacts.isEmpty() && !grabbed && seen.last().contains(QStringLiteral("Turn 2"))) {
                    grabbed = true;
                    QTimer::singleShot(250, &window, [&window, artifacts] {
                        window.grab().save(artifacts + QStringLiteral("/stream-pane-chain.png"));
                    });
                }
            });
    if (!artifacts.isEmpty()) {
        window.resize(1600, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
    }
    QVERIFY(window.startRun());
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);

    // Every request showed its chain so far; the first of a cell its first user turn only.
    QVERIFY(seen.size() > 2); // more requests than cells
    for (const QString &text : std::as_const(seen))
        QVERIFY2(text.startsWith(QStringLiteral("Turn 1")), qPrintable(text));
    const CellResult *planet = nullptr;
    for (const CellResult &c : window.session()->results()) {
        if (c.caseId == u"chain-followup-planet" && c.turns.size() == 2)
            planet = &c;
    }
    QVERIFY(planet); // some target reached the follow-up
    // The follow-up's request: turn 1 whole (with its verdict and answer), turn 2 being answered.
    const QString expected = StreamPane::chainTranscript({planet->turns.at(0), [&] {
                                                              ChainTurnResult now;
                                                              now.user = planet->turns.at(1).user;
                                                              return now;
                                                          }()});
    QVERIFY2(seen.contains(expected), qPrintable(seen.join(QStringLiteral("\n----\n"))));
    QVERIFY(expected.contains(QStringLiteral("Assistant: %1").arg(planet->turns.at(0).answer.simplified().left(40))));
    QVERIFY(expected.contains(QStringLiteral("Turn 2 · answering…")));
    // (The demo suite offers no tools, so the simulator calls none: tool lines are tested with
    // hand-made turns in tst_streampane.)
    // Once over, each pane still shows its last chain above its last answer.
    for (const QString &target : targets)
        QVERIFY(!window.streamPanes()->pane(target)->transcriptText().isEmpty());
}

QTEST_MAIN(TestStreamPaneGrid)
#include "tst_streampanegrid.moc"
