#pragma once

#include "core/Result.h"
#include "sim/SimLog.h"
#include "sim/SimPersonas.h"
#include "sim/SimRecord.h"
#include "sim/SimRouter.h"
#include "sim/SimScheduler.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QTcpServer>
#include <QUrl>

namespace Slopscope {

class SimConnection;
struct SimHttpRequest;

// The Slopscope simulator: a loopback HTTP/1.1 server that speaks the wire formats of OpenAI
// (Chat Completions and Responses), Anthropic, Gemini and Ollama with exact timing, answering as
// the personas of a personas file (docs/SIMULATOR.md). It lives in the thread that owns it and
// serves every connection from one scheduler; no nested event loops, no threads of its own.
//
//     SimServer sim;
//     if (Status s = sim.loadDefaults(); !s) ...
//     sim.listen();                       // 127.0.0.1, ephemeral port
//     QUrl base = sim.baseUrl();          // http://127.0.0.1:<port>
class SimServer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SimServer)

public:
    explicit SimServer(QObject *parent = nullptr);
    ~SimServer() override;

    // The bundled personas and the answer key of the bundled demo suites.
    Status loadDefaults();
    void setPersonas(SimPersonas personas);
    Status loadPersonasFile(const QString &path);
    // Adds a suite's cases to the answer key (the demo suites are there after loadDefaults()).
    Status addSuiteFile(const QString &path);
    void setPersonaFaultsEnabled(bool enabled);
    Status setLogFile(const QString &path);

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    void close();
    [[nodiscard]] bool isListening() const { return m_server.isListening(); }
    [[nodiscard]] quint16 serverPort() const { return m_server.serverPort(); }
    [[nodiscard]] QUrl baseUrl() const;
    [[nodiscard]] QString errorString() const { return m_server.errorString(); }

    [[nodiscard]] const SimPersonas &personas() const { return m_router.personas(); }
    [[nodiscard]] const SimAnswerKey &answerKey() const { return m_router.answerKey(); }
    [[nodiscard]] const SimScheduleStats &scheduleStats() const { return m_scheduler.stats(); }
    void resetScheduleStats() { m_scheduler.resetStats(); }
    // The most recent finished requests (up to kRecordLimit), oldest first.
    [[nodiscard]] const QList<SimRecord> &records() const { return m_records; }
    [[nodiscard]] int openConnections() const { return m_connections; }
    // Connections accepted since the server started, closed ones included.
    [[nodiscard]] int acceptedConnections() const { return m_accepted; }
    // The server's monotonic clock (what SimRecord times are in, as ms), in nanoseconds.
    [[nodiscard]] qint64 nowNs() const { return m_scheduler.nowNs(); }

    static constexpr int kRecordLimit = 2000;
    static constexpr int kMaxConnections = 1024;

signals:
    void requestFinished(const Slopscope::SimRecord &record);

private:
    friend class SimConnection;
    SimScheduler &scheduler() { return m_scheduler; }
    SimStreamPlan plan(const SimHttpRequest &request);
    SimStreamPlan debugEndpoint(const SimHttpRequest &request);
    void finished(const SimRecord &record);
    void onNewConnection();
    quint64 nextRequestId() { return ++m_lastRequestId; }

    QTcpServer m_server;
    SimScheduler m_scheduler;
    SimRouter m_router;
    SimLog m_log;
    QList<SimRecord> m_records;
    quint64 m_lastRequestId = 0;
    int m_connections = 0;
    int m_accepted = 0;
    qint64 m_wallAtClockZeroNs = 0;
};

} // namespace Slopscope
