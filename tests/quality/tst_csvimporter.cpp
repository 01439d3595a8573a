#include "quality/CsvImporter.h"
#include "quality/Grader.h"

#include <QTest>

using namespace Slopscope;

namespace {
const QString kDir = QStringLiteral(SLOPSCOPE_TEST_DATA "/quality/csv");

QStringList row(std::initializer_list<const char *> fields)
{
    QStringList out;
    for (const char *f : fields)
        out.append(QString::fromUtf8(f));
    return out;
}
} // namespace

class TestCsvImporter final : public QObject
{
    Q_OBJECT

private slots:
    void rfc4180Records_data();
    void rfc4180Records();
    void fileWithQuotesNewlinesAndVars();
    void expectedBecomesReferenceAndCheck();
    void errors_data();
    void errors();
};

void TestCsvImporter::rfc4180Records_data()
{
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QList<QStringList>>("records");
    QTest::addColumn<QList<int>>("lines");
    QTest::newRow("plain") << QByteArray("a,b\n1,2\n") << QList<QStringList>{row({"a", "b"}), row({"1", "2"})}
                           << QList<int>{1, 2};
    QTest::newRow("crlf, no final newline")
        << QByteArray("a,b\r\n1,2") << QList<QStringList>{row({"a", "b"}), row({"1", "2"})} << QList<int>{1, 2};
    QTest::newRow("quoted comma and quote") << QByteArray("\"x, y\",\"say \"\"hi\"\"\"\n")
                                            << QList<QStringList>{row({"x, y", "say \"hi\""})} << QList<int>{1};
    QTest::newRow("embedded newline spans lines")
        << QByteArray("\"one\ntwo\",b\nc,d\n") << QList<QStringList>{row({"one\ntwo", "b"}), row({"c", "d"})}
        << QList<int>{1, 3};
    QTest::newRow("embedded crlf kept") << QByteArray("\"one\r\ntwo\"\r\n") << QList<QStringList>{row({"one\r\ntwo"})}
                                        << QList<int>{1};
    QTest::newRow("empty fields") << QByteArray(",,\n\"\",x,\n")
                                  << QList<QStringList>{row({"", "", ""}), row({"", "x", ""})} << QList<int>{1, 2};
    QTest::newRow("blank lines skipped") << QByteArray("a\n\n\nb\n") << QList<QStringList>{row({"a"}), row({"b"})}
                                         << QList<int>{1, 4};
    QTest::newRow("bom") << QByteArray("\xEF\xBB\xBFprompt\nx\n") << QList<QStringList>{row({"prompt"}), row({"x"})}
                         << QList<int>{1, 2};
    QTest::newRow("utf-8") << QByteArray("caf\xC3\xA9,\xE2\x82\xAC\n")
                           << QList<QStringList>{row({"caf\xC3\xA9", "\xE2\x82\xAC"})} << QList<int>{1};
}

void TestCsvImporter::rfc4180Records()
{
    QFETCH(QByteArray, csv);
    QFETCH(QList<QStringList>, records);
    QFETCH(QList<int>, lines);
    auto parsed = CsvImporter::parseRecords(csv, QStringLiteral("t.csv"));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error()));
    QCOMPARE(parsed.value().size(), records.size());
    for (qsizetype i = 0; i < records.size(); ++i) {
        QCOMPARE(parsed.value().at(i).fields, records.at(i));
        QCOMPARE(parsed.value().at(i).line, lines.at(i));
    }
}

void TestCsvImporter::fileWithQuotesNewlinesAndVars()
{
    auto result = CsvImporter::fromFile(kDir + QStringLiteral("/cases.csv"));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const Suite &s = result.value();
    QCOMPARE(s.name, QStringLiteral("cases"));
    QCOMPARE(s.cases.size(), 3);
    const SuiteCase &capital = s.cases.at(0);
    QCOMPARE(capital.id, QStringLiteral("row-1"));
    QCOMPARE(capital.tags, (QStringList{QStringLiteral("geo"), QStringLiteral("easy")}));
    // Columns other than prompt/expected/tags/id are variables.
    QCOMPARE(capital.vars.value(QStringLiteral("country")), QStringLiteral("France"));
    QCOMPARE(s.messagesFor(capital).last().content, QStringLiteral("What is the capital of France?"));
    const SuiteCase &haiku = s.cases.at(1);
    QCOMPARE(haiku.prompt, QStringLiteral("Write a haiku about \"rain\", please.\nMake it sad."));
    QCOMPARE(haiku.tags, (QStringList{QStringLiteral("poetry"), QStringLiteral("creative")}));
    QVERIFY(haiku.assertions.isEmpty()); // no expected answer, no check
    QVERIFY(haiku.reference.isEmpty());
    const SuiteCase &spider = s.cases.at(2);
    QCOMPARE(spider.id, QStringLiteral("row-3"));
    QCOMPARE(spider.metadata.at("line").get<int>(), 6); // the quoted newline and the blank line counted
}

void TestCsvImporter::expectedBecomesReferenceAndCheck()
{
    auto result = CsvImporter::fromCsv("ID,prompt,expected\ncap,Capital of France?,Paris\n", QStringLiteral("x.csv"));
    QVERIFY2(result.ok(), qPrintable(result.error()));
    const SuiteCase &c = result.value().cases.first();
    QCOMPARE(c.id, QStringLiteral("cap"));
    QCOMPARE(c.reference, QStringLiteral("Paris"));
    QCOMPARE(c.assertions.size(), 1);
    QCOMPARE(c.assertions.first().type, QStringLiteral("icontains"));
    QVERIFY(Grader::gradeAll(c.assertions, {QStringLiteral("It is PARIS."), {}, {}, {}, {}}).pass);
    QVERIFY(!Grader::gradeAll(c.assertions, {QStringLiteral("Lyon"), {}, {}, {}, {}}).pass);
}

void TestCsvImporter::errors_data()
{
    QTest::addColumn<QString>("file");
    QTest::addColumn<QByteArray>("csv");
    QTest::addColumn<QString>("expected");
    QTest::newRow("unterminated quote") << "unterminated.csv" << QByteArray()
                                        << "unterminated.csv:3:1: the quoted field";
    QTest::newRow("field count") << "fields.csv" << QByteArray() << "fields.csv:3: 3 field(s), but the header has 2";
    QTest::newRow("no prompt column") << "noprompt.csv" << QByteArray() << "noprompt.csv:1: no \"prompt\" column";
    QTest::newRow("quote in unquoted field") << "" << QByteArray("prompt\nsay \"hi\"\n") << "t.csv:2:5: a quote inside";
    QTest::newRow("text after closing quote")
        << "" << QByteArray("prompt\n\"a\"b\n") << "t.csv:2:4: unexpected character";
    QTest::newRow("empty prompt") << "" << QByteArray("prompt,expected\n  ,x\n")
                                  << "t.csv:2: prompt: the prompt is empty";
    QTest::newRow("unknown var") << "" << QByteArray("prompt\nHi {{name}}\n")
                                 << "t.csv:2: prompt: unknown variable {{name}}";
    QTest::newRow("duplicate id") << "" << QByteArray("id,prompt\na,x\na,y\n")
                                  << "t.csv:3: id: duplicate case id \"a\"";
    QTest::newRow("duplicate column") << "" << QByteArray("prompt,Prompt\nx,y\n")
                                      << "t.csv:1: the column \"Prompt\" appears twice";
    QTest::newRow("header only") << "" << QByteArray("prompt\n") << "t.csv:1: the file has a header but no cases";
    QTest::newRow("empty") << "" << QByteArray("") << "t.csv: the file is empty";
    // Rejected before parsing, with the byte: a decoder would import U+FFFD instead.
    QTest::newRow("invalid utf8 in a quoted field") << "" << QByteArray("prompt,id\n\"line one\nab\xFF\",x\n")
                                                    << "t.csv:3:3: invalid UTF-8 at byte offset 22 (byte 0xff)";
    QTest::newRow("invalid utf8 after a BOM") << "" << QByteArray("\xEF\xBB\xBFprompt\n\xC3\xA9\xC1\xBF\n")
                                              << "t.csv:2:2: invalid UTF-8 at byte offset 12 (byte 0xc1)";
}

void TestCsvImporter::errors()
{
    QFETCH(QString, file);
    QFETCH(QByteArray, csv);
    QFETCH(QString, expected);
    const auto result =
        file.isEmpty() ? CsvImporter::fromCsv(csv, QStringLiteral("t.csv")) : CsvImporter::fromFile(kDir + u'/' + file);
    QVERIFY(!result.ok());
    QVERIFY2(result.error().contains(expected), qPrintable(result.error()));
}

QTEST_GUILESS_MAIN(TestCsvImporter)
#include "tst_csvimporter.moc"
