#include "Disagreement.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>

namespace Slopscope {

namespace {

const QString &monthAlternation()
{
    static const QString months =
        QStringLiteral("January|February|March|April|May|June|July|August|September|October|November|December");
    return months;
}

int monthNumber(const QString &name)
{
    const QStringList months = monthAlternation().split(u'|');
    for (int i = 0; i < months.size(); ++i) {
        if (months.at(i).compare(name, Qt::CaseInsensitive) == 0)
            return i + 1;
    }
    return 0;
}

QString isoDate(int year, int month, int day)
{
    return QStringLiteral("%1-%2-%3")
        .arg(year, 4, 10, QLatin1Char('0'))
        .arg(month, 2, 10, QLatin1Char('0'))
        .arg(day, 2, 10, QLatin1Char('0'));
}

// Words that are capitalised at a sentence start because of where they stand, not what they name.
bool isSentenceOpener(const QString &word)
{
    static const QSet<QString> words = [] {
        QSet<QString> s;
        for (const char *w :
             {"The",     "A",       "An",     "However", "In",    "On",        "At",        "It",       "Its",
              "This",    "That",    "These",  "Those",   "There", "Then",      "Yes",       "No",       "So",
              "But",     "And",     "Or",     "If",      "When",  "While",     "Although",  "As",       "For",
              "From",    "To",      "With",   "Without", "By",    "After",     "Before",    "Since",    "Also",
              "Here",    "We",      "You",    "He",      "She",   "They",      "I",         "My",       "Our",
              "Your",    "Their",   "His",    "Her",     "Some",  "Many",      "Most",      "All",      "Each",
              "Every",   "Both",    "Note",   "Sure",    "Of",    "Because",   "Therefore", "Thus",     "Overall",
              "Finally", "First",   "Second", "Third",   "Today", "Yesterday", "What",      "Which",    "Who",
              "Where",   "Why",     "How",    "Not",     "One",   "Two",       "Three",     "About",    "Approximately",
              "Around",  "Roughly", "Only",   "Answer",  "Final", "Correct",   "Result",    "Solution", "Step"})
            s.insert(QString::fromLatin1(w));
        return s;
    }();
    return words.contains(word);
}

bool atSentenceStart(const QString &text, qsizetype pos)
{
    static const QString skipped = QStringLiteral(" \t\"'(“‘*#-•>[");
    for (qsizetype i = pos - 1; i >= 0; --i) {
        const QChar c = text.at(i);
        if (skipped.contains(c))
            continue;
        return c == u'\n' || c == u'\r' || c == u'.' || c == u'!' || c == u'?' || c == u':';
    }
    return true;
}

bool overlaps(const QList<Disagreement::Span> &taken, qsizetype start, qsizetype length)
{
    return std::any_of(taken.cbegin(), taken.cend(), [start, length](const Disagreement::Span &s) {
        return start < s.start + s.length && s.start < start + length;
    });
}

QString numberKey(const QString &sign, const QString &currency, QString digits, bool percent)
{
    digits.remove(u',');
    if (digits.contains(u'.')) {
        while (digits.endsWith(u'0'))
            digits.chop(1);
        if (digits.endsWith(u'.'))
            digits.chop(1);
    }
    while (digits.size() > 1 && digits.startsWith(u'0') && digits.at(1) != u'.')
        digits.remove(0, 1);
    const bool zero = std::all_of(digits.cbegin(), digits.cend(), [](QChar c) { return c == u'0' || c == u'.'; });
    return (sign.isEmpty() || zero ? QString() : QStringLiteral("-")) + currency + digits +
           (percent ? QStringLiteral("%") : QString());
}

void addDates(const QString &text, QList<Disagreement::Mention> *out, QList<Disagreement::Span> *taken)
{
    static const QRegularExpression iso(QStringLiteral(R"((?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d))"));
    static const QRegularExpression dmy(QStringLiteral(R"(\b(\d{1,2})\s+(%1)\s+(\d{4})\b)").arg(monthAlternation()),
                                        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression mdy(QStringLiteral(R"(\b(%1)\s+(\d{1,2}),?\s+(\d{4})\b)").arg(monthAlternation()),
                                        QRegularExpression::CaseInsensitiveOption);
    const auto add = [&](const QRegularExpressionMatch &m, int year, int month, int day) {
        if (month < 1 || month > 12 || day < 1 || day > 31 || overlaps(*taken, m.capturedStart(), m.capturedLength()))
            return;
        const Disagreement::Span span{m.capturedStart(), m.capturedLength()};
        out->append({Disagreement::Kind::Date, isoDate(year, month, day), span});
        taken->append(span);
    };
    for (auto it = iso.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        add(m, m.captured(1).toInt(), m.captured(2).toInt(), m.captured(3).toInt());
    }
    for (auto it = dmy.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        add(m, m.captured(3).toInt(), monthNumber(m.captured(2)), m.captured(1).toInt());
    }
    for (auto it = mdy.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        add(m, m.captured(3).toInt(), monthNumber(m.captured(1)), m.captured(2).toInt());
    }
}

void addNumbers(const QString &text, QList<Disagreement::Mention> *out, const QList<Disagreement::Span> &dates)
{
    // A thousands group needs exactly three digits after each comma, so "1,2,3" is three numbers.
    static const QRegularExpression number(
        QStringLiteral(R"((?<![\w.])([-−]?)([$€£]?)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?!\d)(\s?%)?)"),
        QRegularExpression::UseUnicodePropertiesOption);
    for (auto it = number.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        if (overlaps(dates, m.capturedStart(), m.capturedLength()))
            continue;
        out->append({Disagreement::Kind::Number,
                     numberKey(m.captured(1), m.captured(2), m.captured(3), m.capturedLength(4) > 0),
                     {m.capturedStart(), m.capturedLength()}});
    }
}

void addEntities(const QString &text, QList<Disagreement::Mention> *out, const QList<Disagreement::Span> &dates)
{
    static const QRegularExpression entity(
        QStringLiteral(R"((?<![\p{L}\p{N}_])\p{Lu}[\p{L}\p{M}'’-]*(?:[ \t]+\p{Lu}[\p{L}\p{M}'’-]*)*)"),
        QRegularExpression::UseUnicodePropertiesOption);
    static const QRegularExpression word(QStringLiteral(R"(\S+)"));
    for (auto it = entity.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        qsizetype start = m.capturedStart();
        qsizetype end = m.capturedEnd();
        if (atSentenceStart(text, start)) {
            // Drop the openers word by word: "However Paris" → "Paris", "The" → nothing.
            for (auto w = word.globalMatch(text.mid(start, end - start)); w.hasNext();) {
                const QRegularExpressionMatch wm = w.next();
                if (!isSentenceOpener(wm.captured()))
                    break;
                start = m.capturedStart() + wm.capturedEnd();
            }
            while (start < end && text.at(start).isSpace())
                ++start;
        }
        // A possessive belongs to the sentence, not the name.
        if (end - start > 2 && (text.mid(end - 2, 2) == u"'s" || text.mid(end - 2, 2) == u"’s"))
            end -= 2;
        while (end > start && (text.at(end - 1) == u'-' || text.at(end - 1) == u'\'' || text.at(end - 1) == u'’'))
            --end;
        if (end <= start || overlaps(dates, start, end - start))
            continue;
        const QString name = text.mid(start, end - start).simplified();
        if (name == u"I")
            continue;
        out->append({Disagreement::Kind::Entity, name.toCaseFolded(), {start, end - start}});
    }
}

} // namespace

QList<Disagreement::Fact> Disagreement::Result::disputed() const
{
    QList<Fact> out;
    std::copy_if(facts.cbegin(), facts.cend(), std::back_inserter(out), [](const Fact &f) { return f.disputed; });
    return out;
}

QList<Disagreement::Mention> Disagreement::extract(const QString &text)
{
    QList<Mention> out;
    QList<Span> dates;
    addDates(text, &out, &dates);
    addNumbers(text, &out, dates);
    addEntities(text, &out, dates);
    std::stable_sort(out.begin(), out.end(),
                     [](const Mention &a, const Mention &b) { return a.span.start < b.span.start; });
    return out;
}

Disagreement::Result Disagreement::compare(const QList<Answer> &answers)
{
    Result result;
    QHash<QString, qsizetype> index; // kind + key → position in result.facts
    QHash<int, QStringList> taking;  // kind → the targets that state a fact of that kind
    for (const Answer &answer : answers) {
        for (const Mention &m : extract(answer.text)) {
            const QString id = QString::number(int(m.kind)) + u'\x1f' + m.key;
            auto found = index.constFind(id);
            if (found == index.cend()) {
                Fact fact;
                fact.kind = m.kind;
                fact.key = m.key;
                fact.display = answer.text.mid(m.span.start, m.span.length).simplified();
                result.facts.append(fact);
                found = index.insert(id, result.facts.size() - 1);
            }
            Fact &fact = result.facts[*found];
            if (!fact.targets.contains(answer.targetId))
                fact.targets.append(answer.targetId);
            fact.spans[answer.targetId].append(m.span);
            QStringList &t = taking[int(m.kind)];
            if (!t.contains(answer.targetId))
                t.append(answer.targetId);
        }
    }
    for (Fact &fact : result.facts) {
        for (const QString &target : taking.value(int(fact.kind))) {
            if (!fact.targets.contains(target))
                fact.others.append(target);
        }
        fact.disputed = !fact.others.isEmpty();
    }
    std::stable_sort(result.facts.begin(), result.facts.end(),
                     [](const Fact &a, const Fact &b) { return int(a.kind) < int(b.kind); });
    return result;
}

QString Disagreement::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Number:
        return QCoreApplication::translate("Disagreement", "Number");
    case Kind::Date:
        return QCoreApplication::translate("Disagreement", "Date");
    case Kind::Entity:
        return QCoreApplication::translate("Disagreement", "Name");
    }
    return {};
}

} // namespace Slopscope
