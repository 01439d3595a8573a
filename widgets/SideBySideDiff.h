#pragma once

#include <QList>
#include <QString>

namespace Slopscope {

// A word-level diff of two texts for side-by-side display, computed with Debian's dtl (Wu's
// O(NP) algorithm). Words are runs of non-whitespace; whitespace differences are ignored. The
// result marks, in each text's own coordinates, the words only that side has; neighbouring
// changed words are merged into one range with the spaces between them.
class SideBySideDiff final
{
public:
    struct Range
    {
        qsizetype start = 0;
        qsizetype length = 0;
        friend bool operator==(const Range &, const Range &) = default;
    };
    struct Result
    {
        QList<Range> removed; // in the left text: words the right one lacks
        QList<Range> added;   // in the right text: words the left one lacks
        qsizetype leftWords = 0;
        qsizetype rightWords = 0;
        qsizetype commonWords = 0;
        bool complete = true; // false when the texts were too long to diff; nothing is marked
    };

    // Past this many words in all, the diff is skipped (its cost grows with length × changes).
    static constexpr qsizetype kMaxWords = 200'000;

    static Result compute(const QString &left, const QString &right);
};

} // namespace Slopscope
