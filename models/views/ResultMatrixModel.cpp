#include "views/ResultMatrixModel.h"

#include "views/ViewText.h"

#include <QColor>
#include <QLocale>
#include <QSet>

#include <algorithm>

namespace Slopscope {

namespace {

constexpr qint64 kUnknownCaseRank = qint64(1) << 40;
constexpr int kToolTipRuns = 5; // repeats listed in a tooltip; the rest are summarised

bool passed(const CellResult &c)
{
    return c.job.state == JobState::Completed && c.grade.pass && !c.grade.pendingJudge;
}

int passedCount(const QList<CellResult> &runs)
{
    return static_cast<int>(std::count_if(runs.begin(), runs.end(), passed));
}

double meanScore(const QList<CellResult> &runs)
{
    double sum = 0;
    for (const CellResult &c : runs)
        sum += c.grade.score;
    return runs.isEmpty() ? 0.0 : sum / static_cast<double>(runs.size());
}

QString stateWord(JobState state)
{
    switch (state) {
    case JobState::Completed:
        return ResultMatrixModel::tr("completed");
    case JobState::Incomplete:
        return ResultMatrixModel::tr("stopped early");
    case JobState::Truncated:
        return ResultMatrixModel::tr("truncated");
    case JobState::Failed:
        return ResultMatrixModel::tr("failed");
    case JobState::Cancelled:
        return ResultMatrixModel::tr("cancelled");
    case JobState::Queued:
    case JobState::Running:
    case JobState::Waiting:
        break;
    }
    return ResultMatrixModel::tr("pending");
}

} // namespace

ResultMatrixModel::ResultMatrixModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

ResultMatrixModel::~ResultMatrixModel() = default;

void ResultMatrixModel::setSuite(const Suite &suite)
{
    beginResetModel();
    m_suite = suite;
    m_rows.clear();
    m_arrivals = 0;
    endResetModel();
}

void ResultMatrixModel::setTargets(const QList<TargetConfig> &targets)
{
    beginResetModel();
    m_columns.clear();
    for (const TargetConfig &t : targets)
        m_columns.append(Column{t.id, t.label.isEmpty() ? t.id : t.label, t.color});
    m_rows.clear();
    m_arrivals = 0;
    endResetModel();
}

void ResultMatrixModel::clearResults()
{
    if (m_rows.isEmpty())
        return;
    beginRemoveRows({}, 0, rowCount() - 1);
    m_rows.clear();
    m_arrivals = 0;
    endRemoveRows();
}

qint64 ResultMatrixModel::rankOf(const QString &caseId, const QString &variantId) const
{
    for (qsizetype i = 0; i < m_suite.cases.size(); ++i) {
        const SuiteCase &c = m_suite.cases.at(i);
        if (c.id != caseId)
            continue;
        qint64 variant = 0;
        if (!variantId.isEmpty()) {
            variant = c.variants.size() + 1; // a variant the suite does not list: after the known ones
            for (qsizetype v = 0; v < c.variants.size(); ++v) {
                if (c.variants.at(v).id == variantId)
                    variant = v + 1;
            }
        }
        return static_cast<qint64>(i) * 1024 + variant;
    }
    return kUnknownCaseRank + m_arrivals;
}

void ResultMatrixModel::addCell(const CellResult &cell)
{
    const QString &targetId = cell.job.targetId;
    int column = columnOf(targetId);
    if (column < 0) {
        column = columnCount();
        beginInsertColumns({}, column, column);
        m_columns.append(Column{targetId, targetId, QString()});
        endInsertColumns();
    }

    int row = rowOf(cell.caseId, cell.variantId);
    if (row < 0) {
        Row fresh;
        fresh.caseId = cell.caseId;
        fresh.variantId = cell.variantId;
        fresh.rank = rankOf(cell.caseId, cell.variantId);
        ++m_arrivals;
        const auto at = std::upper_bound(m_rows.cbegin(), m_rows.cend(), fresh.rank,
                                         [](qint64 rank, const Row &r) { return rank < r.rank; });
        row = static_cast<int>(at - m_rows.cbegin());
        beginInsertRows({}, row, row);
        fresh.cells[targetId].append(cell);
        m_rows.insert(row, fresh);
        endInsertRows();
        return;
    }

    QList<CellResult> &runs = m_rows[row].cells[targetId];
    const auto same =
        std::find_if(runs.begin(), runs.end(), [&cell](const CellResult &c) { return c.repeat == cell.repeat; });
    if (same != runs.end()) {
        *same = cell; // a re-answer of the same repeat (resume, judge verdict) replaces it
    } else {
        const auto at = std::upper_bound(runs.begin(), runs.end(), cell.repeat,
                                         [](int repeat, const CellResult &c) { return repeat < c.repeat; });
        runs.insert(at, cell);
    }
    const QModelIndex changed = index(row, column);
    Q_EMIT dataChanged(changed, changed);
}

QStringList ResultMatrixModel::tags() const
{
    QSet<QString> seen;
    for (const SuiteCase &c : m_suite.cases) {
        for (const QString &tag : c.tags)
            seen.insert(tag);
    }
    QStringList all(seen.cbegin(), seen.cend());
    all.sort(Qt::CaseInsensitive);
    return all;
}

int ResultMatrixModel::rowOf(const QString &caseId, const QString &variantId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).caseId == caseId && m_rows.at(i).variantId == variantId)
            return i;
    }
    return -1;
}

int ResultMatrixModel::columnOf(const QString &targetId) const
{
    for (int i = 0; i < m_columns.size(); ++i) {
        if (m_columns.at(i).targetId == targetId)
            return i;
    }
    return -1;
}

QString ResultMatrixModel::caseIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).caseId : QString();
}

QString ResultMatrixModel::variantIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).variantId : QString();
}

QString ResultMatrixModel::targetIdAt(int column) const
{
    return column >= 0 && column < m_columns.size() ? m_columns.at(column).targetId : QString();
}

QString ResultMatrixModel::targetLabelAt(int column) const
{
    return column >= 0 && column < m_columns.size() ? m_columns.at(column).label : QString();
}

QString ResultMatrixModel::referenceAt(int row) const
{
    if (row < 0 || row >= m_rows.size())
        return {};
    const SuiteCase *c = m_suite.findCase(m_rows.at(row).caseId);
    if (!c)
        return {};
    return Suite::referenceFor(*c, c->findVariant(m_rows.at(row).variantId));
}

QList<CellResult> ResultMatrixModel::cellsAt(int row, int column) const
{
    if (row < 0 || row >= m_rows.size() || column < 0 || column >= m_columns.size())
        return {};
    return m_rows.at(row).cells.value(m_columns.at(column).targetId);
}

int ResultMatrixModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int ResultMatrixModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_columns.size());
}

bool ResultMatrixModel::rowFailed(const Row &row) const
{
    for (const QList<CellResult> &runs : row.cells) {
        if (passedCount(runs) < runs.size())
            return true;
    }
    return false;
}

QString ResultMatrixModel::cellText(const QList<CellResult> &runs) const
{
    const int ok = passedCount(runs);
    const auto n = static_cast<int>(runs.size());
    const CellResult &last = runs.constLast();
    const bool pending =
        std::any_of(runs.begin(), runs.end(), [](const CellResult &c) { return c.grade.pendingJudge; });
    // The mark carries the verdict without colour: ✓ all passed, ✗ none, ◐ some, … awaiting a judge.
    const QString mark = pending && ok == 0 ? QStringLiteral("…")
                         : ok == n          ? QStringLiteral("✓")
                         : ok == 0          ? QStringLiteral("✗")
                                            : QStringLiteral("◐");
    QString body = ViewText::firstLine(last.job.result.text);
    if (body.isEmpty() && !last.job.result.toolCalls.isEmpty()) {
        // A tool-calling answer may say nothing: the calls are the answer.
        QStringList calls;
        for (const ToolCall &call : last.job.result.toolCalls)
            calls.append(call.name + u'(' + call.arguments + u')');
        body = tr("→ %1").arg(ViewText::firstLine(calls.join(QStringLiteral(", "))));
    }
    if (last.job.state != JobState::Completed) {
        const QString why = ViewText::firstLine(last.job.error.isEmpty() ? stateWord(last.job.state) : last.job.error);
        body = body.isEmpty() ? why : tr("%1 (%2)").arg(body, why);
    } else if (body.isEmpty()) {
        body = tr("(empty answer)");
    }
    if (n == 1)
        return mark + u' ' + body;
    return tr("%1 %2/%3 · %4 · %5").arg(mark).arg(ok).arg(n).arg(QLocale().toString(meanScore(runs), 'f', 2), body);
}

QString ResultMatrixModel::cellToolTip(const Row &row, const Column &column, const QList<CellResult> &runs) const
{
    const QLocale locale;
    QStringList lines;
    lines << tr("%1 · case %2").arg(column.label, row.caseId) +
                 (row.variantId.isEmpty() ? QString() : tr(" · variant %1").arg(row.variantId));
    lines << tr("Score %1 · %2/%3 passed")
                 .arg(locale.toString(meanScore(runs), 'f', 2))
                 .arg(passedCount(runs))
                 .arg(runs.size());
    for (qsizetype i = 0; i < runs.size() && i < kToolTipRuns; ++i) {
        const CellResult &c = runs.at(i);
        if (runs.size() > 1)
            lines << tr("Repeat %1: score %2").arg(c.repeat + 1).arg(locale.toString(c.grade.score, 'f', 2));
        if (c.job.state != JobState::Completed)
            lines << tr("  %1: %2").arg(stateWord(c.job.state), ViewText::firstLine(c.job.error, 200));
        for (const Grade &g : c.grade.grades) {
            const QString verdict = g.needsJudge ? QStringLiteral("…")
                                    : g.pass     ? QStringLiteral("✓")
                                                 : QStringLiteral("✗");
            lines << tr("  %1 %2 — %3").arg(verdict, g.type, ViewText::firstLine(g.reason, 200));
        }
    }
    if (runs.size() > kToolTipRuns)
        lines << tr("…and %n more repeat(s)", nullptr, static_cast<int>(runs.size() - kToolTipRuns));
    // Reasons quote the answer: untrusted text, escaped by ViewText::html.
    return ViewText::html(lines.join(u'\n'));
}

QString ResultMatrixModel::rowToolTip(const Row &row) const
{
    const SuiteCase *c = m_suite.findCase(row.caseId);
    if (!c)
        return ViewText::html(row.caseId);
    const CaseVariant *variant = c->findVariant(row.variantId);
    QString prompt = variant ? variant->prompt : c->prompt;
    if (prompt.isEmpty()) {
        const QList<ChatMessage> &messages = variant && !variant->messages.isEmpty() ? variant->messages : c->messages;
        if (!messages.isEmpty())
            prompt = messages.constLast().content;
    }
    QString text = c->description.isEmpty() ? c->id : c->description;
    if (!prompt.isEmpty())
        text += u'\n' + ViewText::firstLine(prompt, 300);
    if (!c->tags.isEmpty())
        text += u'\n' + tr("Tags: %1").arg(c->tags.join(QStringLiteral(", ")));
    return ViewText::html(text);
}

QVariant ResultMatrixModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    const Column &column = m_columns.at(index.column());
    switch (role) {
    case CaseIdRole:
        return row.caseId;
    case VariantIdRole:
        return row.variantId;
    case TargetIdRole:
        return column.targetId;
    case RowFailedRole:
        return rowFailed(row);
    case RowTagsRole: {
        const SuiteCase *c = m_suite.findCase(row.caseId);
        return c ? c->tags : QStringList();
    }
    default:
        break;
    }

    const auto found = row.cells.constFind(column.targetId);
    if (found == row.cells.cend() || found->isEmpty())
        return role == Qt::ToolTipRole ? QVariant(ViewText::html(tr("No answer yet"))) : QVariant();
    const QList<CellResult> &runs = *found;
    switch (role) {
    case Qt::DisplayRole:
        return cellText(runs);
    case Qt::ToolTipRole:
        return cellToolTip(row, column, runs);
    case Qt::BackgroundRole:
        return ViewText::scoreColor(meanScore(runs));
    case Qt::ForegroundRole:
        return QColor(Qt::black); // the backgrounds are pale in light and dark themes alike
    case Qt::AccessibleTextRole:
        return cellText(runs);
    case CellRole:
        return QVariant::fromValue(runs.constLast());
    case CellsRole:
        return QVariant::fromValue(runs);
    case ScoreRole:
        return meanScore(runs);
    case PassedRole:
        return passedCount(runs);
    case RunsRole:
        return static_cast<int>(runs.size());
    case AnswerRole:
        return runs.constLast().job.result.text;
    default:
        return {};
    }
}

QVariant ResultMatrixModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal) {
        if (section < 0 || section >= m_columns.size())
            return {};
        const Column &c = m_columns.at(section);
        switch (role) {
        case Qt::DisplayRole:
            return c.label;
        case Qt::ToolTipRole:
            return ViewText::html(c.label == c.targetId ? c.label : tr("%1 (%2)").arg(c.label, c.targetId));
        case Qt::DecorationRole:
            return QColor::isValidColorName(c.color) ? QVariant(QColor::fromString(c.color)) : QVariant();
        case TargetIdRole:
            return c.targetId;
        default:
            return {};
        }
    }
    if (section < 0 || section >= m_rows.size())
        return {};
    const Row &r = m_rows.at(section);
    switch (role) {
    case Qt::DisplayRole:
        return r.variantId.isEmpty()
                   ? ViewText::visibleName(r.caseId)
                   : tr("%1 ↳ %2").arg(ViewText::visibleName(r.caseId), ViewText::visibleName(r.variantId));
    case Qt::ToolTipRole:
        return rowToolTip(r);
    case CaseIdRole:
        return r.caseId;
    case VariantIdRole:
        return r.variantId;
    default:
        return {};
    }
}

} // namespace Slopscope
