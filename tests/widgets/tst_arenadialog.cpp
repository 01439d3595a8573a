#include "ArenaDialog.h"
#include "ArenaSession.h"
#include "core/Workspace.h"
#include "MainWindow.h"
#include "quality/Suite.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "TargetListWidget.h"

#include <QAbstractButton>
#include <QAction>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace Slopscope;

namespace {

const QStringList kTargets{QStringLiteral("target-alpha"), QStringLiteral("target-beta"),
                           QStringLiteral("target-gamma")};
const QHash<QString, QString> kLabels{{QStringLiteral("target-alpha"), QStringLiteral("Alpha Model")},
                                      {QStringLiteral("target-beta"), QStringLiteral("Beta Model")},
                                      {QStringLiteral("target-gamma"), QStringLiteral("Gamma Model")}};

Suite fourCases()
{
    const QByteArray json = R"({"name": "Arena check", "cases": [
        {"id": "c1", "prompt": "Name a prime number."},
        {"id": "c2", "prompt": "What colour is the sky?"},
        {"id": "c3", "prompt": "Spell 'cat' backwards."},
        {"id": "c4", "prompt": "How many legs has a spider?"}]})";
    auto suite = Suite::fromJson(json, QStringLiteral("<test>"));
    return suite ? suite.value() : Suite{};
}

// 3 targets × 4 cases; an answer's text says which cell it is by a number only, never a name.
QList<CellResult> cells()
{
    QList<CellResult> out;
    int n = 0;
    for (const QString &c : {QStringLiteral("c1"), QStringLiteral("c2"), QStringLiteral("c3"), QStringLiteral("c4")}) {
        for (const QString &t : kTargets) {
            CellResult cell;
            cell.caseId = c;
            cell.job.targetId = t;
            cell.job.jobId = composeJobId(c, {}, 0, t);
            cell.job.state = JobState::Completed;
            cell.job.result.text = QStringLiteral("Answer text number %1.").arg(++n);
            out.append(cell);
        }
    }
    return out;
}

QString textOf(const QList<CellResult> &all, const QString &jobId)
{
    for (const CellResult &c : all) {
        if (c.job.jobId == jobId)
            return c.job.result.text;
    }
    return {};
}

QString targetOf(const QString &jobId)
{
    return jobId.section(u'|', 3);
}

// Every piece of text the voting panel shows.
QStringList visibleTexts(QWidget *panel)
{
    QStringList out{panel->window()->windowTitle()};
    for (auto *w : panel->findChildren<QLabel *>())
        out << w->text() << w->toolTip();
    for (auto *w : panel->findChildren<QAbstractButton *>())
        out << w->text() << w->toolTip();
    for (auto *w : panel->findChildren<QPlainTextEdit *>())
        out << w->toPlainText() << w->accessibleName() << w->placeholderText();
    for (auto *w : panel->findChildren<QLineEdit *>())
        out << w->text() << w->placeholderText();
    for (auto *w : panel->findChildren<QGroupBox *>())
        out << w->title();
    return out;
}

} // namespace

// The blind arena: keys record the right choice for the hidden cells, undo takes the last vote
// back, the ranking follows the votes, and nothing on the voting side names a target.
class TestArenaDialog final : public QObject
{
    Q_OBJECT

private slots:
    void keysRecordTheChoiceForTheHiddenCells();
    void undoTakesBackTheLastVote();
    void aTargetThatAlwaysWinsRanksFirst();
    void theRankingFollowsTheVotes();
    void theVotingPanelNeverNamesATarget();
    void votesGoToTheHistoryAndAreNotAskedAgain();
    void theMainWindowOpensItOverTheRunOnShow();

private:
    std::unique_ptr<ArenaDialog> openDialog(const QString &runId = {});
};

std::unique_ptr<ArenaDialog> TestArenaDialog::openDialog(const QString &runId)
{
    auto dialog = std::make_unique<ArenaDialog>();
    dialog->setTargetNames(kLabels);
    dialog->session()->setRun(runId, cells(), fourCases());
    dialog->show();
    dialog->activateWindow();
    if (!QTest::qWaitForWindowActive(dialog.get()))
        qWarning("the arena did not become the active window");
    return dialog;
}

void TestArenaDialog::keysRecordTheChoiceForTheHiddenCells()
{
    auto dialog = openDialog();
    ArenaSession *session = dialog->session();
    QCOMPARE(session->pairCount(), 12); // 3 pairs of targets × 4 cases
    const QList<CellResult> all = cells();
    const auto *left = dialog->findChild<QPlainTextEdit *>(QStringLiteral("arenaAnswerA"));
    const auto *right = dialog->findChild<QPlainTextEdit *>(QStringLiteral("arenaAnswerB"));
    const auto *prompt = dialog->findChild<QPlainTextEdit *>(QStringLiteral("arenaPrompt"));
    const QList<std::pair<int, QString>> presses{
        {Qt::Key_Left, QStringLiteral("left")}, {Qt::Key_Right, QStringLiteral("right")},
        {Qt::Key_T, QStringLiteral("tie")},     {Qt::Key_Down, QStringLiteral("tie")},
        {Qt::Key_1, QStringLiteral("left")},    {Qt::Key_3, QStringLiteral("right")},
        {Qt::Key_2, QStringLiteral("tie")}};
    QList<ArenaPair> shown;
    for (const auto &[key, choice] : presses) {
        const ArenaPair pair = session->currentPair().value();
        shown.append(pair);
        // The answers on screen are the pair's, on its sides, under the prompt of their case.
        QCOMPARE(left->toPlainText(), textOf(all, pair.leftCellId));
        QCOMPARE(right->toPlainText(), textOf(all, pair.rightCellId));
        QVERIFY(prompt->toPlainText().endsWith(u'?') || prompt->toPlainText().endsWith(u'.'));
        QTest::keyClick(dialog.get(), static_cast<Qt::Key>(key));
    }
    const QList<StoredArenaVote> votes = session->votes();
    QCOMPARE(votes.size(), presses.size());
    for (qsizetype i = 0; i < votes.size(); ++i) {
        QCOMPARE(votes.at(i).leftJobId, shown.at(i).leftCellId);
        QCOMPARE(votes.at(i).rightJobId, shown.at(i).rightCellId);
        QCOMPARE(votes.at(i).choice, presses.at(i).second);
        QCOMPARE(votes.at(i).caseId, votes.at(i).leftJobId.section(u'|', 0, 0));
        QVERIFY(targetOf(votes.at(i).leftJobId) != targetOf(votes.at(i).rightJobId));
    }
    // S skips: the next pair, no vote.
    QTest::keyClick(dialog.get(), Qt::Key_S);
    QCOMPARE(session->position(), presses.size() + 1);
    QCOMPARE(session->votes().size(), presses.size());
    const auto *progress = dialog->findChild<QLabel *>(QStringLiteral("arenaProgress"));
    QVERIFY2(progress->text().contains(QStringLiteral("Pair 9 of 12")), qPrintable(progress->text()));
    // The buttons vote too.
    const ArenaPair pair = session->currentPair().value();
    dialog->findChild<QAbstractButton *>(QStringLiteral("arenaRight"))->click();
    QCOMPARE(session->votes().last().rightJobId, pair.rightCellId);
    QCOMPARE(session->votes().last().choice, QStringLiteral("right"));
}

void TestArenaDialog::undoTakesBackTheLastVote()
{
    auto dialog = openDialog();
    ArenaSession *session = dialog->session();
    auto *undo = dialog->findChild<QAbstractButton *>(QStringLiteral("arenaUndo"));
    QVERIFY(!undo->isEnabled());
    QTest::keyClick(dialog.get(), Qt::Key_Left);
    const ArenaPair second = session->currentPair().value();
    QTest::keyClick(dialog.get(), Qt::Key_Right);
    QTest::keyClick(dialog.get(), Qt::Key_S); // a skip after it is not a vote to undo
    QCOMPARE(session->votes().size(), 2);
    QVERIFY(undo->isEnabled());
    QTest::keyClick(dialog.get(), Qt::Key_Z, Qt::ControlModifier);
    QCOMPARE(session->votes().size(), 1);
    QCOMPARE(session->votes().first().choice, QStringLiteral("left"));
    QCOMPARE(session->position(), 1); // the undone pair is shown again
    QCOMPARE(session->currentPair()->leftCellId, second.leftCellId);
    QCOMPARE(session->currentPair()->rightCellId, second.rightCellId);
    undo->click();
    QCOMPARE(session->votes().size(), 0);
    QCOMPARE(session->position(), 0);
    QVERIFY(!undo->isEnabled());
}

void TestArenaDialog::aTargetThatAlwaysWinsRanksFirst()
{
    auto dialog = openDialog();
    ArenaSession *session = dialog->session();
    // Gamma wins wherever it is; alpha against beta is a tie.
    while (const auto pair = session->currentPair()) {
        if (targetOf(pair->leftCellId) == u"target-gamma")
            QTest::keyClick(dialog.get(), Qt::Key_Left);
        else if (targetOf(pair->rightCellId) == u"target-gamma")
            QTest::keyClick(dialog.get(), Qt::Key_Right);
        else
            QTest::keyClick(dialog.get(), Qt::Key_T);
    }
    QVERIFY(session->atEnd());
    QCOMPARE(session->votes().size(), 12);
    const ArenaRanking ranking = session->ranking();
    QCOMPARE(ranking.standings.size(), 3);
    QCOMPARE(ranking.standings.first().targetId, QStringLiteral("target-gamma"));
    QCOMPARE(ranking.standings.first().wins, 8);
    QCOMPARE(ranking.standings.first().losses, 0);
    for (const ArenaStanding &s : ranking.standings) {
        QVERIFY(s.strength.low <= s.strength.estimate && s.strength.estimate <= s.strength.high);
        QVERIFY(s.strength.high - s.strength.low > 0); // an interval, not a point
    }
    QVERIFY(ranking.standings.first().strength.estimate > 2 * ranking.standings.at(1).strength.estimate);
    // The Ranking tab reveals the names: gamma's label first, with its votes.
    dialog->tabs()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->rankingPending(), 20'000);
    QTableWidget *table = dialog->rankingTable();
    QCOMPARE(table->rowCount(), 3);
    QCOMPARE(table->item(0, 1)->text(), QStringLiteral("Gamma Model"));
    QCOMPARE(table->item(0, 7)->text(), QStringLiteral("8"));
    QVERIFY(table->item(0, 3)->text().contains(u'–'));
}

// The ranking is computed off the GUI thread when its tab is shown; the vote keys rest there.
void TestArenaDialog::theRankingFollowsTheVotes()
{
    auto dialog = openDialog();
    ArenaSession *session = dialog->session();
    QTest::keyClick(dialog.get(), Qt::Key_Left);
    QTest::keyClick(dialog.get(), Qt::Key_Right);
    QCOMPARE(dialog->shownRanking().votes, 0); // not computed while voting
    dialog->tabs()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->rankingPending(), 20'000);
    QCOMPARE(dialog->shownRanking().votes, 2);
    qsizetype rows = 0;
    for (const ArenaStanding &s : dialog->shownRanking().standings)
        rows += s.wins + s.ties + s.losses;
    QCOMPARE(rows, 4);                           // two per vote
    QTest::keyClick(dialog.get(), Qt::Key_Left); // moves in the table, votes nothing
    QTest::keyClick(dialog.get(), Qt::Key_T);
    QCOMPARE(session->votes().size(), 2);
    dialog->tabs()->setCurrentIndex(0);
    QTest::keyClick(dialog.get(), Qt::Key_T);
    QCOMPARE(session->votes().size(), 3);
    dialog->tabs()->setCurrentIndex(1);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->shownRanking().votes, 3, 20'000);
    QTest::keyClick(dialog.get(), Qt::Key_Z, Qt::ControlModifier); // undo works from the ranking too
    QCOMPARE(session->votes().size(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(dialog->shownRanking().votes, 2, 20'000);
}

void TestArenaDialog::theVotingPanelNeverNamesATarget()
{
    auto dialog = openDialog();
    ArenaSession *session = dialog->session();
    QStringList names = kTargets;
    for (const QString &label : kLabels)
        names.append(label);
    names << QStringLiteral("alpha") << QStringLiteral("beta") << QStringLiteral("gamma");
    int checked = 0;
    while (true) {
        const QStringList texts = visibleTexts(dialog->votingPanel());
        for (const QString &text : texts) {
            for (const QString &name : std::as_const(names))
                QVERIFY2(!text.contains(name, Qt::CaseInsensitive), qPrintable(name + u" in: " + text));
        }
        ++checked;
        if (session->atEnd())
            break;
        QTest::keyClick(dialog.get(), checked % 2 ? Qt::Key_Left : Qt::Key_Right);
    }
    QCOMPARE(checked, 13); // every pair, and the end
    // The ranking does name them: that is where they are revealed.
    dialog->tabs()->setCurrentIndex(1);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->rankingPending(), 20'000);
    QTableWidget *table = dialog->rankingTable();
    QCOMPARE(table->rowCount(), 3);
    QStringList shown;
    for (int row = 0; row < table->rowCount(); ++row)
        shown.append(table->item(row, 1)->text());
    shown.sort();
    QCOMPARE(shown,
             (QStringList{QStringLiteral("Alpha Model"), QStringLiteral("Beta Model"), QStringLiteral("Gamma Model")}));
}

void TestArenaDialog::votesGoToTheHistoryAndAreNotAskedAgain()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    HistoryStore store;
    QVERIFY(store.open(path).ok());
    HistoryWriter writer;
    StoreWriter::Options options;
    options.backupIntervalHours = 0;
    QSignalSpy committed(&writer, &HistoryWriter::committed);
    writer.start(path, options);
    RunStart run;
    run.id = QStringLiteral("11111111-2222-3333-4444-555555555555");
    run.suiteName = QStringLiteral("Arena check");
    run.targetIds = kTargets;
    run.startedAt = QDateTime::currentDateTimeUtc();
    writer.beginRun(run);
    writer.endRun(run.id, RunState::Completed);
    {
        auto dialog = openDialog(run.id);
        dialog->session()->setWriter(&writer);
        dialog->session()->setRun(run.id, cells(), fourCases());
        QVERIFY(dialog->session()->persistent());
        QTest::keyClick(dialog.get(), Qt::Key_Left);
        QTest::keyClick(dialog.get(), Qt::Key_Right);
        QTest::keyClick(dialog.get(), Qt::Key_T);
        QTest::keyClick(dialog.get(), Qt::Key_Z, Qt::ControlModifier);
    }
    // A marker result after the votes: once it is committed, so are they.
    const CellResult marker = cells().first();
    writer.addResult(run.id, marker);
    const auto markerCommitted = [&committed, &marker] {
        for (const QList<QVariant> &args : std::as_const(committed)) {
            if (args.first().toStringList().contains(marker.job.jobId))
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(markerCommitted(), 20'000);
    const auto stored = store.arenaVotes(run.id);
    QVERIFY2(stored.ok(), qPrintable(stored.error()));
    QCOMPARE(stored.value().size(), 2);
    QCOMPARE(stored.value().at(0).choice, QStringLiteral("left"));
    QCOMPARE(stored.value().at(1).choice, QStringLiteral("right"));

    // A later sitting counts them and asks only the other pairs.
    ArenaSession again;
    again.setRun(run.id, cells(), fourCases(), stored.value());
    QCOMPARE(again.pairCount(), 10);
    QCOMPARE(again.votes().size(), 2);
    QCOMPARE(again.ranking().votes, 2);
    for (qsizetype i = 0; i < again.pairCount(); ++i) {
        const ArenaPair p = again.currentPair().value();
        for (const StoredArenaVote &v : stored.value()) {
            const bool same = (p.leftCellId == v.leftJobId && p.rightCellId == v.rightJobId) ||
                              (p.leftCellId == v.rightJobId && p.rightCellId == v.leftJobId);
            QVERIFY(!same);
        }
        again.skip();
    }
}

// Run ▸ Blind Arena: over the last run when it has ended, over a run opened from the history, with
// the votes of an earlier sitting counted and their pairs not asked again.
void TestArenaDialog::theMainWindowOpensItOverTheRunOnShow()
{
    QStandardPaths::setTestModeEnabled(true);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    QString runId;
    qsizetype pairs = 0;
    {
        MainWindow window;
        auto *action = window.findChild<QAction *>(QStringLiteral("arenaAction"));
        QVERIFY(action);
        QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_A));
        QVERIFY(!window.showArena()); // nothing run yet
        window.setWorkspace(Workspace::demo());
        window.addSuite(fourCases());
        TargetListWidget *list = window.targetList();
        for (int i = 3; i < list->topLevelItemCount(); ++i)
            list->topLevelItem(i)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);
        QVERIFY(window.setHistoryPath(path).ok());
        QVERIFY(window.startRun());
        QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 60'000);
        runId = window.recordedRunId();
        ArenaDialog *arena = window.showArena();
        QVERIFY(arena);
        QCOMPARE(arena->session()->runId(), runId);
        QVERIFY(arena->session()->persistent());
        pairs = arena->session()->pairCount();
        QVERIFY2(pairs > 0, "the simulated targets answered nothing");
        QVERIFY(QTest::qWaitForWindowActive(arena));
        QTest::keyClick(arena, Qt::Key_Right);
        const auto stored = [&path, &runId] {
            HistoryStore store;
            if (!store.open(path, HistoryStore::Mode::ReadOnly))
                return qsizetype(-1);
            const auto votes = store.arenaVotes(runId);
            return votes ? votes.value().size() : qsizetype(-1);
        };
        QTRY_COMPARE_WITH_TIMEOUT(stored(), 1, 10'000);
        QCOMPARE(window.showArena(), arena); // the same run: the open dialog, not another
    }
    MainWindow window;
    QVERIFY(window.setHistoryPath(path).ok());
    QVERIFY(window.showRecordedRun(runId).ok());
    ArenaDialog *arena = window.showArena();
    QVERIFY(arena);
    QCOMPARE(arena->session()->votes().size(), 1);
    QCOMPARE(arena->session()->votes().first().choice, QStringLiteral("right"));
    QCOMPARE(arena->session()->pairCount(), pairs - 1);
}

QTEST_MAIN(TestArenaDialog)
#include "tst_arenadialog.moc"
