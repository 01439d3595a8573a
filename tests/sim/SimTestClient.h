#pragma once

// A raw HTTP/1.1 client for the simulator tests: it sends exact bytes and keeps exact bytes
// (status line, headers, the de-chunked body, and whether the chunked body was terminated), so
// the tests can check wire formats byte for byte. It spins the event loop while waiting, since
// the server under test lives in the same thread.

#include <QByteArray>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QTcpSocket>
#include <QTest>

#include <nlohmann/json.hpp>

namespace SimTest {

struct Response
{
    bool ok = false;         // a complete response arrived
    bool closed = false;     // the server closed the connection
    bool terminated = false; // chunked body ended with the 0-length chunk (or Content-Length was met)
    int status = 0;
    QHash<QByteArray, QByteArray> headers; // lower-cased names; last value wins
    QByteArray body;
    QList<QByteArray> chunks; // the body's chunks as framed on the wire

    [[nodiscard]] QByteArray header(const char *name) const { return headers.value(QByteArray(name)); }
};

// Parses what `raw` holds so far. Returns true once the response is complete.
inline bool parseResponse(const QByteArray &raw, Response &r)
{
    const qsizetype headEnd = raw.indexOf("\r\n\r\n");
    if (headEnd < 0)
        return false;
    const QList<QByteArray> lines = raw.left(headEnd).split('\n');
    r.headers.clear();
    r.status = lines.value(0).split(' ').value(1).toInt();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray line = lines.at(i).trimmed();
        const qsizetype colon = line.indexOf(':');
        if (colon > 0)
            r.headers.insert(line.left(colon).toLower(), line.mid(colon + 1).trimmed());
    }
    if (r.status == 100) // interim response: parse what follows it
        return parseResponse(raw.mid(headEnd + 4), r);
    qsizetype pos = headEnd + 4;
    r.body.clear();
    r.chunks.clear();
    if (r.headers.contains("content-length")) {
        const qsizetype len = r.headers.value("content-length").toLongLong();
        r.body = raw.mid(pos, len);
        r.terminated = raw.size() - pos >= len;
        return r.terminated;
    }
    if (r.headers.value("transfer-encoding") == "chunked") {
        while (true) {
            const qsizetype lineEnd = raw.indexOf("\r\n", pos);
            if (lineEnd < 0)
                return false;
            bool okHex = false;
            const qsizetype size = raw.mid(pos, lineEnd - pos).toLongLong(&okHex, 16);
            if (!okHex)
                return false;
            if (size == 0) {
                r.terminated = raw.size() >= lineEnd + 4;
                return r.terminated;
            }
            if (raw.size() < lineEnd + 2 + size + 2)
                return false;
            const QByteArray chunk = raw.mid(lineEnd + 2, size);
            r.chunks.append(chunk);
            r.body += chunk;
            pos = lineEnd + 2 + size + 2;
        }
    }
    r.body = raw.mid(pos); // until close
    return false;
}

// Sends `request` (a full HTTP message) and waits for the whole response or `timeoutMs`.
inline Response exchange(quint16 port, const QByteArray &request, int timeoutMs = 20000)
{
    Response r;
    QTcpSocket socket;
    socket.connectToHost(QStringLiteral("127.0.0.1"), port);
    QByteArray raw;
    bool closed = false;
    QObject::connect(&socket, &QTcpSocket::readyRead, &socket, [&] { raw += socket.readAll(); });
    QObject::connect(&socket, &QTcpSocket::disconnected, &socket, [&] { closed = true; });
    QElapsedTimer timer;
    timer.start();
    while (socket.state() != QAbstractSocket::ConnectedState && timer.elapsed() < timeoutMs)
        QTest::qWait(1);
    socket.write(request);
    while (timer.elapsed() < timeoutMs) {
        if (parseResponse(raw, r)) {
            r.ok = true;
            break;
        }
        if (closed)
            break;
        QTest::qWait(2);
    }
    raw += socket.readAll();
    if (!r.ok)
        parseResponse(raw, r);
    r.closed = closed;
    return r;
}

inline QByteArray post(const QByteArray &path, const QByteArray &body, const QList<QByteArray> &headers)
{
    QByteArray req = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n";
    for (const QByteArray &h : headers)
        req += h + "\r\n";
    req += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    return req;
}

inline QByteArray get(const QByteArray &path, const QList<QByteArray> &headers = {})
{
    QByteArray req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (const QByteArray &h : headers)
        req += h + "\r\n";
    req += "\r\n";
    return req;
}

struct SseEvent
{
    QByteArray event;
    QByteArray data;
};

// Splits an SSE body into events; `crlf` for Gemini's CRLF framing.
inline QList<SseEvent> sseEvents(const QByteArray &body, bool crlf = false)
{
    const QByteArray separator = crlf ? "\r\n\r\n" : "\n\n";
    const QByteArray newline = crlf ? "\r\n" : "\n";
    QList<SseEvent> out;
    qsizetype pos = 0;
    while (pos < body.size()) {
        const qsizetype end = body.indexOf(separator, pos);
        if (end < 0)
            break;
        SseEvent e;
        const QByteArray block = body.mid(pos, end - pos);
        qsizetype lp = 0;
        while (lp <= block.size()) {
            qsizetype le = block.indexOf(newline, lp);
            if (le < 0)
                le = block.size();
            const QByteArray line = block.mid(lp, le - lp);
            if (line.startsWith("event: "))
                e.event = line.mid(7);
            else if (line.startsWith("data: "))
                e.data = line.mid(6);
            lp = le + newline.size();
        }
        out.append(e);
        pos = end + separator.size();
    }
    return out;
}

inline nlohmann::ordered_json json(const QByteArray &text)
{
    return nlohmann::ordered_json::parse(text.cbegin(), text.cend(), nullptr, false);
}

} // namespace SimTest

// QCOMPARE for JSON values against anything nlohmann::json can hold (strings, numbers, bools, null).
#define SIM_JCOMPARE(actual, expected)                                                                                 \
    do {                                                                                                               \
        const nlohmann::ordered_json simActual_ = (actual);                                                            \
        const nlohmann::ordered_json simExpected_ = (expected);                                                        \
        QVERIFY2(simActual_ == simExpected_,                                                                           \
                 qPrintable(QString::fromStdString(simActual_.dump() + " != " + simExpected_.dump())));                \
    } while (false)
