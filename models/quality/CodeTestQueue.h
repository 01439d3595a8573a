#pragma once

#include "quality/CodeSandbox.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPair>
#include <QStringList>

namespace Slopscope {

class CodeSandbox;

// Runs code-tests a few at a time: a run's answers may arrive faster than interpreters start, and
// each sandbox may take its whole memory limit.
class CodeTestQueue final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeTestQueue)

public:
    explicit CodeTestQueue(CodeSandboxSettings settings, int maxRunning = 2, QObject *parent = nullptr);
    ~CodeTestQueue() override;

    // `id` names the run in finished(); ids are the caller's and must be unique while queued.
    void enqueue(const QString &id, const CodeTestRequest &request);
    // Drops the queue and kills the running sandboxes; returns every id whose finished() will now
    // never come, so the caller settles them itself.
    QStringList cancelAll();
    [[nodiscard]] bool isIdle() const { return m_running.isEmpty() && m_queue.isEmpty(); }
    [[nodiscard]] int runningCount() const { return static_cast<int>(m_running.size()); }

Q_SIGNALS:
    void finished(const QString &id, const Slopscope::CodeTestOutcome &outcome);

private:
    void startNext();

    CodeSandboxSettings m_settings;
    int m_maxRunning;
    QList<QPair<QString, CodeTestRequest>> m_queue;
    QHash<CodeSandbox *, QString> m_running;
};

} // namespace Slopscope
