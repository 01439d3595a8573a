#pragma once

#include "core/Result.h"
#include "metrics/PriceSchedule.h"
#include "run/RunSpec.h"
#include "store/StoreTypes.h"

#include <QHash>
#include <QString>

namespace Slopscope {

// What a run keeps of its spec, frozen at the start: the suite (in the suite file format, so
// Suite::fromJson reads it back), the targets with their prices, the settings, and the rendered
// prompt of every case and variant sent (for search). Never a secret: providers are kept by
// dialect and base URL only (no headers, no key variable, no user info or query in the URL).
class RunSnapshot final
{
public:
    static RunStart fromSpec(const RunSpec &spec, const QString &runId, const QString &priceCatalogue = {});

    static QString suiteJson(const Suite &suite);
    // `schedules`: what each target paid (RunSession::priceSchedule), kept beside the workspace's
    // own price so a report from the database shows the catalogue's prices the run applied.
    static QString targetsJson(const RunSpec &spec, const QHash<QString, PriceSchedule> &schedules = {});
    static QString settingsJson(const RunSpec &spec);

    // The spec back from a recorded run's snapshots (HistoryStore::run fills them): the suite, the
    // targets with the prices they ran at, and the settings. Providers come back with their dialect
    // and base URL only (no key, no headers): enough for reports; a resume against a real provider
    // takes the providers from a workspace again (withProvidersFrom).
    static Result<RunSpec> toSpec(const RunRecord &record);
    // The price schedules the run recorded, by target id; runs recorded before schedules were kept
    // (or a target without one) are absent: their workspace price is what they paid.
    static QHash<QString, PriceSchedule> schedules(const RunRecord &record);
    // `spec` with the providers (keys, headers, limits) of `workspace` for the ids both know;
    // fails naming the first provider the workspace lacks.
    static Result<RunSpec> withProvidersFrom(RunSpec spec, const Workspace &workspace);
};

} // namespace Slopscope
