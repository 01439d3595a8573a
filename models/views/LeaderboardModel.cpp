#include "views/LeaderboardModel.h"

#include "views/ViewText.h"

#include <QColor>
#include <QLocale>

#include <algorithm>

namespace Slopscope {

namespace {

QVariant orNull(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant();
}

QString percent(double v)
{
    return QLocale().toString(v * 100.0, 'f', 1);
}

QString dash()
{
    return QStringLiteral("—");
}

} // namespace

LeaderboardModel::LeaderboardModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

LeaderboardModel::~LeaderboardModel() = default;

void LeaderboardModel::setTargets(const QList<TargetConfig> &targets)
{
    beginResetModel();
    m_rows.clear();
    for (const TargetConfig &t : targets)
        m_rows.append(Row{t.id, t.label.isEmpty() ? t.id : t.label, t.color, std::nullopt, {}, 0, 0, {}});
    endResetModel();
}

void LeaderboardModel::clearResults()
{
    for (Row &row : m_rows) {
        row.summary.reset();
        row.ttftMs.clear();
        row.cellsSeen = 0;
        row.failedSeen = 0;
        row.agreement.clear();
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
}

int LeaderboardModel::ensureRow(const QString &targetId)
{
    const int existing = rowOfTarget(targetId);
    if (existing >= 0)
        return existing;
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_rows.append(Row{targetId, targetId, QString(), std::nullopt, {}, 0, 0, {}});
    endInsertRows();
    return row;
}

void LeaderboardModel::updateSummary(const TargetSummary &summary)
{
    const int row = ensureRow(summary.targetId);
    m_rows[row].summary = summary;
    Q_EMIT dataChanged(index(row, QualityColumn), index(row, ColumnCount - 1));
}

void LeaderboardModel::addCell(const CellResult &cell)
{
    const int row = ensureRow(cell.job.targetId);
    Row &r = m_rows[row];
    ++r.cellsSeen;
    if (cell.job.state != JobState::Completed)
        ++r.failedSeen;
    else if (cell.metrics.ttftNs)
        r.ttftMs.append(static_cast<double>(*cell.metrics.ttftNs) / 1e6);
    Q_EMIT dataChanged(index(row, TtftP50Column), index(row, ColumnCount - 1));
}

void LeaderboardModel::setAgreement(const QList<TargetAgreement> &rows)
{
    for (Row &row : m_rows)
        row.agreement.clear();
    for (const TargetAgreement &a : rows) {
        // Only targets in the lineup: a rating never adds a row.
        const int row = rowOfTarget(a.targetId);
        if (row >= 0)
            m_rows[row].agreement.append(a);
    }
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, AgreementColumn), index(rowCount() - 1, AgreementColumn));
}

std::optional<Stats::Agreement> LeaderboardModel::agreementOf(const Row &row)
{
    const auto a = JudgeHumanAgreement::forTarget(row.agreement, row.targetId);
    return a && a->n > 0 ? a : std::nullopt;
}

int LeaderboardModel::rowOfTarget(const QString &targetId) const
{
    for (int i = 0; i < m_rows.size(); ++i) {
        if (m_rows.at(i).targetId == targetId)
            return i;
    }
    return -1;
}

QString LeaderboardModel::targetIdAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).targetId : QString();
}

std::optional<double> LeaderboardModel::ttftP95Ms(const QString &targetId) const
{
    const int row = rowOfTarget(targetId);
    return row < 0 ? std::nullopt : ViewText::quantile(m_rows.at(row).ttftMs, 0.95);
}

int LeaderboardModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int LeaderboardModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qsizetype LeaderboardModel::cellCount(const Row &row) const
{
    // The summary is coalesced and may lag the cells; the larger count is the newer one.
    return std::max(row.cellsSeen, row.summary ? row.summary->cells : 0);
}

std::optional<double> LeaderboardModel::errorRate(const Row &row) const
{
    const qsizetype cells = cellCount(row);
    if (cells == 0)
        return std::nullopt;
    const qsizetype failed =
        row.cellsSeen >= (row.summary ? row.summary->cells : 0) ? row.failedSeen : row.summary->failed;
    return static_cast<double>(failed) / static_cast<double>(cells);
}

QVariant LeaderboardModel::sortValue(const Row &row, int column) const
{
    const TargetSummary *s = row.summary ? &*row.summary : nullptr;
    switch (column) {
    case TargetColumn:
        return row.label;
    case QualityColumn:
        return s ? orNull(s->quality) : QVariant();
    case BrittlenessColumn:
        return s ? orNull(s->brittleness) : QVariant();
    case CostColumn:
        return s ? orNull(s->costPer1000Cases) : QVariant();
    case TtftP50Column:
        if (s && s->medianTtftMs)
            return *s->medianTtftMs;
        return orNull(ViewText::quantile(row.ttftMs, 0.5));
    case TtftP95Column:
        return orNull(ViewText::quantile(row.ttftMs, 0.95));
    case DecodeColumn:
        return s ? orNull(s->medianDecodeTokensPerSecond) : QVariant();
    case ErrorRateColumn:
        return orNull(errorRate(row));
    case AgreementColumn: {
        const auto a = agreementOf(row);
        return a ? QVariant(a->percent) : QVariant();
    }
    case CasesColumn:
        if (!s && row.cellsSeen == 0)
            return {};
        return static_cast<qlonglong>(s ? s->cases : 0);
    default:
        return {};
    }
}

QString LeaderboardModel::displayText(const Row &row, int column) const
{
    if (column == TargetColumn)
        return row.label;
    const QVariant v = sortValue(row, column);
    if (!v.isValid())
        return dash();
    const QLocale locale;
    const TargetSummary *s = row.summary ? &*row.summary : nullptr;
    switch (column) {
    case QualityColumn:
        if (s && s->qualityLow && s->qualityHigh)
            return tr("%1% (%2–%3)").arg(percent(v.toDouble()), percent(*s->qualityLow), percent(*s->qualityHigh));
        return tr("%1%").arg(percent(v.toDouble()));
    case BrittlenessColumn: {
        const QString value = locale.toString(v.toDouble() * 100.0, 'f', 1);
        if (s && s->brittlenessLow && s->brittlenessHigh)
            return tr("%1 pts (%2 to %3)")
                .arg(value, locale.toString(*s->brittlenessLow * 100.0, 'f', 1),
                     locale.toString(*s->brittlenessHigh * 100.0, 'f', 1));
        return tr("%1 pts").arg(value);
    }
    case CostColumn:
        return tr("$%1").arg(locale.toString(v.toDouble(), 'f', v.toDouble() < 1.0 ? 4 : 2));
    case TtftP50Column:
    case TtftP95Column:
        return tr("%1 ms").arg(locale.toString(v.toDouble(), 'f', 0));
    case DecodeColumn:
        return tr("%1 tok/s").arg(locale.toString(v.toDouble(), 'f', 0));
    case ErrorRateColumn:
    case AgreementColumn:
        return tr("%1%").arg(percent(v.toDouble()));
    case CasesColumn:
        return locale.toString(v.toLongLong());
    default:
        return {};
    }
}

QString LeaderboardModel::toolTip(const Row &row, int column) const
{
    const TargetSummary *s = row.summary ? &*row.summary : nullptr;
    const auto cases = static_cast<int>(s ? s->cases : 0);
    const auto cells = static_cast<int>(cellCount(row));
    const auto timed = static_cast<int>(row.ttftMs.size());
    QString text;
    switch (column) {
    case TargetColumn:
        text = tr("Target %1").arg(row.targetId);
        break;
    case QualityColumn:
        text = tr("Mean score over %n case(s) in their canonical wording; the range is a 95% bootstrap "
                  "interval.",
                  nullptr, cases);
        break;
    case BrittlenessColumn:
        text = s && s->brittleness
                   ? tr("Canonical minus reworded quality, in percentage points, over the cases run with "
                        "variants; the range is a paired 95% bootstrap interval.")
                   : tr("Unknown: the run had no rewordings (tick Variants).");
        break;
    case CostColumn:
        text = s && s->unknownCost > 0
                   ? tr("Cost of 1,000 cases at the measured mean; %n answer(s) had no known price and are "
                        "left out.",
                        nullptr, static_cast<int>(s->unknownCost))
                   : tr("Cost of 1,000 cases at the mean measured over %n answer(s).", nullptr, cells);
        break;
    case TtftP50Column:
    case TtftP95Column:
        text = tr("Time to first token over %n completed answer(s) (nearest rank).", nullptr,
                  std::max(timed, s && s->medianTtftMs ? cells : 0));
        break;
    case DecodeColumn:
        text = tr("Median decode speed after the first token, over %n answer(s).", nullptr, cells);
        break;
    case ErrorRateColumn:
        text = tr("Answers that did not complete (failed, truncated, cancelled) out of %n.", nullptr, cells);
        break;
    case AgreementColumn:
        text = agreementToolTip(row);
        break;
    case CasesColumn:
        text = tr("%n case(s) graded", nullptr, cases) + u'\n' + tr("%n answer(s) in all", nullptr, cells);
        break;
    default:
        break;
    }
    return ViewText::html(text);
}

QString LeaderboardModel::agreementToolTip(const Row &row) const
{
    const QLocale locale;
    const auto line = [&](const Stats::Agreement &a) {
        return tr("%1% agreement, κ = %2, over %n answer(s) graded by a judge and rated by a person", nullptr,
                  static_cast<int>(a.n))
            .arg(percent(a.percent), locale.toString(a.kappa, 'f', 2));
    };
    const auto overall = agreementOf(row);
    if (!overall)
        return tr("Unknown: no answer of this target has both a judge's verdict and a person's rating "
                  "(rate answers in the matrix).");
    QString text = line(*overall);
    for (const TargetAgreement &a : row.agreement) {
        if (a.judgeTargetId.isEmpty())
            continue;
        text += u'\n' + (a.agreement.n > 0 ? tr("Judge %1: %2").arg(a.judgeTargetId, line(a.agreement))
                                           : tr("Judge %1: no answer both graded").arg(a.judgeTargetId));
    }
    text += u'\n' + tr("κ (Cohen's kappa): 1 is perfect agreement, 0 what chance would give.");
    return text;
}

QVariant LeaderboardModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return displayText(row, index.column());
    case Qt::ToolTipRole:
        return toolTip(row, index.column());
    case SortRole:
        return sortValue(row, index.column());
    case TargetIdRole:
        return row.targetId;
    case Qt::DecorationRole:
        if (index.column() == TargetColumn && QColor::isValidColorName(row.color))
            return QColor::fromString(row.color);
        return {};
    case Qt::TextAlignmentRole:
        return index.column() == TargetColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant LeaderboardModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (role == Qt::DisplayRole) {
        switch (section) {
        case TargetColumn:
            return tr("Target");
        case QualityColumn:
            return tr("Quality (95% CI)");
        case BrittlenessColumn:
            return tr("Brittleness");
        case CostColumn:
            return tr("$ / 1k cases");
        case TtftP50Column:
            return tr("TTFT p50");
        case TtftP95Column:
            return tr("TTFT p95");
        case DecodeColumn:
            return tr("Decode");
        case ErrorRateColumn:
            return tr("Errors");
        case AgreementColumn:
            return tr("Judge–human agreement");
        case CasesColumn:
            return tr("n");
        default:
            break;
        }
    }
    return {};
}

} // namespace Slopscope
