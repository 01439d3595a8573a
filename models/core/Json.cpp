#include "core/Json.h"

#include "core/JsonLocator.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QStringList>

#include <algorithm>
#include <climits>

namespace Slopscope::Json {

Position positionOf(const QByteArray &text, qsizetype byteOffset)
{
    Position pos;
    const qsizetype end = std::min(byteOffset, text.size());
    for (qsizetype i = 0; i < end; ++i) {
        if (text.at(i) == '\n') {
            ++pos.line;
            pos.column = 1;
        } else if ((static_cast<unsigned char>(text.at(i)) & 0xC0) != 0x80) {
            ++pos.column; // count code points, not UTF-8 continuation bytes
        }
    }
    return pos;
}

Result<nlohmann::json> parse(const QByteArray &bytes, const QString &sourceName)
{
    try {
        return nlohmann::json::parse(bytes.cbegin(), bytes.cend());
    } catch (const nlohmann::json::parse_error &e) {
        // nlohmann reports the offset one past the offending byte.
        const qsizetype offset = e.byte > 0 ? static_cast<qsizetype>(e.byte) - 1 : 0;
        const Position pos = positionOf(bytes, offset);
        QString what = QString::fromStdString(e.what());
        // Keep only the human part: "... parse error at line 1, column 3: syntax error ... - detail".
        const qsizetype colon = what.lastIndexOf(QStringLiteral(": "));
        if (colon >= 0)
            what = what.mid(colon + 2);
        return Error{QCoreApplication::translate("Json", "%1:%2:%3: invalid JSON: %4")
                         .arg(sourceName)
                         .arg(pos.line)
                         .arg(pos.column)
                         .arg(what)};
    } catch (const nlohmann::json::exception &e) {
        // Not a syntax error, so no offset: a number beyond double's range ("1e999999",
        // out_of_range.406). It must not escape as an exception; locate the number by its text.
        QString what = QString::fromStdString(e.what());
        if (const qsizetype bracket = what.indexOf(QStringLiteral("] ")); bracket >= 0)
            what = what.mid(bracket + 2);
        const qsizetype open = what.indexOf(u'\'');
        const qsizetype close = what.lastIndexOf(u'\'');
        const qsizetype at =
            open >= 0 && close > open ? bytes.indexOf(what.mid(open + 1, close - open - 1).toUtf8()) : -1;
        if (at < 0)
            return Error{QCoreApplication::translate("Json", "%1: invalid JSON: %2").arg(sourceName, what)};
        const Position pos = positionOf(bytes, at);
        return Error{QCoreApplication::translate("Json", "%1:%2:%3: invalid JSON: %4")
                         .arg(sourceName)
                         .arg(pos.line)
                         .arg(pos.column)
                         .arg(what)};
    }
}

ObjectReader::ObjectReader(const nlohmann::json &object, QString path, QString *firstError)
    : m_object(object)
    , m_path(std::move(path))
    , m_firstError(firstError)
{}

bool ObjectReader::has(const char *key) const
{
    return m_object.is_object() && m_object.contains(key) && !m_object.at(key).is_null();
}

QString ObjectReader::fieldPath(const char *key) const
{
    const QString k = QString::fromUtf8(key);
    return m_path.isEmpty() ? k : m_path + u'.' + k;
}

void ObjectReader::fail(const QString &message)
{
    if (m_firstError->isEmpty())
        *m_firstError = message;
}

QString ObjectReader::string(const char *key, bool required, const QString &fallback)
{
    if (!has(key)) {
        if (required)
            fail(QCoreApplication::translate("Json", "%1: missing (a string is required)").arg(fieldPath(key)));
        return fallback;
    }
    const auto &v = m_object.at(key);
    if (!v.is_string()) {
        fail(QCoreApplication::translate("Json", "%1: expected a string").arg(fieldPath(key)));
        return fallback;
    }
    return toQString(v.get<std::string>());
}

double ObjectReader::number(const char *key, bool required, double fallback)
{
    if (!has(key)) {
        if (required)
            fail(QCoreApplication::translate("Json", "%1: missing (a number is required)").arg(fieldPath(key)));
        return fallback;
    }
    const auto &v = m_object.at(key);
    if (!v.is_number()) {
        fail(QCoreApplication::translate("Json", "%1: expected a number").arg(fieldPath(key)));
        return fallback;
    }
    return v.get<double>();
}

int ObjectReader::integer(const char *key, bool required, int fallback, int min, int max)
{
    if (!has(key)) {
        if (required)
            fail(QCoreApplication::translate("Json", "%1: missing (an integer is required)").arg(fieldPath(key)));
        return fallback;
    }
    const auto &v = m_object.at(key);
    if (!v.is_number_integer()) {
        fail(QCoreApplication::translate("Json", "%1: expected an integer").arg(fieldPath(key)));
        return fallback;
    }
    const auto raw = v.get<long long>();
    if (raw < min || raw > max) {
        fail(QCoreApplication::translate("Json", "%1: %2 is out of range (%3 to %4)")
                 .arg(fieldPath(key))
                 .arg(raw)
                 .arg(min)
                 .arg(max));
        return fallback;
    }
    return static_cast<int>(raw);
}

bool ObjectReader::boolean(const char *key, bool required, bool fallback)
{
    if (!has(key)) {
        if (required)
            fail(QCoreApplication::translate("Json", "%1: missing (true or false is required)").arg(fieldPath(key)));
        return fallback;
    }
    const auto &v = m_object.at(key);
    if (!v.is_boolean()) {
        fail(QCoreApplication::translate("Json", "%1: expected true or false").arg(fieldPath(key)));
        return fallback;
    }
    return v.get<bool>();
}

const nlohmann::json *ObjectReader::child(const char *key, nlohmann::json::value_t expected, bool required)
{
    if (!has(key)) {
        if (required)
            fail(QCoreApplication::translate("Json", "%1: missing").arg(fieldPath(key)));
        return nullptr;
    }
    const auto &v = m_object.at(key);
    if (v.type() != expected) {
        const QString kind = expected == nlohmann::json::value_t::array
                                 ? QCoreApplication::translate("Json", "an array")
                                 : QCoreApplication::translate("Json", "an object");
        fail(QCoreApplication::translate("Json", "%1: expected %2").arg(fieldPath(key), kind));
        return nullptr;
    }
    return &v;
}

namespace {

// "providers[0].timeouts.connect_ms: message" → {"providers", "0", "timeouts", "connect_ms"}.
QStringList pathOfMessage(const QString &message)
{
    const qsizetype colon = message.indexOf(QStringLiteral(": "));
    if (colon <= 0)
        return {};
    const QString field = message.left(colon);
    static const QRegularExpression shape(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*(\\[\\d+\\]|\\.[A-Za-z0-9_-]+)*$"));
    if (!shape.match(field).hasMatch())
        return {};
    QStringList path;
    static const QRegularExpression part(QStringLiteral("([A-Za-z0-9_-]+)|\\[(\\d+)\\]"));
    auto it = part.globalMatch(field);
    while (it.hasNext()) {
        const auto m = it.next();
        path << (m.captured(1).isEmpty() ? m.captured(2) : m.captured(1));
    }
    return path;
}

} // namespace

bool onlyKnownKeys(const nlohmann::json &node, const QString &path, std::initializer_list<const char *> known,
                   QString *error)
{
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (std::none_of(known.begin(), known.end(), [&](const char *k) { return it.key() == k; })) {
            QStringList names;
            for (const char *k : known)
                names << QString::fromUtf8(k);
            const QString key = toQString(it.key());
            *error = QCoreApplication::translate("Json", "%1: unknown key (expected one of: %2)")
                         .arg(path.isEmpty() ? key : path + u'.' + key, names.join(QStringLiteral(", ")));
            return false;
        }
    }
    return true;
}

Error located(const QByteArray &bytes, const QString &sourceName, const QString &message)
{
    const QStringList path = pathOfMessage(message);
    if (path.isEmpty())
        return Error{sourceName + u": " + message};
    const Position pos = positionOf(bytes, locate(bytes, path));
    return Error{QStringLiteral("%1:%2:%3: %4").arg(sourceName).arg(pos.line).arg(pos.column).arg(message)};
}

} // namespace Slopscope::Json
