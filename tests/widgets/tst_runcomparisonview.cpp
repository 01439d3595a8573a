#include "../views/HistoryFixture.h"
#include "DriftChart.h"
#include "DriftView.h"
#include "HistoryBrowser.h"
#include "MainWindow.h"
#include "RunComparisonView.h"
#include "views/DriftModel.h"
#include "views/RunComparisonModel.h"
#include "views/RunListModel.h"

#include <QAreaSeries>
#include <QComboBox>
#include <QLabel>
#include <QLineSeries>
#include <QPushButton>
#include <QScatterSeries>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {

// The views read on the pool: waits for the latest read to be shown.
bool settle(DriftView *view)
{
    if (!view->isReading())
        return true;
    QSignalSpy loaded(view, &DriftView::loaded);
    return loaded.wait(10'000) && loaded.constFirst().constFirst().toBool();
}

bool settle(RunComparisonView *view, bool expectOk = true)
{
    if (!view->isReading())
        return true; // already shown; the callers check what
    QSignalSpy compared(view, &RunComparisonView::compared);
    return compared.wait(10'000) && compared.constFirst().constFirst().toBool() == expectOk;
}

} // namespace

// The GUI over run comparison and drift (#6, #7), on a real history of three weekly runs
// (HistoryFixture): t1's quality drops and its reported model changes in the last run.
class TestRunComparisonView final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void compareNeedsTwoSelectedRuns();
    void comparesTheSelectedRuns();
    void driftPlotsOneRunPerPointInDateOrder();
    void driftFiltersByDateAndLeavesUnknownsOff();
    void theMainWindowOpensDrift();
    void quickComparesAreLeftOut();

private:
    // Saves a picture of `widget` when SLOPSCOPE_TEST_ARTIFACTS names a folder.
    static void keepPicture(QWidget *widget, const QString &name);

    QTemporaryDir m_dir;
    QString m_path;
    HistoryFixture::History m_history;
};

void TestRunComparisonView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("history.sqlite"));
    m_history = HistoryFixture::record(m_path);
    QCOMPARE(m_history.runIds.size(), 3);
}

void TestRunComparisonView::keepPicture(QWidget *widget, const QString &name)
{
    const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS");
    if (keep.isEmpty())
        return;
    widget->show();
    QVERIFY(QTest::qWaitForWindowExposed(widget));
    QTest::qWait(100); // the charts lay out their axes on the first paint
    widget->grab().save(keep + u'/' + name);
}

void TestRunComparisonView::compareNeedsTwoSelectedRuns()
{
    HistoryBrowser browser(m_path);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    QCOMPARE(browser.model()->rowCount(), 3);
    // One run selected (the newest, by default): open it, not compare it.
    QCOMPARE(browser.selectedRunIds().size(), 1);
    QVERIFY(!browser.compareButton()->isEnabled());
    QVERIFY(browser.driftButton()->isEnabled());
    QVERIFY(!browser.compareSelected());

    // Shift+Down twice: all three runs.
    browser.view()->setFocus();
    QTest::keyClick(browser.view(), Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(browser.selectedRunIds().size(), 2);
    QVERIFY(browser.compareButton()->isEnabled());
    QTest::keyClick(browser.view(), Qt::Key_Down, Qt::ShiftModifier);
    QCOMPARE(browser.selectedRunIds().size(), 3);
    // Open, Export and Delete act on one run only.
    const QList<QPushButton *> buttons = browser.findChildren<QPushButton *>();
    for (QPushButton *b : buttons) {
        if (b->text() == u"&Open" || b->text() == u"&Delete Run…" || b->text() == u"&Export Run…")
            QVERIFY2(!b->isEnabled(), qPrintable(b->text()));
    }
    QVERIFY(!browser.deleteSelected());
    QCOMPARE(browser.model()->rowCount(), 3);
    keepPicture(&browser, QStringLiteral("history-compare.png"));

    // Ctrl+D compares them in a window of its own.
    QTest::keyClick(browser.view(), Qt::Key_D, Qt::ControlModifier);
    QTRY_VERIFY(browser.findChild<RunComparisonView *>());
    auto *comparison = browser.findChild<RunComparisonView *>();
    QVERIFY(settle(comparison));
    QVERIFY(comparison->isWindow());
    QCOMPARE(comparison->model()->runs().size(), 3);
    QCOMPARE(comparison->model()->runs().constFirst().id, m_history.runIds.constFirst()); // oldest first
}

void TestRunComparisonView::comparesTheSelectedRuns()
{
    RunComparisonView view(m_path);
    view.compare({m_history.runIds.at(0), QStringLiteral("no-such-run")});
    QVERIFY(settle(&view, false));
    QCOMPARE(view.model()->rowCount(), 0);
    QVERIFY(!view.driftButton()->isEnabled());
    auto *message = view.findChild<QLabel *>(QStringLiteral("runComparisonMessage"));
    QVERIFY(message->text().contains(QStringLiteral("no-such-run")));

    // A second request while the first is read: only the latest is shown.
    view.compare({m_history.runIds.at(1), m_history.runIds.at(0)});
    view.compare({m_history.runIds.at(2), m_history.runIds.at(0)});
    QVERIFY(settle(&view));
    RunComparisonModel *model = view.model();
    QCOMPARE(model->runs().size(), 2);
    QCOMPARE(model->runs().at(0).id, m_history.runIds.at(0));
    QCOMPARE(model->targetIds(), (QStringList{QStringLiteral("t1"), QStringLiteral("t2"), QStringLiteral("t3")}));
    const QModelIndex quality = model->index(0, RunComparisonModel::column(1, RunComparisonModel::QualityMetric));
    QCOMPARE(quality.data(RunComparisonModel::ChangeRole).toInt(), int(RunStatsText::Change::Drop));
    QVERIFY(quality.data().toString().contains(QStringLiteral("▼")));
    QVERIFY(model->index(0, RunComparisonModel::column(1, RunComparisonModel::ModelMetric))
                .data(RunComparisonModel::ModelChangedRole)
                .toBool());
    keepPicture(&view, QStringLiteral("run-comparison.png"));

    // Sorted by a figure, unknown costs go last whichever way.
    QAbstractItemModel *shown = view.view()->model();
    view.view()->sortByColumn(RunComparisonModel::column(1, RunComparisonModel::QualityMetric), Qt::DescendingOrder);
    QCOMPARE(shown->index(0, 0).data(RunComparisonModel::TargetIdRole).toString(), QStringLiteral("t3"));
    QCOMPARE(shown->index(2, 0).data(RunComparisonModel::TargetIdRole).toString(), QStringLiteral("t1"));
    for (const Qt::SortOrder order : {Qt::AscendingOrder, Qt::DescendingOrder}) {
        view.view()->sortByColumn(RunComparisonModel::column(0, RunComparisonModel::CostMetric), order);
        QCOMPARE(shown->index(2, 0).data(RunComparisonModel::TargetIdRole).toString(), QStringLiteral("t2"));
    }
    view.view()->sortByColumn(-1, Qt::AscendingOrder); // back to the runs' order
    QCOMPARE(shown->index(0, 0).data(RunComparisonModel::TargetIdRole).toString(), QStringLiteral("t1"));
    view.view()->setCurrentIndex(shown->index(0, 0));

    // The first row is selected: Show Drift opens t1 across every run, not just the compared two.
    QCOMPARE(view.selectedTargetId(), QStringLiteral("t1"));
    QVERIFY(view.driftButton()->isEnabled());
    view.driftButton()->click();
    auto *drift = view.findChild<DriftView *>();
    QVERIFY(drift);
    QVERIFY(settle(drift));
    QCOMPARE(drift->target(), QStringLiteral("t1"));
    QCOMPARE(drift->model()->rowCount(), 3);
    // Another row reuses the window.
    view.view()->selectRow(1);
    QCOMPARE(view.showDrift(view.selectedTargetId()), drift);
    QVERIFY(settle(drift));
    QCOMPARE(drift->target(), QStringLiteral("t2"));
}

void TestRunComparisonView::driftPlotsOneRunPerPointInDateOrder()
{
    DriftView view(m_path);
    QVERIFY(settle(&view));
    QCOMPARE(view.targetBox()->count(), 3);
    QCOMPARE(view.targetBox()->itemText(0), QStringLiteral("t1"));
    QCOMPARE(view.target(), QStringLiteral("t1")); // the first, when none was asked for
    QCOMPARE(view.model()->rowCount(), 3);
    QCOMPARE(view.table()->model()->rowCount(), 3);

    QLineSeries *quality = view.qualityChart()->valueSeries();
    QVERIFY(quality);
    QCOMPARE(quality->count(), 3);
    for (int i = 0; i < 3; ++i) {
        QCOMPARE(qint64(quality->at(i).x()), m_history.t0.addDays(7 * i).toMSecsSinceEpoch());
        QCOMPARE(view.model()->index(i, 0).data(DriftModel::RunIdRole).toString(), m_history.runIds.at(i));
    }
    QCOMPARE(quality->at(0).y(), 87.5);
    QCOMPARE(quality->at(2).y(), 25.0);
    // The interval band spans every run, around the value.
    QAreaSeries *band = view.qualityChart()->intervalSeries();
    QVERIFY(band);
    QCOMPARE(band->upperSeries()->count(), 3);
    QCOMPARE(band->lowerSeries()->count(), 3);
    QVERIFY(band->lowerSeries()->at(2).y() <= 25.0 && band->upperSeries()->at(2).y() >= 25.0);
    // One marker: the run where the reported model changed.
    QScatterSeries *changes = view.qualityChart()->modelChangeSeries();
    QCOMPARE(changes->count(), 1);
    QCOMPARE(qint64(changes->at(0).x()), m_history.t0.addDays(14).toMSecsSinceEpoch());
    QCOMPARE(changes->at(0).y(), 25.0);

    // The second chart follows the metric picked; TTFT fell after the swap.
    QCOMPARE(view.metricChart()->metric(), DriftChart::Metric::Ttft);
    QLineSeries *ttft = view.metricChart()->valueSeries();
    QCOMPARE(ttft->count(), 3);
    QVERIFY(ttft->at(2).y() < ttft->at(1).y());
    auto *metric = view.findChild<QComboBox *>(QStringLiteral("driftMetric"));
    QVERIFY(metric);
    metric->setCurrentIndex(metric->findData(int(DriftChart::Metric::TokensPerSecond)));
    QCOMPARE(view.metricChart()->metric(), DriftChart::Metric::TokensPerSecond);
    QCOMPARE(view.metricChart()->valueSeries()->count(), 3);
    QVERIFY(view.metricChart()->valueSeries()->at(2).y() > 300.0);
    keepPicture(&view, QStringLiteral("drift.png"));
}

void TestRunComparisonView::driftFiltersByDateAndLeavesUnknownsOff()
{
    DriftView view(m_path);
    view.setTarget(QStringLiteral("t1"));
    QVERIFY(settle(&view));
    const QDate first = m_history.t0.toLocalTime().date();
    view.setDateRange(first.addDays(1), {});
    QVERIFY(settle(&view));
    QCOMPARE(view.model()->rowCount(), 2);
    QCOMPARE(view.model()->index(0, 0).data(DriftModel::RunIdRole).toString(), m_history.runIds.at(1));
    view.setDateRange(first, first.addDays(7));
    QVERIFY(settle(&view));
    QCOMPARE(view.model()->rowCount(), 2);
    QCOMPARE(view.model()->index(1, 0).data(DriftModel::RunIdRole).toString(), m_history.runIds.at(1));
    view.setDateRange({}, {});
    QVERIFY(settle(&view));
    QCOMPARE(view.model()->rowCount(), 3);

    // t2 has no known price: no cost point at all rather than points at $0.
    view.setTarget(QStringLiteral("t2"));
    QVERIFY(settle(&view));
    auto *metric = view.findChild<QComboBox *>(QStringLiteral("driftMetric"));
    metric->setCurrentIndex(metric->findData(int(DriftChart::Metric::Cost)));
    QCOMPARE(view.model()->rowCount(), 3);
    QCOMPARE(view.metricChart()->valueSeries()->count(), 0);
    QCOMPARE(view.qualityChart()->modelChangeSeries()->count(), 0);
    // t3 skipped the middle run.
    view.setTarget(QStringLiteral("t3"));
    QVERIFY(settle(&view));
    QCOMPARE(view.qualityChart()->valueSeries()->count(), 2);
}

void TestRunComparisonView::theMainWindowOpensDrift()
{
    MainWindow window;
    QVERIFY(!window.showDrift()); // no history yet
    QVERIFY(window.setHistoryPath(m_path).ok());
    DriftView *drift = window.showDrift();
    QVERIFY(drift);
    QVERIFY(drift->isWindow());
    QVERIFY(settle(drift));
    QCOMPARE(drift->targetBox()->count(), 3);
    QCOMPARE(window.showDrift(), drift); // raised, not opened twice
}

// #7: a quick-compare exchange is a chat, not a measurement of the suite (drift leaves it out
// too): comparing runs skips it, and the browser does not offer to compare it.
void TestRunComparisonView::quickComparesAreLeftOut()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    const HistoryFixture::History history = HistoryFixture::record(path);
    QCOMPARE(history.runIds.size(), 3);
    const QString quick = HistoryFixture::appendQuickCompare(path, history.t0.addDays(10));
    QVERIFY(!quick.isEmpty());

    auto read = RunComparisonView::read(path, {history.runIds.at(0), quick, history.runIds.at(2)});
    QVERIFY2(read.ok(), qPrintable(read.error()));
    QCOMPARE(read.value().size(), 2);
    QCOMPARE(read.value().at(0).id, history.runIds.at(0));
    QCOMPARE(read.value().at(1).id, history.runIds.at(2));

    // A suite run and a chat: nothing left to compare, and the view says why.
    RunComparisonView view(path);
    view.compare({history.runIds.at(0), quick});
    QVERIFY(settle(&view, false));
    QCOMPARE(view.model()->rowCount(), 0);
    auto *message = view.findChild<QLabel *>(QStringLiteral("runComparisonMessage"));
    QVERIFY2(message->text().contains(QStringLiteral("quick-compare")), qPrintable(message->text()));

    HistoryBrowser browser(path);
    browser.show();
    QVERIFY(QTest::qWaitForWindowExposed(&browser));
    QCOMPARE(browser.model()->rowCount(), 4);
    // Newest first: week 2, the quick compare, week 1, week 0.
    QCOMPARE(browser.proxy()->index(1, 0).data(RunListModel::RunIdRole).toString(), quick);
    const auto selectRows = [&browser](int first, int last) {
        const QItemSelection rows(browser.proxy()->index(first, 0),
                                  browser.proxy()->index(last, browser.proxy()->columnCount() - 1));
        browser.view()->selectionModel()->select(rows, QItemSelectionModel::ClearAndSelect);
    };
    // The quick compare and week 1: one suite run only, Compare stays off.
    selectRows(1, 2);
    QCOMPARE(browser.selectedRunIds().size(), 2);
    QVERIFY(!browser.compareButton()->isEnabled());
    QVERIFY(!browser.compareSelected());
    // With week 0 too: two suite runs are compared, the chat left out.
    selectRows(1, 3);
    QCOMPARE(browser.selectedRunIds().size(), 3);
    QVERIFY(browser.compareButton()->isEnabled());
    RunComparisonView *comparison = browser.compareSelected();
    QVERIFY(comparison);
    QVERIFY(settle(comparison));
    QCOMPARE(comparison->model()->runs().size(), 2);
    for (const auto &run : comparison->model()->runs())
        QVERIFY(run.id != quick);
}

QTEST_MAIN(TestRunComparisonView)
#include "tst_runcomparisonview.moc"
