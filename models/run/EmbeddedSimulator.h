#pragma once

#include "core/Result.h"

#include <QString>

#include <memory>

class QObject;
class QThread;

namespace Slopscope {

class SimServer;

// The simulator inside the application: its own thread (so 3,000 tokens/s per stream never
// competes with the GUI), listening on an ephemeral loopback port, with the bundled personas
// and demo suites. Stopped and joined by the destructor.
class EmbeddedSimulator final
{
public:
    EmbeddedSimulator();
    ~EmbeddedSimulator();
    EmbeddedSimulator(const EmbeddedSimulator &) = delete;
    EmbeddedSimulator &operator=(const EmbeddedSimulator &) = delete;

    // Starts it once; later calls return the same address.
    Result<QString> start();
    [[nodiscard]] QString baseUrl() const { return m_baseUrl; }

private:
    std::unique_ptr<QThread> m_thread;
    QObject *m_context = nullptr;  // lives in m_thread: the target of calls made there
    SimServer *m_server = nullptr; // lives in m_thread, deleted there
    QString m_baseUrl;
};

} // namespace Slopscope
