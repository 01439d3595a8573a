#include "RoutingComparisonModel.h"

#include "AppTheme.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QGuiApplication>
#include <QLocale>

namespace Slopscope {

namespace {

QVariant optionalValue(const std::optional<double> &v)
{
    return v ? QVariant(*v) : QVariant();
}

} // namespace

RoutingComparisonModel::RoutingComparisonModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void RoutingComparisonModel::setEvaluations(const QList<RoutingEvaluation> &policies,
                                            const QList<RoutingEvaluation> &targets)
{
    beginResetModel();
    m_rows = policies + targets;
    m_policyRows = static_cast<int>(policies.size());
    endResetModel();
}

const RoutingEvaluation &RoutingComparisonModel::evaluationAt(int row) const
{
    return m_rows.at(row);
}

int RoutingComparisonModel::rowOf(const QString &name, bool isPolicy) const
{
    const int from = isPolicy ? 0 : m_policyRows;
    const int to = isPolicy ? m_policyRows : static_cast<int>(m_rows.size());
    for (int row = from; row < to; ++row) {
        if (m_rows.at(row).policy.name == name)
            return row;
    }
    return -1;
}

int RoutingComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int RoutingComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RoutingComparisonModel::value(const RoutingEvaluation &e, int column) const
{
    switch (column) {
    case PolicyColumn:
        return e.policy.name;
    case RouteColumn:
        return e.policy.summary();
    case QualityColumn:
        return optionalValue(e.quality);
    case IntervalColumn:
        return e.qualityLow && e.qualityHigh ? QVariant(*e.qualityHigh - *e.qualityLow) : QVariant();
    case CostColumn:
        return optionalValue(e.costPer1000Cases);
    case P50Column:
        return optionalValue(e.latencyP50Ms);
    case P95Column:
        return optionalValue(e.latencyP95Ms);
    case EscalatedColumn:
        return optionalValue(e.escalatedShare);
    case VerdictsColumn:
        return static_cast<qlonglong>(e.recordedVerdicts + e.oracleVerdicts);
    case MissingColumn:
        return static_cast<qlonglong>(e.missingAnswers + e.missingVerdicts);
    default:
        return {};
    }
}

QString RoutingComparisonModel::text(const RoutingEvaluation &e, int column, bool isPolicy) const
{
    const QLocale locale;
    const QString none = QStringLiteral("—");
    switch (column) {
    case PolicyColumn:
        return e.policy.name;
    case RouteColumn:
        return isPolicy ? e.policy.summary() : tr("single target");
    case QualityColumn:
        return e.quality ? locale.toString(*e.quality * 100.0, 'f', 1) + u'%' : none;
    case IntervalColumn:
        return e.qualityLow && e.qualityHigh ? tr("%1–%2%").arg(locale.toString(*e.qualityLow * 100.0, 'f', 1),
                                                                locale.toString(*e.qualityHigh * 100.0, 'f', 1))
                                             : none;
    case CostColumn:
        return e.costPer1000Cases ? u'$' + locale.toString(*e.costPer1000Cases, 'f', 4) : none;
    case P50Column:
        return e.latencyP50Ms ? tr("%1 ms").arg(locale.toString(*e.latencyP50Ms, 'f', 0)) : none;
    case P95Column:
        return e.latencyP95Ms ? tr("%1 ms").arg(locale.toString(*e.latencyP95Ms, 'f', 0)) : none;
    case EscalatedColumn:
        if (!isPolicy || e.policy.kind == RoutingPolicy::Kind::BestOfN || !e.escalatedShare)
            return none;
        return locale.toString(*e.escalatedShare * 100.0, 'f', 0) + u'%';
    case VerdictsColumn:
        if (e.recordedVerdicts + e.oracleVerdicts == 0)
            return none;
        return tr("%1 recorded / %2 oracle").arg(e.recordedVerdicts).arg(e.oracleVerdicts);
    case MissingColumn:
        if (e.missingAnswers + e.missingVerdicts == 0)
            return tr("none");
        return tr("%1 answers, %2 verdicts").arg(e.missingAnswers).arg(e.missingVerdicts);
    default:
        return {};
    }
}

QVariant RoutingComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const RoutingEvaluation &e = m_rows.at(index.row());
    const bool policy = isPolicyRow(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return text(e, index.column(), policy);
    case ValueRole:
        return value(e, index.column());
    case IsPolicyRole:
        return policy;
    case Qt::TextAlignmentRole:
        return index.column() >= QualityColumn && index.column() <= EscalatedColumn
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    case Qt::FontRole:
        if (policy && index.column() == PolicyColumn) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::BackgroundRole:
        // Policies on a faint tint, so they read apart from the single targets below them.
        // Asked at paint time, so it follows a theme change.
        if (!policy)
            return {};
        return QBrush(AppTheme::isDark(QGuiApplication::palette()) ? QColor(0x37, 0x41, 0x51)
                                                                   : QColor(0xf3, 0xf4, 0xf6));
    case Qt::ToolTipRole:
        if (index.column() == MissingColumn && !e.missing.isEmpty())
            return tr("Select the row to list what is missing below the table.");
        if (index.column() == QualityColumn && (e.incomplete > 0 || e.unscored > 0))
            return tr("On %1 case(s); %2 replay(s) left out for missing data, %3 without a score.")
                .arg(e.cases)
                .arg(e.incomplete)
                .arg(e.unscored);
        if (index.column() == CostColumn && !e.costPer1000Cases && e.unknownCost > 0)
            return tr("%1 replay(s) of unknown cost: no total is shown rather than a partial one.").arg(e.unknownCost);
        return text(e, index.column(), policy);
    default:
        return {};
    }
}

QVariant RoutingComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case PolicyColumn:
        return tr("Policy / target");
    case RouteColumn:
        return tr("Route");
    case QualityColumn:
        return tr("Quality");
    case IntervalColumn:
        return tr("95% interval");
    case CostColumn:
        return tr("$ / 1,000 cases");
    case P50Column:
        return tr("p50 latency");
    case P95Column:
        return tr("p95 latency");
    case EscalatedColumn:
        return tr("Escalated");
    case VerdictsColumn:
        return tr("Verdicts");
    case MissingColumn:
        return tr("Missing");
    default:
        return {};
    }
}

} // namespace Slopscope
