#include "SideBySideDiff.h"

#include <QHash>

#include <dtl/dtl.hpp>

#include <vector>

namespace Slopscope {

namespace {

struct Words
{
    std::vector<int> ids; // interned words, what dtl compares
    QList<SideBySideDiff::Range> spans;
};

Words split(const QString &text, QHash<QStringView, int> &dictionary)
{
    Words words;
    qsizetype i = 0;
    const qsizetype n = text.size();
    while (i < n) {
        while (i < n && text.at(i).isSpace())
            ++i;
        const qsizetype start = i;
        while (i < n && !text.at(i).isSpace())
            ++i;
        if (i > start) {
            const QStringView word = QStringView(text).mid(start, i - start);
            const auto found = dictionary.constFind(word);
            const int id = found != dictionary.cend() ? *found : static_cast<int>(dictionary.size());
            if (found == dictionary.cend())
                dictionary.insert(word, id);
            words.ids.push_back(id);
            words.spans.append({start, i - start});
        }
    }
    return words;
}

// Marks word `index` in `out`, joining it to the previous range when that one ended at the word
// just before (so "a b c" changed reads as one highlight, spaces included).
void mark(QList<SideBySideDiff::Range> &out, const Words &words, qsizetype index, qsizetype &lastMarked)
{
    const SideBySideDiff::Range &span = words.spans.at(index);
    if (!out.isEmpty() && lastMarked == index - 1)
        out.last().length = span.start + span.length - out.last().start;
    else
        out.append(span);
    lastMarked = index;
}

} // namespace

SideBySideDiff::Result SideBySideDiff::compute(const QString &left, const QString &right)
{
    QHash<QStringView, int> dictionary;
    const Words a = split(left, dictionary);
    const Words b = split(right, dictionary);
    Result result;
    result.leftWords = a.spans.size();
    result.rightWords = b.spans.size();
    if (result.leftWords + result.rightWords > kMaxWords) {
        result.complete = false;
        return result;
    }

    qsizetype i = 0;
    qsizetype j = 0;
    qsizetype lastRemoved = -2;
    qsizetype lastAdded = -2;
    if (a.ids.empty() || b.ids.empty()) {
        for (; i < result.leftWords; ++i)
            mark(result.removed, a, i, lastRemoved);
        for (; j < result.rightWords; ++j)
            mark(result.added, b, j, lastAdded);
        return result;
    }

    dtl::Diff<int, std::vector<int>> diff(a.ids, b.ids);
    diff.compose();
    // Walk the edit script in order rather than trusting its indices: both sides advance on a
    // common word, one side on an edit.
    for (const auto &step : diff.getSes().getSequence()) {
        switch (step.second.type) {
        case dtl::SES_COMMON:
            ++i;
            ++j;
            ++result.commonWords;
            break;
        case dtl::SES_DELETE:
            if (i < result.leftWords)
                mark(result.removed, a, i++, lastRemoved);
            break;
        case dtl::SES_ADD:
            if (j < result.rightWords)
                mark(result.added, b, j++, lastAdded);
            break;
        default:
            break;
        }
    }
    return result;
}

} // namespace Slopscope
