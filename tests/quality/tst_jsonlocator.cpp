#include "core/Json.h"
#include "core/JsonLocator.h"

#include <QTest>

using namespace Slopscope;

class TestJsonLocator final : public QObject
{
    Q_OBJECT

private slots:
    void findsNestedValues_data();
    void findsNestedValues();
};

void TestJsonLocator::findsNestedValues_data()
{
    QTest::addColumn<QStringList>("path");
    QTest::addColumn<int>("line");
    QTest::addColumn<int>("column");
    QTest::newRow("root") << QStringList{} << 1 << 1;
    QTest::newRow("key value") << QStringList{QStringLiteral("name")} << 2 << 11;
    QTest::newRow("array element") << QStringList{QStringLiteral("cases"), QStringLiteral("1")} << 5 << 5;
    QTest::newRow("deep") << QStringList{QStringLiteral("cases"), QStringLiteral("1"), QStringLiteral("assert"),
                                         QStringLiteral("0"), QStringLiteral("type")}
                          << 5 << 52;
    QTest::newRow("missing key points at parent")
        << QStringList{QStringLiteral("cases"), QStringLiteral("0"), QStringLiteral("nope")} << 4 << 5;
    QTest::newRow("past the end points at array")
        << QStringList{QStringLiteral("cases"), QStringLiteral("9")} << 3 << 12;
}

void TestJsonLocator::findsNestedValues()
{
    QFETCH(QStringList, path);
    QFETCH(int, line);
    QFETCH(int, column);
    const QByteArray text = "{\n"
                            "  \"name\": \"s\",\n"
                            "  \"cases\": [\n"
                            "    {\"id\": \"a\\\"]{\", \"prompt\": \"x\"},\n"
                            "    {\"id\": \"b\", \"prompt\": \"y\", \"assert\": [{\"type\": \"icontains\"}]}\n"
                            "  ]\n"
                            "}\n";
    QVERIFY(Json::parse(text, QStringLiteral("t")).ok());
    const auto pos = Json::positionOf(text, Json::locate(text, path));
    QCOMPARE(pos.line, line);
    QCOMPARE(pos.column, column);
}

QTEST_GUILESS_MAIN(TestJsonLocator)
#include "tst_jsonlocator.moc"
