#pragma once

#include "store/StoreWriter.h"

#include <QObject>
#include <QThread>

#include <memory>

namespace Slopscope {

// The caller's side of the writer thread: owns the thread and its StoreWriter, forwards every
// call to it (queued) and brings its signals back to the caller's thread. Calls return at once;
// `committed` says when results are safely on disk.
class HistoryWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HistoryWriter)

public:
    explicit HistoryWriter(QObject *parent = nullptr);
    ~HistoryWriter() override; // saves what it can, then stops the thread

    // `path` must have been opened (created, migrated) by HistoryStore::open first.
    void start(const QString &path, const StoreWriter::Options &options = {});
    void stop();
    [[nodiscard]] bool isStarted() const { return m_worker != nullptr; }
    [[nodiscard]] const QString &path() const { return m_path; }
    [[nodiscard]] StoreProblem problem() const { return m_problem; }

    void beginRun(const RunStart &start);
    void resumeRun(const QString &runId);
    void addResult(const QString &runId, const CellResult &cell);
    void endRun(const QString &runId, RunState state, const QString &stopReason = {});
    void addHumanRating(const StoredRating &rating);
    void addArenaVote(const StoredArenaVote &vote);
    void retractArenaVote(const QString &runId, const QString &voteId);
    // A size cap in pages (PRAGMA max_page_count): reaching it behaves as a full disk.
    void setMaxPageCount(qint64 pages);

Q_SIGNALS:
    void opened(bool ok, const QString &error);
    void committed(const QStringList &jobIds);
    void problemChanged(const Slopscope::StoreProblem &problem);
    void searchIndexed(qint64 indexedTo, qint64 lastResultId);

private:
    struct ThreadStopper
    {
        void operator()(QThread *thread) const
        {
            thread->quit();
            thread->wait();
            delete thread;
        }
    };
    template <typename F> void post(F &&call);

    std::unique_ptr<QThread, ThreadStopper> m_thread;
    StoreWriter *m_worker = nullptr; // lives on m_thread, deleted when it finishes
    QString m_path;
    StoreProblem m_problem;
};

} // namespace Slopscope
