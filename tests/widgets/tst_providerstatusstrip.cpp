// The status per provider (issue #7): a chip in the status bar for each provider that is not
// dispatching normally, fed by the scheduler's real statuses.
#include "core/Workspace.h"
#include "MainWindow.h"
#include "ProviderStatusStrip.h"
#include "quality/Suite.h"
#include "run/RunSession.h"
#include "StreamPaneGrid.h"
#include "TargetListWidget.h"
#include "views/ProviderStatusBoard.h"

#include <QLabel>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTest>

using namespace Slopscope;

class TestProviderStatusStrip : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }

    void chipsFollowTheBoardAsPlainText()
    {
        ProviderStatusBoard board(nullptr, [] { return qint64(0); });
        QWidget host;
        auto *strip = new ProviderStatusStrip(&board, &host);
        host.show();
        QVERIFY(QTest::qWaitForWindowExposed(&host));
        QVERIFY(!strip->isVisible()); // every provider fine: nothing to show
        ProviderStatus stopped;
        stopped.providerId = QStringLiteral("remote");
        stopped.state = ProviderStatus::State::Stopped;
        stopped.message = QStringLiteral("<b>401</b> <img src=\"http://x/y.png\">");
        board.update(stopped);
        QVERIFY(strip->isVisible());
        QCOMPARE(strip->texts(), QStringList{QStringLiteral("remote: stopped — <b>401</b> <img src=\"http://x/y.png\">")});
        const auto chips = strip->findChildren<QLabel *>();
        QCOMPARE(chips.size(), 1);
        QCOMPARE(chips.first()->textFormat(), Qt::PlainText); // a server's words are never markup
        QCOMPARE(chips.first()->toolTip(), stopped.message);
        ProviderStatus active = stopped;
        active.state = ProviderStatus::State::Active;
        board.update(active);
        QVERIFY(strip->texts().isEmpty());
        QVERIFY(!strip->isVisible());
    }

    // A real 429 from the simulator: the strip counts the pause down, and the run's end clears it.
    void rateLimitedProviderShowsItsCountdown()
    {
        Workspace workspace = Workspace::demo();
        for (ProviderConfig &p : workspace.providers) {
            if (p.id == u"sim-gemini")
                p.headers.insert(QStringLiteral("x-sim-fault"), QStringLiteral("rate_limit;retry_after=3"));
        }
        MainWindow window;
        window.setWorkspace(workspace);
        auto suite = Suite::fromJson(R"({"name": "s", "cases": [{"id": "c1", "prompt": "Capital of France?"}]})",
                                     QStringLiteral("<test>"));
        QVERIFY2(suite.ok(), qPrintable(suite.error()));
        window.addSuite(suite.value());
        TargetListWidget *list = window.targetList();
        for (int i = 0; i < list->topLevelItemCount(); ++i) {
            QTreeWidgetItem *item = list->topLevelItem(i);
            const bool gemini = item->data(TargetListWidget::LabelColumn, Qt::UserRole).toString() == u"gemini-flash";
            item->setCheckState(TargetListWidget::LabelColumn, gemini ? Qt::Checked : Qt::Unchecked);
        }
        window.resize(1500, 800);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        ProviderStatusStrip *strip = window.providerStatusStrip();
        QVERIFY(!strip->isVisible());
        QVERIFY(window.startRun());
        // The live view shows the run's lineup, not every target of the workspace.
        QVERIFY(window.streamPanes()->pane(QStringLiteral("gemini-flash")));
        QVERIFY(!window.streamPanes()->pane(QStringLiteral("gpt-oss-cerebras")));
        QTRY_VERIFY_WITH_TIMEOUT(!strip->texts().isEmpty(), 20'000);
        const QString first = strip->texts().first();
        QVERIFY2(first.startsWith(QStringLiteral("sim-gemini: rate-limited, resuming in ")), qPrintable(first));
        QVERIFY(strip->isVisible());
        // The chip counts down by itself, with no new word from the scheduler.
        QTRY_VERIFY_WITH_TIMEOUT(strip->texts().value(0) != first, 3000);
        if (const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS"); !keep.isEmpty())
            window.grab().save(keep + QStringLiteral("/provider-status.png"));
        window.session()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 20'000);
        QTRY_VERIFY(strip->texts().isEmpty()); // a pause means nothing once the run is over
        QVERIFY(!strip->isVisible());
    }
};

QTEST_MAIN(TestProviderStatusStrip)
#include "tst_providerstatusstrip.moc"
