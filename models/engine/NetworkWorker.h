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

private:
    QNetworkAccessManager *manager(int index);

    std::vector<QNetworkAccessManager *> m_managers;
    std::shared_ptr<const ProxyRules> m_proxyRules;
    QHash<quint64, StreamHandler *> m_handlers;
};

} // namespace Slopscope
