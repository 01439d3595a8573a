// Replays every recorded provider body of tests/data/wire through makeStreamDecoder and compares
// the result with its *.expected.json — fed whole, one byte per feed and split in two at every
// offset. Framing windows and seeded random pieces: tst_wirefixturesplits.cpp. The result must not
// depend on how reads cut the body.
#include "WireFixtureKit.h"

#include <QTest>

using namespace Slopscope;
using namespace Slopscope::Test;

class TestWireFixtures final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyFixtureIsCovered();
    void whole_data() { addFixtureRows(m_fixtures); }
    void whole();
    void oneBytePerFeed_data() { addFixtureRows(m_fixtures); }
    void oneBytePerFeed();
    void everyTwoFeedSplit_data() { addFixtureRows(m_fixtures); }
    void everyTwoFeedSplit();

private:
    QList<Fixture> m_fixtures;
};

void TestWireFixtures::initTestCase()
{
    QString problem;
    m_fixtures = loadFixtures(&problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestWireFixtures::everyFixtureIsCovered()
{
    // 40 recorded bodies across the six dialect folders; a missing or unreadable one fails here.
    QCOMPARE(m_fixtures.size(), 40);
    for (const Fixture &f : m_fixtures) {
        QVERIFY2(qint64(f.body.size()) == f.document.at("byte_length").get<qint64>(),
                 qPrintable(f.name + QStringLiteral(": byte_length differs; was the file re-saved?")));
    }
}

void TestWireFixtures::whole()
{
    QFETCH(int, index);
    const Fixture &f = m_fixtures[index];
    const Run run = decode(f, wholeCuts(f.body.size()));
    const Diff d = compareWithExpected(f, run.result);
    QVERIFY2(d.ok(), qPrintable(d.text()));
    const Diff deltas = compareDeltas(run);
    QVERIFY2(deltas.ok(), qPrintable(deltas.text()));
}

void TestWireFixtures::oneBytePerFeed()
{
    QFETCH(int, index);
    const Fixture &f = m_fixtures[index];
    std::vector<qsizetype> cuts;
    for (qsizetype i = 0; i <= f.body.size(); ++i)
        cuts.push_back(i);
    const Run run = decode(f, cuts);
    const Diff d = compareWithExpected(f, run.result);
    QVERIFY2(d.ok(), qPrintable(d.text()));
    const Diff deltas = compareDeltas(run);
    QVERIFY2(deltas.ok(), qPrintable(deltas.text()));
}

void TestWireFixtures::everyTwoFeedSplit()
{
    QFETCH(int, index);
    const Fixture &f = m_fixtures[index];
    const Run reference = decode(f, wholeCuts(f.body.size()));
    const Diff expected = compareWithExpected(f, reference.result);
    QVERIFY2(expected.ok(), qPrintable(expected.text()));
    const std::vector<qsizetype> offsets = splitOffsets(f.body);
    for (const qsizetype k : offsets) {
        const Run run = decode(f, {0, k, f.body.size()});
        const Diff d = compareWithReference(run.result, reference.result);
        if (!d.ok())
            QFAIL(qPrintable(QStringLiteral("split at byte %1:\n    %2").arg(k).arg(d.text())));
        const Diff deltas = compareDeltas(run);
        if (!deltas.ok())
            QFAIL(qPrintable(QStringLiteral("split at byte %1:\n    %2").arg(k).arg(deltas.text())));
    }
    if (qsizetype(offsets.size()) <= f.body.size())
        qInfo("%s: %zu of %lld split offsets through the decoder (every offset is checked by framedEventWindows)",
              qPrintable(f.name), offsets.size(), qlonglong(f.body.size() + 1));
}

QTEST_GUILESS_MAIN(TestWireFixtures)
#include "tst_wirefixtures.moc"
