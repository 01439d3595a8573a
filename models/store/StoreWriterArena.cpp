// StoreWriter's arena votes: kept apart from StoreWriter.cpp, which holds the result path.
#include "store/StoreWriter.h"

#include <QDateTime>

namespace Slopscope {

namespace {

// Statement ids of this file, clear of StoreWriter.cpp's (which count up from 0).
enum ArenaStatementId {
    InsertArenaVote = 1000,
    DeleteArenaVote,
};

} // namespace

SqliteStatus StoreWriter::applyArena(const Operation &operation)
{
    const auto run = [this](SqliteStatement &q) {
        const int code = q.step();
        q.reset();
        return code == SQLITE_DONE ? SqliteStatus{} : m_db.status(code);
    };
    if (const auto *vote = std::get_if<StoredArenaVote>(&operation)) {
        qint64 key = 0;
        if (SqliteStatus s = runKey(vote->runId, &key); !s.ok())
            return s;
        SqliteStatement &q =
            statement(InsertArenaVote, "INSERT INTO arena_votes (run_id, vote_id, case_id, variant_id, left_job_id, "
                                       "right_job_id, choice, rater, note, voted_at) "
                                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
        q.bind(1, key);
        q.bind(2, vote->voteId);
        q.bind(3, vote->caseId);
        q.bind(4, vote->variantId);
        q.bind(5, vote->leftJobId);
        q.bind(6, vote->rightJobId);
        q.bind(7, vote->choice);
        q.bind(8, vote->rater);
        q.bind(9, vote->note);
        q.bind(10, (vote->votedAt.isValid() ? vote->votedAt : QDateTime::currentDateTimeUtc()).toMSecsSinceEpoch());
        return run(q);
    }
    if (const auto *retract = std::get_if<RetractVote>(&operation)) {
        qint64 key = 0;
        if (SqliteStatus s = runKey(retract->runId, &key); !s.ok())
            return s;
        SqliteStatement &q = statement(DeleteArenaVote, "DELETE FROM arena_votes WHERE run_id = ? AND vote_id = ?");
        q.bind(1, key);
        q.bind(2, retract->voteId);
        return run(q);
    }
    return {};
}

} // namespace Slopscope
