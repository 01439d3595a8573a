#pragma once

#include <QColor>
#include <QList>
#include <QString>
#include <QVariant>

#include <optional>

namespace Slopscope {

// Small text and colour helpers shared by the results models. Model output is untrusted: what
// goes into a cell is made plain and short here, and what goes into a (rich-text) tooltip is
// escaped here.
class ViewText final
{
public:
    // The first non-empty line of an answer, without control or bidi-override characters (they
    // could reorder what the user reads), elided to `maxChars` with "…".
    static QString firstLine(const QString &text, qsizetype maxChars = 80);
    // Plain text with control and bidi-override characters removed, newlines and tabs kept.
    static QString sanitized(const QString &text);
    // A suite, case or variant name as shown in lists and headers: control characters (NUL,
    // newlines), bidi controls and zero-width characters made visible as "<U+202E>", so a name
    // cannot hide or reorder what the user reads (RELIABILITY.md B-2). Plain text.
    static QString visibleName(const QString &name);
    // The characters visibleName() shows, escaped for an editable field as \u202E, so the name can
    // be edited and turned back exactly: unescapeInvisible(escapeInvisible(s)) == s for every s.
    // Decoding reads \\ as one backslash and \u with four hex digits (not a surrogate half) as
    // that character; any other backslash is itself. So escaping doubles a backslash only where
    // it is followed by a backslash, a "u" or an escaped character.
    static QString escapeInvisible(const QString &name);
    static QString unescapeInvisible(const QString &escaped);
    // Rich-text-safe: the text escaped and its line breaks kept.
    static QString html(const QString &plain);
    // A score (0..1) as a cell background: red → amber → green, pale enough for dark text.
    static QColor scoreColor(double score);
    // Nearest-rank quantile (the ⌈q·n⌉-th smallest); nullopt for no values.
    static std::optional<double> quantile(QList<double> values, double q);
    // The ordering of the results views' proxies: numbers as numbers, text case-insensitively,
    // and unknown values (invalid) after known ones in either sort order. QSortFilterProxyModel
    // reverses lessThan for a descending sort, hence the flag. Two unknowns compare by `tie`.
    static bool unknownLastLess(const QVariant &left, const QVariant &right, bool descending, bool tie);
};

} // namespace Slopscope
