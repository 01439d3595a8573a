#include "quality/CodeTestQueue.h"

#include <algorithm>

namespace Slopscope {

CodeTestQueue::CodeTestQueue(CodeSandboxSettings settings, int maxRunning, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_maxRunning(std::max(1, maxRunning))
{}

CodeTestQueue::~CodeTestQueue()
{
    // The sandboxes are children; their destructors kill what still runs.
    m_queue.clear();
}

void CodeTestQueue::enqueue(const QString &id, const CodeTestRequest &request)
{
    m_queue.append({id, request});
    startNext();
}

void CodeTestQueue::startNext()
{
    while (!m_queue.isEmpty() && m_running.size() < m_maxRunning) {
        const auto [id, request] = m_queue.takeFirst();
        auto *sandbox = new CodeSandbox(m_settings, this);
        m_running.insert(sandbox, id);
        connect(sandbox, &CodeSandbox::finished, this, [this, sandbox](const CodeTestOutcome &outcome) {
            const QString doneId = m_running.take(sandbox);
            sandbox->deleteLater();
            if (doneId.isEmpty())
                return; // cancelled: its caller has settled it
            startNext();
            Q_EMIT finished(doneId, outcome);
        });
        sandbox->start(request);
    }
}

QStringList CodeTestQueue::cancelAll()
{
    QStringList ids;
    for (const auto &queued : std::as_const(m_queue))
        ids.append(queued.first);
    m_queue.clear();
    const auto running = m_running.keys();
    for (CodeSandbox *sandbox : running) {
        ids.append(m_running.take(sandbox));
        sandbox->disconnect(this);
        sandbox->cancel();
        sandbox->deleteLater(); // its destructor reaps the killed process
    }
    return ids;
}

} // namespace Slopscope
