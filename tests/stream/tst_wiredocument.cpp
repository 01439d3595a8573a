// WireDocument replaced QJsonDocument in the decoders; these tests hold it to Qt's reading: for
// every record of the recorded wire fixtures and for a list of edge cases, both parsers agree on
// whether the text is a document and on its compact form.
#include "stream/WireDocument.h"
#include "stream/WireJson.h"

#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QTest>

using namespace Slopscope;

namespace {

// Qt's verdict: the compact form, or a null QByteArray when the text is not a document.
QByteArray qtCompact(const QByteArray &text)
{
    QJsonParseError error;
    const QJsonDocument d = QJsonDocument::fromJson(text, &error);
    if (error.error != QJsonParseError::NoError || (!d.isObject() && !d.isArray()))
        return QByteArray();
    return d.toJson(QJsonDocument::Compact);
}

QByteArray wireCompact(const QByteArray &text)
{
    const WireDocument d(text);
    return d.isValid() ? d.root().toJson() : QByteArray();
}

// Every `data:` payload of the SSE fixtures and every line of the NDJSON ones, plus whole bodies.
QList<QByteArray> fixtureRecords()
{
    QList<QByteArray> out;
    QDirIterator it(QStringLiteral(SLOPSCOPE_TEST_DATA "/wire"), QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.endsWith(u".md"))
            continue;
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            continue;
        const QByteArray body = f.readAll();
        out.append(body);
        const QList<QByteArray> lines = body.split('\n');
        for (QByteArray line : lines) {
            line = line.trimmed();
            if (line.startsWith("data:"))
                line = line.mid(5).trimmed();
            if (line.startsWith('{') || line.startsWith('['))
                out.append(line);
        }
    }
    return out;
}

} // namespace

class TestWireDocument final : public QObject
{
    Q_OBJECT

private slots:
    void agreesWithQtOnFixtures()
    {
        const QList<QByteArray> records = fixtureRecords();
        QVERIFY(records.size() > 200);
        int documents = 0;
        for (const QByteArray &r : records) {
            const QByteArray qt = qtCompact(r);
            QCOMPARE(wireCompact(r), qt);
            documents += qt.isNull() ? 0 : 1;
        }
        QVERIFY(documents > 200);
    }

    void agreesWithQtOnEdgeCases_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty object") << QByteArray("{}");
        QTest::newRow("empty array") << QByteArray("[]");
        QTest::newRow("spaces") << QByteArray(" \r\n\t{ \"a\" : [ 1 , 2 ] }\r\n ");
        QTest::newRow("duplicate keys, last wins") << QByteArray("{\"a\":1,\"b\":2,\"a\":3}");
        QTest::newRow("keys sorted") << QByteArray("{\"b\":1,\"a\":{\"d\":1,\"c\":2}}");
        QTest::newRow("bom") << QByteArray("\xEF\xBB\xBF{\"a\":1}");
        QTest::newRow("bare number") << QByteArray("123");
        QTest::newRow("bare string") << QByteArray("\"x\"");
        QTest::newRow("empty") << QByteArray("");
        QTest::newRow("blank") << QByteArray("   ");
        QTest::newRow("trailing garbage") << QByteArray("{} x");
        QTest::newRow("two documents") << QByteArray("{}{}");
        QTest::newRow("trailing comma") << QByteArray("[1,]");
        QTest::newRow("missing colon") << QByteArray("{\"a\" 1}");
        QTest::newRow("unterminated string") << QByteArray("{\"a\":\"x");
        QTest::newRow("unterminated object") << QByteArray("{\"a\":1");
        QTest::newRow("numbers") << QByteArray("[0,-0,1.5,-2.25e3,1E2,1e-2,123456789012,9007199254740993,0.1]");
        QTest::newRow("leading zero") << QByteArray("[01]");
        QTest::newRow("plus") << QByteArray("[+1]");
        QTest::newRow("lone dot") << QByteArray("[.5]");
        QTest::newRow("minus lone dot") << QByteArray("[-.5]");
        QTest::newRow("only minus") << QByteArray("[-]");
        QTest::newRow("only dot") << QByteArray("[.]");
        QTest::newRow("exponent sign only") << QByteArray("[1e+]");
        QTest::newRow("negative zero") << QByteArray("[-0.0,-0,0.0]");
        QTest::newRow("tiny") << QByteArray("[1e-400]");
        QTest::newRow("long integer") << QByteArray("[123456789012345678901234567890]");
        QTest::newRow("trailing dot") << QByteArray("[1.]");
        QTest::newRow("exponent without digits") << QByteArray("[1e]");
        QTest::newRow("huge exponent") << QByteArray("[1e400]");
        QTest::newRow("nan") << QByteArray("[NaN]");
        QTest::newRow("literals") << QByteArray("[true,false,null]");
        QTest::newRow("bad literal") << QByteArray("[tru]");
        QTest::newRow("escapes") << QByteArray(
            "[\"a\\/b\",\"\\u00e9\",\"\\u0001\",\"\\\"\",\"\\\\\",\"\\b\\f\\n\\r\\t\"]");
        QTest::newRow("surrogate pair") << QByteArray("[\"\\ud83c\\udf0d\"]");
        QTest::newRow("unknown escape") << QByteArray("[\"\\x\"]");
        QTest::newRow("bad hex") << QByteArray("[\"\\u12g4\"]");
        QTest::newRow("raw control") << QByteArray("[\"x\ty\"]");
        QTest::newRow("raw utf-8") << QByteArray("[\"caf\xC3\xA9 \xE6\x9D\xB1\"]");
        QTest::newRow("escaped key") << QByteArray("{\"a\\u0062\":1}");
        QTest::newRow("nul byte") << QByteArray("{\"a\":\"x\0y\"}", 12);
        QTest::newRow("nested") << QByteArray("{\"a\":[{\"b\":[[],{}]},\"c\",[1,[2,[3]]]]}");
        QTest::newRow("depth 1024") << (QByteArray(1024, '[') + QByteArray(1024, ']'));
        QTest::newRow("depth 1025") << (QByteArray(1025, '[') + QByteArray(1025, ']'));
        QTest::newRow("deep garbage") << QByteArray(100000, '[');
    }
    void agreesWithQtOnEdgeCases()
    {
        QFETCH(QByteArray, text);
        QCOMPARE(wireCompact(text), qtCompact(text));
    }

    void typedReads()
    {
        const WireDocument d(QByteArray("{\"s\":\"t\\u00e9xt\",\"e\":\"\",\"i\":42,\"d\":1.5,\"w\":2e3,\"big\":"
                                        "9007199254740993,\"n\":null,\"b\":true,\"a\":[1,\"x\"]}"));
        QVERIFY(d.isValid());
        const WireValue v = d.root();
        QCOMPARE(WireJson::string(v.member("s")), std::optional<QString>(u"t\u00e9xt"_qs));
        QCOMPARE(WireJson::nonEmptyString(v.member("e")), std::nullopt);
        QCOMPARE(WireJson::string(v.member("e")), std::optional<QString>(QString()));
        QCOMPARE(WireJson::integer(v.member("i")), std::optional<qint64>(42));
        QCOMPARE(WireJson::integer(v.member("d")), std::nullopt); // not whole
        QCOMPARE(WireJson::integer(v.member("w")), std::optional<qint64>(2000));
        QCOMPARE(WireJson::integer(v.member("big")), std::nullopt); // beyond exact doubles
        QCOMPARE(WireJson::number(v.member("d")), std::optional<double>(1.5));
        QCOMPARE(WireJson::string(v.member("i")), std::nullopt); // wrong type reads as absent
        QCOMPARE(WireJson::stringOrNumber(v.member("i")), std::optional<QString>(u"42"_qs));
        QCOMPARE(WireJson::boolean(v.member("b")), std::optional<bool>(true));
        QVERIFY(!WireJson::present(v.member("n")));
        QVERIFY(!WireJson::present(v.member("missing")));
        QVERIFY(v.member("missing").isUndefined());
        QCOMPARE(v.member("a").size(), 2);
        QCOMPARE(v.member("a").at(1).toString(), u"x"_qs);
        QVERIFY(v.member("a").at(2).isUndefined());
        QVERIFY(v.member("a").at(-1).isUndefined());
        QCOMPARE(v.member("s").size(), 0);                // not an array
        QVERIFY(v.member("a").member("x").isUndefined()); // not an object
        QCOMPARE(WireJson::dump(v.member("a")), u"[1,\"x\"]"_qs);
        QCOMPARE(WireJson::dump(v.member("s")), u"\"t\u00e9xt\""_qs);
    }

    void invalidDocumentIsUndefined()
    {
        const WireDocument d(QByteArray("{\"a\":"));
        QVERIFY(!d.isValid());
        QVERIFY(d.root().isUndefined());
        QVERIFY(!d.root().isObject());
        QVERIFY(d.root().member("a").isUndefined());
    }

    void loneSurrogatesBecomeReplacementCharacters()
    {
        // Qt keeps lone surrogates in UTF-16; text here stays valid UTF-8 instead.
        const WireDocument d(QByteArray("[\"\\ud800x\",\"\\udc00\",\"a\\ud83cb\"]"));
        QVERIFY(d.isValid());
        QCOMPARE(d.root().at(0).toString(), u"\uFFFDx"_qs);
        QCOMPARE(d.root().at(1).toString(), u"\uFFFD"_qs);
        QCOMPARE(d.root().at(2).toString(), u"a\uFFFDb"_qs);
    }
};

QTEST_GUILESS_MAIN(TestWireDocument)
#include "tst_wiredocument.moc"
