#pragma once

#include "judge/HumanReview.h"
#include "run/CellResult.h"
#include "store/StoreTypes.h"

#include <QHash>
#include <QObject>
#include <QPointer>

#include <functional>
#include <optional>

namespace Slopscope {

class HistoryWriter;

// The people's ratings of the answers on screen, per run and cell (job id). A rating goes to the
// history through the HistoryWriter (queued, never blocking the GUI thread) when there is one;
// otherwise it is kept for the session only. The history appends ratings, so the latest one of a
// cell wins, here as in HumanReview::judgeAgreement.
class RatingBook final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RatingBook)

public:
    explicit RatingBook(QObject *parent = nullptr);
    ~RatingBook() override;

    // Where ratings are written; null (or a destroyed writer) keeps them in memory only.
    void setWriter(HistoryWriter *writer);
    [[nodiscard]] bool persistent() const;
    // The run the views show: asked at each rating, so it follows live and recorded runs.
    void setRunIdSource(std::function<QString()> source);
    [[nodiscard]] QString currentRunId() const;

    // The latest rating of a cell of the current run (read from the history on first use).
    [[nodiscard]] std::optional<StoredRating> latest(const QString &jobId);
    // Records a rating of a cell of the current run: kind "pass_fail" (1/0) or "stars" (1–5).
    void rate(const QString &jobId, const QString &kind, int rating, const QString &note);
    // Whether undo() can take back the cell's rating: whenever it has one. The history only
    // appends, so a stored rating is taken back by appending the one before it again, or, when
    // there is none, a "withdrawn" row that leaves the cell unrated.
    [[nodiscard]] bool canUndo(const QString &jobId);
    void undo(const QString &jobId);
    // Whether any cell of the run on screen is rated: without ratings there is no agreement to
    // work out, so callers on every summary can skip gathering the cells.
    [[nodiscard]] bool hasRatings();
    // The latest rating of each of `cells` that has one, as HumanReview reads it.
    [[nodiscard]] QList<HumanRating> humanRatings(const QList<CellResult> &cells);
    // Forgets the session-only ratings of the unrecorded run: a new run reuses its cell ids.
    void forgetUnrecorded();

    // "pass", "fail" or "★★★★☆" for tooltips; "[pass]", "[fail]" or "[★4]" to mark a cell (plain text).
    [[nodiscard]] static QString verdictText(const StoredRating &rating);
    [[nodiscard]] static QString markerText(const StoredRating &rating);

Q_SIGNALS:
    void changed(const QString &jobId);
    // The stored ratings of a run could not be read (the history is unreadable or damaged):
    // the cells show as unrated, and `message` names the file and the reason.
    void ratingsUnreadable(const QString &message);

private:
    struct Entry
    {
        StoredRating rating;
        bool stored = false; // in the history (or queued for it)
    };
    [[nodiscard]] QList<Entry> &entries(const QString &jobId);
    void loadRun(const QString &runId);

    QPointer<HistoryWriter> m_writer;
    std::function<QString()> m_runIdSource;
    QHash<QString, QHash<QString, QList<Entry>>> m_runs; // run id → job id → ratings, oldest first
};

} // namespace Slopscope
