#include "sim/SimAnswerer.h"
#include "sim/SimTokenizer.h"

#include <QTest>

using namespace Slopscope;

class TestSimTokenizer final : public QObject
{
    Q_OBJECT

private slots:
    void splitsWordsSpacesAndPunctuation();
    void isLosslessAndCountsWhatItSplits_data();
    void isLosslessAndCountsWhatItSplits();
    void neverSplitsAUtf8Sequence();
    void fillerHasExactlyTheAskedLength();
};

void TestSimTokenizer::splitsWordsSpacesAndPunctuation()
{
    const QList<QByteArray> pieces = SimTokenizer::split("The capital of France is Paris.");
    const QList<QByteArray> expected{"The", " capital", " of", " France", " is", " Paris", "."};
    QCOMPARE(pieces, expected);
    // Long words continue in a new token; digit runs come in threes.
    QCOMPARE(SimTokenizer::split("internationalization"), (QList<QByteArray>{"internatio", "nalization"}));
    QCOMPARE(SimTokenizer::split(" 1234567"), (QList<QByteArray>{" 123", "456", "7"}));
    QCOMPARE(SimTokenizer::split("a  \n"), (QList<QByteArray>{"a", "  \n"}));
}

void TestSimTokenizer::isLosslessAndCountsWhatItSplits_data()
{
    QTest::addColumn<QByteArray>("text");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("code") << QByteArray("```python\ndef f(x):\n    return x[::-1]\n```");
    QTest::newRow("json") << QByteArray("{\"score\": 0.5, \"pass\": false}");
    QTest::newRow("spaces only") << QByteArray("   \t\n ");
    QTest::newRow("control bytes") << QByteArray("a\x01\x02 b\x7f", 7);
    QTest::newRow("invalid utf8") << QByteArray("caf\xc3 \xff\xfe x\xe2\x82");
}

void TestSimTokenizer::isLosslessAndCountsWhatItSplits()
{
    QFETCH(QByteArray, text);
    const QList<QByteArray> pieces = SimTokenizer::split(text);
    QCOMPARE(pieces.join(), text);
    QCOMPARE(SimTokenizer::count(text), pieces.size());
    for (const QByteArray &p : pieces)
        QVERIFY(!p.isEmpty());
}

void TestSimTokenizer::neverSplitsAUtf8Sequence()
{
    const QByteArray text = QStringLiteral("Größenwahnsinnigkeitsüberprüfung 東京都庁舎の展望台 😀😀😀😀😀😀😀😀😀😀😀😀").toUtf8();
    const QList<QByteArray> pieces = SimTokenizer::split(text);
    QCOMPARE(pieces.join(), text);
    QVERIFY(pieces.size() > 4);
    for (const QByteArray &p : pieces) {
        // Every piece decodes on its own: no piece starts with a continuation byte.
        QVERIFY2((static_cast<unsigned char>(p.at(0)) & 0xC0) != 0x80, p.toHex().constData());
        QCOMPARE(QString::fromUtf8(p).toUtf8(), p);
    }
}

void TestSimTokenizer::fillerHasExactlyTheAskedLength()
{
    for (int n : {1, 2, 3, 7, 50, 333, 2000}) {
        const QByteArray text = SimAnswerer::fillerText(42 + static_cast<quint64>(n), n);
        QCOMPARE(SimTokenizer::count(text), n);
    }
    QCOMPARE(SimAnswerer::fillerText(7, 40), SimAnswerer::fillerText(7, 40));
    QVERIFY(SimAnswerer::fillerText(7, 40) != SimAnswerer::fillerText(8, 40));
}

QTEST_GUILESS_MAIN(TestSimTokenizer)
#include "tst_simtokenizer.moc"
