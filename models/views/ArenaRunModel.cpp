#include "ArenaRunModel.h"

#include "run/RunSpec.h"

#include <QLocale>

namespace Slopscope {

ArenaRunModel::ArenaRunModel(QObject *parent)
    : QAbstractListModel(parent)
{}

ArenaRunModel::~ArenaRunModel() = default;

bool ArenaRunModel::isArenaRun(const RunRecord &run)
{
    return run.kind != kQuickCompareKind && run.targetIds.size() >= 2;
}

void ArenaRunModel::setRuns(const QList<RunRecord> &runs)
{
    beginResetModel();
    m_runs.clear();
    for (const RunRecord &run : runs) {
        if (isArenaRun(run))
            m_runs.append(run);
    }
    endResetModel();
}

int ArenaRunModel::rowOf(const QString &runId) const
{
    for (qsizetype row = 0; row < m_runs.size(); ++row) {
        if (m_runs.at(row).id == runId)
            return static_cast<int>(row);
    }
    return -1;
}

int ArenaRunModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_runs.size());
}

QVariant ArenaRunModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RunRecord &run = m_runs.at(index.row());
    const QString started = QLocale().toString(run.startedAt.toLocalTime(), QLocale::ShortFormat);
    switch (role) {
    case Qt::DisplayRole:
        return tr("%1 · %2 · %3").arg(run.suiteName, started, run.targetIds.join(QStringLiteral(", ")));
    case Qt::ToolTipRole:
        // Suite names and target ids are the user's text: escaped in the rich-text tooltip.
        return tr("<b>%1</b><br>started %2<br>%n target(s): %3", nullptr, static_cast<int>(run.targetIds.size()))
            .arg(run.suiteName.toHtmlEscaped(), started, run.targetIds.join(QStringLiteral(", ")).toHtmlEscaped());
    case RunIdRole:
        return run.id;
    case StartedRole:
        return run.startedAt;
    case TargetIdsRole:
        return run.targetIds;
    default:
        return {};
    }
}

} // namespace Slopscope
