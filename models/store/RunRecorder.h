#pragma once

#include "run/RunSpec.h"
#include "store/HistoryWriter.h"

#include <QObject>
#include <QPointer>
#include <QSet>

#include <algorithm>

namespace Slopscope {

class RunSession;

// Records a RunSession into the history through a HistoryWriter: the run row (with its snapshots)
// when the session has really started, every cell as it finishes, and the end state. Say what is
// about to run with begin() (or resume()) before RunSession::start(); the recorder then follows
// the session's signals:
//
//     recorder.attach(&session);
//     const QString runId = recorder.begin(spec, catalogue.version());
//     session.start(spec);
class RunRecorder final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunRecorder)

public:
    explicit RunRecorder(HistoryWriter *writer, QObject *parent = nullptr);

    void attach(RunSession *session);
    // A new run; returns its id. Nothing is written until the session emits runStarted.
    QString begin(const RunSpec &spec, const QString &priceCatalogue = {});
    // Continue an earlier run (interrupted or cancelled): new cells land in it, a cell sent again
    // replaces its earlier failure. The spec's `completed` comes from HistoryStore::completedCells.
    void resume(const QString &runId);
    [[nodiscard]] const QString &runId() const { return m_runId; }
    [[nodiscard]] bool isRecording() const { return m_recording; }
    // Results handed to the writer and not yet committed, past which the session sends nothing new
    // until the writer catches up. With a full disk it holds at once, whatever the count. Either
    // way the memory queue is bounded: once held, only the cells already in flight (at most the
    // providers' concurrency) can still join it; nothing is ever dropped.
    void setMaxUnsaved(int results) { m_maxUnsaved = std::max(1, results); }
    [[nodiscard]] int unsavedCount() const { return static_cast<int>(m_unsaved.size()); }
    static constexpr int kDefaultMaxUnsaved = 500;

private:
    void onRunStarted(int total);
    void onCellFinished(const CellResult &cell);
    void onRunFinished(bool cancelled);
    void onCommitted(const QStringList &jobIds);
    void onProblem(const StoreProblem &problem);
    // Holds or releases the session's dispatch from the writer's state and the unsaved count.
    void updateHold();
    void releaseHold();

    QPointer<HistoryWriter> m_writer;
    QPointer<RunSession> m_session;
    QString m_runId;
    std::optional<RunStart> m_pendingStart;
    bool m_pendingResume = false;
    bool m_recording = false;
    QSet<QString> m_unsaved; // job ids handed to the writer, not yet committed
    int m_maxUnsaved = kDefaultMaxUnsaved;
    bool m_diskFull = false;
    bool m_holding = false; // the session's dispatch is held by this recorder
};

} // namespace Slopscope
