#pragma once

#include <QByteArray>
#include <QList>
#include <QPair>

namespace Slopscope {

// One parsed HTTP/1.1 request.
struct SimHttpRequest
{
    QByteArray method;
    QByteArray path;  // without the query, percent-encoding left as sent
    QByteArray query; // after '?', may be empty
    QByteArray version;
    QList<QPair<QByteArray, QByteArray>> headers; // names lower-cased, values trimmed
    QByteArray body;
    qint64 arrivalNs = 0;      // first byte of the request seen (scheduler clock)
    qint64 bodyCompleteNs = 0; // last byte of the body seen

    [[nodiscard]] QByteArray header(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (h.first == name)
                return h.second;
        }
        return {};
    }
    [[nodiscard]] bool hasHeader(QByteArrayView name) const
    {
        for (const auto &h : headers) {
            if (h.first == name)
                return true;
        }
        return false;
    }
    [[nodiscard]] QByteArray queryItem(QByteArrayView name) const
    {
        for (const QByteArray &item : query.split('&')) {
            const qsizetype eq = item.indexOf('=');
            if ((eq < 0 ? item : item.left(eq)) == name)
                return eq < 0 ? QByteArray() : item.mid(eq + 1);
        }
        return {};
    }
    [[nodiscard]] bool wantsClose() const
    {
        const QByteArray c = header("connection").toLower();
        return c.contains("close") || (version == "HTTP/1.0" && !c.contains("keep-alive"));
    }
};

} // namespace Slopscope
