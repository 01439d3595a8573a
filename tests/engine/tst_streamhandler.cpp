#include "FakeProvider.h"
#include "TestLineDecoder.h"

#include "engine/EngineText.h"
#include "engine/StreamHandler.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QNetworkAccessManager>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace Slopscope;
using namespace Slopscope::Test;

namespace {

const QByteArray kKey = "sk-CANARY-7d1e";

Timeouts generous()
{
    Timeouts t;
    t.connectMs = 5000;
    t.firstByteMs = 5000;
    t.firstTokenMs = 5000;
    t.idleMs = 5000;
    t.contentIdleMs = 5000;
    t.totalMs = 8000;
    return t;
}

PreparedRequest requestTo(const QString &base)
{
    PreparedRequest r;
    r.url = QUrl(base + u"/v1/chat/completions");
    r.headers = {
        {"content-type", "application/json"}, {"accept-encoding", "identity"}, {"authorization", "Bearer " + kKey}};
    r.body = R"({"model":"m","stream":true})";
    return r;
}

struct Outcome
{
    std::optional<AttemptReport> report;
    QList<QList<ContentDelta>> batches;
    QString streamedText() const
    {
        QString s;
        for (const auto &b : batches)
            for (const auto &d : b)
                s += d.text;
        return s;
    }
};

// A clock that ticks once per reading, so the order of the stamps is exact and provably ours.
MonotonicClock countingClock()
{
    auto counter = std::make_shared<std::atomic<qint64>>(0);
    return [counter] { return ++*counter; };
}

} // namespace

class tst_StreamHandler : public QObject
{
    Q_OBJECT

    FakeProvider *m_server = nullptr;
    QNetworkAccessManager *m_nam = nullptr;

    StreamHandler::Options options(const Timeouts &t = generous())
    {
        StreamHandler::Options o;
        o.timeouts = t;
        o.decoderFactory = &TestLineDecoder::make;
        o.clock = countingClock();
        o.batchIntervalMs = 20;
        return o;
    }

    // Runs one attempt to completion; std::function so a test can act mid-stream.
    Outcome run(const PreparedRequest &request, const StreamHandler::Options &o,
                const std::function<void(StreamHandler &, const Outcome &)> &onBatch = {}, int waitMs = 9000)
    {
        Outcome out;
        StreamHandler handler(request, o);
        connect(&handler, &StreamHandler::contentReady, this, [&](const QList<ContentDelta> &d) {
            out.batches.append(d);
            if (onBatch)
                onBatch(handler, out);
        });
        connect(&handler, &StreamHandler::finished, this, [&](const AttemptReport &r) {
            QVERIFY(!out.report); // exactly once
            out.report = r;
        });
        handler.start(m_nam);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(out.report.has_value(), waitMs); }();
        return out;
    }

    Outcome serve(const FakeResponse &response, const Timeouts &t = generous())
    {
        m_server->enqueue(response);
        return run(requestTo(m_server->baseUrl()), options(t));
    }

private slots:
    void init()
    {
        m_server = new FakeProvider(this);
        QVERIFY(m_server->listen());
        m_nam = new QNetworkAccessManager(this);
    }
    void cleanup()
    {
        delete m_nam;
        delete m_server;
        QCOMPARE(StreamHandler::liveReplies(), 0);
    }

    void errorMessages_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("ssl");
        QTest::addColumn<QString>("qtText");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("message");
        using E = QNetworkReply::NetworkError;
        QTest::newRow("dns") << int(E::HostNotFoundError) << QString() << u"Host api.x.com not found"_qs
                             << int(FailureKind::HostNotFound) << u"Cannot resolve api.x.com"_qs;
        QTest::newRow("refused") << int(E::ConnectionRefusedError) << QString() << QString()
                                 << int(FailureKind::ConnectionRefused)
                                 << u"Connection refused by api.x.com:443 — is the server running?"_qs;
        QTest::newRow("tls")
            << int(E::SslHandshakeFailedError)
            << u"The host name did not match any of the valid hosts for this certificate"_qs << QString()
            << int(FailureKind::Tls)
            << u"TLS certificate not trusted: The host name did not match any of the valid hosts for this certificate"_qs;
        QTest::newRow("tls without detail") << int(E::SslHandshakeFailedError) << QString() << QString()
                                            << int(FailureKind::Tls) << u"TLS handshake with api.x.com failed"_qs;
        QTest::newRow("closed") << int(E::RemoteHostClosedError) << QString() << QString()
                                << int(FailureKind::RemoteClosed) << u"api.x.com:443 closed the connection"_qs;
        QTest::newRow("proxy auth") << int(E::ProxyAuthenticationRequiredError) << QString() << QString()
                                    << int(FailureKind::Proxy)
                                    << u"The proxy for api.x.com:443 requires authentication"_qs;
        QTest::newRow("unknown, generic Qt text")
            << int(E::UnknownNetworkError) << QString() << u"Unknown error"_qs << int(FailureKind::Network)
            << u"Network error talking to api.x.com:443 (code 99)"_qs;
        QTest::newRow("unknown, specific Qt text")
            << int(E::UnknownNetworkError) << QString() << u"Network unreachable"_qs << int(FailureKind::Network)
            << u"Network error talking to api.x.com:443: Network unreachable"_qs;
    }
    void errorMessages()
    {
        QFETCH(int, code);
        QFETCH(QString, ssl);
        QFETCH(QString, qtText);
        QFETCH(int, kind);
        QFETCH(QString, message);
        const auto mapped =
            EngineText::networkError(QNetworkReply::NetworkError(code), u"api.x.com"_qs, 443, ssl, qtText);
        QCOMPARE(int(mapped.kind), kind);
        QCOMPARE(mapped.message, message);
    }

    void completeStream()
    {
        const Outcome out = serve(FakeResponse::lines({"D:Hel", ": keep-alive", "D:lo", "END"}, 5));
        QVERIFY(out.report);
        const AttemptReport &r = *out.report;
        QCOMPARE(r.record.failure, FailureKind::None);
        QVERIFY(r.record.error.isEmpty());
        QCOMPARE(r.result.outcome, StreamOutcome::Complete);
        QCOMPARE(r.result.text, u"Hello"_qs);
        QCOMPARE(out.streamedText(), u"Hello"_qs);
        QCOMPARE(r.record.httpStatus, 200);
        QCOMPARE(r.record.bytesReceived, qint64(6 + 13 + 5 + 4));
        QCOMPARE(r.contentType, QByteArray("text/event-stream"));
        // Every stamp comes from the injected clock, in causal order.
        const AttemptRecord &rec = r.record;
        QVERIFY(rec.startedNs && rec.sentNs && rec.headersNs && rec.firstByteNs && rec.endNs);
        QCOMPARE(rec.deltas.size(), 2);
        QVERIFY(*rec.startedNs < *rec.sentNs);
        QVERIFY(*rec.sentNs < *rec.headersNs);
        QVERIFY(*rec.headersNs < *rec.firstByteNs);
        QVERIFY(*rec.firstByteNs < rec.deltas[0].atNs);
        QVERIFY(rec.deltas[0].atNs < rec.deltas[1].atNs);
        QVERIFY(rec.deltas[1].atNs < *rec.endNs);
        QVERIFY(*rec.endNs < 1000);
        QCOMPARE(rec.deltas[0].chars, 3);
        QCOMPARE(rec.deltas[1].kind, ContentKind::Answer);

        QCOMPARE(m_server->requestCount(), 1);
        const RecordedRequest req = m_server->requests().first();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.target, QByteArray("/v1/chat/completions"));
        QCOMPARE(req.header("accept-encoding"), QByteArray("identity"));
        QCOMPARE(req.header("authorization"), "Bearer " + kKey);
        QCOMPARE(req.body, QByteArray(R"({"model":"m","stream":true})"));
    }

    void stallIsIdleTimeout()
    {
        FakeResponse resp = FakeResponse::lines({"D:partial"});
        resp.end = FakeResponse::End::Stall;
        Timeouts t = generous();
        t.idleMs = 200;
        const Outcome out = serve(resp, t);
        QCOMPARE(out.report->record.failure, FailureKind::IdleTimeout);
        QCOMPARE(out.report->record.error, u"timed out: no data for 200 ms"_qs);
        QCOMPARE(out.report->result.text, u"partial"_qs);
        QCOMPARE(out.streamedText(), u"partial"_qs);
    }

    void silentServerIsFirstByteTimeout()
    {
        FakeResponse resp;
        resp.noResponse = true;
        Timeouts t = generous();
        t.firstByteMs = 200;
        const Outcome out = serve(resp, t);
        QCOMPARE(out.report->record.failure, FailureKind::FirstByteTimeout);
        QCOMPARE(out.report->record.error, u"timed out: 127.0.0.1 sent no response within 200 ms"_qs);
        QVERIFY(out.report->record.sentNs);
        QVERIFY(!out.report->record.headersNs);
    }

    void keepAliveTrickleIsContentIdleTimeout()
    {
        QList<QByteArray> lines{"D:first"};
        for (int i = 0; i < 40; ++i)
            lines.append(": PROCESSING");
        FakeResponse resp = FakeResponse::lines(lines, 25);
        resp.end = FakeResponse::End::Stall;
        Timeouts t = generous();
        t.contentIdleMs = 250;
        const Outcome out = serve(resp, t);
        QCOMPARE(out.report->record.failure, FailureKind::ContentIdleTimeout);
        QCOMPARE(out.report->record.error, u"timed out: no new content for 250 ms (only keep-alives)"_qs);
        QCOMPARE(out.report->result.text, u"first"_qs);
        // Keep-alives kept arriving: the byte-idle timer alone would never have fired.
        QVERIFY(out.report->record.bytesReceived > qint64(sizeof("D:first")));
    }

    void keepAlivesOnlyIsFirstTokenTimeout()
    {
        QList<QByteArray> lines;
        for (int i = 0; i < 40; ++i)
            lines.append(":");
        FakeResponse resp = FakeResponse::lines(lines, 25);
        resp.end = FakeResponse::End::Stall;
        Timeouts t = generous();
        t.firstTokenMs = 250;
        const Outcome out = serve(resp, t);
        QCOMPARE(out.report->record.failure, FailureKind::FirstTokenTimeout);
        QCOMPARE(out.report->record.error, u"timed out: no content within 250 ms of sending the request"_qs);
    }

    void totalDeadlineKeepsPartial()
    {
        QList<QByteArray> lines;
        for (int i = 0; i < 60; ++i)
            lines.append("D:x");
        FakeResponse resp = FakeResponse::lines(lines, 40);
        resp.pieces.first().delayMs = 0; // some content for sure before the deadline
        Timeouts t = generous();
        t.totalMs = 400;
        const Outcome out = serve(resp, t);
        QCOMPARE(out.report->record.failure, FailureKind::TotalTimeout);
        QCOMPARE(out.report->record.error, u"timed out (deadline): no complete answer after 400 ms"_qs);
        QVERIFY(!out.report->result.text.isEmpty());
        QVERIFY(out.report->result.text.size() < 60);
        QCOMPARE(out.streamedText(), out.report->result.text);
    }

    void connectionRefused()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const Outcome out = run(requestTo(QStringLiteral("http://127.0.0.1:%1").arg(port)), options());
        QCOMPARE(out.report->record.failure, FailureKind::ConnectionRefused);
        QCOMPARE(out.report->record.error,
                 QStringLiteral("Connection refused by 127.0.0.1:%1 — is the server running?").arg(port));
        QVERIFY(!out.report->record.sentNs);
    }
    // F-7: a refused local server is named, so the user knows which program to start.
    void connectionRefusedNamesTheLocalServer()
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        PreparedRequest request = requestTo(QStringLiteral("http://127.0.0.1:%1").arg(port));
        request.dialect = Dialect::Ollama;
        const Outcome out = run(request, options());
        QCOMPARE(out.report->record.failure, FailureKind::ConnectionRefused);
        QCOMPARE(out.report->record.error,
                 QStringLiteral("Connection refused by 127.0.0.1:%1 — is Ollama running? Start it with “ollama serve”.")
                     .arg(port));
    }
    void expectedLocalServer()
    {
        QCOMPARE(EngineText::expectedLocalServer(Dialect::Ollama, u"gpu-box.lan"_qs, 11434), u"Ollama"_qs);
        QCOMPARE(EngineText::expectedLocalServer(Dialect::OpenAIChat, u"localhost"_qs, 1234), u"LM Studio"_qs);
        QCOMPARE(EngineText::expectedLocalServer(Dialect::OpenAIChat, u"127.0.0.1"_qs, 8000), u"vLLM"_qs);
        QCOMPARE(EngineText::expectedLocalServer(Dialect::OpenAIChat, u"127.0.0.1"_qs, 8080), u"llama.cpp server"_qs);
        // Only on loopback: port 8080 of another host is anybody's.
        QCOMPARE(EngineText::expectedLocalServer(Dialect::OpenAIChat, u"10.0.0.5"_qs, 8080), QString());
        QCOMPARE(EngineText::expectedLocalServer(Dialect::OpenAIChat, u"127.0.0.1"_qs, 9999), QString());
        QCOMPARE(EngineText::expectedLocalServer(Dialect::Anthropic, u"127.0.0.1"_qs, 1234), QString());
        const auto mapped = EngineText::networkError(QNetworkReply::ConnectionRefusedError, u"localhost"_qs, 1234, {},
                                                     {}, u"LM Studio"_qs);
        QCOMPARE(mapped.message, u"Connection refused by localhost:1234 — is LM Studio running?"_qs);
    }
    // F-7: a name that does not resolve. ".invalid" never resolves (RFC 6761), so the resolver
    // answers at once or, with no DNS server reachable, after its own timeout; either way the
    // attempt fails as HostNotFound naming the host, and nothing is sent.
    void hostNotFound()
    {
        for (const char *proxyVariable : {"http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"})
            qunsetenv(proxyVariable);
        Timeouts patient = generous();
        patient.connectMs = 60'000;
        patient.totalMs = 60'000;
        const Outcome out =
            run(requestTo(QStringLiteral("http://slopscope-test.invalid:8080")), options(patient), {}, 65'000);
        QCOMPARE(out.report->record.failure, FailureKind::HostNotFound);
        QCOMPARE(out.report->record.error, u"Cannot resolve slopscope-test.invalid"_qs);
        QVERIFY(!out.report->record.sentNs);
    }

    // RELIABILITY S-5 / F-16: TLS is verified; a CA the user added (a provider's "ca_file") is
    // trusted besides the system's, and still the host name and the dates are checked.
    void certificates_data()
    {
        QTest::addColumn<QString>("certificate");
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("addCa");
        QTest::addColumn<QString>("error"); // empty: the stream completes
        const QString selfSigned = QStringLiteral("selfsigned-cert.pem");
        const QString selfSignedKey = QStringLiteral("selfsigned-key.pem");
        const QString leaf = QStringLiteral("test-ca-leaf-cert.pem");
        const QString leafKey = QStringLiteral("test-ca-leaf-key.pem");
        QTest::newRow("self-signed")
            << selfSigned << selfSignedKey << false
            << u"TLS certificate not trusted: The certificate is self-signed, and untrusted"_qs;
        QTest::newRow("private CA, not added") << leaf << leafKey << false
                                               << u"TLS certificate not trusted: The issuer certificate of a locally "
                                                  u"looked up certificate could not be found"_qs;
        QTest::newRow("private CA, added") << leaf << leafKey << true << QString();
        QTest::newRow("added CA, wrong host")
            << QStringLiteral("test-ca-wronghost-cert.pem") << leafKey << true
            << u"TLS certificate not trusted: The host name did not match any of the valid hosts for this certificate"_qs;
        QTest::newRow("added CA, expired") << QStringLiteral("test-ca-expired-cert.pem") << leafKey << true
                                           << u"TLS certificate not trusted: The certificate has expired"_qs;
    }
    void certificates()
    {
        QFETCH(QString, certificate);
        QFETCH(QString, key);
        QFETCH(bool, addCa);
        QFETCH(QString, error);
        const auto read = [](const QString &name) {
            QFile file(QStringLiteral(SLOPSCOPE_TEST_DATA "/engine/") + name);
            return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
        };
        const QByteArray keyPem = read(key);
        QSslConfiguration config = QSslConfiguration::defaultConfiguration();
        config.setLocalCertificate(QSslCertificate(read(certificate), QSsl::Pem));
        config.setPrivateKey(QSslKey(keyPem, keyPem.contains("EC PRIVATE") ? QSsl::Ec : QSsl::Rsa, QSsl::Pem));
        QVERIFY(!config.localCertificate().isNull());
        QVERIFY(!config.privateKey().isNull());
        QSslServer tls;
        tls.setSslConfiguration(config);
        // Answers one request with a short stream once it has read the request's headers and body.
        connect(&tls, &QSslServer::pendingConnectionAvailable, this, [&tls] {
            while (QTcpSocket *socket = tls.nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [socket] {
                    const QByteArray seen = socket->peek(socket->bytesAvailable());
                    if (!seen.contains("\r\n\r\n") || !seen.endsWith("}"))
                        return;
                    socket->readAll();
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 14\r\n"
                                  "Connection: close\r\n\r\nD:verified\nEND\n");
                    socket->disconnectFromHost();
                });
            }
        });
        QVERIFY(tls.listen(QHostAddress::LocalHost, 0));
        PreparedRequest request = requestTo(QStringLiteral("https://127.0.0.1:%1").arg(tls.serverPort()));
        if (addCa)
            request.caCertificates = read(QStringLiteral("test-ca-cert.pem"));
        const Outcome out = run(request, options());
        if (error.isEmpty()) {
            QCOMPARE(out.report->record.failure, FailureKind::None);
            QCOMPARE(out.streamedText(), u"verified"_qs);
        } else {
            QCOMPARE(out.report->record.failure, FailureKind::Tls);
            QCOMPARE(out.report->record.error, error);
            QVERIFY(!out.report->record.sentNs); // nothing, the key included, went over the wire
        }
    }

    // Nothing in the product may switch certificate checks off (S-5): no ignoreSslErrors, no
    // VerifyNone, anywhere in the sources that ship.
    void noCodeIgnoresCertificateErrors()
    {
        QStringList offenders;
        for (const char *dir : {"models", "widgets", "app"}) {
            QDirIterator it(QStringLiteral(SLOPSCOPE_SOURCE_DIR "/") + QLatin1StringView(dir),
                            {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                            QDirIterator::Subdirectories);
            while (it.hasNext()) {
                QFile file(it.next());
                QVERIFY(file.open(QIODevice::ReadOnly));
                const QByteArray text = file.readAll();
                if (text.contains("ignoreSslErrors") || text.contains("VerifyNone"))
                    offenders.append(file.fileName());
            }
        }
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(u", ")));
    }

    // A listener whose accept queue is full drops new SYNs: the connection never completes.
    void unansweredConnectIsConnectTimeout()
    {
        const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
        QVERIFY(fd >= 0);
        sockaddr_in addr{};
        addr.sin_family = AF_INET;
        addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        addr.sin_port = 0;
        QCOMPARE(::bind(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr), 0);
        QCOMPARE(::listen(fd, 0), 0);
        socklen_t len = sizeof addr;
        QCOMPARE(::getsockname(fd, reinterpret_cast<sockaddr *>(&addr), &len), 0);
        const quint16 port = ntohs(addr.sin_port);
        QList<QTcpSocket *> fillers;
        for (int i = 0; i < 3; ++i) {
            auto *s = new QTcpSocket(this);
            s->connectToHost(QHostAddress::LocalHost, port);
            fillers.append(s);
        }
        QTest::qWait(100);
        Timeouts t = generous();
        t.connectMs = 300;
        const Outcome out = run(requestTo(QStringLiteral("http://127.0.0.1:%1").arg(port)), options(t));
        qDeleteAll(fillers);
        ::close(fd);
        QCOMPARE(out.report->record.failure, FailureKind::ConnectTimeout);
        QCOMPARE(out.report->record.error, u"timed out: could not connect to 127.0.0.1 within 300 ms"_qs);
    }

    void cleanCloseWithoutMarkerIsTruncated()
    {
        FakeResponse resp = FakeResponse::lines({"D:a", "D:b"}, 5);
        resp.chunked = false;
        resp.end = FakeResponse::End::Close;
        const Outcome out = serve(resp);
        QCOMPARE(out.report->record.failure, FailureKind::Truncated);
        QCOMPARE(out.report->result.outcome, StreamOutcome::Truncated);
        QCOMPARE(out.report->result.text, u"ab"_qs);
        QCOMPARE(out.report->record.error, u"stream ended without its end marker after 2 content event(s)"_qs);
    }

    void resetMidStreamIsConnectionLost_data()
    {
        QTest::addColumn<int>("end");
        QTest::newRow("RST") << int(FakeResponse::End::Reset);
        QTest::newRow("truncated chunk") << int(FakeResponse::End::TruncateChunked);
    }
    void resetMidStreamIsConnectionLost()
    {
        QFETCH(int, end);
        FakeResponse resp = FakeResponse::lines({"D:kept", "D:also"}, 5);
        resp.end = FakeResponse::End(end);
        const Outcome out = serve(resp);
        QCOMPARE(out.report->record.failure, FailureKind::ConnectionLost);
        QCOMPARE(out.report->result.outcome, StreamOutcome::Truncated);
        QCOMPARE(out.report->result.text, u"keptalso"_qs);
        QVERIFY2(out.report->record.error.startsWith(u"connection lost after 2 content event(s): "),
                 qPrintable(out.report->record.error));
    }

    void redirectIsNotFollowed()
    {
        FakeProvider elsewhere;
        QVERIFY(elsewhere.listen());
        elsewhere.enqueue(FakeResponse::lines({"D:stolen", "END"}));
        FakeResponse resp;
        resp.status = 302;
        resp.reason = "Found";
        const QByteArray location = elsewhere.baseUrl().toUtf8() + "/collect";
        resp.headers = {{"Location", location}};
        resp.chunked = false;
        const Outcome out = serve(resp);
        QCOMPARE(out.report->record.failure, FailureKind::Redirect);
        QVERIFY2(out.report->record.error.contains(QString::fromUtf8(location)), qPrintable(out.report->record.error));
        QCOMPARE(out.report->location, location);
        QTest::qWait(50);
        QCOMPARE(elsewhere.requestCount(), 0);
    }

    void httpErrorCarriesRetryHeaders()
    {
        m_server->enqueue(
            FakeResponse::error(429, R"({"error":{"message":"Slow down","code":"rate_limit_exceeded"}})",
                                {{"retry-after-ms", "20"}, {"Retry-After", "1"}, {"x-should-retry", "true"}}));
        const Outcome out = run(requestTo(m_server->baseUrl()), options());
        const AttemptReport &r = *out.report;
        QCOMPARE(r.record.failure, FailureKind::HttpStatus);
        QCOMPARE(r.record.httpStatus, 429);
        QCOMPARE(r.retryAfterMs, QByteArray("20"));
        QCOMPARE(r.retryAfter, QByteArray("1"));
        QCOMPARE(r.shouldRetry, QByteArray("true"));
        QVERIFY(r.errorBody.contains("rate_limit_exceeded"));
        QCOMPARE(r.record.error, u"HTTP 429 Error from 127.0.0.1: Slow down"_qs);
        QVERIFY(r.result.error);
        QCOMPARE(r.result.error->type, u"rate_limit_exceeded"_qs);
    }

    void providerTextIsSanitised()
    {
        m_server->enqueue(
            FakeResponse::error(400, "{\"error\":{\"message\":\"bad\\u0007\\u001b[31m input\\n\\nhere\"}}"));
        const Outcome out = run(requestTo(m_server->baseUrl()), options());
        QCOMPARE(out.report->record.error, u"HTTP 400 Error from 127.0.0.1: bad [31m input here"_qs);
    }

    // B-3: a prompt longer than the model's context is named as such, whichever provider's
    // wording says so; other 400s keep their plain text.
    void contextTooLongIsNamed_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("named");
        QTest::newRow("openai") << QByteArray(
            R"({"error":{"message":"This model\u0027s maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}})")
                                << true;
        QTest::newRow("anthropic") << QByteArray(
            R"({"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210000 tokens > 200000 maximum"}})")
                                   << true;
        QTest::newRow("gemini") << QByteArray(
            R"({"error":{"code":400,"message":"The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).","status":"INVALID_ARGUMENT"}})")
                                << true;
        QTest::newRow("llama.cpp") << QByteArray(
            R"({"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error"}})")
                                   << true;
        QTest::newRow("other 400") << QByteArray(R"({"error":{"message":"Unknown parameter: \u0027temprature\u0027"}})")
                                   << false;
    }
    void contextTooLongIsNamed()
    {
        QFETCH(QByteArray, body);
        QFETCH(bool, named);
        m_server->enqueue(FakeResponse::error(400, body));
        const Outcome out = run(requestTo(m_server->baseUrl()), options());
        const QString error = out.report->record.error;
        QCOMPARE(out.report->record.failure, FailureKind::HttpStatus);
        QCOMPARE(error.startsWith(u"The prompt is longer than the model's context window"_qs), named);
        QVERIFY2(error.contains(u"HTTP 400"_qs), qPrintable(error)); // the provider's own words stay
    }

    // The same refusal as an error event of a 200 stream (OpenAI Responses' response.failed).
    void contextTooLongInBandIsNamed()
    {
        const Outcome out = serve(FakeResponse::lines({"ERR:context_length_exceeded:Your input exceeds the limit"}));
        QCOMPARE(out.report->record.failure, FailureKind::InBandError);
        QVERIFY2(out.report->record.error.startsWith(u"The prompt is longer than the model's context window"_qs),
                 qPrintable(out.report->record.error));
        QVERIFY(out.report->record.error.contains(u"Your input exceeds the limit"_qs));
    }

    void inBandErrorAfterContent()
    {
        const Outcome out = serve(FakeResponse::lines({"D:some", "ERR:overloaded_error:Overloaded"}));
        QCOMPARE(out.report->record.failure, FailureKind::InBandError);
        QCOMPARE(out.report->record.error,
                 u"the provider reported an error after 1 content event(s): overloaded_error: Overloaded"_qs);
        QCOMPARE(out.report->result.text, u"some"_qs);
    }

    void cancelKeepsPartialText()
    {
        FakeResponse resp = FakeResponse::lines({"D:before cancel"});
        resp.end = FakeResponse::End::Stall;
        m_server->enqueue(resp);
        const Outcome out =
            run(requestTo(m_server->baseUrl()), options(), [](StreamHandler &h, const Outcome &) { h.cancel(); });
        QCOMPARE(out.report->record.failure, FailureKind::Cancelled);
        QVERIFY(out.report->record.error.isEmpty());
        QCOMPARE(out.report->result.text, u"before cancel"_qs);
        QTRY_COMPARE(m_server->openConnections(), 0);
    }

    void cancelBeforeStart()
    {
        StreamHandler handler(requestTo(m_server->baseUrl()), options());
        std::optional<AttemptReport> report;
        connect(&handler, &StreamHandler::finished, this, [&](const AttemptReport &r) { report = r; });
        handler.cancel();
        QVERIFY(report);
        QCOMPARE(report->record.failure, FailureKind::Cancelled);
        QVERIFY(handler.isFinished());
    }

    void responseCap()
    {
        QList<QByteArray> lines;
        for (int i = 0; i < 50; ++i)
            lines.append("D:0123456789");
        lines.append("END");
        m_server->enqueue(FakeResponse::lines(lines));
        StreamHandler::Options o = options();
        o.maxResponseBytes = 100;
        const Outcome out = run(requestTo(m_server->baseUrl()), o);
        QCOMPARE(out.report->record.failure, FailureKind::ResponseTooLarge);
        QVERIFY2(out.report->record.error.startsWith(u"response exceeded "), qPrintable(out.report->record.error));
    }

    void completeButHeldOpenIsSuccess()
    {
        FakeResponse resp = FakeResponse::lines({"D:done", "END"});
        resp.end = FakeResponse::End::Stall;
        Timeouts t = generous();
        t.idleMs = 150;
        const Outcome out = serve(resp, t);
        QCOMPARE(out.report->record.failure, FailureKind::None);
        QCOMPARE(out.report->result.outcome, StreamOutcome::Complete);
    }

    void contentIsBatched()
    {
        QList<QByteArray> lines;
        for (int i = 0; i < 60; ++i)
            lines.append("D:" + QByteArray::number(i % 10));
        lines.append("END");
        m_server->enqueue(FakeResponse::lines(lines, 3));
        StreamHandler::Options o = options();
        o.batchIntervalMs = 40;
        QElapsedTimer elapsed;
        elapsed.start();
        const Outcome out = run(requestTo(m_server->baseUrl()), o);
        const qint64 ms = elapsed.elapsed();
        QCOMPARE(out.report->record.deltas.size(), 60);
        QCOMPARE(out.streamedText(), out.report->result.text);
        // At most one batch per interval, plus the leading one and the final flush.
        QVERIFY2(out.batches.size() <= ms / 40 + 2,
                 qPrintable(QStringLiteral("%1 batches in %2 ms").arg(out.batches.size()).arg(ms)));
    }
};

QTEST_GUILESS_MAIN(tst_StreamHandler)
#include "tst_streamhandler.moc"
