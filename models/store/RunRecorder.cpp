#include "store/RunRecorder.h"

#include "run/RunSession.h"
#include "store/RunSnapshot.h"

#include <QUuid>

namespace Slopscope {

RunRecorder::RunRecorder(HistoryWriter *writer, QObject *parent)
    : QObject(parent)
    , m_writer(writer)
{}

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
}

void RunRecorder::onCellFinished(const CellResult &cell)
{
    if (m_recording && m_writer)
        m_writer->addResult(m_runId, cell);
}

void RunRecorder::onRunFinished(bool cancelled)
{
    if (!m_recording || !m_writer)
        return;
    m_writer->endRun(m_runId, cancelled ? RunState::Cancelled : RunState::Completed,
                     m_session ? m_session->stopReason() : QString());
    m_recording = false;
}

} // namespace Slopscope
