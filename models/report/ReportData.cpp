#include "report/ReportData.h"

#include "core/Version.h"
#include "quality/Pareto.h"
#include "run/RunSession.h"
#include "store/RecordedRun.h"

#include <QSet>

namespace Slopscope {

namespace {

QString messagesText(const QList<ChatMessage> &messages)
{
    if (messages.size() == 1)
        return messages.first().content;
    QStringList parts;
    for (const ChatMessage &m : messages)
        parts.append(QStringLiteral("[%1]\n%2").arg(m.role, m.content));
    return parts.join(QStringLiteral("\n\n"));
}

QString primaryKey(const QString &caseId, const QString &targetId)
{
    return caseId + QChar(0x1f) + targetId;
}

// Whether `a` should be shown before `b` for the same case and target.
bool shownBefore(const CellResult &a, const CellResult &b)
{
    if (a.variantId.isEmpty() != b.variantId.isEmpty())
        return a.variantId.isEmpty();
    return a.repeat < b.repeat;
}

void addOverrides(QList<PriceOverride> &out, const QString &targetId, const Price &workspace, const Price &catalogue)
{
    const auto add = [&](const char *field, const std::optional<double> &ws, const std::optional<double> &cat) {
        if (ws)
            out.append(PriceOverride{targetId, QString::fromLatin1(field), *ws, cat});
    };
    add("input_per_mtok", workspace.inputPerMTok, catalogue.inputPerMTok);
    add("output_per_mtok", workspace.outputPerMTok, catalogue.outputPerMTok);
    add("cached_input_per_mtok", workspace.cachedInputPerMTok, catalogue.cachedInputPerMTok);
    add("cache_write_per_mtok", workspace.cacheWritePerMTok, catalogue.cacheWritePerMTok);
    add("reasoning_per_mtok", workspace.reasoningPerMTok, catalogue.reasoningPerMTok);
}

} // namespace

ReportData ReportData::fromSession(const RunSession &session, ReportRunInfo info)
{
    info.stopReason = info.stopReason.isEmpty() ? session.stopReason() : info.stopReason;
    info.catalogue = session.catalogueInfo();
    QStringList targetIds = session.spec().targetIds;
    if (targetIds.isEmpty()) {
        for (const TargetConfig &t : session.spec().workspace.targets)
            targetIds.append(t.id);
    }
    for (const QString &id : std::as_const(targetIds))
        info.schedules.insert(id, session.priceSchedule(id));
    return fromRun(session.spec(), session.results(), session.summaries(), info);
}

ReportData ReportData::fromRecordedRun(const RecordedRun &run)
{
    ReportRunInfo info;
    info.runId = run.record.id;
    info.startedAt = run.record.startedAt;
    info.endedAt = run.record.endedAt;
    info.stopReason = run.record.stopReason;
    info.catalogue.source = run.record.priceCatalogue; // the version string the run recorded
    info.appVersion = run.record.appVersion;
    info.schedules = run.schedules;
    info.ratings = run.humanRatings();
    return fromRun(run.spec, run.cells, run.summaries(), info);
}

void ReportData::setHumanRatings(const QList<HumanRating> &ratings)
{
    agreement.clear();
    if (ratings.isEmpty())
        return;
    // Only the rows someone can read a figure from; a target nobody rated says nothing.
    const QList<TargetAgreement> rows = JudgeHumanAgreement::perTarget(cells, ratings);
    QSet<QString> rated;
    for (const TargetAgreement &row : rows) {
        if (row.judgeTargetId.isEmpty() && row.agreement.n > 0)
            rated.insert(row.targetId);
    }
    for (const TargetAgreement &row : rows) {
        if (rated.contains(row.targetId))
            agreement.append(row);
    }
}

ReportData ReportData::fromRun(const RunSpec &spec, const QList<CellResult> &cells,
                               const QList<TargetSummary> &summaries, const ReportRunInfo &info)
{
    ReportData d;
    d.runId = info.runId;
    d.suiteName = spec.suite.name;
    d.suiteDescription = spec.suite.description;
    d.appVersion = info.appVersion.isEmpty() ? QString::fromLatin1(kVersion) : info.appVersion;
    d.catalogue = info.catalogue;
    d.cells = cells;
    d.setHumanRatings(info.ratings);

    ReportConditions &c = d.conditions;
    c.repeats = spec.repeats;
    c.variants = spec.variants;
    c.seed = spec.seed;
    c.concurrency = spec.globalConcurrency;
    c.oneProviderAtATime = spec.oneProviderAtATime;
    c.maxCostUsd = spec.maxCostUsd;
    c.startedAt = info.startedAt;
    c.endedAt = info.endedAt;
    c.stopReason = info.stopReason;

    QSet<QString> providersUsed;
    for (const TargetSummary &s : summaries) {
        ReportTarget t;
        t.id = s.targetId;
        t.label = s.targetId;
        t.summary = s;
        t.stats = ReportStatistics::forTarget(s.targetId, cells);
        if (spec.suite.hasTimeBudgets())
            t.withinBudget = scopedQuality(s.targetId, cells, QualityScope::WithinBudget, &spec.suite);
        if (const TargetConfig *config = spec.workspace.target(s.targetId)) {
            if (!config->label.isEmpty())
                t.label = config->label;
            t.providerId = config->providerId;
            t.model = config->model;
            t.color = config->color;
            t.price = config->price;
            const ProviderConfig *provider = spec.workspace.provider(config->providerId);
            t.simulated = !provider || provider->simulated || provider->usesEmbeddedSimulator();
            if (provider && !providersUsed.contains(provider->id)) {
                providersUsed.insert(provider->id);
                c.providerConcurrency.append({provider->id, provider->maxConcurrency});
            }
            const auto schedule = info.schedules.constFind(s.targetId);
            if (schedule != info.schedules.cend()) {
                t.price = schedule->at(std::nullopt);
                t.catalogueKey = schedule->catalogueKey;
                // Only a price laid over a catalogue entry is an override; otherwise it is the price.
                if (!schedule->catalogueKey.isEmpty())
                    addOverrides(d.priceOverrides, t.id, config->price, schedule->base);
            }
        }
        d.targets.append(std::move(t));
    }

    QList<TradeoffPoint> points;
    QStringList pointIds;
    for (const ReportTarget &t : std::as_const(d.targets)) {
        if (t.summary.quality && t.summary.costPer1000Cases) {
            points.append({*t.summary.costPer1000Cases, *t.summary.quality});
            pointIds.append(t.id);
        }
    }
    for (qsizetype i : paretoFrontier(points))
        d.pareto.append(pointIds.at(i));

    QSet<QString> answeredCases;
    for (const CellResult &cell : cells)
        answeredCases.insert(cell.caseId);
    for (const SuiteCase &sc : spec.suite.cases) {
        const bool selected = spec.caseIds.isEmpty() || spec.caseIds.contains(sc.id);
        if (!selected && !answeredCases.contains(sc.id))
            continue;
        ReportCase rc;
        rc.id = sc.id;
        rc.prompt = messagesText(spec.suite.messagesFor(sc));
        rc.reference = sc.reference;
        rc.tags = sc.tags;
        for (const CaseVariant &v : sc.variants)
            rc.variants.append({v.id, v.kind, messagesText(spec.suite.messagesFor(sc, &v))});
        d.cases.append(std::move(rc));
        answeredCases.remove(sc.id);
    }
    // Cells of cases the suite no longer has (an edited suite file) still get a section.
    QStringList orphans(answeredCases.cbegin(), answeredCases.cend());
    orphans.sort();
    for (const QString &id : std::as_const(orphans))
        d.cases.append(ReportCase{id, {}, {}, {}, {}});

    d.indexCells();
    return d;
}

const ReportTarget *ReportData::target(const QString &id) const
{
    for (const ReportTarget &t : targets) {
        if (t.id == id)
            return &t;
    }
    return nullptr;
}

const ReportCase *ReportData::findCase(const QString &id) const
{
    for (const ReportCase &c : cases) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

void ReportData::indexCells()
{
    primaryIndex.clear();
    for (qsizetype i = 0; i < cells.size(); ++i) {
        const CellResult &cell = cells.at(i);
        const QString key = primaryKey(cell.caseId, cell.job.targetId);
        const auto it = primaryIndex.constFind(key);
        if (it == primaryIndex.cend() || shownBefore(cell, cells.at(*it)))
            primaryIndex.insert(key, i);
    }
}

const CellResult *ReportData::primaryCell(const QString &caseId, const QString &targetId) const
{
    if (!primaryIndex.isEmpty()) {
        const auto it = primaryIndex.constFind(primaryKey(caseId, targetId));
        return it == primaryIndex.cend() ? nullptr : &cells.at(*it);
    }
    const CellResult *best = nullptr;
    for (const CellResult &cell : cells) {
        if (cell.caseId == caseId && cell.job.targetId == targetId && (!best || shownBefore(cell, *best)))
            best = &cell;
    }
    return best;
}

} // namespace Slopscope
