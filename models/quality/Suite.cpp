#include "quality/Suite.h"

#include "core/Json.h"
#include "core/Utf8.h"
#include "quality/SuiteParser.h"

#include <QCoreApplication>
#include <QFile>
#include <QRegularExpression>

#include <algorithm>

namespace Slopscope {

namespace {

using json = nlohmann::json;

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct SuiteTr
{
    Q_DECLARE_TR_FUNCTIONS(Suite)
};

} // namespace

const QStringList &knownAssertionTypes()
{
    static const QStringList types{QStringLiteral("equals"),        QStringLiteral("contains"),
                                   QStringLiteral("icontains"),     QStringLiteral("contains-any"),
                                   QStringLiteral("contains-all"),  QStringLiteral("icontains-any"),
                                   QStringLiteral("icontains-all"), QStringLiteral("not-contains"),
                                   QStringLiteral("regex"),         QStringLiteral("starts-with"),
                                   QStringLiteral("ends-with"),     QStringLiteral("is-json"),
                                   QStringLiteral("contains-json"), QStringLiteral("json-schema"),
                                   QStringLiteral("levenshtein"),   QStringLiteral("word-count"),
                                   QStringLiteral("latency"),       QStringLiteral("cost"),
                                   QStringLiteral("numeric"),       QStringLiteral("is-valid-tool-call"),
                                   QStringLiteral("tool-call"),     QStringLiteral("llm-rubric"),
                                   QStringLiteral("factuality"),    QStringLiteral("select-best"),
                                   QStringLiteral("code-tests")};
    return types;
}

QString canonicalAssertionType(const QString &type)
{
    // promptfoo's provider-specific spellings of the tool-call check.
    if (type == u"is-valid-openai-tools-call" || type == u"is-valid-openai-function-call" ||
        type == u"is-valid-function-call")
        return QStringLiteral("is-valid-tool-call");
    return type;
}

QString renderTemplate(const QString &text, const QHash<QString, QString> &vars, QStringList *missing)
{
    static const QRegularExpression placeholder(QStringLiteral("\\{\\{\\s*([A-Za-z_][A-Za-z0-9_.-]*)\\s*\\}\\}"));
    QString out;
    out.reserve(text.size());
    qsizetype last = 0;
    auto it = placeholder.globalMatch(text);
    while (it.hasNext()) {
        const auto match = it.next();
        out += QStringView(text).mid(last, match.capturedStart() - last);
        const QString name = match.captured(1);
        const auto found = vars.constFind(name);
        if (found != vars.constEnd()) {
            out += found.value();
        } else {
            if (missing && !missing->contains(name))
                missing->append(name);
            out += match.captured(0);
        }
        last = match.capturedEnd();
    }
    out += QStringView(text).mid(last);
    return out;
}

Result<Suite> Suite::fromJson(const QByteArray &bytes, const QString &sourceName)
{
    if (bytes.size() >= 2 &&
        ((bytes.at(0) == '\xFF' && bytes.at(1) == '\xFE') || (bytes.at(0) == '\xFE' && bytes.at(1) == '\xFF')))
        return Error{SuiteTr::tr("%1: the file is UTF-16; save it as UTF-8").arg(sourceName)};
    if (Status utf8 = Utf8::check(bytes, sourceName); !utf8)
        return Error{utf8.error()};
    auto parsed = Json::parse(bytes, sourceName);
    if (!parsed)
        return Error{parsed.error()};
    return parseSuiteDocument(std::move(parsed.value()), bytes, sourceName);
}

Result<Suite> Suite::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{SuiteTr::tr("Cannot open suite %1: %2").arg(path, file.errorString())};
    if (file.size() > kMaxFileBytes)
        return Error{SuiteTr::tr("%1: the suite is too large (%2 MiB; limit %3 MiB)")
                         .arg(path)
                         .arg(file.size() / (1024 * 1024))
                         .arg(kMaxFileBytes / (1024 * 1024))};
    return fromJson(file.readAll(), path);
}

const CaseVariant *SuiteCase::findVariant(const QString &variantId) const
{
    for (const auto &v : variants) {
        if (v.id == variantId)
            return &v;
    }
    return nullptr;
}

QHash<QString, QString> Suite::varsFor(const SuiteCase &c, const CaseVariant *variant)
{
    if (!variant || variant->vars.isEmpty())
        return c.vars;
    QHash<QString, QString> vars = c.vars;
    for (auto it = variant->vars.cbegin(); it != variant->vars.cend(); ++it)
        vars.insert(it.key(), it.value());
    return vars;
}

QList<Assertion> Suite::assertionsFor(const SuiteCase &c, const CaseVariant *variant) const
{
    return defaults.assertions + (variant && variant->assertions ? *variant->assertions : c.assertions);
}

QString Suite::referenceFor(const SuiteCase &c, const CaseVariant *variant)
{
    return variant && !variant->reference.isEmpty() ? variant->reference : c.reference;
}

std::optional<qint64> Suite::timeBudgetFor(const SuiteCase &c) const
{
    return c.timeBudgetMs ? c.timeBudgetMs : defaults.timeBudgetMs;
}

bool Suite::hasTimeBudgets() const
{
    return defaults.timeBudgetMs.has_value() ||
           std::any_of(cases.cbegin(), cases.cend(), [](const SuiteCase &c) { return c.timeBudgetMs.has_value(); });
}

const SuiteCase *Suite::findCase(const QString &id) const
{
    for (const auto &c : cases) {
        if (c.id == id)
            return &c;
    }
    return nullptr;
}

QList<ChatMessage> Suite::messagesFor(const SuiteCase &c, const CaseVariant *variant) const
{
    QList<ChatMessage> out;
    const QString &prompt = variant ? variant->prompt : c.prompt;
    const QList<ChatMessage> &messages = variant ? variant->messages : c.messages;
    const bool hasSystem =
        std::any_of(messages.begin(), messages.end(), [](const ChatMessage &m) { return m.role == u"system"; });
    const QHash<QString, QString> vars = varsFor(c, variant);
    if (!defaults.system.isEmpty() && !hasSystem)
        out.append({QStringLiteral("system"), renderTemplate(defaults.system, vars)});
    if (!messages.isEmpty()) {
        for (const auto &m : messages)
            out.append({m.role, renderTemplate(m.content, vars)});
    } else {
        out.append({QStringLiteral("user"), renderTemplate(prompt, vars)});
    }
    return out;
}

} // namespace Slopscope
