#include "report/WordDiff.h"

#include <cstdint>
#include <vector>

namespace Slopscope {

namespace {

struct Word
{
    QStringView word;
    QStringView withSpace; // the word and the whitespace after it
};

// Leading whitespace goes to `lead`; every word keeps the whitespace that follows it.
QList<Word> words(const QString &text, QStringView *lead)
{
    QList<Word> out;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n && text.at(i).isSpace())
        ++i;
    *lead = QStringView(text).first(i);
    while (i < n) {
        const qsizetype start = i;
        while (i < n && !text.at(i).isSpace())
            ++i;
        const qsizetype wordEnd = i;
        while (i < n && text.at(i).isSpace())
            ++i;
        out.append({QStringView(text).sliced(start, wordEnd - start), QStringView(text).sliced(start, i - start)});
    }
    return out;
}

void push(QList<DiffSegment> &out, DiffSegment::Kind kind, QStringView text)
{
    if (text.isEmpty())
        return;
    if (!out.isEmpty() && out.last().kind == kind)
        out.last().text += text;
    else
        out.append({kind, text.toString()});
}

} // namespace

std::optional<QList<DiffSegment>> WordDiff::diff(const QString &from, const QString &to, qsizetype maxCells)
{
    QStringView fromLead;
    QStringView toLead;
    const QList<Word> a = words(from, &fromLead);
    const QList<Word> b = words(to, &toLead);

    // The common prefix and suffix need no table.
    qsizetype prefix = 0;
    while (prefix < a.size() && prefix < b.size() && a.at(prefix).word == b.at(prefix).word)
        ++prefix;
    qsizetype suffix = 0;
    while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
           a.at(a.size() - 1 - suffix).word == b.at(b.size() - 1 - suffix).word)
        ++suffix;
    const qsizetype n = a.size() - prefix - suffix;
    const qsizetype m = b.size() - prefix - suffix;
    if (n > 0 && m > 0 && (n + 1) > maxCells / (m + 1))
        return std::nullopt;

    QList<DiffSegment> out;
    push(out, DiffSegment::Kind::Same, toLead);
    for (qsizetype i = 0; i < prefix; ++i)
        push(out, DiffSegment::Kind::Same, b.at(i).withSpace);

    // lcs[i][j]: the LCS length of a[prefix+i..] and b[prefix+j..] (within the middle part).
    const auto width = static_cast<std::size_t>(m + 1);
    std::vector<std::uint32_t> lcs(static_cast<std::size_t>(n + 1) * width, 0);
    const auto at = [&](qsizetype i, qsizetype j) -> std::uint32_t & {
        return lcs[static_cast<std::size_t>(i) * width + static_cast<std::size_t>(j)];
    };
    for (qsizetype i = n - 1; i >= 0; --i) {
        for (qsizetype j = m - 1; j >= 0; --j) {
            at(i, j) = a.at(prefix + i).word == b.at(prefix + j).word ? at(i + 1, j + 1) + 1
                                                                      : std::max(at(i + 1, j), at(i, j + 1));
        }
    }
    qsizetype i = 0;
    qsizetype j = 0;
    while (i < n || j < m) {
        if (i < n && j < m && a.at(prefix + i).word == b.at(prefix + j).word) {
            push(out, DiffSegment::Kind::Same, b.at(prefix + j).withSpace);
            ++i;
            ++j;
        } else if (i < n && (j == m || at(i + 1, j) >= at(i, j + 1))) {
            // On a tie the removal goes first, as diffs are usually read.
            push(out, DiffSegment::Kind::Removed, a.at(prefix + i).withSpace);
            ++i;
        } else {
            push(out, DiffSegment::Kind::Added, b.at(prefix + j).withSpace);
            ++j;
        }
    }
    for (qsizetype k = b.size() - suffix; k < b.size(); ++k)
        push(out, DiffSegment::Kind::Same, b.at(k).withSpace);
    return out;
}

} // namespace Slopscope
