#pragma once

#include "core/Workspace.h"
#include "engine/AttemptReport.h"
#include "engine/DecoderFactory.h"
#include "engine/MonotonicClock.h"
#include "engine/PreparedRequest.h"

#include <QElapsedTimer>
#include <QNetworkReply>
#include <QObject>
#include <QPointer>

#include <atomic>
#include <memory>

class QNetworkAccessManager;
class QTimer;

namespace Slopscope {

// Carries one HTTP attempt: posts it, reparents the reply to itself, feeds the body to a decoder,
// stamps the timeline with the injected clock, enforces every timeout with its own message and
// turns Qt's errors into specific sentences. Lives in (and is used only from) the thread of the
// QNetworkAccessManager it is given. Emits finished() exactly once.
class StreamHandler final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamHandler)

public:
    struct Options
    {
        Timeouts timeouts;
        DecoderFactory decoderFactory;
        MonotonicClock clock;
        int batchIntervalMs = 25;                     // content batches are emitted at most this often
        qint64 maxResponseBytes = 64LL * 1024 * 1024; // RELIABILITY.md §6 response cap
        int attemptIndex = 0;
        qint64 waitBeforeMs = 0;
    };

    StreamHandler(PreparedRequest request, Options options, QObject *parent = nullptr);
    ~StreamHandler() override;

    // Posts the request. Call once.
    void start(QNetworkAccessManager *manager);
    // Aborts; finished() reports FailureKind::Cancelled with the partial result kept.
    void cancel();
    [[nodiscard]] bool isFinished() const { return m_done; }

    // Replies created by handlers and not yet destroyed, process-wide (leak checks in tests).
    static int liveReplies() { return s_liveReplies.load(); }

signals:
    // Coalesced content, in arrival order.
    void contentReady(const QList<Slopscope::ContentDelta> &deltas);
    // The response named rate-limit budgets (x-ratelimit-*, anthropic-ratelimit-*): emitted with
    // the headers, so the scheduler can hold the provider before the stream ends.
    void rateLimitHeaders(const QList<QPair<QByteArray, QByteArray>> &headers);
    void finished(const Slopscope::AttemptReport &report);

private:
    void onRequestSent();
    void onMetaDataChanged();
    void onReadyRead();
    void onFinished();
    void onTimeout(FailureKind kind, int ms);
    void consume(const QByteArray &bytes);
    void collectDeltas();
    void flush();
    void scheduleFlush();
    void abortWith(FailureKind kind, const QString &message);
    void finishWith(FailureKind kind, const QString &message);
    void finishFromResponse();
    void arm(FailureKind kind, int ms);
    void disarm(FailureKind kind);
    [[nodiscard]] qint64 now() const { return m_options.clock(); }
    [[nodiscard]] QString hostName() const;
    [[nodiscard]] int contentCount() const { return static_cast<int>(m_report.record.deltas.size()); }

    PreparedRequest m_request;
    Options m_options;
    QPointer<QNetworkReply> m_reply;
    std::unique_ptr<StreamDecoder> m_decoder;
    AttemptReport m_report;
    QList<ContentDelta> m_pending;
    QTimer *m_flushTimer = nullptr;
    QElapsedTimer m_sinceFlush;
    QHash<int, QTimer *> m_timers;
    QNetworkReply::NetworkError m_networkError = QNetworkReply::NoError;
    QString m_sslDetail;
    FailureKind m_abortKind = FailureKind::None;
    QString m_abortMessage;
    bool m_aborting = false;
    bool m_headersSeen = false;
    bool m_sent = false;
    bool m_done = false;

    static std::atomic<int> s_liveReplies;
};

} // namespace Slopscope
