#pragma once

#include "sim/SimAnswerer.h"
#include "sim/SimAnswerKey.h"
#include "sim/SimHttpRequest.h"
#include "sim/SimPersonas.h"
#include "sim/SimStream.h"

#include <QHash>

namespace Slopscope {

// Decides the whole response to a request: route, method, auth the way each provider checks it,
// the model, the fault to act out, the answer, its timing. Pure decision: no sockets, no clock
// reads (the times come in with the request), so every rule is testable on its own.
class SimRouter final
{
public:
    SimRouter();
    SimRouter(const SimRouter &) = delete; // the answerer points at m_key
    SimRouter &operator=(const SimRouter &) = delete;

    void setPersonas(SimPersonas personas) { m_personas = std::move(personas); }
    void setAnswerKey(SimAnswerKey key) { m_key = std::move(key); }
    [[nodiscard]] const SimPersonas &personas() const { return m_personas; }
    [[nodiscard]] const SimAnswerKey &answerKey() const { return m_key; }
    [[nodiscard]] SimAnswerKey &answerKey() { return m_key; }
    // Persona fault rules (probabilistic); the x-sim-fault header works either way.
    void setPersonaFaultsEnabled(bool enabled) { m_personaFaults = enabled; }
    void setServerPort(quint16 port) { m_port = port; }

    // `wallStartNs` is the unix time in ns matching request.bodyCompleteNs.
    SimStreamPlan route(const SimHttpRequest &request, qint64 wallStartNs);

    // Plain responses for requests that never reached routing (parse failures, timeouts).
    static SimHttpResponse plainError(int status, const QByteArray &message);

private:
    SimStreamPlan generate(Dialect dialect, const SimHttpRequest &request, const QString &pathModel, bool pathStreams,
                           SimStreamPlan plan, qint64 wallStartNs);
    SimStreamPlan listModels(const SimHttpRequest &request, SimStreamPlan plan, bool gemini, bool ollama) const;
    std::optional<SimErrorKind> checkAuth(Dialect dialect, const SimHttpRequest &request) const;
    SimStreamPlan upFrontFault(const SimFault &fault, SimEncoder &encoder, const SimHttpRequest &request,
                               SimStreamPlan plan) const;

    SimPersonas m_personas;
    SimAnswerKey m_key;
    SimAnswerer m_answerer;
    QHash<QByteArray, int> m_occurrences; // identical requests seen, for the repeat index
    bool m_personaFaults = true;
    quint16 m_port = 0;
};

} // namespace Slopscope
