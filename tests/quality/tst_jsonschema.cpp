#include "quality/JsonSchema.h"

#include <QTest>

using namespace Slopscope;
using json = nlohmann::json;

class TestJsonSchema final : public QObject
{
    Q_OBJECT

private slots:
    void validates_data();
    void validates();
    void errorNamesThePath();
    void refsAndCycles();
    void unsupportedKeywordsAreListed();
};

void TestJsonSchema::validates_data()
{
    QTest::addColumn<QString>("schema");
    QTest::addColumn<QString>("instance");
    QTest::addColumn<bool>("valid");
    auto row = [](const char *name, const char *schema, const char *instance, bool valid) {
        QTest::newRow(name) << QString::fromUtf8(schema) << QString::fromUtf8(instance) << valid;
    };
    row("type string", R"({"type": "string"})", R"("x")", true);
    row("type mismatch", R"({"type": "string"})", "1", false);
    row("integer", R"({"type": "integer"})", "3", true);
    row("integer as 3.0", R"({"type": "integer"})", "3.0", true);
    row("not integer", R"({"type": "integer"})", "3.5", false);
    row("type list", R"({"type": ["string", "null"]})", "null", true);
    row("enum", R"({"enum": ["red", "green"]})", R"("green")", true);
    row("enum miss", R"({"enum": ["red", "green"]})", R"("blue")", false);
    row("const number by value", R"({"const": 2})", "2.0", true);
    row("required", R"({"type": "object", "required": ["a", "b"]})", R"({"a": 1})", false);
    row("properties", R"({"properties": {"a": {"type": "number"}}})", R"({"a": "x"})", false);
    row("additional false", R"({"properties": {"a": {}}, "additionalProperties": false})", R"({"a": 1, "b": 2})",
        false);
    row("additional schema", R"({"additionalProperties": {"type": "string"}})", R"({"x": "y", "z": "w"})", true);
    row("pattern properties", R"({"patternProperties": {"^n_": {"type": "number"}}, "additionalProperties": false})",
        R"({"n_a": 1, "n_b": "2"})", false);
    row("items", R"({"type": "array", "items": {"type": "integer"}})", "[1, 2, 3]", true);
    row("items miss", R"({"type": "array", "items": {"type": "integer"}})", "[1, \"2\"]", false);
    row("prefixItems", R"({"prefixItems": [{"type": "string"}, {"type": "number"}], "items": false})", R"(["a", 1])",
        true);
    row("prefixItems extra", R"({"prefixItems": [{"type": "string"}], "items": false})", R"(["a", 1])", false);
    row("min max items", R"({"minItems": 2, "maxItems": 3})", "[1]", false);
    row("unique", R"({"uniqueItems": true})", R"([1, {"a": 2}, {"a": 2}])", false);
    row("unique ok", R"({"uniqueItems": true})", "[1, 2, 3]", true);
    row("contains", R"({"contains": {"const": 5}})", "[1, 5]", true);
    row("contains miss", R"({"contains": {"const": 5}})", "[1, 2]", false);
    row("string length in code points", R"({"maxLength": 3})", "\"\u00e9\u00e9\u00e9\"", true);
    row("min length", R"({"minLength": 2})", R"("a")", false);
    row("pattern", R"({"pattern": "^[0-9]{4}-[0-9]{2}$"})", R"("2026-11")", true);
    row("pattern miss", R"({"pattern": "^[0-9]{4}$"})", R"("20x6")", false);
    row("minimum", R"({"minimum": 0, "maximum": 10})", "10", true);
    row("exclusive", R"({"exclusiveMaximum": 10})", "10", false);
    row("multipleOf", R"({"multipleOf": 0.5})", "2.5", true);
    row("multipleOf miss", R"({"multipleOf": 3})", "10", false);
    row("anyOf", R"({"anyOf": [{"type": "string"}, {"minimum": 5}]})", "7", true);
    row("anyOf miss", R"({"anyOf": [{"type": "string"}, {"minimum": 5}]})", "3", false);
    row("oneOf both", R"({"oneOf": [{"type": "number"}, {"minimum": 0}]})", "3", false);
    row("allOf", R"({"allOf": [{"type": "number"}, {"minimum": 0}]})", "3", true);
    row("not", R"({"not": {"type": "null"}})", "null", false);
    row("true schema", "true", "{\"anything\": 1}", true);
    row("false schema", "false", "1", false);
    row("min properties", R"({"minProperties": 1})", "{}", false);
}

void TestJsonSchema::validates()
{
    QFETCH(QString, schema);
    QFETCH(QString, instance);
    QFETCH(bool, valid);
    const auto error = JsonSchema::validate(json::parse(schema.toStdString()), json::parse(instance.toStdString()));
    QVERIFY2(error.has_value() != valid, qPrintable(error.value_or(QStringLiteral("(valid)"))));
}

void TestJsonSchema::errorNamesThePath()
{
    const json schema = json::parse(R"({"type": "object", "properties": {"items": {"type": "array",
        "items": {"type": "object", "required": ["price"], "properties": {"price": {"type": "number"}}}}}})");
    const auto error =
        JsonSchema::validate(schema, json::parse(R"({"items": [{"price": 1}, {"price": 2}, {"price": "3"}]})"));
    QVERIFY(error);
    QVERIFY2(error->startsWith(QStringLiteral("/items/2/price: expected number")), qPrintable(*error));
    const auto missing = JsonSchema::validate(schema, json::parse(R"({"items": [{}]})"));
    QVERIFY2(missing && missing->contains(QStringLiteral("/items/0: missing required property \"price\"")),
             qPrintable(missing.value_or(QString())));
}

void TestJsonSchema::refsAndCycles()
{
    const json tree = json::parse(R"({"$defs": {"node": {"type": "object", "properties": {
        "value": {"type": "integer"}, "children": {"type": "array", "items": {"$ref": "#/$defs/node"}}}}},
        "$ref": "#/$defs/node"})");
    QVERIFY(!JsonSchema::validate(tree, json::parse(R"({"value": 1, "children": [{"value": 2, "children": []}]})")));
    QVERIFY(JsonSchema::validate(tree, json::parse(R"({"value": 1, "children": [{"value": "x"}]})")));
    // draft-07 "definitions" too.
    const json draft7 =
        json::parse(R"({"definitions": {"n": {"type": "number"}}, "items": {"$ref": "#/definitions/n"}})");
    QVERIFY(JsonSchema::validate(draft7, json::parse(R"([1, "a"])")));
    // A reference to itself with no progress is reported, not followed forever.
    const json loop = json::parse(R"({"$ref": "#"})");
    const auto error = JsonSchema::validate(loop, json::parse("1"));
    QVERIFY(error && error->contains(QStringLiteral("too deeply")));
    QVERIFY(JsonSchema::validate(json::parse(R"({"$ref": "#/$defs/missing"})"), json::parse("1"))
                ->contains(QStringLiteral("unresolvable")));
}

void TestJsonSchema::unsupportedKeywordsAreListed()
{
    const json schema =
        json::parse(R"({"type": "object", "properties": {"email": {"type": "string", "format": "email"}},
        "if": {"required": ["a"]}, "then": {"required": ["b"]}})");
    QCOMPARE(JsonSchema::unsupported(schema),
             (QStringList{QStringLiteral("format"), QStringLiteral("if"), QStringLiteral("then")}));
    QVERIFY(JsonSchema::unsupported(json::parse(R"({"type": "string", "title": "t"})")).isEmpty());
}

QTEST_GUILESS_MAIN(TestJsonSchema)
#include "tst_jsonschema.moc"
