#pragma once

#include "run/CellResult.h"
#include "store/SqliteStatement.h"
#include "store/StoreTypes.h"

#include <QString>

#include <optional>

namespace Slopscope {

// CellResult <-> one row of `results` plus its `attempts` rows. Enumerations are stored by name
// so the file stays readable and survives reordering of the C++ enums.
class CellCodec final
{
public:
    // The columns of `results` after `id`, in the order bindResult() binds and readResult() reads.
    static const QString &resultColumns();
    // resultColumns() with NULL in place of the columns `load` leaves out (same count and order,
    // so readResult() reads either; a NULL reads as "none"). Matrix also leaves out the reasoning
    // text, refusal and response id: only the cell's detail panel shows them.
    static const QString &resultColumns(CellLoad load);
    static int resultColumnCount();
    static const QString &attemptColumns();
    static int attemptColumnCount();

    // Binds every column of resultColumns() from index 1.
    static void bindResult(SqliteStatement &statement, qint64 runKey, const CellResult &cell, qint64 recordedAtMs);
    // Reads a row selected as resultColumns() starting at column `first`. The attempts come from
    // their own table (readAttempt); the answering attempt's content stamps are in the timeline
    // blob and returned through `lastAttemptDeltas`.
    static CellResult readResult(const SqliteStatement &statement, int first, QList<DeltaStamp> *lastAttemptDeltas);
    // The same into a default-constructed cell (a list's new element: no copy of a large struct).
    static void readResult(const SqliteStatement &statement, int first, CellResult &cell,
                           QList<DeltaStamp> *lastAttemptDeltas);
    // Empty when the detail columns of a row selected as resultColumns() from `first` decode;
    // else what is damaged. readResult() takes a damaged column as empty: the full detail of one
    // cell (HistoryStore::cellDetail) says so instead.
    static QString damagedDetail(const SqliteStatement &statement, int first);
    // `last`: the answering attempt, whose deltas live in the result's timeline blob instead.
    static void bindAttempt(SqliteStatement &statement, qint64 resultId, const AttemptRecord &attempt, bool last);
    static AttemptRecord readAttempt(const SqliteStatement &statement, int first);
    // judge_verdicts: one row per judge call of a cell.
    static const QString &judgeColumns();
    static int judgeColumnCount();
    static void bindJudgeCall(SqliteStatement &statement, qint64 runKey, const QString &cellJobId,
                              const JudgeCall &call);
    static JudgeCall readJudgeCall(const SqliteStatement &statement, int first, QString *cellJobId);

    // Completed or Incomplete: an answer a resumed run keeps.
    static bool isAnswered(JobState state) { return state == JobState::Completed || state == JobState::Incomplete; }
};

} // namespace Slopscope
