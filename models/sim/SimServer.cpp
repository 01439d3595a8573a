#include "sim/SimServer.h"

#include "sim/SimConnection.h"
#include "sim/SimJson.h"
#include "sim/SimTime.h"

#include <QTcpSocket>

namespace Slopscope {

SimServer::SimServer(QObject *parent)
    : QObject(parent)
    , m_server(this)
    , m_scheduler(this)
{
    m_wallAtClockZeroNs = SimTime::wallNowNs() - m_scheduler.nowNs();
    m_server.setMaxPendingConnections(256);
    connect(&m_server, &QTcpServer::newConnection, this, &SimServer::onNewConnection);
}

SimServer::~SimServer()
{
    // Connections are children; they unhook their streams from the scheduler as they go.
    m_server.close();
    const auto children = findChildren<SimConnection *>(QString(), Qt::FindDirectChildrenOnly);
    for (SimConnection *c : children)
        delete c;
}

Status SimServer::loadDefaults()
{
    auto personas = SimPersonas::defaults();
    if (!personas)
        return Error{personas.error()};
    auto key = SimAnswerKey::demo();
    if (!key)
        return Error{key.error()};
    m_router.setPersonas(std::move(personas).value());
    m_router.setAnswerKey(std::move(key).value());
    return {};
}

void SimServer::setPersonas(SimPersonas personas)
{
    m_router.setPersonas(std::move(personas));
}

Status SimServer::loadPersonasFile(const QString &path)
{
    auto personas = SimPersonas::fromFile(path);
    if (!personas)
        return Error{personas.error()};
    m_router.setPersonas(std::move(personas).value());
    return {};
}

Status SimServer::addSuiteFile(const QString &path)
{
    return m_router.answerKey().addSuiteFile(path);
}

void SimServer::setPersonaFaultsEnabled(bool enabled)
{
    m_router.setPersonaFaultsEnabled(enabled);
}

Status SimServer::setLogFile(const QString &path)
{
    return m_log.open(path);
}

bool SimServer::listen(const QHostAddress &address, quint16 port)
{
    if (!m_server.listen(address, port))
        return false;
    m_router.setServerPort(m_server.serverPort());
    return true;
}

void SimServer::close()
{
    m_server.close();
}

QUrl SimServer::baseUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("http"));
    const QHostAddress addr = m_server.serverAddress();
    url.setHost(addr.isNull() || addr == QHostAddress::Any || addr == QHostAddress::AnyIPv4
                    ? QStringLiteral("127.0.0.1")
                : addr == QHostAddress::AnyIPv6 ? QStringLiteral("::1")
                                                : addr.toString());
    url.setPort(m_server.serverPort());
    return url;
}

void SimServer::onNewConnection()
{
    while (QTcpSocket *socket = m_server.nextPendingConnection()) {
        if (m_connections >= kMaxConnections) {
            socket->abort();
            socket->deleteLater();
            continue;
        }
        socket->setSocketOption(QAbstractSocket::LowDelayOption, 1); // no Nagle: tokens go out now
        ++m_connections;
        ++m_accepted;
        auto *connection = new SimConnection(socket, this);
        connect(connection, &QObject::destroyed, this, [this] { --m_connections; });
    }
}

SimStreamPlan SimServer::plan(const SimHttpRequest &request)
{
    if (request.path.startsWith("/sim/"))
        return debugEndpoint(request);
    return m_router.route(request, m_wallAtClockZeroNs + request.bodyCompleteNs);
}

SimStreamPlan SimServer::debugEndpoint(const SimHttpRequest &request)
{
    SimStreamPlan plan;
    plan.startNs = request.bodyCompleteNs;
    plan.record.method = QString::fromLatin1(request.method);
    plan.record.path = QString::fromUtf8(request.path);
    plan.record.arrivalMs = static_cast<double>(request.arrivalNs) / 1e6;
    plan.record.bodyCompleteMs = static_cast<double>(request.bodyCompleteNs) / 1e6;
    plan.mode = SimStreamPlan::Mode::Immediate;
    SimHttpResponse &r = plan.response;
    r.headers = {{"content-type", "application/json"}};
    if (request.method != "GET") {
        plan.response = SimRouter::plainError(405, "Method Not Allowed");
    } else if (request.path == "/sim/requests") {
        // Ground truth with the answer text, for tests that compare what a client parsed.
        const QString tag = QString::fromUtf8(QByteArray::fromPercentEncoding(request.queryItem("tag")));
        QByteArray body = "[";
        bool first = true;
        for (const SimRecord &rec : std::as_const(m_records)) {
            if (!tag.isEmpty() && rec.tag != tag)
                continue;
            if (!first)
                body += ',';
            first = false;
            body += rec.toJson(true);
        }
        body += "]\n";
        r.body = body;
    } else if (request.path == "/sim/stats") {
        const SimScheduleStats &s = m_scheduler.stats();
        SimJson::Value v = SimJson::Value::object();
        v["tokens"] = s.count();
        v["lag_p50_ms"] = s.percentileMs(0.5);
        v["lag_p99_ms"] = s.percentileMs(0.99);
        v["lag_max_ms"] = s.maxMs();
        v["active_streams"] = m_scheduler.activeStreams();
        v["connections"] = m_connections;
        r.body = SimJson::dump(v, SimJson::Style::Compact) + '\n';
    } else {
        plan.response = SimRouter::plainError(404, "404 page not found");
    }
    plan.record.status = plan.response.status;
    return plan;
}

void SimServer::finished(const SimRecord &record)
{
    if (record.path.startsWith(u"/sim/"))
        return; // looking at the ground truth is not part of it
    m_log.write(record);
    m_records.append(record);
    if (m_records.size() > kRecordLimit)
        m_records.remove(0, m_records.size() - kRecordLimit);
    emit requestFinished(record);
}

} // namespace Slopscope
