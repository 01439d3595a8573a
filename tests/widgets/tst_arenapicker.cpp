#include "../views/HistoryFixture.h"
#include "ArenaDialog.h"
#include "ArenaSession.h"
#include "HistoryBrowser.h"
#include "MainWindow.h"
#include "views/ArenaRunModel.h"
#include "views/RunListModel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QComboBox>
#include <QLabel>
#include <QSignalSpy>
#include <QSortFilterProxyModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

// The arena on a past run (#5): the dialog's run picker lists the history's suite runs of two or
// more targets, votes cast after picking one attach to that run's own results, and the history
// browser's Open in Arena opens it; on a real history (HistoryFixture: three weekly runs of t1,
// t2 and t3) with a quick-compare exchange and a one-target run that the arena cannot use.
class TestArenaPicker final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void thePickerListsRunsTheArenaCanUse();
    void votesAttachToThePickedRun();
    void theHistoryBrowserOpensARunInTheArena();

private:
    static void keepPicture(QWidget *widget, const QString &name);
    // The job ids the history holds for `runId`.
    QSet<QString> jobIdsOf(const QString &runId);

    QTemporaryDir m_dir;
    QString m_path;
    HistoryFixture::History m_history;
    QString m_quick;
    QString m_single;
};

void TestArenaPicker::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(QStringLiteral("history.sqlite"));
    m_history = HistoryFixture::record(m_path);
    QCOMPARE(m_history.runIds.size(), 3);
    m_quick = HistoryFixture::appendQuickCompare(m_path, m_history.t0.addDays(10));
    QVERIFY(!m_quick.isEmpty());
    RunStart single = StoreTest::makeRun(QStringLiteral("solo"), {QStringLiteral("t1")}, m_history.t0.addDays(12));
    QVERIFY(HistoryFixture::appendRun(
        m_path, single, {StoreTest::makeCell(StoreTest::Cell().caseId(QStringLiteral("c1")).target(QStringLiteral("t1")))}));
    m_single = single.id;
}

void TestArenaPicker::keepPicture(QWidget *widget, const QString &name)
{
    const QString keep = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS");
    if (!keep.isEmpty())
        widget->grab().save(keep + u'/' + name);
}

QSet<QString> TestArenaPicker::jobIdsOf(const QString &runId)
{
    HistoryStore store;
    if (!store.open(m_path, HistoryStore::Mode::ReadOnly))
        return {};
    QSet<QString> ids;
    if (const auto cells = store.loadCells(runId)) {
        for (const CellResult &c : cells.value())
            ids.insert(c.job.jobId);
    }
    return ids;
}

void TestArenaPicker::thePickerListsRunsTheArenaCanUse()
{
    ArenaDialog dialog;
    QVERIFY(!dialog.runPicker()->isVisibleTo(&dialog)); // no history, no picker
    QAbstractItemModelTester tester(dialog.runModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    dialog.setHistory(m_path, nullptr);
    QVERIFY(dialog.runPicker()->isVisibleTo(&dialog));
    // Newest first: week 2 (day 14) and the other weekly runs; not the quick compare nor the solo run.
    ArenaRunModel *model = dialog.runModel();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(dialog.runPicker()->count(), 3);
    for (int row = 0; row < 3; ++row) {
        const QModelIndex index = model->index(row, 0);
        QCOMPARE(index.data(ArenaRunModel::RunIdRole).toString(), m_history.runIds.at(2 - row));
        const QString text = index.data().toString();
        QVERIFY2(text.startsWith(QStringLiteral("weekly · ")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("t1, t2")), qPrintable(text));
    }
    QCOMPARE(model->index(1, 0).data(ArenaRunModel::TargetIdsRole).toStringList(),
             (QStringList{QStringLiteral("t1"), QStringLiteral("t2")}));
    QCOMPARE(model->rowOf(m_quick), -1);
    QCOMPARE(model->rowOf(m_single), -1);
    // The dialog's run (unrecorded here) has no row: the box shows its placeholder.
    QCOMPARE(dialog.runPicker()->currentIndex(), -1);
    QCOMPARE(dialog.runPicker()->placeholderText(), QStringLiteral("This session's run (not recorded)"));
}

void TestArenaPicker::votesAttachToThePickedRun()
{
    HistoryWriter writer;
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    QSignalSpy opened(&writer, &HistoryWriter::opened);
    writer.start(m_path, options);
    QVERIFY(opened.wait(10'000));

    const QString week2 = m_history.runIds.at(2);
    {
        ArenaDialog dialog;
        dialog.setHistory(m_path, &writer);
        dialog.resize(1100, 620);
        dialog.show();
        dialog.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        // Alt+U (the label's mnemonic) to the box, then Down: the newest run, week 2.
        QTest::keyClick(&dialog, Qt::Key_U, Qt::AltModifier);
        QTRY_VERIFY(dialog.runPicker()->hasFocus());
        QTest::keyClick(dialog.runPicker(), Qt::Key_Down);
        QVERIFY2(dialog.runPicker()->currentIndex() == 0,
                 qPrintable(dialog.findChild<QLabel *>(QStringLiteral("arenaRunMessage"))->text()));
        QCOMPARE(dialog.session()->runId(), week2);
        QVERIFY(dialog.session()->persistent());
        QCOMPARE(dialog.windowTitle(), QStringLiteral("Blind Arena"));
        // Week 2: t1, t2 and t3 answered c1–c4, t1 twice: pairs between targets.
        QVERIFY(dialog.session()->pairCount() > 0);
        keepPicture(&dialog, QStringLiteral("arena-run-picker.png"));

        const ArenaPair pair = dialog.session()->currentPair().value();
        const QSet<QString> week2Jobs = jobIdsOf(week2);
        QVERIFY(week2Jobs.contains(pair.leftCellId));
        QVERIFY(week2Jobs.contains(pair.rightCellId));
        // The keys vote again once a run is picked: ← prefers A.
        QTest::keyClick(&dialog, Qt::Key_Left);
        QCOMPARE(dialog.session()->votes().size(), 1);

        const auto stored = [this, &week2] {
            HistoryStore store;
            if (!store.open(m_path, HistoryStore::Mode::ReadOnly))
                return QList<StoredArenaVote>();
            const auto votes = store.arenaVotes(week2);
            return votes ? votes.value() : QList<StoredArenaVote>();
        };
        QTRY_COMPARE_WITH_TIMEOUT(stored().size(), 1, 10'000);
        const StoredArenaVote vote = stored().constFirst();
        QCOMPARE(vote.runId, week2);
        QCOMPARE(vote.choice, QStringLiteral("left"));
        QCOMPARE(vote.leftJobId, pair.leftCellId);
        QCOMPARE(vote.rightJobId, pair.rightCellId);
        // Not against the run on show before, nor any other.
        HistoryStore store;
        QVERIFY(store.open(m_path, HistoryStore::Mode::ReadOnly).ok());
        for (const QString &other : {m_history.runIds.at(0), m_history.runIds.at(1)})
            QVERIFY(store.arenaVotes(other).value().isEmpty());

        // Another run, then back: the earlier vote counts and its pair is not asked again.
        QVERIFY(dialog.openRun(m_history.runIds.at(0)).ok());
        QCOMPARE(dialog.runPicker()->currentIndex(), 2);
        QCOMPARE(dialog.session()->votes().size(), 0);
        const qsizetype pairs = dialog.session()->pairCount();
        QVERIFY(dialog.openRun(week2).ok());
        QCOMPARE(dialog.session()->votes().size(), 1);
        QVERIFY(dialog.session()->pairCount() < pairs + 1); // week 2 has one pair fewer to ask
        // A run that is not in the history: refused, the run on show stays.
        QVERIFY(!dialog.openRun(QStringLiteral("no-such-run")).ok());
        QCOMPARE(dialog.session()->runId(), week2);
        QVERIFY(dialog.findChild<QLabel *>(QStringLiteral("arenaRunMessage"))->text().contains(u"no-such-run"));
    }
}

void TestArenaPicker::theHistoryBrowserOpensARunInTheArena()
{
    HistoryBrowser browser(m_path);
    QAction *arena = browser.arenaAction();
    QVERIFY(arena);
    QCOMPARE(browser.view()->contextMenuPolicy(), Qt::ActionsContextMenu);
    QVERIFY(browser.view()->actions().contains(arena));
    QSignalSpy requested(&browser, &HistoryBrowser::arenaRequested);
    const auto select = [&browser](const QString &runId) {
        for (int row = 0; row < browser.proxy()->rowCount(); ++row) {
            const QModelIndex index = browser.proxy()->index(row, 0);
            if (index.data(RunListModel::RunIdRole).toString() == runId)
                browser.view()->selectionModel()->setCurrentIndex(
                    index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        }
        return browser.selectedRunIds() == QStringList{runId};
    };
    // A chat and a one-target run: nothing to pair.
    for (const QString &unusable : {m_quick, m_single}) {
        QVERIFY(select(unusable));
        QVERIFY(!arena->isEnabled());
        arena->trigger();
        QCOMPARE(requested.size(), 0);
    }
    const QString week1 = m_history.runIds.at(1);
    QVERIFY(select(week1));
    QVERIFY(arena->isEnabled());
    arena->trigger();
    QCOMPARE(requested.size(), 1);
    QCOMPARE(requested.constFirst().constFirst().toString(), week1);

    // The main window opens it over that run, with its targets' votes going to it.
    MainWindow window;
    QVERIFY(!window.showArenaOnRun(week1)); // no history yet
    QVERIFY(window.setHistoryPath(m_path).ok());
    ArenaDialog *dialog = window.showArenaOnRun(week1);
    QVERIFY(dialog);
    QCOMPARE(dialog->session()->runId(), week1);
    QVERIFY(dialog->session()->persistent());
    QCOMPARE(dialog->runPicker()->currentIndex(), dialog->runModel()->rowOf(week1));
    QCOMPARE(window.showArenaOnRun(week1), dialog); // raised, not opened twice
    QVERIFY(!window.showArenaOnRun(QStringLiteral("no-such-run")));
}

QTEST_MAIN(TestArenaPicker)
#include "tst_arenapicker.moc"
