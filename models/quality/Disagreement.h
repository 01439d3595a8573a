#pragma once

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

namespace Slopscope {

// Where N answers to one case disagree on checkable facts: numbers, dates and named entities.
//
// Extraction is a deliberately simple, predictable heuristic (answers are untrusted plain text;
// nothing is interpreted as markup):
//  - Dates: 1969-07-20, "20 July 1969", "July 20, 1969"; normalised to ISO yyyy-MM-dd. A date is
//    its own kind, and its digits are not also read as numbers.
//  - Numbers: integers, decimals, thousands separators, a leading minus, a currency sign ($ € £)
//    and a trailing percent. Normalised so 1,000 == 1000 == 1000.0 and 12% == 12 %; the unit
//    stays part of the value, so 12% and 12, or $5 and 5, differ.
//  - Entities: runs of capitalised words ("Paris", "New York", "Marie Curie"), compared
//    case-insensitively. At a sentence start, leading common words ("The", "However", "In") are
//    dropped, since there capitals say nothing. Other sentence-initial words are kept (answers
//    often open with the name asked for), so "Rate: 12%" reads "Rate" as a name: a known limit.
//
// Disagreement, per kind: the answers that state at least one fact of a kind take part for that
// kind; the others abstain. A value stated by every taking-part answer (at least two) is agreed;
// a value stated by some of them but not all is disputed. One answer alone disputes nothing.
class Disagreement final
{
public:
    enum class Kind { Number, Date, Entity };

    struct Span
    {
        qsizetype start = 0;
        qsizetype length = 0;
        friend bool operator==(const Span &, const Span &) = default;
    };

    struct Answer
    {
        QString targetId;
        QString text;
    };

    // One mention of a fact in one text.
    struct Mention
    {
        Kind kind = Kind::Number;
        QString key; // normalised value, what is compared
        Span span;
    };

    struct Fact
    {
        Kind kind = Kind::Number;
        QString key;
        QString display;                   // as first written
        QStringList targets;               // that state it, in answer order
        QStringList others;                // that take part for this kind but do not state it
        QHash<QString, QList<Span>> spans; // per target id
        bool disputed = false;
    };

    struct Result
    {
        QList<Fact> facts; // by kind, then by first appearance
        [[nodiscard]] QList<Fact> disputed() const;
    };

    [[nodiscard]] static QList<Mention> extract(const QString &text);
    [[nodiscard]] static Result compare(const QList<Answer> &answers);
    // Translated, for tables and tooltips.
    [[nodiscard]] static QString kindName(Kind kind);
};

} // namespace Slopscope
