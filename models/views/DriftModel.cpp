#include "views/DriftModel.h"

#include "views/RunStatsText.h"
#include "views/ViewText.h"

#include <QBrush>
#include <QColor>
#include <QLocale>

#include <algorithm>

namespace Slopscope {

namespace {

QVariant valueOrNull(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant();
}

} // namespace

DriftModel::DriftModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

DriftModel::~DriftModel() = default;

void DriftModel::setPoints(QList<TargetRunStats> points)
{
    beginResetModel();
    m_points = std::move(points);
    std::stable_sort(m_points.begin(), m_points.end(),
                     [](const TargetRunStats &a, const TargetRunStats &b) { return a.runStartedAt < b.runStartedAt; });
    endResetModel();
}

bool DriftModel::modelChangedAt(int row) const
{
    return row > 0 && row < m_points.size() && RunStatsText::modelChanged(m_points.at(row - 1), m_points.at(row));
}

int DriftModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_points.size());
}

int DriftModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant DriftModel::value(const TargetRunStats &s, int column) const
{
    switch (column) {
    case StartedColumn:
        return s.runStartedAt;
    case SuiteColumn:
        return s.suiteName;
    case QualityColumn:
        return valueOrNull(s.quality);
    case TtftColumn:
        return valueOrNull(s.medianTtftMs);
    case TokensPerSecondColumn:
        return valueOrNull(s.medianDecodeTokensPerSecond);
    case CostColumn:
        return valueOrNull(s.costPerCaseUsd);
    case FailedColumn:
        return s.failed;
    case ModelColumn:
        return s.modelsReported.isEmpty() ? QVariant() : QVariant(s.modelsReported.join(QStringLiteral(", ")));
    default:
        return {};
    }
}

QString DriftModel::display(int row, int column) const
{
    const TargetRunStats &s = m_points.at(row);
    switch (column) {
    case StartedColumn:
        return QLocale().toString(s.runStartedAt.toLocalTime(), QLocale::ShortFormat);
    case SuiteColumn:
        return ViewText::firstLine(s.suiteName);
    case QualityColumn:
        return RunStatsText::quality(s);
    case TtftColumn:
        return RunStatsText::ttft(s.medianTtftMs);
    case TokensPerSecondColumn:
        return RunStatsText::tokensPerSecond(s.medianDecodeTokensPerSecond);
    case CostColumn:
        return RunStatsText::costPerCase(s.costPerCaseUsd);
    case FailedColumn:
        return RunStatsText::failed(s);
    case ModelColumn:
        return modelChangedAt(row) ? tr("⚠ %1").arg(RunStatsText::models(s)) : RunStatsText::models(s);
    default:
        return {};
    }
}

QVariant DriftModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TargetRunStats &s = m_points.at(index.row());
    const bool changed = modelChangedAt(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(index.row(), index.column());
    case ValueRole:
        return value(s, index.column());
    case ModelChangedRole:
        return changed;
    case RunIdRole:
        return s.runId;
    case Qt::ToolTipRole:
        if (index.column() == ModelColumn && changed)
            return ViewText::html(
                tr("The provider reported %1 here but %2 in the run before: the model may "
                   "have been swapped without notice.")
                    .arg(RunStatsText::models(s), RunStatsText::models(m_points.at(index.row() - 1))));
        return ViewText::html(tr("Run %1").arg(s.runId));
    case Qt::BackgroundRole:
        return index.column() == ModelColumn && changed ? QVariant(QBrush(QColor(0xfe, 0xe0, 0x8b))) : QVariant();
    case Qt::ForegroundRole:
        return index.column() == ModelColumn && changed ? QVariant(QBrush(Qt::black)) : QVariant();
    case Qt::TextAlignmentRole:
        if (index.column() == StartedColumn || index.column() == SuiteColumn || index.column() == ModelColumn)
            return {};
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant DriftModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StartedColumn:
        return tr("Run started");
    case SuiteColumn:
        return tr("Suite");
    case QualityColumn:
        return tr("Quality (95% interval)");
    case TtftColumn:
        return tr("Median TTFT");
    case TokensPerSecondColumn:
        return tr("Decode");
    case CostColumn:
        return tr("Cost/case");
    case FailedColumn:
        return tr("Failed");
    case ModelColumn:
        return tr("Reported model");
    default:
        return {};
    }
}

} // namespace Slopscope
