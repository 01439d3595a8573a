#include "RatingBook.h"

#include "judge/HumanReview.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RecordedRun.h"

#include <QDateTime>

#include <algorithm>

namespace Slopscope {

RatingBook::RatingBook(QObject *parent)
    : QObject(parent)
{
}

RatingBook::~RatingBook() = default;

void RatingBook::setWriter(HistoryWriter *writer)
{
    m_writer = writer;
}

bool RatingBook::persistent() const
{
    return m_writer && m_writer->isStarted() && !currentRunId().isEmpty();
}

void RatingBook::setRunIdSource(std::function<QString()> source)
{
    m_runIdSource = std::move(source);
}

QString RatingBook::currentRunId() const
{
    return m_runIdSource ? m_runIdSource() : QString();
}

void RatingBook::loadRun(const QString &runId)
{
    auto &run = m_runs[runId];
    if (runId.isEmpty() || !m_writer || !m_writer->isStarted())
        return;
    // Once per run: small reads, like RecordedRun::load's, on opening a run of the history.
    HistoryStore store;
    if (const auto opened = store.open(m_writer->path(), HistoryStore::Mode::ReadOnly,
                                         StoreOpenOptions{.quickCheck = false});
        !opened) {
        Q_EMIT ratingsUnreadable(tr("Ratings could not be read, cells show as unrated: %1").arg(opened.error()));
        return;
    }
    const auto stored = store.humanRatings(runId);
    if (!stored) {
        Q_EMIT ratingsUnreadable(tr("Ratings could not be read, cells show as unrated: %1").arg(stored.error()));
        return;
    }
    for (const StoredRating &r : stored.value())
        run[r.jobId].append({r, true});
}

QList<RatingBook::Entry> &RatingBook::entries(const QString &jobId)
{
    const QString runId = currentRunId();
    if (!m_runs.contains(runId))
        loadRun(runId);
    return m_runs[runId][jobId];
}

bool RatingBook::hasRatings()
{
    const QString runId = currentRunId();
    if (!m_runs.contains(runId))
        loadRun(runId);
    const auto &run = m_runs[runId];
    return std::any_of(run.cbegin(), run.cend(),
                       [](const QList<Entry> &list) { return !list.isEmpty() && !list.constLast().rating.withdrawn(); });
}

std::optional<StoredRating> RatingBook::latest(const QString &jobId)
{
    const QList<Entry> &list = entries(jobId);
    if (list.isEmpty() || list.constLast().rating.withdrawn())
        return std::nullopt;
    return list.constLast().rating;
}

void RatingBook::rate(const QString &jobId, const QString &kind, int rating, const QString &note)
{
    if (jobId.isEmpty())
        return;
    StoredRating r;
    r.runId = currentRunId();
    r.jobId = jobId;
    r.kind = kind;
    r.rating = rating;
    r.comment = note;
    r.createdAt = QDateTime::currentDateTimeUtc();
    const bool store = persistent();
    entries(jobId).append({r, store});
    if (store)
        m_writer->addHumanRating(r);
    Q_EMIT changed(jobId);
}

bool RatingBook::canUndo(const QString &jobId)
{
    return latest(jobId).has_value();
}

void RatingBook::undo(const QString &jobId)
{
    if (!canUndo(jobId))
        return;
    QList<Entry> &list = entries(jobId);
    const Entry taken = list.takeLast();
    if (taken.stored && persistent()) {
        // The history only appends: the rating before becomes the latest again by being appended
        // again, or, with none before, a withdrawal says the cell is no longer rated.
        StoredRating again = taken.rating;
        if (list.isEmpty()) {
            again.kind = QStringLiteral("withdrawn");
            again.rating = 0;
            again.comment.clear();
            list.append({again, true});
        } else {
            again = list.constLast().rating;
        }
        again.createdAt = QDateTime::currentDateTimeUtc();
        m_writer->addHumanRating(again);
    }
    Q_EMIT changed(jobId);
}

QList<HumanRating> RatingBook::humanRatings(const QList<CellResult> &cells)
{
    QList<HumanRating> people;
    for (const CellResult &cell : cells) {
        if (const auto rating = latest(jobIdOf(cell)))
            people.append(RecordedRun::toHumanRating(*rating));
    }
    return people;
}

void RatingBook::forgetUnrecorded()
{
    m_runs.remove(QString());
}

QString RatingBook::verdictText(const StoredRating &rating)
{
    if (rating.kind == u"stars") {
        const int n = std::clamp(rating.rating, 0, 5);
        return QString(n, QChar(0x2605)) + QString(5 - n, QChar(0x2606));
    }
    return rating.rating != 0 ? tr("pass") : tr("fail");
}

QString RatingBook::markerText(const StoredRating &rating)
{
    if (rating.kind == u"stars")
        return tr("[★%1]", "a matrix cell's human rating in stars").arg(rating.rating);
    return rating.rating != 0 ? tr("[pass]", "a matrix cell's human rating")
                              : tr("[fail]", "a matrix cell's human rating");
}

} // namespace Slopscope
