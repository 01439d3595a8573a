#include "quality/VariantTransforms.h"

// The variant transforms that rewrite a case's text (reorder, markdown and plain, casing,
// whitespace, distractor, instructions), and the public entry that applies any transform; the
// ones that change vars live in VariantVarTransforms.cpp.

#include "core/Json.h"
#include "quality/Statistics.h"
#include "quality/VariantTransformsDetail.h"

#include <QRegularExpression>

#include <algorithm>
#include <functional>

namespace Slopscope {

namespace {

using json = nlohmann::json;

struct Info
{
    VariantTransform transform;
    const char *id;
    const char *kind;
};

constexpr Info kInfo[] = {
    {VariantTransform::ReorderOptions, "t:reorder", "reorder"},
    {VariantTransform::MarkdownToPlain, "t:plain", "plain"},
    {VariantTransform::PlainToMarkdown, "t:markdown", "markdown"},
    {VariantTransform::Casing, "t:case", "casing"},
    {VariantTransform::Whitespace, "t:space", "whitespace"},
    {VariantTransform::Distractor, "t:distractor", "distractor"},
    {VariantTransform::RenameEntities, "t:rename", "rename"},
    {VariantTransform::ChangeNumbers, "t:numbers", "numbers"},
    {VariantTransform::MoveInstructions, "t:instructions", "instructions"},
};

const Info &info(VariantTransform t)
{
    for (const auto &i : kInfo) {
        if (i.transform == t)
            return i;
    }
    return kInfo[0];
}

// FNV-1a: stable across runs and platforms (qHash is seeded per process).
std::uint64_t stableHash(const QString &text)
{
    std::uint64_t h = 0xcbf29ce484222325ULL;
    const QByteArray bytes = text.toUtf8();
    for (const char c : bytes) {
        h ^= static_cast<unsigned char>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

// ---- protected spans ------------------------------------------------------------------------

struct Segment
{
    QString text;
    bool locked = false; // a {{placeholder}}, a ``` block or `inline code`
};

QList<Segment> segments(const QString &text)
{
    static const QRegularExpression locked(QStringLiteral("```.*?(?:```|$)|`[^`\\n]+`|\\{\\{.*?\\}\\}"),
                                           QRegularExpression::DotMatchesEverythingOption);
    QList<Segment> out;
    qsizetype last = 0;
    auto it = locked.globalMatch(text);
    while (it.hasNext()) {
        const auto m = it.next();
        if (m.capturedStart() > last)
            out.append({text.mid(last, m.capturedStart() - last), false});
        out.append({m.captured(0), true});
        last = m.capturedEnd();
    }
    if (last < text.size())
        out.append({text.mid(last), false});
    return out;
}

QString mapFree(const QString &text, const std::function<QString(const QString &)> &fn)
{
    QString out;
    const QList<Segment> parts = segments(text);
    for (const auto &s : parts)
        out += s.locked ? s.text : fn(s.text);
    return out;
}

bool hasCodeBlock(const QString &text)
{
    return text.contains(QStringLiteral("```"));
}

// ---- the text a variant rewrites --------------------------------------------------------------

qsizetype lastUserIndex(const SuiteCase &c)
{
    for (qsizetype i = c.messages.size() - 1; i >= 0; --i) {
        if (c.messages.at(i).role == u"user")
            return i;
    }
    return -1;
}

std::optional<QString> targetText(const SuiteCase &c)
{
    if (c.messages.isEmpty())
        return c.prompt;
    const qsizetype i = lastUserIndex(c);
    if (i < 0)
        return std::nullopt;
    return c.messages.at(i).content;
}

CaseVariant withText(const SuiteCase &c, VariantTransform t, const QString &text)
{
    CaseVariant v;
    v.id = VariantTransforms::id(t);
    v.kind = VariantTransforms::kind(t);
    if (c.messages.isEmpty()) {
        v.prompt = text;
    } else {
        v.messages = c.messages;
        v.messages[lastUserIndex(c)].content = text;
    }
    return v;
}

void shuffleList(QList<qsizetype> &items, Stats::SeededRandom &rng)
{
    for (qsizetype i = items.size() - 1; i > 0; --i) {
        const auto j = static_cast<qsizetype>(rng.below(static_cast<std::uint64_t>(i) + 1));
        std::swap(items[i], items[j]);
    }
}

// Strings an answer is checked against: the reference and every string in the assertion values.
QStringList answerTexts(const SuiteCase &c)
{
    QStringList out{c.reference};
    std::function<void(const json &)> walk = [&](const json &v) {
        if (v.is_string())
            out.append(Json::toQString(v.get<std::string>()));
        else if (v.is_array() || v.is_object())
            for (const auto &item : v)
                walk(item);
    };
    for (const auto &a : c.assertions)
        walk(a.value);
    return out;
}

// ---- reorder ----------------------------------------------------------------------------------

struct OptionLine
{
    QString indent;
    QString label; // "A)", "(b)", "3.", "-"
    QString style; // what must match for lines to be one list
    QString content;
};

std::optional<OptionLine> optionLine(const QString &line)
{
    static const QRegularExpression re(
        QStringLiteral("^(\\s*)(?:([A-Za-z])([).])|\\(([A-Za-z])\\)|(\\d{1,2})([).])|([-*•+]))\\s+(\\S.*)$"));
    const auto m = re.match(line);
    if (!m.hasMatch())
        return std::nullopt;
    OptionLine o;
    o.indent = m.captured(1);
    o.content = m.captured(8);
    if (!m.captured(2).isEmpty()) {
        o.label = m.captured(2) + m.captured(3);
        o.style = (m.captured(2).at(0).isUpper() ? QStringLiteral("A") : QStringLiteral("a")) + m.captured(3);
    } else if (!m.captured(4).isEmpty()) {
        o.label = u'(' + m.captured(4) + u')';
        o.style = m.captured(4).at(0).isUpper() ? QStringLiteral("(A)") : QStringLiteral("(a)");
    } else if (!m.captured(5).isEmpty()) {
        o.label = m.captured(5) + m.captured(6);
        o.style = QStringLiteral("1") + m.captured(6);
    } else {
        o.label = m.captured(7);
        o.style = m.captured(7);
    }
    return o;
}

std::optional<QString> reorderOptions(const SuiteCase &c, const QString &text, Stats::SeededRandom &rng)
{
    QStringList lines = text.split(u'\n');
    // The first run of at least two consecutive option lines of one style.
    qsizetype start = -1;
    qsizetype end = -1;
    for (qsizetype i = 0; i < lines.size() && end < 0; ++i) {
        const auto first = optionLine(lines.at(i));
        if (!first)
            continue;
        qsizetype j = i + 1;
        while (j < lines.size()) {
            const auto next = optionLine(lines.at(j));
            if (!next || next->style != first->style || next->indent != first->indent)
                break;
            ++j;
        }
        if (j - i >= 2) {
            start = i;
            end = j;
        }
    }
    if (start < 0)
        return std::nullopt;
    QList<OptionLine> options;
    for (qsizetype i = start; i < end; ++i)
        options.append(*optionLine(lines.at(i)));
    QList<qsizetype> order(options.size());
    for (qsizetype i = 0; i < order.size(); ++i)
        order[i] = i;
    shuffleList(order, rng);
    bool identity = true;
    for (qsizetype i = 0; i < order.size(); ++i)
        identity = identity && order.at(i) == i;
    if (identity)
        std::rotate(order.begin(), order.begin() + 1, order.end());
    // Labels stay in place (the options are relabelled) unless the answer names a label, e.g. a
    // reference "B) Mitochondrion": then whole lines move, so the label still marks the answer.
    bool labelsNamed = false;
    const QStringList answers = answerTexts(c);
    for (const auto &o : std::as_const(options)) {
        if (o.style.size() == 1 && !o.style.at(0).isLetterOrNumber())
            break; // bullets carry no label
        for (const QString &a : answers)
            labelsNamed = labelsNamed || a.contains(o.label);
    }
    for (qsizetype i = 0; i < options.size(); ++i) {
        const OptionLine &slot = options.at(i);
        const OptionLine &moved = options.at(order.at(i));
        lines[start + i] = labelsNamed ? moved.indent + moved.label + u' ' + moved.content
                                       : slot.indent + slot.label + u' ' + moved.content;
    }
    return lines.join(u'\n');
}

// ---- markdown <-> plain -----------------------------------------------------------------------

bool looksLikeMarkdown(const QString &text)
{
    static const QRegularExpression md(QStringLiteral(
        "\\*\\*[^*\\n]+\\*\\*|__[^_\\n]+__|(?:^|\\n)#{1,6} |(?:^|\\n)\\s*[-*+] \\S|\\[[^\\]\\n]+\\]\\([^)\\n]+\\)|"
        "(?<![\\w*])\\*[^*\\s][^*\\n]*\\*(?![\\w*])|`[^`\\n]+`"));
    QString free;
    const QList<Segment> parts = segments(text);
    for (const auto &s : parts) {
        if (!s.locked || (s.text.startsWith(u'`') && !s.text.startsWith(QStringLiteral("```"))))
            free += s.text; // inline code counts as markdown, fenced blocks do not
    }
    return md.match(free).hasMatch();
}

std::optional<QString> markdownToPlain(const QString &text)
{
    if (!looksLikeMarkdown(text))
        return std::nullopt;
    static const QRegularExpression bold(QStringLiteral("\\*\\*([^*\\n]+)\\*\\*|__([^_\\n]+)__"));
    static const QRegularExpression italic(QStringLiteral("(?<![\\w*])\\*([^*\\s][^*\\n]*)\\*(?![\\w*])"));
    static const QRegularExpression heading(QStringLiteral("(^|\\n)#{1,6} +"));
    static const QRegularExpression bullet(QStringLiteral("(^|\\n)(\\s*)[-*+] (?=\\S)"));
    static const QRegularExpression link(QStringLiteral("\\[([^\\]\\n]+)\\]\\(([^)\\n]+)\\)"));
    // Inline code is plain text once its backticks go; fenced blocks stay as they are.
    QString unwrapped;
    const QList<Segment> parts = segments(text);
    for (const auto &s : parts) {
        if (s.locked && s.text.startsWith(u'`') && !s.text.startsWith(QStringLiteral("```")))
            unwrapped += s.text.mid(1, s.text.size() - 2);
        else
            unwrapped += s.text;
    }
    return mapFree(unwrapped, [](const QString &free) {
        QString s = free;
        s.replace(bold, QStringLiteral("\\1\\2"));
        s.replace(italic, QStringLiteral("\\1"));
        s.replace(heading, QStringLiteral("\\1"));
        s.replace(bullet, QStringLiteral("\\1\\2"));
        s.replace(link, QStringLiteral("\\1 (\\2)"));
        return s;
    });
}

std::optional<QString> plainToMarkdown(const QString &text)
{
    if (looksLikeMarkdown(text))
        return std::nullopt;
    static const QRegularExpression label(QStringLiteral("(^|\\n)([A-Z][A-Za-z ]{1,24}:)(?=\\s|$)"));
    QStringList lines = text.split(u'\n');
    bool inFence = false;
    for (QString &line : lines) {
        if (line.trimmed().startsWith(QStringLiteral("```"))) {
            inFence = !inFence;
            continue;
        }
        if (inFence)
            continue;
        if (const auto o = optionLine(line); o && o->style.size() > 1)
            line = o->indent + QStringLiteral("- **") + o->label + QStringLiteral("** ") + o->content;
    }
    QString body = lines.join(u'\n');
    body = mapFree(body, [](const QString &free) {
        QString s = free;
        s.replace(label, QStringLiteral("\\1**\\2**"));
        return s;
    });
    return QStringLiteral("### Task\n\n") + body;
}

// ---- casing and whitespace --------------------------------------------------------------------

std::optional<QString> lowerCase(const QString &text)
{
    const QString out = mapFree(text, [](const QString &free) { return free.toLower(); });
    if (out == text)
        return std::nullopt;
    return out;
}

std::optional<QString> whitespace(const QString &text, Stats::SeededRandom &rng)
{
    const QString body = mapFree(text, [&rng](const QString &free) {
        QString s;
        s.reserve(free.size() * 2);
        for (const QChar ch : free) {
            if (ch == u' ') {
                // Doubled and tripled spaces between some words; never inside code.
                const auto r = rng.below(8);
                s += r == 0 ? QStringLiteral("   ") : r < 3 ? QStringLiteral("  ") : QStringLiteral(" ");
            } else if (ch == u'\n') {
                s += rng.below(4) == 0 ? QStringLiteral("  \n") : QStringLiteral("\n");
            } else {
                s += ch;
            }
        }
        return s;
    });
    // Some blank lines and trailing spaces, as pasted text has.
    return QStringLiteral("\n") + body + (hasCodeBlock(text) ? QStringLiteral("\n") : QStringLiteral("  \n\n"));
}

// ---- distractor -------------------------------------------------------------------------------

const QStringList &builtInDistractors()
{
    static const QStringList sentences{
        QStringLiteral("My neighbour repainted her garden fence a pale shade of green last spring."),
        QStringLiteral("The library on the corner closes early on public holidays."),
        QStringLiteral("Some people prefer tea to coffee in the afternoon."),
        QStringLiteral("A grey cat was asleep on the windowsill while this was being written."),
        QStringLiteral("The train to the coast was slightly delayed this morning."),
        QStringLiteral("Penguins cannot fly, but they are excellent swimmers."),
        QStringLiteral("The bakery downstairs sells a very good rye bread."),
        QStringLiteral("It rained for most of yesterday afternoon."),
    };
    return sentences;
}

std::optional<QString> distractor(const SuiteCase &c, const QString &text, Stats::SeededRandom &rng)
{
    QStringList pool;
    if (c.metadata.is_object() && c.metadata.contains("distractor_sentences")) {
        for (const auto &s : c.metadata.at("distractor_sentences")) {
            if (s.is_string() && !s.get<std::string>().empty())
                pool.append(Json::toQString(s.get<std::string>()));
        }
    }
    if (pool.isEmpty())
        pool = builtInDistractors();
    const QString sentence = pool.at(static_cast<qsizetype>(rng.below(static_cast<std::uint64_t>(pool.size()))));
    const qsizetype firstBreak = text.indexOf(u'\n');
    const bool before = rng.below(2) == 0;
    if (before || firstBreak < 0 || hasCodeBlock(text.left(firstBreak + 1)))
        return firstBreak < 0 && !before ? text + u' ' + sentence : sentence + u' ' + text;
    // After the first line: between a question and its options, or its context.
    return text.left(firstBreak) + u' ' + sentence + text.mid(firstBreak);
}

// ---- instructions -----------------------------------------------------------------------------

bool isInstruction(const QString &unit)
{
    static const QRegularExpression verb(
        QStringLiteral("^(?:answer|reply|respond|give|return|output|write|list|explain|summari[sz]e|extract|use|"
                       "provide|state|show|format|keep|be|do|don't|do not|translate|classify|choose|pick|select|"
                       "name|think|include|express|round|only|please|make sure|avoid|begin|start|end)\\b(?!:)"),
        QRegularExpression::CaseInsensitiveOption);
    return verb.match(unit.trimmed()).hasMatch();
}

std::optional<QString> moveInstructions(const SuiteCase &c, const QString &text)
{
    // An instruction the case names explicitly moves to the other end.
    if (c.metadata.is_object() && c.metadata.contains("instruction") && c.metadata.at("instruction").is_string()) {
        const QString instruction = Json::toQString(c.metadata.at("instruction").get<std::string>()).trimmed();
        const qsizetype at = instruction.isEmpty() ? -1 : text.indexOf(instruction);
        if (at >= 0) {
            QString rest = text;
            rest.remove(at, instruction.size());
            if (at > 0 && at < rest.size() && rest.at(at - 1).isSpace() && rest.at(at).isSpace())
                rest.remove(at, 1);
            rest = rest.trimmed();
            const bool wasFirst = at < text.size() / 2;
            const QString sep = rest.contains(u'\n') ? QStringLiteral("\n\n") : QStringLiteral(" ");
            return wasFirst ? rest + sep + instruction : instruction + sep + rest;
        }
    }
    if (hasCodeBlock(text))
        return std::nullopt; // never split code
    static const QRegularExpression paragraphBreak(QStringLiteral("\\n\\s*\\n"));
    QStringList units = text.trimmed().split(paragraphBreak, Qt::SkipEmptyParts);
    QString sep = QStringLiteral("\n\n");
    if (units.size() < 2) {
        if (text.contains(u'\n'))
            return std::nullopt; // one block of lines (a question with options): nothing to move
        static const QRegularExpression sentenceBreak(QStringLiteral("(?<=[.!?])\\s+(?=[A-Z{\"'(])"));
        units = text.trimmed().split(sentenceBreak, Qt::SkipEmptyParts);
        sep = QStringLiteral(" ");
    }
    if (units.size() < 2)
        return std::nullopt;
    if (isInstruction(units.last()) && !isInstruction(units.first())) {
        units.prepend(units.takeLast());
        return units.join(sep);
    }
    if (isInstruction(units.first()) && !isInstruction(units.last())) {
        units.append(units.takeFirst());
        return units.join(sep);
    }
    return std::nullopt;
}

} // namespace

QList<VariantTransform> VariantTransforms::all()
{
    QList<VariantTransform> out;
    for (const auto &i : kInfo)
        out.append(i.transform);
    return out;
}

QString VariantTransforms::id(VariantTransform transform)
{
    return QString::fromLatin1(info(transform).id);
}

QString VariantTransforms::kind(VariantTransform transform)
{
    return QString::fromLatin1(info(transform).kind);
}

std::optional<VariantTransform> VariantTransforms::fromName(const QString &name)
{
    for (const auto &i : kInfo) {
        if (name == QLatin1StringView(i.id) || name == QLatin1StringView(i.kind))
            return i.transform;
    }
    return std::nullopt;
}

std::optional<CaseVariant> VariantTransforms::apply(const SuiteCase &c, VariantTransform transform, std::uint64_t seed)
{
    const auto text = targetText(c);
    if (!text || text->trimmed().isEmpty())
        return std::nullopt;
    Stats::SeededRandom rng(seed ^ stableHash(c.id + u'\0' + id(transform)));
    std::optional<QString> changed;
    switch (transform) {
    case VariantTransform::ReorderOptions:
        changed = reorderOptions(c, *text, rng);
        break;
    case VariantTransform::MarkdownToPlain:
        changed = markdownToPlain(*text);
        break;
    case VariantTransform::PlainToMarkdown:
        changed = plainToMarkdown(*text);
        break;
    case VariantTransform::Casing:
        changed = lowerCase(*text);
        break;
    case VariantTransform::Whitespace:
        changed = whitespace(*text, rng);
        break;
    case VariantTransform::Distractor:
        changed = distractor(c, *text, rng);
        break;
    case VariantTransform::MoveInstructions:
        changed = moveInstructions(c, *text);
        break;
    case VariantTransform::RenameEntities:
    case VariantTransform::ChangeNumbers: {
        auto v = transform == VariantTransform::RenameEntities ? VariantDetail::renameEntities(c, rng)
                                                               : VariantDetail::changeNumbers(c, rng);
        if (!v)
            return std::nullopt;
        CaseVariant out = withText(c, transform, *text);
        out.vars = v->vars;
        out.reference = v->reference;
        out.assertions = v->assertions;
        return out;
    }
    }
    if (!changed || *changed == *text)
        return std::nullopt;
    return withText(c, transform, *changed);
}

Suite VariantTransforms::generateVariants(const Suite &suite, const QList<VariantTransform> &transforms,
                                          std::uint64_t seed, qsizetype *added)
{
    Suite out = suite;
    qsizetype count = 0;
    for (auto &c : out.cases) {
        for (const VariantTransform t : transforms) {
            if (c.findVariant(id(t)))
                continue;
            if (auto v = apply(c, t, seed)) {
                c.variants.append(std::move(*v));
                ++count;
            }
        }
    }
    if (added)
        *added = count;
    return out;
}

} // namespace Slopscope
