#include "views/RunComparisonModel.h"

#include "views/ViewText.h"

#include <QBrush>
#include <QColor>
#include <QFont>
#include <QLocale>

#include <algorithm>

namespace Slopscope {

namespace {

std::optional<double> metricValue(const TargetRunStats &s, RunComparisonModel::Metric metric)
{
    switch (metric) {
    case RunComparisonModel::QualityMetric:
        return s.quality;
    case RunComparisonModel::TtftMetric:
        return s.medianTtftMs;
    case RunComparisonModel::TokensPerSecondMetric:
        return s.medianDecodeTokensPerSecond;
    case RunComparisonModel::CostMetric:
        return s.costPerCaseUsd;
    default:
        return std::nullopt;
    }
}

// Pale tints so dark text stays readable; the text carries ▲/▼/⚠ so nothing rests on hue alone.
const QColor kDrop(0xf4, 0xa5, 0x82);
const QColor kRise(0xa6, 0xd9, 0x6a);
const QColor kSwap(0xfe, 0xe0, 0x8b);

} // namespace

RunComparisonModel::RunComparisonModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

RunComparisonModel::~RunComparisonModel() = default;

void RunComparisonModel::setRuns(QList<Run> runs)
{
    beginResetModel();
    m_runs = std::move(runs);
    std::stable_sort(m_runs.begin(), m_runs.end(),
                     [](const Run &a, const Run &b) { return a.startedAt < b.startedAt; });
    m_targetIds.clear();
    m_cell.clear();
    for (qsizetype run = 0; run < m_runs.size(); ++run) {
        const QList<TargetRunStats> &targets = m_runs.at(run).targets;
        for (qsizetype i = 0; i < targets.size(); ++i) {
            qsizetype row = m_targetIds.indexOf(targets.at(i).targetId);
            if (row < 0) {
                row = m_targetIds.size();
                m_targetIds.append(targets.at(i).targetId);
                m_cell.append(QList<qsizetype>(m_runs.size(), -1));
            }
            m_cell[row][run] = i;
        }
    }
    endResetModel();
}

const TargetRunStats *RunComparisonModel::stats(int row, int run) const
{
    if (row < 0 || row >= m_cell.size() || run < 0 || run >= m_runs.size())
        return nullptr;
    const qsizetype i = m_cell.at(row).at(run);
    return i < 0 ? nullptr : &m_runs.at(run).targets.at(i);
}

int RunComparisonModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_targetIds.size());
}

int RunComparisonModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : 1 + static_cast<int>(m_runs.size()) * MetricCount;
}

const TargetRunStats *RunComparisonModel::previous(int row, int run) const
{
    for (int r = run - 1; r >= 0; --r) {
        if (const TargetRunStats *s = stats(row, r))
            return s;
    }
    return nullptr;
}

bool RunComparisonModel::modelChanged(int row, int run) const
{
    const TargetRunStats *now = stats(row, run);
    const TargetRunStats *before = previous(row, run);
    return now && before && RunStatsText::modelChanged(*before, *now);
}

bool RunComparisonModel::modelEverChanged(int row) const
{
    for (int run = 1; run < m_runs.size(); ++run) {
        if (modelChanged(row, run))
            return true;
    }
    return false;
}

RunStatsText::Change RunComparisonModel::change(int row, int run) const
{
    const TargetRunStats *base = stats(row, 0);
    const TargetRunStats *now = stats(row, run);
    if (run == 0 || !base || !now)
        return RunStatsText::Change::Unknown;
    return RunStatsText::qualityChange(*base, *now);
}

QVariant RunComparisonModel::value(const TargetRunStats &s, Metric metric) const
{
    if (metric == FailedMetric)
        return s.failed;
    if (metric == ModelMetric)
        return s.modelsReported.isEmpty() ? QVariant() : QVariant(s.modelsReported.join(QStringLiteral(", ")));
    const std::optional<double> v = metricValue(s, metric);
    return v ? QVariant(*v) : QVariant();
}

QVariant RunComparisonModel::delta(int row, int run, Metric metric) const
{
    const TargetRunStats *base = stats(row, 0);
    const TargetRunStats *now = stats(row, run);
    if (run == 0 || !base || !now)
        return {};
    if (metric == FailedMetric)
        return now->failed - base->failed;
    const std::optional<double> before = metricValue(*base, metric);
    const std::optional<double> after = metricValue(*now, metric);
    if (!before || !after)
        return {};
    return *after - *before;
}

QString RunComparisonModel::display(int row, int run, Metric metric) const
{
    const TargetRunStats *s = stats(row, run);
    if (!s)
        return RunStatsText::dash();
    const TargetRunStats *base = stats(row, 0);
    const QVariant d = delta(row, run, metric);
    switch (metric) {
    case QualityMetric: {
        const QString text = RunStatsText::quality(*s);
        if (!d.isValid())
            return text;
        switch (change(row, run)) {
        case RunStatsText::Change::Drop:
            return tr("%1 ▼ %2").arg(text, RunStatsText::points(d.toDouble()));
        case RunStatsText::Change::Rise:
            return tr("%1 ▲ %2").arg(text, RunStatsText::points(d.toDouble()));
        default:
            // "≈": a difference the intervals cannot tell from noise.
            return tr("%1 ≈ %2").arg(text, RunStatsText::points(d.toDouble()));
        }
    }
    case TtftMetric:
    case TokensPerSecondMetric:
    case CostMetric: {
        const std::optional<double> v = metricValue(*s, metric);
        const QString text = metric == TtftMetric              ? RunStatsText::ttft(v)
                             : metric == TokensPerSecondMetric ? RunStatsText::tokensPerSecond(v)
                                                               : RunStatsText::costPerCase(v);
        const std::optional<double> before = base ? metricValue(*base, metric) : std::nullopt;
        const QString moved = d.isValid() && before ? RunStatsText::relative(*before, *v) : QString();
        return moved.isEmpty() ? text : tr("%1 (%2)").arg(text, moved);
    }
    case FailedMetric:
        return RunStatsText::failed(*s);
    case ModelMetric: {
        const QString models = RunStatsText::models(*s);
        return modelChanged(row, run) ? tr("⚠ %1").arg(models) : models;
    }
    default:
        return {};
    }
}

QString RunComparisonModel::toolTip(int row, int run, Metric metric) const
{
    const TargetRunStats *s = stats(row, run);
    if (!s)
        return tr("Target %1 was not in this run.").arg(m_targetIds.at(row));
    QString text;
    switch (metric) {
    case QualityMetric:
        switch (change(row, run)) {
        case RunStatsText::Change::Drop:
            text = tr("Significantly worse than the first run: the 95% intervals do not overlap.");
            break;
        case RunStatsText::Change::Rise:
            text = tr("Significantly better than the first run: the 95% intervals do not overlap.");
            break;
        case RunStatsText::Change::NotSignificant:
            text = tr("Not significant: the 95% intervals overlap, so the change may be noise.");
            break;
        case RunStatsText::Change::Unknown:
            text = tr("Mean score over %n case(s); the range is a 95% bootstrap interval.", nullptr, s->cases);
            break;
        }
        break;
    case ModelMetric:
        if (modelChanged(row, run)) {
            text = tr("The provider reported %1 here but %2 in the run before: the model may have been "
                      "swapped without notice.")
                       .arg(RunStatsText::models(*s), RunStatsText::models(*previous(row, run)));
        } else {
            text = tr("The model the provider reported; configured: %1").arg(s->model);
        }
        break;
    case CostMetric:
        text = s->costPerCaseUsd ? tr("Mean cost of one case.")
                                 : tr("Unknown: %n answer(s) had no known price.", nullptr, s->unknownCostCells);
        break;
    case FailedMetric:
        text = tr("Answers that did not complete, of those recorded.");
        break;
    default:
        return {};
    }
    return ViewText::html(text); // model names come from the provider
}

QVariant RunComparisonModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const int row = index.row();
    if (index.column() == TargetColumn) {
        const bool swapped = modelEverChanged(row);
        switch (role) {
        case Qt::DisplayRole:
            return swapped ? tr("⚠ %1").arg(m_targetIds.at(row)) : m_targetIds.at(row);
        case TargetIdRole:
        case SortRole:
        case ValueRole:
            return m_targetIds.at(row);
        case ModelChangedRole:
            return swapped;
        case Qt::ToolTipRole:
            return ViewText::html(swapped ? tr("Target %1: the reported model changed between these runs.")
                                                .arg(m_targetIds.at(row))
                                          : tr("Target %1").arg(m_targetIds.at(row)));
        default:
            return {};
        }
    }
    const int run = (index.column() - 1) / MetricCount;
    const auto metric = static_cast<Metric>((index.column() - 1) % MetricCount);
    const TargetRunStats *s = stats(row, run);
    switch (role) {
    case Qt::DisplayRole:
        return display(row, run, metric);
    case ValueRole:
    case SortRole:
        return s ? value(*s, metric) : QVariant();
    case DeltaRole:
        return delta(row, run, metric);
    case ChangeRole:
        return metric == QualityMetric ? QVariant(static_cast<int>(change(row, run))) : QVariant();
    case ModelChangedRole:
        return metric == ModelMetric ? QVariant(modelChanged(row, run)) : QVariant();
    case TargetIdRole:
        return m_targetIds.at(row);
    case RunIdRole:
        return m_runs.at(run).id;
    case Qt::ToolTipRole:
        return toolTip(row, run, metric);
    case Qt::BackgroundRole:
        if (metric == QualityMetric && change(row, run) == RunStatsText::Change::Drop)
            return QBrush(kDrop);
        if (metric == QualityMetric && change(row, run) == RunStatsText::Change::Rise)
            return QBrush(kRise);
        if (metric == ModelMetric && modelChanged(row, run))
            return QBrush(kSwap);
        return {};
    case Qt::ForegroundRole:
        // The tints are pale: dark text on them whatever the palette.
        if ((metric == QualityMetric && (change(row, run) == RunStatsText::Change::Drop ||
                                         change(row, run) == RunStatsText::Change::Rise)) ||
            (metric == ModelMetric && modelChanged(row, run)))
            return QBrush(Qt::black);
        return {};
    case Qt::FontRole:
        if (metric == QualityMetric && (change(row, run) == RunStatsText::Change::Drop ||
                                        change(row, run) == RunStatsText::Change::Rise)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    case Qt::TextAlignmentRole:
        if (metric == ModelMetric)
            return {};
        return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QString RunComparisonModel::runLabel(int run) const
{
    const Run &r = m_runs.at(run);
    return QLocale().toString(r.startedAt.toLocalTime(), QLocale::NarrowFormat);
}

QVariant RunComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= columnCount())
        return QAbstractTableModel::headerData(section, orientation, role);
    if (section == TargetColumn)
        return role == Qt::DisplayRole ? QVariant(tr("Target")) : QVariant();
    const int run = (section - 1) / MetricCount;
    const auto metric = static_cast<Metric>((section - 1) % MetricCount);
    if (role == Qt::ToolTipRole) {
        const Run &r = m_runs.at(run);
        return ViewText::html(run == 0 ? tr("Run %1 of %2, the baseline the others are compared with.")
                                             .arg(r.id, r.suiteName)
                                       : tr("Run %1 of %2").arg(r.id, r.suiteName));
    }
    if (role != Qt::DisplayRole)
        return {};
    QString name;
    switch (metric) {
    case QualityMetric:
        name = tr("Quality");
        break;
    case TtftMetric:
        name = tr("TTFT");
        break;
    case TokensPerSecondMetric:
        name = tr("Decode");
        break;
    case CostMetric:
        name = tr("Cost/case");
        break;
    case FailedMetric:
        name = tr("Failed");
        break;
    case ModelMetric:
        name = tr("Reported model");
        break;
    default:
        break;
    }
    // The run's date over its first column only, so a group reads as one run.
    if (metric != QualityMetric)
        return tr("\n%1").arg(name);
    return tr("%1\n%2").arg(run == 0 ? tr("%1 (baseline)").arg(runLabel(run)) : runLabel(run), name);
}

} // namespace Slopscope
