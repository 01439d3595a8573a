#include "engine/RunScheduler.h"

#include "engine/Preconnector.h"
#include "engine/RequestBuilder.h"
#include "engine/ProxyRules.h"

#include <algorithm>
#include <random>

// The run's plan, apart from dispatching: the order jobs are offered in, and the connections the
// first wave will ride on (RunOptions::preconnect).

namespace Slopscope {

namespace {

// Fisher–Yates over mt19937_64, whose output the standard fixes: the same seed gives the same
// order with every standard library (std::shuffle's algorithm is unspecified).
template <typename T> void seededShuffle(QList<T> &items, std::mt19937_64 &rng)
{
    for (qsizetype i = items.size() - 1; i > 0; --i) {
        const auto j = static_cast<qsizetype>(rng() % static_cast<quint64>(i + 1));
        std::swap(items[i], items[j]);
    }
}

} // namespace

QList<int> RunScheduler::dispatchOrder(const QList<ChatRequest> &jobs, quint64 seed, bool oneProviderAtATime)
{
    std::mt19937_64 rng(seed);
    QList<QList<int>> groups;
    QHash<QString, int> groupOf;
    for (int i = 0; i < jobs.size(); ++i) {
        const ChatRequest &j = jobs[i];
        const QString key = j.caseId + u'\x1f' + j.variantId + u'\x1f' + QString::number(j.repeat);
        auto it = groupOf.find(key);
        if (it == groupOf.end()) {
            it = groupOf.insert(key, static_cast<int>(groups.size()));
            groups.append(QList<int>());
        }
        groups[it.value()].append(i);
    }
    QList<int> order;
    order.reserve(jobs.size());
    for (auto &group : groups) {
        seededShuffle(group, rng);
        order.append(group);
    }
    if (oneProviderAtATime) {
        QList<QString> providers;
        for (int i : std::as_const(order)) {
            if (!providers.contains(jobs[i].providerId))
                providers.append(jobs[i].providerId);
        }
        seededShuffle(providers, rng);
        std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
            return providers.indexOf(jobs[a].providerId) < providers.indexOf(jobs[b].providerId);
        });
    }
    return order;
}

bool RunScheduler::preconnectFirstWave(const ProxyRules &rules)
{
    QList<Preconnector::Target> targets;
    int capMs = m_options.preconnectWaitMs;
    int budget = m_options.globalConcurrency;
    for (const Provider &p : m_providers) {
        // One provider at a time: only the first runs now; the others' connections would idle.
        if ((m_options.oneProviderAtATime && p.rank > 0) || budget <= 0)
            break;
        if (!reachable(p))
            continue;
        // Without its key the provider stops at its first job and sends nothing: a connection
        // opened for it would only idle (and tell the host a run was about to start).
        if (!RequestBuilder::resolveKey(p.config, *m_deps.secrets))
            continue;
        // As many as it will have in flight at once (the pool spreads them over its managers).
        const int connections = std::min({p.limits.maxConcurrency, static_cast<int>(p.queue.size()), budget});
        auto target = Preconnector::targetFor(p.config, m_deps.simulatorBaseUrl, rules,
                                              m_http2PriorKnowledge.contains(p.config.id), connections);
        if (!target)
            continue;
        budget -= connections;
        // A preconnect that has not connected within the provider's connect timeout never will
        // sooner than the request itself would.
        if (p.config.timeouts.connectMs > 0)
            capMs = std::min(capMs, p.config.timeouts.connectMs);
        targets.append(*target);
    }
    if (targets.isEmpty() || capMs <= 0)
        return false;
    m_holdFirstWave = true;
    m_preconnector->start(targets, capMs);
    return true;
}

} // namespace Slopscope
