#pragma once

// A scriptable HTTP/1.1 provider on 127.0.0.1 for the engine's tests: status, headers, body
// pieces with delays, stalls, clean or abrupt ends (close, RST, truncated chunk), holding
// answers until N requests are open at once; it records every request with its headers.

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QTcpServer>

#include <functional>
#include <optional>
#include <memory>

class QSslConfiguration;
class QTcpSocket;

namespace Slopscope::Test {

struct RecordedRequest
{
    QByteArray method;
    QByteArray target;                            // path and query
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-case
    QByteArray body;
    int connection = 0;

    [[nodiscard]] QByteArray header(const QByteArray &lowerName) const;
    [[nodiscard]] bool hasHeader(const QByteArray &lowerName) const;
};

struct FakeResponse
{
    enum class End {
        Complete,        // chunked terminator (or all Content-Length bytes): keep-alive
        Close,           // no length, then a clean FIN (Qt reports NoError)
        Stall,           // say nothing more, keep the connection open
        Reset,           // RST (SO_LINGER 0)
        TruncateChunked, // half a chunk, then FIN
    };
    struct Piece
    {
        int delayMs = 0;
        QByteArray data;
    };

    int status = 200;
    QByteArray reason = "OK";
    QList<QPair<QByteArray, QByteArray>> headers{{"Content-Type", "text/event-stream"}};
    QList<Piece> pieces;
    End end = End::Complete;
    bool chunked = true;
    int headerDelayMs = 0;
    bool noResponse = false; // read the request, never answer
    int holdUntilOpen = 0;   // send nothing until this many requests are open at once
    int holdTimeoutMs = 8000;

    // 200 with one piece per line ("D:text", "END", ":" …), each after `delayMs`.
    static FakeResponse lines(const QList<QByteArray> &lines, int delayMs = 0);
    static FakeResponse error(int status, const QByteArray &body,
                              const QList<QPair<QByteArray, QByteArray>> &headers = {});
    // 200 with an OpenAI Chat Completions stream of one answer and its stop chunk; with
    // `usage`, a usage chunk (prompt, completion tokens) before [DONE].
    static FakeResponse openAiChat(const QString &text, std::optional<QPair<int, int>> usage = std::nullopt);
};

class FakeProvider final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FakeProvider)

public:
    using Script = std::function<FakeResponse(const RecordedRequest &request, int index)>;

    explicit FakeProvider(QObject *parent = nullptr);
    ~FakeProvider() override;

    bool listen();
    // The same over TLS: connections count once their handshake is done; baseUrl() is https.
    bool listenTls(const QSslConfiguration &tls);
    [[nodiscard]] quint16 port() const { return m_server->serverPort(); }
    [[nodiscard]] QString baseUrl() const;

    // Either a script, or responses served in order (the last one repeats).
    void setScript(Script script) { m_script = std::move(script); }
    void enqueue(const FakeResponse &response) { m_queue.append(response); }

    [[nodiscard]] QList<RecordedRequest> requests() const { return m_requests; }
    [[nodiscard]] int requestCount() const { return static_cast<int>(m_requests.size()); }
    [[nodiscard]] int openRequests() const { return m_openRequests; }
    [[nodiscard]] int maxOpenRequests() const { return m_maxOpenRequests; }
    [[nodiscard]] int openConnections() const { return static_cast<int>(m_connections.size()); }
    // Every connection accepted so far (RecordedRequest::connection counts from 1 in this order).
    [[nodiscard]] int acceptedConnections() const { return m_nextConnection; }

signals:
    void requestReceived(int index);

private:
    struct Connection
    {
        int id = 0;
        QByteArray buffer;
        bool inRequest = false;
    };

    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const FakeResponse &response);
    void sendHeaders(QTcpSocket *socket, const FakeResponse &response);
    void sendPiece(QTcpSocket *socket, const FakeResponse &response, qsizetype index);
    void endResponse(QTcpSocket *socket, const FakeResponse &response);
    void requestDone(QTcpSocket *socket);
    FakeResponse responseFor(const RecordedRequest &request, int index);

    std::unique_ptr<QTcpServer> m_server; // a QSslServer after listenTls()
    bool m_tls = false;
    QHash<QTcpSocket *, Connection> m_connections;
    QList<RecordedRequest> m_requests;
    QList<FakeResponse> m_queue;
    Script m_script;
    int m_nextConnection = 0;
    int m_openRequests = 0;
    int m_maxOpenRequests = 0;
};

} // namespace Slopscope::Test
