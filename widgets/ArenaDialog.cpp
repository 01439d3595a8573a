#include "ArenaDialog.h"

#include "ArenaSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RecordedRun.h"
#include "views/ArenaRunModel.h"

#include <QComboBox>

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QTableWidget>
#include <QTabWidget>
#include <QtConcurrent/QtConcurrentRun>
#include <QVBoxLayout>

namespace Slopscope {

namespace {

enum RankingColumn {
    RankColumn,
    TargetColumn,
    StrengthColumn,
    IntervalColumn,
    WinsColumn,
    TiesColumn,
    LossesColumn,
    VotesColumn,
    RankingColumnCount
};

QPlainTextEdit *readOnlyText(QWidget *parent, const QString &objectName, const QString &accessibleName)
{
    auto *text = new QPlainTextEdit(parent);
    text->setObjectName(objectName);
    text->setReadOnly(true);
    text->setAccessibleName(accessibleName);
    // Read, not typed into: the arrows belong to the vote, not to a text cursor.
    text->setFocusPolicy(Qt::NoFocus);
    return text;
}

} // namespace

ArenaDialog::ArenaDialog(QWidget *parent)
    : QDialog(parent)
    , m_session(new ArenaSession(this))
    , m_runModel(new ArenaRunModel(this))
{
    setObjectName(QStringLiteral("arenaDialog"));
    setWindowTitle(tr("Blind Arena"));
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("arenaTabs"));
    m_tabs->addTab(createVotePage(), tr("&Vote"));
    m_tabs->addTab(createRankingPage(), tr("&Ranking"));
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(createRunPicker());
    layout->addWidget(m_tabs);
    layout->addWidget(buttons);

    const QList<std::pair<QKeySequence, void (ArenaDialog::*)()>> voteKeys{
        {QKeySequence(Qt::Key_Left), &ArenaDialog::voteLeft}, {QKeySequence(Qt::Key_1), &ArenaDialog::voteLeft},
        {QKeySequence(Qt::Key_Down), &ArenaDialog::voteTie},  {QKeySequence(Qt::Key_T), &ArenaDialog::voteTie},
        {QKeySequence(Qt::Key_2), &ArenaDialog::voteTie},     {QKeySequence(Qt::Key_Right), &ArenaDialog::voteRight},
        {QKeySequence(Qt::Key_3), &ArenaDialog::voteRight},   {QKeySequence(Qt::Key_S), &ArenaDialog::skip}};
    for (const auto &[key, slot] : voteKeys)
        m_voteKeys.append(addShortcut(key, slot));
    addShortcut(QKeySequence::Undo, &ArenaDialog::undo); // on either tab
    // On the ranking the arrows move through the table: the vote keys rest there.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this](int index) {
        for (QShortcut *key : std::as_const(m_voteKeys))
            key->setEnabled(index == 0);
        updateRanking();
    });
    m_rankingWatcher = new QFutureWatcher<ArenaRanking>(this);
    connect(m_rankingWatcher, &QFutureWatcher<ArenaRanking>::finished, this, [this] {
        m_rankingRunning = false;
        showRanking(m_rankingWatcher->result());
        updateRanking(); // votes cast meanwhile
    });
    connect(m_session, &ArenaSession::changed, this, &ArenaDialog::refresh);
    resize(1200, 760);
    refresh();
    m_tieButton->setFocus(Qt::OtherFocusReason);
}

ArenaDialog::~ArenaDialog() = default;

void ArenaDialog::setTargetNames(const QHash<QString, QString> &names)
{
    m_names = names;
    showRanking(m_shownRanking);
}

QWidget *ArenaDialog::createRunPicker()
{
    m_runRow = new QWidget(this);
    m_runRow->setObjectName(QStringLiteral("arenaRunRow"));
    m_runPicker = new QComboBox(m_runRow);
    m_runPicker->setObjectName(QStringLiteral("arenaRunPicker"));
    m_runPicker->setModel(m_runModel);
    m_runPicker->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_runPicker->setMinimumContentsLength(40);
    // A run of this session that the history does not hold has no row: the box says so.
    m_runPicker->setPlaceholderText(tr("This session's run (not recorded)"));
    m_runPicker->setAccessibleName(tr("Run to vote on"));
    m_runPicker->setToolTip(tr("Vote on another recorded run: suite runs of two or more targets"));
    // Arrows vote, so the box takes the focus only when clicked (or by its Alt+U mnemonic).
    m_runPicker->setFocusPolicy(Qt::ClickFocus);
    m_runPicker->installEventFilter(this);
    connect(m_runPicker, &QComboBox::activated, this, [this](int row) {
        const QString runId = m_runModel->index(row, 0).data(ArenaRunModel::RunIdRole).toString();
        if (runId != m_session->runId())
            openRun(runId);
        m_tieButton->setFocus(Qt::OtherFocusReason); // the keys vote again
    });
    auto *label = new QLabel(tr("R&un:"), m_runRow);
    label->setBuddy(m_runPicker);
    m_runMessage = new QLabel(m_runRow);
    m_runMessage->setObjectName(QStringLiteral("arenaRunMessage"));
    m_runMessage->setTextFormat(Qt::PlainText); // store errors quote the user's text
    m_runMessage->setWordWrap(true);
    auto *row = new QHBoxLayout(m_runRow);
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(label);
    row->addWidget(m_runPicker, 1);
    row->addWidget(m_runMessage, 1);
    m_runRow->hide();
    return m_runRow;
}

bool ArenaDialog::eventFilter(QObject *watched, QEvent *event)
{
    // In the run picker, the arrows and letters move through the runs: they are not votes.
    if (watched == m_runPicker && event->type() == QEvent::ShortcutOverride) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (!(key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))) {
            event->accept();
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

void ArenaDialog::setHistory(const QString &historyPath, HistoryWriter *writer)
{
    m_historyPath = historyPath;
    m_writer = writer;
    HistoryStore store;
    // No quick_check: the writer checked the file when it opened it.
    auto opened = store.open(historyPath, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
    auto runs = opened ? store.listRuns() : Result<QList<RunRecord>>(Error{opened.error()});
    m_runModel->setRuns(runs ? runs.value() : QList<RunRecord>{});
    m_runMessage->setText(runs ? QString() : tr("Cannot list the recorded runs: %1").arg(runs.error()));
    m_runPicker->setCurrentIndex(m_runModel->rowOf(m_session->runId()));
    m_runRow->setVisible(!historyPath.isEmpty());
}

Status ArenaDialog::openRun(const QString &runId)
{
    // As the main window opens a run: from the database alone, without a second quick_check.
    auto loaded = RecordedRun::load(m_historyPath, runId, false, StoreOpenOptions{.quickCheck = false});
    QList<StoredArenaVote> earlier;
    if (loaded) {
        HistoryStore store;
        auto opened = store.open(m_historyPath, HistoryStore::Mode::ReadOnly, StoreOpenOptions{.quickCheck = false});
        auto votes = opened ? store.arenaVotes(runId) : Result<QList<StoredArenaVote>>(Error{opened.error()});
        if (!votes) {
            // Without them, pairs already voted on would be asked (and counted) again.
            loaded = Error{votes.error()};
        } else {
            earlier = votes.value();
        }
    }
    if (!loaded) {
        m_runMessage->setText(tr("Cannot open the run: %1").arg(loaded.error()));
        m_runPicker->setCurrentIndex(m_runModel->rowOf(m_session->runId())); // back to the run on show
        return Error{loaded.error()};
    }
    const RecordedRun &run = loaded.value();
    QHash<QString, QString> names;
    const QList<TargetConfig> lineup = run.lineup();
    for (const TargetConfig &t : lineup)
        names.insert(t.id, t.label.isEmpty() ? t.id : t.label);
    m_runMessage->clear();
    // The votes attach to this run's own result ids, in its own row of the history.
    m_session->setWriter(m_writer);
    m_session->setRun(runId, run.cells, run.spec.suite, earlier);
    setTargetNames(names);
    m_runPicker->setCurrentIndex(m_runModel->rowOf(runId));
    updateTitle();
    return {};
}

void ArenaDialog::updateTitle()
{
    setWindowTitle(m_session->persistent() ? tr("Blind Arena")
                                           : tr("Blind Arena (votes kept until closed: this run is not recorded)"));
}

bool ArenaDialog::rankingPending() const
{
    return m_rankingDirty || m_rankingRunning;
}

QWidget *ArenaDialog::createVotePage()
{
    m_votePage = new QWidget(this);
    m_votePage->setObjectName(QStringLiteral("arenaVotePage"));
    m_progress = new QLabel(m_votePage);
    m_progress->setObjectName(QStringLiteral("arenaProgress"));
    m_progress->setTextFormat(Qt::PlainText);
    auto *promptLabel = new QLabel(tr("Question"), m_votePage);
    m_prompt = readOnlyText(m_votePage, QStringLiteral("arenaPrompt"), tr("Question"));
    m_prompt->setMaximumHeight(150);
    m_left = readOnlyText(m_votePage, QStringLiteral("arenaAnswerA"), tr("Answer A"));
    m_right = readOnlyText(m_votePage, QStringLiteral("arenaAnswerB"), tr("Answer B"));
    const auto box = [this](const QString &title, QPlainTextEdit *text) {
        auto *group = new QGroupBox(title, m_votePage);
        auto *l = new QVBoxLayout(group);
        l->addWidget(text);
        return group;
    };
    auto *answers = new QSplitter(Qt::Horizontal, m_votePage);
    answers->addWidget(box(tr("Answer A"), m_left));
    answers->addWidget(box(tr("Answer B"), m_right));
    answers->setChildrenCollapsible(false);

    m_note = new QLineEdit(m_votePage);
    m_note->setObjectName(QStringLiteral("arenaNote"));
    m_note->setPlaceholderText(tr("Note (optional), saved with the next vote"));
    m_note->setClearButtonEnabled(true);
    // Typing a note takes the keys (a T is a letter there), so it has the focus only when clicked.
    m_note->setFocusPolicy(Qt::ClickFocus);
    const auto button = [this](const QString &text, const QString &name, void (ArenaDialog::*slot)()) {
        auto *b = new QPushButton(text, m_votePage);
        b->setObjectName(name);
        b->setAutoDefault(false);
        connect(b, &QPushButton::clicked, this, slot);
        return b;
    };
    m_leftButton = button(tr("← A is better"), QStringLiteral("arenaLeft"), &ArenaDialog::voteLeft);
    m_tieButton = button(tr("Tie"), QStringLiteral("arenaTie"), &ArenaDialog::voteTie);
    m_rightButton = button(tr("B is better →"), QStringLiteral("arenaRight"), &ArenaDialog::voteRight);
    m_skipButton = button(tr("Skip"), QStringLiteral("arenaSkip"), &ArenaDialog::skip);
    m_undoButton = button(tr("Undo"), QStringLiteral("arenaUndo"), &ArenaDialog::undo);
    auto *row = new QHBoxLayout;
    row->addWidget(m_undoButton);
    row->addStretch();
    row->addWidget(m_leftButton);
    row->addWidget(m_tieButton);
    row->addWidget(m_rightButton);
    row->addStretch();
    row->addWidget(m_skipButton);
    auto *keys = new QLabel(tr("Keys: ← or 1 for A, ↓, T or 2 for a tie, → or 3 for B, S to skip, Ctrl+Z to undo. "
                               "Which target wrote which answer shows only in the Ranking."),
                            m_votePage);
    keys->setWordWrap(true);
    keys->setEnabled(false); // a hint, greyed

    auto *layout = new QVBoxLayout(m_votePage);
    layout->addWidget(m_progress);
    layout->addWidget(promptLabel);
    layout->addWidget(m_prompt);
    layout->addWidget(answers, 1);
    layout->addWidget(m_note);
    layout->addLayout(row);
    layout->addWidget(keys);
    return m_votePage;
}

QWidget *ArenaDialog::createRankingPage()
{
    auto *page = new QWidget(this);
    page->setObjectName(QStringLiteral("arenaRankingPage"));
    m_rankingSummary = new QLabel(page);
    m_rankingSummary->setTextFormat(Qt::PlainText);
    m_rankingSummary->setWordWrap(true);
    m_ranking = new QTableWidget(0, RankingColumnCount, page);
    m_ranking->setObjectName(QStringLiteral("arenaRanking"));
    m_ranking->setHorizontalHeaderLabels(
        {tr("#"), tr("Target"), tr("Strength"), tr("95% interval"), tr("Wins"), tr("Ties"), tr("Losses"), tr("Votes")});
    m_ranking->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_ranking->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_ranking->verticalHeader()->hide();
    m_ranking->horizontalHeader()->setSectionResizeMode(TargetColumn, QHeaderView::Stretch);
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_rankingSummary);
    layout->addWidget(m_ranking, 1);
    return page;
}

QShortcut *ArenaDialog::addShortcut(const QKeySequence &key, void (ArenaDialog::*slot)())
{
    auto *shortcut = new QShortcut(key, this);
    connect(shortcut, &QShortcut::activated, this, slot);
    return shortcut;
}

void ArenaDialog::voteLeft()
{
    m_session->vote(ArenaVote::Choice::Left, m_note->text());
    afterVote();
}

void ArenaDialog::voteTie()
{
    m_session->vote(ArenaVote::Choice::Tie, m_note->text());
    afterVote();
}

void ArenaDialog::voteRight()
{
    m_session->vote(ArenaVote::Choice::Right, m_note->text());
    afterVote();
}

void ArenaDialog::afterVote()
{
    m_note->clear();
    // Out of the note, so the next key is a vote again.
    if (m_note->hasFocus())
        m_tieButton->setFocus(Qt::OtherFocusReason);
}

void ArenaDialog::skip()
{
    m_session->skip();
}

void ArenaDialog::undo()
{
    m_session->undo();
}

void ArenaDialog::refresh()
{
    const auto question = m_session->current();
    const qsizetype total = m_session->pairCount();
    const qsizetype votes = m_session->votes().size();
    if (question) {
        m_progress->setText(
            tr("Pair %1 of %2 · %n vote(s) so far", "", int(votes)).arg(m_session->position() + 1).arg(total));
        m_prompt->setPlainText(question->prompt);
        m_left->setPlainText(question->leftText);
        m_right->setPlainText(question->rightText);
    } else {
        m_progress->setText(
            total == 0 ? tr("Nothing to compare: the arena needs answers from at least two targets "
                            "to the same case. · %n vote(s)",
                            "", int(votes))
                       : tr("All %1 pairs seen · %n vote(s). See the Ranking tab.", "", int(votes)).arg(total));
        m_prompt->clear();
        m_left->clear();
        m_right->clear();
    }
    for (QPushButton *b : {m_leftButton, m_tieButton, m_rightButton, m_skipButton})
        b->setEnabled(question.has_value());
    m_undoButton->setEnabled(m_session->canUndo());
    m_rankingDirty = true;
    updateRanking();
}

void ArenaDialog::updateRanking()
{
    if (!m_rankingDirty || m_tabs->currentIndex() != 1 || m_rankingRunning)
        return;
    m_rankingDirty = false;
    m_rankingRunning = true;
    const ArenaSession::RankingInput input = m_session->rankingInput();
    m_rankingSummary->setText(tr("Ranking %n vote(s)…", "", int(input.votes.size())));
    m_rankingWatcher->setFuture(QtConcurrent::run(&ArenaSession::rank, input));
}

void ArenaDialog::showRanking(const ArenaRanking &ranking)
{
    m_shownRanking = ranking;
    m_rankingSummary->setText(
        ranking.standings.isEmpty()
            ? tr("No votes yet: the ranking appears once answers have been compared.")
            : tr("Bradley–Terry strengths from %n vote(s) (a tie counts half to each), with 95% bootstrap "
                 "intervals. Strengths sum to 1; overlapping intervals mean the votes do not separate the targets.",
                 "", int(ranking.votes)));
    const QLocale locale;
    m_ranking->setRowCount(static_cast<int>(ranking.standings.size()));
    for (int row = 0; row < ranking.standings.size(); ++row) {
        const ArenaStanding &s = ranking.standings.at(row);
        const auto set = [this, row](int column, const QString &text, Qt::Alignment align = Qt::AlignRight) {
            auto *item = new QTableWidgetItem(text);
            item->setTextAlignment(align | Qt::AlignVCenter);
            m_ranking->setItem(row, column, item);
        };
        set(RankColumn, locale.toString(row + 1));
        const QString name = m_names.value(s.targetId);
        set(TargetColumn, name.isEmpty() ? s.targetId : name, Qt::AlignLeft);
        m_ranking->item(row, TargetColumn)->setToolTip(s.targetId.toHtmlEscaped());
        set(StrengthColumn, locale.toString(s.strength.estimate, 'f', 3));
        set(IntervalColumn,
            tr("%1 – %2").arg(locale.toString(s.strength.low, 'f', 3), locale.toString(s.strength.high, 'f', 3)));
        set(WinsColumn, locale.toString(s.wins));
        set(TiesColumn, locale.toString(s.ties));
        set(LossesColumn, locale.toString(s.losses));
        set(VotesColumn, locale.toString(s.wins + s.ties + s.losses));
    }
    m_ranking->resizeColumnsToContents();
}

} // namespace Slopscope
