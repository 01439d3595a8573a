#include "store/RunRecorder.h"

#include "run/RunSession.h"
#include "store/RunSnapshot.h"

#include <QUuid>

namespace Slopscope {

RunRecorder::RunRecorder(HistoryWriter *writer, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
{
    if (writer) {
        connect(writer, &HistoryWriter::committed, this, &RunRecorder::onCommitted);
        connect(writer, &HistoryWriter::problemChanged, this, &RunRecorder::onProblem);
        m_diskFull = writer->problem().kind == StoreProblem::Kind::DiskFull;
    }
}

void RunRecorder::attach(RunSession *session)
{
    if (m_session)
        disconnect(m_session, nullptr, this, nullptr);
    m_session = session;
    connect(session, &RunSession::runStarted, this, &RunRecorder::onRunStarted);
    connect(session, &RunSession::cellFinished, this, &RunRecorder::onCellFinished);
    connect(session, &RunSession::runFinished, this, &RunRecorder::onRunFinished);
}

QString RunRecorder::begin(const RunSpec &spec, const QString &priceCatalogue)
{
    m_runId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_pendingStart = RunSnapshot::fromSpec(spec, m_runId, priceCatalogue);
    m_pendingResume = false;
    m_recording = false;
    return m_runId;
}

void RunRecorder::resume(const QString &runId)
{
    m_runId = runId;
    m_pendingStart.reset();
    m_pendingResume = true;
    m_recording = false;
}

void RunRecorder::onRunStarted(int total)
{
    if (!m_writer || m_runId.isEmpty())
        return;
    if (m_pendingStart) {
        m_pendingStart->startedAt = QDateTime::currentDateTimeUtc();
        m_pendingStart->plannedCells = total;
        // The session has just chosen its prices: record the catalogue it used unless told one.
        if (m_pendingStart->priceCatalogue.isEmpty() && m_session && !m_session->catalogueInfo().source.isEmpty())
            m_pendingStart->priceCatalogue = m_session->catalogueInfo().version();
        // … and the prices it applies, so `report RUN_ID` shows them rather than the workspace's alone.
        if (m_session) {
            QHash<QString, PriceSchedule> schedules;
            for (const QString &id : std::as_const(m_pendingStart->targetIds))
                schedules.insert(id, m_session->priceSchedule(id));
            m_pendingStart->targetsJson = RunSnapshot::targetsJson(m_session->spec(), schedules);
        }
        m_writer->beginRun(*m_pendingStart);
    } else if (m_pendingResume) {
        m_writer->resumeRun(m_runId);
    } else {
        return; // a session started without begin() or resume(): not ours to record
    }
    m_pendingStart.reset();
    m_pendingResume = false;
    m_recording = true;
    m_unsaved.clear();
    updateHold(); // a disk already full sends nothing from the start
}

void RunRecorder::onCellFinished(const CellResult &cell)
{
    if (!m_recording || !m_writer)
        return;
    m_unsaved.insert(cell.job.jobId);
    m_writer->addResult(m_runId, cell);
    updateHold();
}

void RunRecorder::onCommitted(const QStringList &jobIds)
{
    for (const QString &id : jobIds)
        m_unsaved.remove(id);
    updateHold();
}

void RunRecorder::onProblem(const StoreProblem &problem)
{
    m_diskFull = problem.kind == StoreProblem::Kind::DiskFull;
    updateHold();
}

void RunRecorder::updateHold()
{
    if (!m_session || !m_recording)
        return;
    const int unsaved = unsavedCount();
    QString reason;
    if (m_diskFull)
        reason = tr("Disk full: %n result(s) waiting to be saved", "", unsaved);
    else if (unsaved >= m_maxUnsaved)
        reason = tr("Saving is behind: %n result(s) waiting to be saved", "", unsaved);
    if (reason.isEmpty()) {
        releaseHold();
        return;
    }
    m_holding = true;
    m_session->holdDispatch(reason);
}

void RunRecorder::releaseHold()
{
    if (!m_holding)
        return;
    m_holding = false;
    if (m_session)
        m_session->releaseDispatch();
}

void RunRecorder::onRunFinished(bool cancelled)
{
    releaseHold(); // the next run asks the writer afresh
    if (!m_recording || !m_writer)
        return;
    m_writer->endRun(m_runId, cancelled ? RunState::Cancelled : RunState::Completed,
                     m_session ? m_session->stopReason() : QString());
    m_recording = false;
}

} // namespace Slopscope
