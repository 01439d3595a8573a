#pragma once

// Shared by the RunScheduler tests (tst_runscheduler, tst_schedulerlimits): a fixed key, fast
// retries, providers and jobs on a FakeProvider, and a Collector of everything the scheduler
// tells its consumer.

#include "FakeProvider.h"

#include "engine/RunScheduler.h"

#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

namespace Slopscope::Test {

inline const QString kTestKeyName = QStringLiteral("SLOPSCOPE_TEST_KEY");
inline const QString kTestKey = QStringLiteral("sk-CANARY-0b5e9a");

// The test key, a fixed RNG (so waits are exact), millisecond backoff, two network threads.
RunScheduler::Dependencies schedulerDependencies(double random = 0.0);
// An OpenAI-chat provider at `base` + "/v1" with short timeouts and two retries.
ProviderConfig providerAt(const QString &id, const QString &base, int concurrency = 4);
ChatRequest job(const QString &id, const QString &provider, const QString &caseId = QStringLiteral("c1"),
                int repeat = 0);
QList<ChatRequest> jobs(int count, const QString &provider);
// A 200 stream of one answer delta and the end marker (TestLineDecoder's format).
FakeResponse okResponse(const QByteArray &text = "ok");

// Everything a scheduler tells its consumer.
struct Collector
{
    QHash<QString, JobResult> results;
    QHash<QString, QString> streamed;
    QHash<QString, int> batches;
    QStringList started;
    QList<ProviderStatus> statuses;
    QSet<QString> running;
    int maxRunningProviders = 0;
    QHash<QString, QString> providerOf;
    bool finished = false;

    void attach(RunScheduler &s, QObject *context, const QList<ChatRequest> &list);
};

// The shape of the single-request tests: job "j" on `provider` (whose id must be "p"), run to its
// end with the test dependencies; `collector` holds what the scheduler said. False when the run
// did not start or did not finish within `timeoutMs`.
[[nodiscard]] bool runOneJob(const ProviderConfig &provider, Collector &collector, QObject *context,
                             int timeoutMs = 5000, const RunOptions &options = {});

} // namespace Slopscope::Test
