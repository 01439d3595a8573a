#include "quality/JsonSchema.h"

#include "core/Json.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

using json = nlohmann::json;

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct JsonSchemaTr
{
    Q_DECLARE_TR_FUNCTIONS(JsonSchema)
};

// $ref chains and nested schemas deeper than this are treated as a broken schema, not followed.
constexpr int kMaxSchemaDepth = 64;

const char *const kChecked[] = {"$schema",
                                "$id",
                                "$defs",
                                "definitions",
                                "$ref",
                                "$comment",
                                "title",
                                "description",
                                "default",
                                "examples",
                                "type",
                                "enum",
                                "const",
                                "properties",
                                "required",
                                "additionalProperties",
                                "patternProperties",
                                "items",
                                "prefixItems",
                                "minItems",
                                "maxItems",
                                "uniqueItems",
                                "contains",
                                "minLength",
                                "maxLength",
                                "pattern",
                                "minimum",
                                "maximum",
                                "exclusiveMinimum",
                                "exclusiveMaximum",
                                "multipleOf",
                                "minProperties",
                                "maxProperties",
                                "allOf",
                                "anyOf",
                                "oneOf",
                                "not"};

bool isChecked(const std::string &key)
{
    return std::any_of(std::begin(kChecked), std::end(kChecked), [&](const char *k) { return key == k; });
}

QString typeName(const json &v)
{
    switch (v.type()) {
    case json::value_t::null:
        return QStringLiteral("null");
    case json::value_t::boolean:
        return QStringLiteral("boolean");
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return QStringLiteral("integer");
    case json::value_t::number_float:
        return QStringLiteral("number");
    case json::value_t::string:
        return QStringLiteral("string");
    case json::value_t::array:
        return QStringLiteral("array");
    case json::value_t::object:
        return QStringLiteral("object");
    default:
        return QStringLiteral("value");
    }
}

bool hasType(const json &v, const std::string &type)
{
    if (type == "null")
        return v.is_null();
    if (type == "boolean")
        return v.is_boolean();
    if (type == "object")
        return v.is_object();
    if (type == "array")
        return v.is_array();
    if (type == "string")
        return v.is_string();
    if (type == "number")
        return v.is_number();
    if (type == "integer") {
        if (v.is_number_integer())
            return true;
        // 2020-12: a number with a zero fractional part is an integer.
        return v.is_number_float() && std::isfinite(v.get<double>()) && std::floor(v.get<double>()) == v.get<double>();
    }
    return false;
}

// Counts code points, as JSON Schema lengths do (not UTF-16 units, not bytes).
qsizetype codePoints(const std::string &s)
{
    qsizetype n = 0;
    for (const unsigned char c : s)
        n += (c & 0xC0) != 0x80 ? 1 : 0;
    return n;
}

QString pointerEscape(const std::string &key)
{
    QString k = Json::toQString(key);
    k.replace(u'~', QStringLiteral("~0"));
    k.replace(u'/', QStringLiteral("~1"));
    return k;
}

class Validator final
{
public:
    explicit Validator(const json &root)
        : m_root(root)
    {}

    std::optional<QString> check(const json &schema, const json &v, const QString &path, int depth)
    {
        if (depth > kMaxSchemaDepth)
            return fail(path, JsonSchemaTr::tr("the schema nests (or refers to itself) too deeply"));
        if (schema.is_boolean())
            return schema.get<bool>() ? std::nullopt : fail(path, JsonSchemaTr::tr("no value is allowed here"));
        if (!schema.is_object())
            return fail(path, JsonSchemaTr::tr("the schema is not an object"));

        if (const auto it = schema.find("$ref"); it != schema.end()) {
            const json *target = resolve(*it);
            if (!target)
                return fail(path, JsonSchemaTr::tr("unresolvable $ref %1").arg(Json::toQString(it->dump())));
            if (auto e = check(*target, v, path, depth + 1))
                return e;
        }
        if (auto e = checkType(schema, v, path))
            return e;
        if (const auto it = schema.find("enum"); it != schema.end() && it->is_array()) {
            if (std::none_of(it->begin(), it->end(), [&](const json &option) { return equal(option, v); }))
                return fail(path, JsonSchemaTr::tr("expected one of %1").arg(Json::toQString(it->dump())));
        }
        if (const auto it = schema.find("const"); it != schema.end() && !equal(*it, v))
            return fail(path, JsonSchemaTr::tr("expected %1").arg(Json::toQString(it->dump())));
        if (v.is_number()) {
            if (auto e = checkNumber(schema, v.get<double>(), path))
                return e;
        }
        if (v.is_string()) {
            if (auto e = checkString(schema, v.get_ref<const std::string &>(), path))
                return e;
        }
        if (v.is_array()) {
            if (auto e = checkArray(schema, v, path, depth))
                return e;
        }
        if (v.is_object()) {
            if (auto e = checkObject(schema, v, path, depth))
                return e;
        }
        return checkCombinators(schema, v, path, depth);
    }

private:
    static std::optional<QString> fail(const QString &path, const QString &message)
    {
        return (path.isEmpty() ? QStringLiteral("/") : path) + QStringLiteral(": ") + message;
    }

    // Numbers compare by value (1 == 1.0), as JSON Schema says; nlohmann's == does too, recursively.
    static bool equal(const json &a, const json &b) { return a == b; }

    const json *resolve(const json &ref) const
    {
        if (!ref.is_string())
            return nullptr;
        const std::string &r = ref.get_ref<const std::string &>();
        if (r == "#")
            return &m_root;
        if (r.rfind("#/", 0) != 0)
            return nullptr; // only references inside the schema itself
        try {
            const json::json_pointer pointer(r.substr(1));
            return m_root.contains(pointer) ? &m_root.at(pointer) : nullptr;
        } catch (const json::exception &) {
            return nullptr;
        }
    }

    static std::optional<QString> checkType(const json &schema, const json &v, const QString &path)
    {
        const auto it = schema.find("type");
        if (it == schema.end())
            return std::nullopt;
        QStringList wanted;
        bool ok = false;
        if (it->is_string()) {
            ok = hasType(v, it->get<std::string>());
            wanted.append(Json::toQString(it->get<std::string>()));
        } else if (it->is_array()) {
            for (const auto &t : *it) {
                if (!t.is_string())
                    continue;
                ok = ok || hasType(v, t.get<std::string>());
                wanted.append(Json::toQString(t.get<std::string>()));
            }
        } else {
            return std::nullopt;
        }
        if (ok)
            return std::nullopt;
        return fail(path,
                    JsonSchemaTr::tr("expected %1, got %2").arg(wanted.join(QStringLiteral(" or ")), typeName(v)));
    }

    static std::optional<QString> checkNumber(const json &schema, double x, const QString &path)
    {
        auto number = [&](const char *key) -> std::optional<double> {
            const auto it = schema.find(key);
            if (it == schema.end() || !it->is_number())
                return std::nullopt;
            return it->get<double>();
        };
        if (const auto m = number("minimum"); m && x < *m)
            return fail(path, JsonSchemaTr::tr("%1 is less than the minimum %2").arg(x).arg(*m));
        if (const auto m = number("maximum"); m && x > *m)
            return fail(path, JsonSchemaTr::tr("%1 is more than the maximum %2").arg(x).arg(*m));
        if (const auto m = number("exclusiveMinimum"); m && x <= *m)
            return fail(path, JsonSchemaTr::tr("%1 is not more than %2").arg(x).arg(*m));
        if (const auto m = number("exclusiveMaximum"); m && x >= *m)
            return fail(path, JsonSchemaTr::tr("%1 is not less than %2").arg(x).arg(*m));
        if (const auto m = number("multipleOf"); m && *m > 0) {
            const double q = x / *m;
            if (std::abs(q - std::round(q)) > 1e-9 * std::max(1.0, std::abs(q)))
                return fail(path, JsonSchemaTr::tr("%1 is not a multiple of %2").arg(x).arg(*m));
        }
        return std::nullopt;
    }

    static std::optional<QString> checkString(const json &schema, const std::string &s, const QString &path)
    {
        const qsizetype length = codePoints(s);
        if (const auto it = schema.find("minLength");
            it != schema.end() && it->is_number() && length < it->get<double>())
            return fail(path, JsonSchemaTr::tr("shorter than %1 characters").arg(it->get<double>()));
        if (const auto it = schema.find("maxLength");
            it != schema.end() && it->is_number() && length > it->get<double>())
            return fail(path, JsonSchemaTr::tr("longer than %1 characters").arg(it->get<double>()));
        if (const auto it = schema.find("pattern"); it != schema.end() && it->is_string()) {
            const QRegularExpression re(Json::toQString(it->get<std::string>()));
            if (!re.isValid())
                return fail(path, JsonSchemaTr::tr("the schema's pattern is not a valid regular expression"));
            if (!re.match(Json::toQString(s)).hasMatch())
                return fail(path, JsonSchemaTr::tr("does not match the pattern %1").arg(re.pattern()));
        }
        return std::nullopt;
    }

    std::optional<QString> checkArray(const json &schema, const json &v, const QString &path, int depth)
    {
        const auto size = static_cast<double>(v.size());
        if (const auto it = schema.find("minItems"); it != schema.end() && it->is_number() && size < it->get<double>())
            return fail(path, JsonSchemaTr::tr("fewer than %1 items").arg(it->get<double>()));
        if (const auto it = schema.find("maxItems"); it != schema.end() && it->is_number() && size > it->get<double>())
            return fail(path, JsonSchemaTr::tr("more than %1 items").arg(it->get<double>()));
        if (const auto it = schema.find("uniqueItems"); it != schema.end() && it->is_boolean() && it->get<bool>()) {
            // Sorting keeps this O(n log n) on long answers.
            std::vector<json> sorted(v.begin(), v.end());
            std::sort(sorted.begin(), sorted.end());
            if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
                return fail(path, JsonSchemaTr::tr("the items are not unique"));
        }
        std::size_t prefix = 0;
        if (const auto it = schema.find("prefixItems"); it != schema.end() && it->is_array()) {
            prefix = std::min(it->size(), v.size());
            for (std::size_t i = 0; i < prefix; ++i) {
                if (auto e = check(it->at(i), v.at(i), path + u'/' + QString::number(i), depth + 1))
                    return e;
            }
        }
        if (const auto it = schema.find("items"); it != schema.end()) {
            if (it->is_array()) {
                // draft-07 tuple form
                const std::size_t n = std::min(it->size(), v.size());
                for (std::size_t i = 0; i < n; ++i) {
                    if (auto e = check(it->at(i), v.at(i), path + u'/' + QString::number(i), depth + 1))
                        return e;
                }
            } else {
                for (std::size_t i = prefix; i < v.size(); ++i) {
                    if (auto e = check(*it, v.at(i), path + u'/' + QString::number(i), depth + 1))
                        return e;
                }
            }
        }
        if (const auto it = schema.find("contains"); it != schema.end()) {
            bool found = false;
            for (std::size_t i = 0; i < v.size() && !found; ++i)
                found = !check(*it, v.at(i), path, depth + 1).has_value();
            if (!found)
                return fail(path, JsonSchemaTr::tr("no item matches \"contains\""));
        }
        return std::nullopt;
    }

    std::optional<QString> checkObject(const json &schema, const json &v, const QString &path, int depth)
    {
        const auto size = static_cast<double>(v.size());
        if (const auto it = schema.find("minProperties");
            it != schema.end() && it->is_number() && size < it->get<double>())
            return fail(path, JsonSchemaTr::tr("fewer than %1 properties").arg(it->get<double>()));
        if (const auto it = schema.find("maxProperties");
            it != schema.end() && it->is_number() && size > it->get<double>())
            return fail(path, JsonSchemaTr::tr("more than %1 properties").arg(it->get<double>()));
        if (const auto it = schema.find("required"); it != schema.end() && it->is_array()) {
            for (const auto &name : *it) {
                if (name.is_string() && !v.contains(name.get<std::string>()))
                    return fail(path, JsonSchemaTr::tr("missing required property \"%1\"")
                                          .arg(Json::toQString(name.get<std::string>())));
            }
        }
        const auto properties = schema.find("properties");
        const auto patterns = schema.find("patternProperties");
        const auto additional = schema.find("additionalProperties");
        for (auto member = v.begin(); member != v.end(); ++member) {
            const QString memberPath = path + u'/' + pointerEscape(member.key());
            bool matched = false;
            if (properties != schema.end() && properties->is_object()) {
                if (const auto p = properties->find(member.key()); p != properties->end()) {
                    matched = true;
                    if (auto e = check(*p, member.value(), memberPath, depth + 1))
                        return e;
                }
            }
            if (patterns != schema.end() && patterns->is_object()) {
                const QString key = Json::toQString(member.key());
                for (auto p = patterns->begin(); p != patterns->end(); ++p) {
                    const QRegularExpression re(Json::toQString(p.key()));
                    if (!re.isValid() || !re.match(key).hasMatch())
                        continue;
                    matched = true;
                    if (auto e = check(p.value(), member.value(), memberPath, depth + 1))
                        return e;
                }
            }
            if (!matched && additional != schema.end()) {
                if (additional->is_boolean() && !additional->get<bool>())
                    return fail(memberPath,
                                JsonSchemaTr::tr("property \"%1\" is not allowed").arg(Json::toQString(member.key())));
                if (additional->is_object()) {
                    if (auto e = check(*additional, member.value(), memberPath, depth + 1))
                        return e;
                }
            }
        }
        return std::nullopt;
    }

    std::optional<QString> checkCombinators(const json &schema, const json &v, const QString &path, int depth)
    {
        if (const auto it = schema.find("allOf"); it != schema.end() && it->is_array()) {
            for (const auto &sub : *it) {
                if (auto e = check(sub, v, path, depth + 1))
                    return e;
            }
        }
        if (const auto it = schema.find("anyOf"); it != schema.end() && it->is_array()) {
            std::optional<QString> first;
            bool any = false;
            for (const auto &sub : *it) {
                auto e = check(sub, v, path, depth + 1);
                if (!e) {
                    any = true;
                    break;
                }
                if (!first)
                    first = e;
            }
            if (!any)
                return fail(path,
                            JsonSchemaTr::tr("matches none of \"anyOf\" (first: %1)").arg(first.value_or(QString())));
        }
        if (const auto it = schema.find("oneOf"); it != schema.end() && it->is_array()) {
            int matches = 0;
            for (const auto &sub : *it)
                matches += check(sub, v, path, depth + 1) ? 0 : 1;
            if (matches != 1)
                return fail(path, JsonSchemaTr::tr("matches %1 of \"oneOf\" (exactly one is required)").arg(matches));
        }
        if (const auto it = schema.find("not"); it != schema.end() && !check(*it, v, path, depth + 1))
            return fail(path, JsonSchemaTr::tr("matches the schema under \"not\""));
        return std::nullopt;
    }

    const json &m_root;
};

void collectUnsupported(const json &schema, QSet<QString> &out, int depth)
{
    if (depth > kMaxSchemaDepth)
        return;
    if (schema.is_array()) {
        for (const auto &item : schema)
            collectUnsupported(item, out, depth + 1);
        return;
    }
    if (!schema.is_object())
        return;
    for (auto it = schema.begin(); it != schema.end(); ++it) {
        const std::string &key = it.key();
        if (!isChecked(key)) {
            out.insert(Json::toQString(key));
            continue;
        }
        if (key == "properties" || key == "patternProperties" || key == "$defs" || key == "definitions") {
            if (it->is_object()) {
                for (const auto &sub : *it)
                    collectUnsupported(sub, out, depth + 1);
            }
        } else if (key == "items" || key == "prefixItems" || key == "additionalProperties" || key == "contains" ||
                   key == "allOf" || key == "anyOf" || key == "oneOf" || key == "not") {
            collectUnsupported(*it, out, depth + 1);
        }
    }
}

} // namespace

std::optional<QString> JsonSchema::validate(const nlohmann::json &schema, const nlohmann::json &instance)
{
    Validator validator(schema);
    return validator.check(schema, instance, QString(), 0);
}

QStringList JsonSchema::unsupported(const nlohmann::json &schema)
{
    QSet<QString> keys;
    collectUnsupported(schema, keys, 0);
    QStringList out(keys.begin(), keys.end());
    out.sort();
    return out;
}

} // namespace Slopscope
