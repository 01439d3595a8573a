#pragma once

#include "run/RunSpec.h"
#include "store/HistoryWriter.h"

#include <QObject>
#include <QPointer>

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

private:
    void onRunStarted(int total);
    void onCellFinished(const CellResult &cell);
    void onRunFinished(bool cancelled);

    QPointer<HistoryWriter> m_writer;
    QPointer<RunSession> m_session;
    QString m_runId;
    std::optional<RunStart> m_pendingStart;
    bool m_pendingResume = false;
    bool m_recording = false;
};

} // namespace Slopscope
