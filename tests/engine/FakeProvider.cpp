#include "FakeProvider.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QSslServer>
#include <QTcpSocket>
#include <QTimer>

#include <nlohmann/json.hpp>

#include <sys/socket.h>

namespace Slopscope::Test {

QByteArray RecordedRequest::header(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return h.second;
    }
    return {};
}

bool RecordedRequest::hasHeader(const QByteArray &lowerName) const
{
    for (const auto &h : headers) {
        if (h.first == lowerName)
            return true;
    }
    return false;
}

FakeResponse FakeResponse::lines(const QList<QByteArray> &lines, int delayMs)
{
    FakeResponse r;
    for (const QByteArray &line : lines)
        r.pieces.append(Piece{delayMs, line + '\n'});
    return r;
}

FakeResponse FakeResponse::error(int status, const QByteArray &body,
                                 const QList<QPair<QByteArray, QByteArray>> &headers)
{
    FakeResponse r;
    r.status = status;
    r.reason = "Error";
    r.headers = {{"Content-Type", "application/json"}};
    r.headers.append(headers);
    r.pieces.append(Piece{0, body});
    r.chunked = false;
    return r;
}

FakeResponse FakeResponse::openAiChat(const QString &text, std::optional<QPair<int, int>> usage)
{
    const nlohmann::json content = {
        {"id", "x"},
        {"object", "chat.completion.chunk"},
        {"choices", {{{"index", 0}, {"delta", {{"content", text.toStdString()}}}, {"finish_reason", nullptr}}}}};
    const nlohmann::json stop = {
        {"id", "x"},
        {"object", "chat.completion.chunk"},
        {"choices", {{{"index", 0}, {"delta", nlohmann::json::object()}, {"finish_reason", "stop"}}}}};
    QList<nlohmann::json> chunks{content, stop};
    if (usage) {
        chunks.append(nlohmann::json{{"id", "x"},
                                     {"object", "chat.completion.chunk"},
                                     {"choices", nlohmann::json::array()},
                                     {"usage",
                                      {{"prompt_tokens", usage->first},
                                       {"completion_tokens", usage->second},
                                       {"total_tokens", usage->first + usage->second}}}});
    }
    QByteArray body;
    for (const nlohmann::json &chunk : std::as_const(chunks))
        body += "data: " + QByteArray::fromStdString(chunk.dump()) + "\n\n";
    body += "data: [DONE]\n\n";
    FakeResponse r;
    r.pieces.append(Piece{0, body});
    return r;
}

FakeProvider::FakeProvider(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QTcpServer>())
{
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this, &FakeProvider::onNewConnection);
}

FakeProvider::~FakeProvider()
{
    const auto sockets = m_connections.keys();
    for (QTcpSocket *s : sockets) {
        disconnect(s, nullptr, this, nullptr);
        s->abort();
        delete s;
    }
}

bool FakeProvider::listen()
{
    m_server->setMaxPendingConnections(1024);
    // Qt's default backlog (50) drops part of a 64-connection burst, which then looks like a stall.
    m_server->setListenBacklogSize(1024);
    return m_server->listen(QHostAddress::LocalHost, 0);
}

bool FakeProvider::listenTls(const QSslConfiguration &tls)
{
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(tls);
    // QSslServer offers a connection once its handshake is done, as pendingConnectionAvailable.
    connect(server.get(), &QTcpServer::pendingConnectionAvailable, this, &FakeProvider::onNewConnection);
    m_server = std::move(server);
    m_tls = true;
    return listen();
}

QString FakeProvider::baseUrl() const
{
    return QStringLiteral("%1://127.0.0.1:%2").arg(m_tls ? u"https" : u"http").arg(port());
}

void FakeProvider::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        socket->setParent(nullptr);
        m_connections.insert(socket, Connection{++m_nextConnection, {}, false});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            const auto it = m_connections.find(socket);
            if (it == m_connections.end())
                return;
            if (it->inRequest)
                --m_openRequests;
            m_connections.erase(it);
            socket->deleteLater();
        });
    }
}

FakeResponse FakeProvider::responseFor(const RecordedRequest &request, int index)
{
    if (m_script)
        return m_script(request, index);
    if (m_queue.isEmpty())
        return FakeResponse::error(500, R"({"error":{"message":"no scripted response"}})");
    return m_queue.size() > 1 ? m_queue.takeFirst() : m_queue.first();
}

void FakeProvider::onReadyRead(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end())
        return;
    it->buffer += socket->readAll();
    if (it->inRequest)
        return;
    const qsizetype headerEnd = it->buffer.indexOf("\r\n\r\n");
    if (headerEnd < 0)
        return;
    RecordedRequest req;
    req.connection = it->id;
    const QList<QByteArray> lines = it->buffer.left(headerEnd).split('\n');
    const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
    req.method = requestLine.value(0);
    req.target = requestLine.value(1);
    qsizetype contentLength = 0;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines[i].trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        req.headers.append({name, value});
        if (name == "content-length")
            contentLength = value.toLongLong();
    }
    if (it->buffer.size() < headerEnd + 4 + contentLength)
        return;
    req.body = it->buffer.mid(headerEnd + 4, contentLength);
    it->buffer.remove(0, headerEnd + 4 + contentLength);
    it->inRequest = true;
    ++m_openRequests;
    m_maxOpenRequests = std::max(m_maxOpenRequests, m_openRequests);
    const int index = static_cast<int>(m_requests.size());
    m_requests.append(req);
    emit requestReceived(index);
    respond(socket, responseFor(req, index));
}

void FakeProvider::respond(QTcpSocket *socket, const FakeResponse &response)
{
    if (response.noResponse || socket->state() != QAbstractSocket::ConnectedState)
        return;
    // A latch: once N requests were open together, every held one is answered.
    if (response.holdUntilOpen > 0 && m_maxOpenRequests < response.holdUntilOpen) {
        auto *poll = new QTimer(socket);
        auto elapsed = std::make_shared<QElapsedTimer>();
        elapsed->start();
        connect(poll, &QTimer::timeout, socket, [this, socket, response, poll, elapsed] {
            if (m_maxOpenRequests >= response.holdUntilOpen || elapsed->elapsed() > response.holdTimeoutMs) {
                poll->stop();
                poll->deleteLater();
                FakeResponse r = response;
                r.holdUntilOpen = 0;
                respond(socket, r);
            }
        });
        poll->start(5);
        return;
    }
    if (response.headerDelayMs > 0) {
        FakeResponse r = response;
        r.headerDelayMs = 0;
        QTimer::singleShot(response.headerDelayMs, socket, [this, socket, r] { respond(socket, r); });
        return;
    }
    sendHeaders(socket, response);
    sendPiece(socket, response, 0);
}

void FakeProvider::sendHeaders(QTcpSocket *socket, const FakeResponse &response)
{
    QByteArray head = "HTTP/1.1 " + QByteArray::number(response.status) + ' ' + response.reason + "\r\n";
    for (const auto &h : response.headers)
        head += h.first + ": " + h.second + "\r\n";
    if (response.chunked) {
        head += "Transfer-Encoding: chunked\r\n";
    } else if (response.end == FakeResponse::End::Complete) {
        qsizetype length = 0;
        for (const auto &p : response.pieces)
            length += p.data.size();
        head += "Content-Length: " + QByteArray::number(length) + "\r\n";
    } else {
        head += "Connection: close\r\n";
    }
    head += "\r\n";
    socket->write(head);
}

void FakeProvider::sendPiece(QTcpSocket *socket, const FakeResponse &response, qsizetype index)
{
    if (index >= response.pieces.size()) {
        endResponse(socket, response);
        return;
    }
    const FakeResponse::Piece &piece = response.pieces[index];
    const auto write = [this, socket, response, index] {
        if (socket->state() != QAbstractSocket::ConnectedState)
            return;
        const QByteArray &data = response.pieces[index].data;
        if (response.chunked)
            socket->write(QByteArray::number(data.size(), 16) + "\r\n" + data + "\r\n");
        else
            socket->write(data);
        socket->flush();
        sendPiece(socket, response, index + 1);
    };
    if (piece.delayMs > 0)
        QTimer::singleShot(piece.delayMs, socket, write);
    else
        write();
}

void FakeProvider::endResponse(QTcpSocket *socket, const FakeResponse &response)
{
    switch (response.end) {
    case FakeResponse::End::Complete:
        if (response.chunked)
            socket->write("0\r\n\r\n");
        socket->flush();
        requestDone(socket);
        break;
    case FakeResponse::End::Close:
        socket->flush();
        socket->disconnectFromHost();
        break;
    case FakeResponse::End::Stall:
        break;
    case FakeResponse::End::Reset: {
        socket->flush();
        struct linger lg = {1, 0};
        ::setsockopt(static_cast<int>(socket->socketDescriptor()), SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
        socket->abort();
        if (m_connections.contains(socket)) {
            // abort() did not report the disconnect: account for it here.
            if (m_connections.value(socket).inRequest)
                --m_openRequests;
            m_connections.remove(socket);
            socket->deleteLater();
        }
        break;
    }
    case FakeResponse::End::TruncateChunked:
        socket->write("40\r\nhalf a chunk");
        socket->flush();
        socket->disconnectFromHost();
        break;
    }
}

void FakeProvider::requestDone(QTcpSocket *socket)
{
    auto it = m_connections.find(socket);
    if (it == m_connections.end() || !it->inRequest)
        return;
    it->inRequest = false;
    --m_openRequests;
    if (!it->buffer.isEmpty())
        QTimer::singleShot(0, socket, [this, socket] { onReadyRead(socket); });
}

} // namespace Slopscope::Test
