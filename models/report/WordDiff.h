#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace Slopscope {

struct DiffSegment
{
    enum class Kind { Same, Added, Removed };
    Kind kind = Kind::Same;
    QString text; // words with the whitespace that follows them

    friend bool operator==(const DiffSegment &, const DiffSegment &) = default;
};

// A word-level diff by longest common subsequence: enough for "what did this answer change
// against the reference". Words are runs of non-whitespace; whitespace differences are ignored.
class WordDiff final
{
public:
    // The largest LCS table (words × words after the common prefix and suffix are set aside); 4 M
    // cells is 16 MB, about two 2,000-word answers that share nothing.
    static constexpr qsizetype kDefaultMaxCells = 4'000'000;

    // Segments that turn `from` into `to`: Same and Added text comes from `to` (with its spacing),
    // Removed text from `from`. Consecutive segments of one kind are merged. Empty when the
    // texts are too different and long to diff within `maxCells`.
    static std::optional<QList<DiffSegment>> diff(const QString &from, const QString &to,
                                                  qsizetype maxCells = kDefaultMaxCells);
};

} // namespace Slopscope
