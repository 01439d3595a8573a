#include "engine/StreamHandler.h"

#include "engine/EngineText.h"
#include "engine/RateLimitHeaders.h"
#include "engine/RequestBuilder.h"
#include "engine/TraceLog.h"

#include <QLocale>
#include <QNetworkAccessManager>
#include <QNetworkRequest>
#include <QTimer>
#if QT_CONFIG(ssl)
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslError>
#endif

namespace Slopscope {

std::atomic<int> StreamHandler::s_liveReplies{0};

namespace {

constexpr qsizetype kErrorBodyCap = 8 * 1024;
constexpr qint64 kReadBufferSize = 1024 * 1024;
// Rate-limit headers are small and few; a hostile server does not get to make them large.
constexpr qsizetype kMaxRateLimitHeaders = 16;
constexpr qsizetype kMaxRateLimitValue = 64;

// Provider text is untrusted: no control characters, bounded length.
QString sanitized(const QString &text, qsizetype maxChars = 300)
{
    QString out;
    out.reserve(std::min(text.size(), maxChars + 1));
    for (const QChar c : text) {
        if (out.size() >= maxChars) {
            out += u'…';
            break;
        }
        out += (c.category() == QChar::Other_Control || c.category() == QChar::Other_Format) ? u' ' : c;
    }
    return out.simplified();
}

bool isTransportError(QNetworkReply::NetworkError code)
{
    const int c = static_cast<int>(code);
    // 1–99 connection, 101–199 proxy, and the two protocol codes that are not an HTTP status
    // (Qt maps 400 to ProtocolInvalidOperationError, 302; 201–299 and 401–499 are statuses too).
    return (c >= 1 && c <= 199) || code == QNetworkReply::ProtocolUnknownError ||
           code == QNetworkReply::ProtocolFailure;
}

// One request as the trace shows it: credentials as *** (RequestBuilder's redaction), never the body.
QString traceRequest(const PreparedRequest &request, int attemptIndex)
{
    QString text =
        u"POST " + RequestBuilder::redactedUrl(request.url) + u" (attempt " + QString::number(attemptIndex + 1) + u')';
    for (const auto &[name, value] : RequestBuilder::redactedHeaders(request))
        text += u"\n  " + QString::fromUtf8(name) + u": " + QString::fromUtf8(value);
    return text;
}

} // namespace

StreamHandler::StreamHandler(PreparedRequest request, Options options, QObject *parent)
    : QObject(parent)
    , m_request(std::move(request))
    , m_options(std::move(options))
{
    if (!m_options.clock)
        m_options.clock = steadyClock();
    m_report.record.index = m_options.attemptIndex;
    m_report.record.waitBeforeMs = m_options.waitBeforeMs;
}

StreamHandler::~StreamHandler()
{
    if (m_reply) {
        QNetworkReply *reply = m_reply;
        disconnect(reply, nullptr, this, nullptr);
        if (reply->isRunning())
            reply->abort();
        delete reply;
        s_liveReplies.fetch_sub(1);
    }
    // Best effort (S-13): the key's header bytes, once Qt has let go of its copies.
    RequestBuilder::wipeCredentials(m_request);
}

QString StreamHandler::hostName() const
{
    return m_request.url.host();
}

void StreamHandler::arm(FailureKind kind, int ms)
{
    if (ms <= 0 || m_done)
        return;
    QTimer *&timer = m_timers[static_cast<int>(kind)];
    if (!timer) {
        timer = new QTimer(this);
        timer->setSingleShot(true);
        timer->setTimerType(Qt::PreciseTimer);
        connect(timer, &QTimer::timeout, this, [this, kind, ms] { onTimeout(kind, ms); });
    } else if (timer->isActive() && kind != FailureKind::IdleTimeout && kind != FailureKind::ContentIdleTimeout) {
        return; // deadlines are not pushed back; only the idle timers restart
    }
    timer->start(ms);
}

void StreamHandler::disarm(FailureKind kind)
{
    if (QTimer *timer = m_timers.value(static_cast<int>(kind)))
        timer->stop();
}

void StreamHandler::start(QNetworkAccessManager *manager)
{
    Q_ASSERT(!m_reply && !m_done);
    QNetworkRequest req(m_request.url);
    for (const auto &h : m_request.headers)
        req.setRawHeader(h.first, h.second);
    // A 3xx becomes an error naming the Location: credentials never follow a redirect.
    req.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    req.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
    if (m_request.http2PriorKnowledge && m_request.url.scheme() == u"http")
        req.setAttribute(QNetworkRequest::Http2DirectAttribute, true);
    req.setAttribute(QNetworkRequest::CacheLoadControlAttribute, QNetworkRequest::AlwaysNetwork);
    req.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    // Our own timers measure from the right moments and give each timeout its own message.
    req.setTransferTimeout(0);
#if QT_CONFIG(ssl)
    if (!m_request.caCertificates.isEmpty()) {
        // Added to the system's trust, never replacing it; host name and dates are still checked.
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.addCaCertificates(QSslCertificate::fromData(m_request.caCertificates, QSsl::Pem));
        req.setSslConfiguration(tls);
    }
#endif

    qCDebug(lcNet).noquote() << traceRequest(m_request, m_options.attemptIndex);
    m_report.record.startedNs = now();
    m_reply = manager->post(req, m_request.body);
    s_liveReplies.fetch_add(1);
    m_reply->setParent(this);
    m_reply->setReadBufferSize(kReadBufferSize);
    connect(m_reply, &QNetworkReply::requestSent, this, &StreamHandler::onRequestSent);
    connect(m_reply, &QNetworkReply::metaDataChanged, this, &StreamHandler::onMetaDataChanged);
    connect(m_reply, &QNetworkReply::readyRead, this, &StreamHandler::onReadyRead);
    connect(m_reply, &QNetworkReply::errorOccurred, this,
            [this](QNetworkReply::NetworkError code) { m_networkError = code; });
#if QT_CONFIG(ssl)
    connect(m_reply, &QNetworkReply::sslErrors, this, [this](const QList<QSslError> &errors) {
        // Never ignored: remember why, so the failure names the certificate problem.
        if (!errors.isEmpty() && m_sslDetail.isEmpty())
            m_sslDetail = errors.first().errorString();
    });
#endif
    connect(m_reply, &QNetworkReply::finished, this, &StreamHandler::onFinished);

    arm(FailureKind::TotalTimeout, m_options.timeouts.totalMs);
    arm(FailureKind::ConnectTimeout, m_options.timeouts.connectMs);
}

void StreamHandler::cancel()
{
    if (m_done)
        return;
    if (!m_reply) {
        finishWith(FailureKind::Cancelled, {});
        return;
    }
    abortWith(FailureKind::Cancelled, {});
}

void StreamHandler::onRequestSent()
{
    if (m_sent || m_done)
        return;
    m_sent = true;
    m_report.record.sentNs = now();
    disarm(FailureKind::ConnectTimeout);
    if (!m_headersSeen)
        arm(FailureKind::FirstByteTimeout, m_options.timeouts.firstByteMs);
    if (contentCount() == 0)
        arm(FailureKind::FirstTokenTimeout, m_options.timeouts.firstTokenMs);
}

void StreamHandler::onMetaDataChanged()
{
    if (m_done || m_headersSeen || !m_reply)
        return;
    const QVariant statusAttr = m_reply->attribute(QNetworkRequest::HttpStatusCodeAttribute);
    if (!statusAttr.isValid())
        return;
    onRequestSent(); // in case Qt did not signal it before the answer
    m_headersSeen = true;
    AttemptRecord &rec = m_report.record;
    rec.headersNs = now();
    rec.httpStatus = statusAttr.toInt();
    rec.http2 = m_reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool();
    m_report.contentType = m_reply->rawHeader("content-type");
    m_report.retryAfterMs = m_reply->rawHeader("retry-after-ms");
    m_report.retryAfter = m_reply->rawHeader("retry-after");
    m_report.shouldRetry = m_reply->rawHeader("x-should-retry");
    m_report.location = m_reply->rawHeader("location");
    const QList<QNetworkReply::RawHeaderPair> &raw = m_reply->rawHeaderPairs();
    for (const auto &header : raw) {
        const QByteArray name = header.first.toLower();
        if (RateLimitHeaders::isRateLimitHeader(name) && m_report.rateLimitHeaders.size() < kMaxRateLimitHeaders)
            m_report.rateLimitHeaders.append(qMakePair(name, header.second.left(kMaxRateLimitValue)));
    }
    if (!m_report.rateLimitHeaders.isEmpty())
        emit rateLimitHeaders(m_report.rateLimitHeaders);
    disarm(FailureKind::FirstByteTimeout);
    arm(FailureKind::IdleTimeout, m_options.timeouts.idleMs);
    if (rec.httpStatus >= 300 && rec.httpStatus < 400)
        return; // no body parsing for a redirect
    if (m_options.decoderFactory)
        m_decoder = m_options.decoderFactory(m_request.dialect, rec.httpStatus, m_report.contentType);
}

void StreamHandler::onReadyRead()
{
    if (m_done || !m_reply)
        return;
    if (!m_headersSeen)
        onMetaDataChanged();
    const QByteArray bytes = m_reply->readAll();
    if (!bytes.isEmpty())
        consume(bytes);
}

void StreamHandler::consume(const QByteArray &bytes)
{
    AttemptRecord &rec = m_report.record;
    if (!rec.firstByteNs)
        rec.firstByteNs = now();
    rec.bytesReceived += bytes.size();
    arm(FailureKind::IdleTimeout, m_options.timeouts.idleMs);
    if (rec.bytesReceived > m_options.maxResponseBytes) {
        abortWith(FailureKind::ResponseTooLarge,
                  tr("response exceeded %1").arg(QLocale().formattedDataSize(m_options.maxResponseBytes, 0)));
        return;
    }
    if ((rec.httpStatus < 200 || rec.httpStatus >= 300) && m_report.errorBody.size() < kErrorBodyCap)
        m_report.errorBody += bytes.left(kErrorBodyCap - m_report.errorBody.size());
    if (m_decoder) {
        m_decoder->feed(bytes);
        collectDeltas();
    }
}

void StreamHandler::collectDeltas()
{
    QList<ContentDelta> deltas = m_decoder->takeDeltas();
    if (deltas.isEmpty())
        return;
    const qint64 t = now();
    for (const auto &d : deltas)
        m_report.record.deltas.append(DeltaStamp{t, d.kind, d.text.size()});
    m_pending.append(std::move(deltas));
    disarm(FailureKind::FirstTokenTimeout);
    // Only content resets this timer: keep-alive comments and pings do not (pi#5558).
    arm(FailureKind::ContentIdleTimeout, m_options.timeouts.contentIdleMs);
    scheduleFlush();
}

void StreamHandler::scheduleFlush()
{
    if (m_pending.isEmpty())
        return;
    const qint64 interval = m_options.batchIntervalMs;
    if (!m_sinceFlush.isValid() || m_sinceFlush.elapsed() >= interval) {
        flush();
        return;
    }
    if (!m_flushTimer) {
        m_flushTimer = new QTimer(this);
        m_flushTimer->setSingleShot(true);
        connect(m_flushTimer, &QTimer::timeout, this, &StreamHandler::flush);
    }
    if (!m_flushTimer->isActive())
        m_flushTimer->start(static_cast<int>(interval - m_sinceFlush.elapsed()));
}

void StreamHandler::flush()
{
    if (m_flushTimer)
        m_flushTimer->stop();
    if (m_pending.isEmpty())
        return;
    m_sinceFlush.start();
    const QList<ContentDelta> batch = std::exchange(m_pending, {});
    emit contentReady(batch);
}

void StreamHandler::onTimeout(FailureKind kind, int ms)
{
    if (m_done)
        return;
    // The answer is complete but the server keeps the response open: that is a success.
    if (m_decoder && m_decoder->result().outcome != StreamOutcome::Pending) {
        abortWith(FailureKind::None, {});
        return;
    }
    abortWith(kind, EngineText::timeoutMessage(kind, ms, hostName()));
}

void StreamHandler::abortWith(FailureKind kind, const QString &message)
{
    if (m_done)
        return;
    m_abortKind = kind;
    m_abortMessage = message;
    m_aborting = true;
    if (m_reply && m_reply->isRunning()) {
        m_reply->abort(); // emits finished() synchronously
        if (m_done)
            return;
    }
    if (kind == FailureKind::None)
        finishFromResponse();
    else
        finishWith(kind, message);
}

void StreamHandler::onFinished()
{
    if (m_done || !m_reply)
        return;
    if (!m_aborting) {
        if (!m_headersSeen)
            onMetaDataChanged();
        const QByteArray rest = m_reply->readAll();
        if (!rest.isEmpty())
            consume(rest);
        if (m_done)
            return;
    }
    if (m_aborting && m_abortKind != FailureKind::None) {
        finishWith(m_abortKind, m_abortMessage);
        return;
    }
    finishFromResponse();
}

void StreamHandler::finishFromResponse()
{
    AttemptRecord &rec = m_report.record;
    const QUrl &url = m_request.url;
    const int port = url.port(url.scheme() == u"https" ? 443 : 80);
    const bool decodedComplete = m_decoder && m_decoder->result().outcome == StreamOutcome::Complete;

    if (!m_aborting && isTransportError(m_networkError) && !decodedComplete) {
        // Qt answers a proxy's 407 itself and reports only the error: keep the status, which the
        // GUI reads to ask for proxy credentials (ProxyRules::setCredentials).
        if (m_networkError == QNetworkReply::ProxyAuthenticationRequiredError && rec.httpStatus == 0)
            rec.httpStatus = 407;
        const QString qtText = m_reply ? m_reply->errorString() : QString();
        const auto mapped =
            EngineText::networkError(m_networkError, url.host(), port, m_sslDetail, qtText,
                                     EngineText::expectedLocalServer(m_request.dialect, url.host(), port));
        if (contentCount() > 0) {
            m_report.result = m_decoder ? m_decoder->result() : StreamResult{};
            m_report.result.outcome = StreamOutcome::Truncated;
            finishWith(
                FailureKind::ConnectionLost,
                tr("connection lost after %n content event(s): %1", nullptr, contentCount()).arg(mapped.message));
        } else {
            finishWith(mapped.kind, mapped.message);
        }
        return;
    }
    if (rec.httpStatus >= 300 && rec.httpStatus < 400) {
        const QString location = sanitized(QString::fromUtf8(m_report.location), 200);
        finishWith(FailureKind::Redirect,
                   tr("%1 redirected the request (HTTP %2) to %3; redirects are not followed, so the key is not "
                      "sent elsewhere. Check the provider's base URL")
                       .arg(url.host())
                       .arg(rec.httpStatus)
                       .arg(location.isEmpty() ? tr("an unnamed location") : location));
        return;
    }
    if (!m_aborting && m_networkError == QNetworkReply::UnknownContentError && rec.httpStatus >= 200 &&
        rec.httpStatus < 300 && !decodedComplete) {
        // A 2xx whose body Qt refused to hand over, e.g. a compressed body past Qt's
        // decompression-bomb check (B-12): the same bytes would come again, so not retried.
        QString why = sanitized(m_reply ? m_reply->errorString() : QString(), 200);
        while (why.endsWith(u':')) // Qt 6.4: "Decompression failed: " with nothing after it
            why.chop(1);
        finishWith(FailureKind::ResponseTooLarge,
                   tr("%1 sent a response that could not be read: %2").arg(url.host(), why));
        return;
    }
    if (rec.httpStatus == 0) {
        finishWith(FailureKind::Network, tr("%1 sent no HTTP response").arg(url.host()));
        return;
    }
    if (!m_decoder) {
        finishWith(FailureKind::Network,
                   tr("No decoder for %1 responses").arg(QString::fromLatin1(m_report.contentType)));
        return;
    }
    if (m_decoder->result().outcome == StreamOutcome::Pending)
        m_decoder->finish();
    collectDeltas();
    m_report.result = m_decoder->result();
    const StreamResult &r = m_report.result;
    const bool ok2xx = rec.httpStatus >= 200 && rec.httpStatus < 300;
    if (!ok2xx) {
        QString detail = r.error ? sanitized(r.error->message) : QString();
        if (detail.isEmpty())
            detail = sanitized(QString::fromUtf8(m_report.errorBody.left(400)), 200);
        const QString reason = sanitized(
            m_reply ? m_reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString() : QString(), 60);
        QString head = tr("HTTP %1").arg(rec.httpStatus);
        if (!reason.isEmpty())
            head += u' ' + reason;
        const QString message = detail.isEmpty() ? tr("%1 from %2").arg(head, url.host())
                                                 : tr("%1 from %2: %3").arg(head, url.host(), detail);
        finishWith(FailureKind::HttpStatus, r.error && EngineText::isContextTooLong(*r.error)
                                                ? EngineText::contextTooLong(message)
                                                : message);
        return;
    }
    switch (r.outcome) {
    case StreamOutcome::Complete:
        finishWith(FailureKind::None, {});
        return;
    case StreamOutcome::Error: {
        const QString type = r.error ? sanitized(r.error->type, 80) : QString();
        const QString msg = r.error ? sanitized(r.error->message) : QString();
        if (r.error && !r.error->inBand && r.error->type == u"unexpected_content_type") {
            // Not the provider's API talking (a portal or proxy page): say what came from where.
            finishWith(FailureKind::InBandError,
                       EngineText::unexpectedContent(sanitized(QString::fromLatin1(m_report.contentType), 80),
                                                     url.host(), sanitized(r.error->message, 200)));
            return;
        }
        if (r.error && (r.error->code == u"prompt_blocked" || r.error->code == u"content_blocked")) {
            finishWith(FailureKind::InBandError, EngineText::blockedBySafetyFilter(type));
            return;
        }
        QString text = type.isEmpty() ? msg : (msg.isEmpty() ? type : type + u": " + msg);
        if (r.error && EngineText::isContextTooLong(*r.error)) {
            finishWith(FailureKind::InBandError, EngineText::contextTooLong(text));
            return;
        }
        finishWith(
            FailureKind::InBandError,
            contentCount() > 0
                ? tr("the provider reported an error after %n content event(s): %1", nullptr, contentCount()).arg(text)
                : tr("the provider reported an error: %1").arg(text));
        return;
    }
    case StreamOutcome::Incomplete:
        finishWith(FailureKind::Incomplete,
                   tr("the provider stopped early (%1)")
                       .arg(r.finishReason.isEmpty() ? tr("no reason given") : sanitized(r.finishReason, 80)));
        return;
    case StreamOutcome::Truncated:
    case StreamOutcome::Pending:
        m_report.result.outcome = StreamOutcome::Truncated;
        finishWith(FailureKind::Truncated,
                   contentCount() > 0
                       ? tr("stream ended without its end marker after %n content event(s)", nullptr, contentCount())
                       : tr("stream ended without any content or end marker"));
        return;
    }
}

void StreamHandler::finishWith(FailureKind kind, const QString &message)
{
    if (m_done)
        return;
    m_done = true;
    for (QTimer *timer : std::as_const(m_timers))
        timer->stop();
    if (m_decoder && kind != FailureKind::None && m_report.result.outcome == StreamOutcome::Pending) {
        collectDeltas();
        m_report.result = m_decoder->result();
    }
    flush();
    AttemptRecord &rec = m_report.record;
    rec.endNs = now();
    rec.failure = kind;
    // A server may echo the key it was sent (a 401 quoting it): it goes no further than here (S-1).
    rec.error = RequestBuilder::scrubCredentials(m_request, message);
    m_report.errorBody = RequestBuilder::scrubCredentials(m_request, m_report.errorBody);
    if (m_report.result.error) {
        m_report.result.error->message = RequestBuilder::scrubCredentials(m_request, m_report.result.error->message);
        m_report.result.error->type = RequestBuilder::scrubCredentials(m_request, m_report.result.error->type);
    }
    // After the scrubbing above: a server that echoes the key is logged with *** in its place.
    qCDebug(lcNet).noquote() << m_request.url.host() << "attempt" << m_options.attemptIndex + 1 << "status"
                             << rec.httpStatus
                             << (kind == FailureKind::None ? QStringLiteral("ok") : QString(u"failed: " + rec.error));
    if (m_reply && m_reply->isRunning()) {
        disconnect(m_reply, nullptr, this, nullptr);
        m_reply->abort();
    }
    emit finished(m_report);
}

} // namespace Slopscope
