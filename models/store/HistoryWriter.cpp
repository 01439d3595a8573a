#include "store/HistoryWriter.h"

namespace Slopscope {

HistoryWriter::HistoryWriter(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<Slopscope::StoreProblem>();
}

HistoryWriter::~HistoryWriter()
{
    stop();
}

template <typename F> void HistoryWriter::post(F &&call)
{
    if (!m_worker) {
        qWarning("Slopscope: HistoryWriter used before start(); the entry is not saved");
        return;
    }
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker, call = std::forward<F>(call)] { call(w); }, Qt::QueuedConnection);
}

void HistoryWriter::start(const QString &path, const StoreWriter::Options &options)
{
    stop();
    m_path = path;
    m_problem = {};
    m_thread.reset(new QThread);
    m_thread->setObjectName(QStringLiteral("history-writer"));
    m_worker = new StoreWriter(path, options);
    m_worker->moveToThread(m_thread.get());
    connect(m_thread.get(), &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &StoreWriter::opened, this, &HistoryWriter::opened);
    connect(m_worker, &StoreWriter::committed, this, &HistoryWriter::committed);
    connect(m_worker, &StoreWriter::searchIndexed, this, &HistoryWriter::searchIndexed);
    connect(m_worker, &StoreWriter::problemChanged, this, [this](const StoreProblem &problem) {
        m_problem = problem;
        Q_EMIT problemChanged(problem);
    });
    m_thread->start();
    post([](StoreWriter *w) { w->open(); });
}

void HistoryWriter::stop()
{
    if (!m_worker)
        return;
    QMetaObject::invokeMethod(
        m_worker, [w = m_worker] { w->shutdown(); }, Qt::BlockingQueuedConnection);
    m_worker = nullptr;
    m_thread.reset(); // quit and wait; the worker is deleted as the thread finishes
}

void HistoryWriter::beginRun(const RunStart &start)
{
    post([start](StoreWriter *w) { w->beginRun(start); });
}

void HistoryWriter::resumeRun(const QString &runId)
{
    post([runId](StoreWriter *w) { w->resumeRun(runId); });
}

void HistoryWriter::addResult(const QString &runId, const CellResult &cell)
{
    post([runId, cell](StoreWriter *w) { w->addResult(runId, cell); });
}

void HistoryWriter::endRun(const QString &runId, RunState state, const QString &stopReason)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    post([runId, state, stopReason, now](StoreWriter *w) { w->endRun(runId, state, stopReason, now); });
}

void HistoryWriter::addHumanRating(const StoredRating &rating)
{
    post([rating](StoreWriter *w) { w->addHumanRating(rating); });
}

void HistoryWriter::addArenaVote(const StoredArenaVote &vote)
{
    post([vote](StoreWriter *w) { w->addArenaVote(vote); });
}

void HistoryWriter::retractArenaVote(const QString &runId, const QString &voteId)
{
    post([runId, voteId](StoreWriter *w) { w->retractArenaVote(runId, voteId); });
}

void HistoryWriter::setMaxPageCount(qint64 pages)
{
    post([pages](StoreWriter *w) { w->setMaxPageCount(pages); });
}

} // namespace Slopscope
