#pragma once

#include "engine/AttemptReport.h"
#include "engine/PreparedRequest.h"
#include "engine/ProxyRules.h"
#include "engine/StreamHandler.h"

#include <QHash>
#include <QObject>

#include <memory>
#include <vector>

class QNetworkAccessManager;
class QNetworkReply;

namespace Slopscope {

// Lives in one network thread and owns that thread's QNetworkAccessManagers (QNAM is
// thread-affine) and the StreamHandlers running on them. Every method runs in the worker's
// thread: call them through QMetaObject::invokeMethod.
class NetworkWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NetworkWorker)

public:
    explicit NetworkWorker(QObject *parent = nullptr);
    ~NetworkWorker() override;

    // Starts an attempt on manager `managerIndex` (created on first use).
    void startAttempt(quint64 attemptId, int managerIndex, const PreparedRequest &request,
                      const StreamHandler::Options &options);
    // Opens `connections` connections to `origin` (http or https, its port) on manager
    // `managerIndex` with QNetworkAccessManager::connectToHost(Encrypted): no request, no
    // credentials; the proxy factory and TLS checks apply as to requests. `caCertificates` as the
    // requests' own (PreparedRequest::caCertificates), so the TLS session is the one they would
    // make. On https the first connection goes alone: if it negotiates h2 it is the only one (the
    // streams multiplex on it, and preconnected() counts one), otherwise the rest follow. Emits
    // preconnected() once all have connected or failed.
    void preconnect(quint64 batchId, int managerIndex, const QUrl &origin, const QByteArray &caCertificates,
                    int connections);
    void cancelAttempt(quint64 attemptId);
    void cancelAll();
    // Which proxy each request goes through, for the managers there are and those to come.
    void setProxyRules(std::shared_ptr<const ProxyRules> rules);
    // Drops every handler silently (no signals) and deletes the managers; before the thread stops.
    void shutdown();

    [[nodiscard]] int managerCount() const { return static_cast<int>(m_managers.size()); }

signals:
    void content(quint64 attemptId, const QList<Slopscope::ContentDelta> &deltas);
    void rateLimitHeaders(quint64 attemptId, const QList<QPair<QByteArray, QByteArray>> &headers);
    void attemptFinished(quint64 attemptId, const Slopscope::AttemptReport &report);
    void preconnected(quint64 batchId, int opened, int failed);

private:
    // Preconnects in flight to one origin on one manager. Several batches can share it (two
    // providers on one origin, or an earlier run's batch still connecting); each id is reported.
    struct Batch
    {
        QList<quint64> ids;
        int total = 0;
        int remaining = 0;
        int failed = 0;
        // https: the connections still to open once the first one has told its protocol (h2
        // needs no more), with what to open them.
        int deferred = 0;
        QByteArray caCertificates;
    };
    QNetworkAccessManager *manager(int index);
    void onManagerFinished(int managerIndex, QNetworkReply *reply);
    void openEncrypted(QNetworkAccessManager *nam, const QUrl &origin, const QByteArray &caCertificates);
    void reportBatch(const Batch &batch);

    std::vector<QNetworkAccessManager *> m_managers;
    std::shared_ptr<const ProxyRules> m_proxyRules;
    QHash<quint64, StreamHandler *> m_handlers;
    QHash<QString, Batch> m_batches; // "manager|host:port" → preconnects not yet done
};

} // namespace Slopscope
