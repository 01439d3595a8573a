#pragma once

#include "core/Result.h"
#include "store/SqliteConnection.h"

#include <QCoreApplication>

#include <optional>

namespace Slopscope {

// The search index's watermark (schema 5). Results are committed without being indexed; every
// result whose id is at most search_state.indexed_to is in results_fts, every one above is not.
// The writer thread catches the index up in chunks when it has nothing else to do, so the cost of
// indexing (about half of a result's insert) stays off the commit path. Search covers the
// unindexed tail itself (prepareTail), so it never misses a committed result.
class SearchIndex final
{
    Q_DECLARE_TR_FUNCTIONS(SearchIndex)

public:
    struct Progress
    {
        qint64 indexedTo = 0; // the watermark after the chunk
        qint64 lastId = 0;    // the highest result id
        [[nodiscard]] bool done() const { return indexedTo >= lastId; }
    };

    // The watermark, or nothing on a file older than schema 5 (where every result is indexed).
    static Result<std::optional<qint64>> indexedTo(SqliteConnection &db);
    // Indexes up to `maxRows` results above the watermark (all of them when maxRows <= 0) and
    // moves the watermark past them. Must run inside the caller's write transaction, so the rows
    // and the watermark move together: a crash keeps both or neither, and nothing is indexed twice.
    static Result<Progress> catchUp(SqliteConnection &db, qint64 maxRows);
    // The same in a transaction of its own (BEGIN IMMEDIATE, touching the identity row).
    static Result<Progress> catchUpNow(SqliteConnection &db, qint64 maxRows);
    // Fills temp.search_tail, an in-memory FTS5 table with the same tokenizer, with the results
    // above `watermark`, so a search matches them exactly as the index will. Returns how many.
    static Result<qint64> prepareTail(SqliteConnection &db, qint64 watermark);
};

} // namespace Slopscope
