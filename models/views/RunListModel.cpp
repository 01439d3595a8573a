#include "views/RunListModel.h"

#include "run/RunSpec.h"
#include "views/ViewText.h"

#include <QLocale>

namespace Slopscope {

RunListModel::RunListModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

RunListModel::~RunListModel() = default;

void RunListModel::setRuns(QList<RunRecord> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    endResetModel();
}

const RunRecord *RunListModel::run(const QString &runId) const
{
    for (const RunRecord &r : m_runs) {
        if (r.id == runId)
            return &r;
    }
    return nullptr;
}

int RunListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

int RunListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString RunListModel::stateText(RunState state)
{
    switch (state) {
    case RunState::Running:
        return tr("running");
    case RunState::Completed:
        return tr("completed");
    case RunState::Cancelled:
        return tr("cancelled");
    case RunState::Interrupted:
        return tr("interrupted");
    }
    return {};
}

QString RunListModel::kindLabel(const QString &kind)
{
    if (kind == kQuickCompareKind)
        return tr("Quick compare");
    return {};
}

QVariant RunListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord &run = m_runs.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return display(run, index.column());
    case RunIdRole:
        return run.id;
    case SortRole:
        return sortValue(run, index.column());
    case KindRole:
        return run.kind;
    case FilterRole:
        // What the filter box matches: the kind, the suite (or the prompt), the targets, the run id
        // and the state.
        return QStringList{kindLabel(run.kind), run.suiteName, run.title, run.targetIds.join(u' '), run.id,
                           stateText(run.state)}
            .join(u' ');
    case Qt::ToolTipRole:
        // Tooltips sniff for markup; target ids and stop reasons are not ours (S-9).
        if (index.column() == TargetsColumn)
            return ViewText::html(run.targetIds.join(QStringLiteral(", ")));
        if (index.column() == SuiteColumn && run.kind == kQuickCompareKind)
            return ViewText::html(
                tr("%1 (one prompt sent to %n target(s)): %2", nullptr, static_cast<int>(run.targetIds.size()))
                    .arg(kindLabel(run.kind), run.title));
        if (index.column() == StateColumn && !run.stopReason.isEmpty())
            return ViewText::html(run.stopReason);
        if (index.column() == CostColumn && run.unknownCostCells > 0)
            return tr("%n result(s) without a known price are not counted.", nullptr, run.unknownCostCells);
        return ViewText::html(tr("Run %1").arg(run.id));
    case Qt::TextAlignmentRole:
        if (index.column() == ResultsColumn || index.column() == CostColumn || index.column() == TargetsColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default:
        return {};
    }
}

QVariant RunListModel::display(const RunRecord &run, int column) const
{
    const QLocale locale;
    switch (column) {
    case StartedColumn:
        return locale.toString(run.startedAt.toLocalTime(), QLocale::ShortFormat);
    case SuiteColumn:
        // A quick-compare exchange has no suite of its own: its label and what was asked.
        if (const QString label = kindLabel(run.kind); !label.isEmpty())
            return run.title.isEmpty() ? label : tr("%1: %2").arg(label, run.title);
        return run.suiteName;
    case TargetsColumn:
        return locale.toString(run.targetIds.size());
    case ResultsColumn:
        return tr("%1 of %2").arg(locale.toString(run.okCells), locale.toString(run.plannedCells));
    case CostColumn:
        return tr("$%1").arg(locale.toString(run.costUsd, 'f', run.costUsd < 1.0 ? 4 : 2));
    case StateColumn:
        return run.sessions > 1 ? tr("%1 (resumed)").arg(stateText(run.state)) : stateText(run.state);
    default:
        return {};
    }
}

QVariant RunListModel::sortValue(const RunRecord &run, int column) const
{
    switch (column) {
    case StartedColumn:
        return run.startedAt;
    case SuiteColumn:
        return run.suiteName.toLower();
    case TargetsColumn:
        return static_cast<int>(run.targetIds.size());
    case ResultsColumn:
        return run.okCells;
    case CostColumn:
        return run.costUsd;
    case StateColumn:
        return static_cast<int>(run.state);
    default:
        return {};
    }
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case StartedColumn:
        return tr("Started");
    case SuiteColumn:
        return tr("Suite");
    case TargetsColumn:
        return tr("Targets");
    case ResultsColumn:
        return tr("Answers");
    case CostColumn:
        return tr("Cost");
    case StateColumn:
        return tr("State");
    default:
        return {};
    }
}

} // namespace Slopscope
