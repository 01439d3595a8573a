// The recorded provider bodies of tests/data/wire cut where a split can matter (every offset of
// every event window, through the framing) and in seeded random pieces through the decoders. Whole
// bodies, one byte per feed and decoder-level two-feed splits: tst_wirefixtures.cpp.
#include "WireFixtureKit.h"

#include <QTest>

#include <random>

using namespace Slopscope;
using namespace Slopscope::Test;

class TestWireFixtureSplits final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void framedEventWindows_data() { addFixtureRows(m_fixtures, true); }
    void framedEventWindows();
    void seededRandomSplits_data() { addFixtureRows(m_fixtures); }
    void seededRandomSplits();

private:
    QList<Fixture> m_fixtures;
};

void TestWireFixtureSplits::initTestCase()
{
    QString problem;
    m_fixtures = loadFixtures(&problem);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestWireFixtureSplits::framedEventWindows()
{
    // Every split offset of every body, checked where a split can matter: the framing. The body is
    // cut into its event windows (each ends with the blank line that dispatches it; NDJSON: each
    // line), and each window is fed to a fresh parser in two pieces at every offset. The windows'
    // events, concatenated, must be the body's events. Together with the decoder-level splits this
    // covers the large recordings, whose every-offset replay through JSON decoding would take hours.
    QFETCH(int, index);
    const Fixture &f = m_fixtures[index];
    const bool ndjson = f.contentType.contains("ndjson");
    const QList<QByteArray> windows = ndjson ? ndjsonWindows(f.body) : sseWindows(f.body);
    QCOMPARE(windows.join(), f.body);
    QList<QByteArray> joined;
    qint64 comments = 0;
    for (const QByteArray &window : windows) {
        const QList<QByteArray> whole = frame(ndjson, {window});
        if (ndjson) {
            joined += whole;
        } else {
            joined += whole.first(whole.size() - 1);
            comments += whole.last().mid(int(qstrlen("comments:"))).toLongLong();
        }
        for (qsizetype k = 0; k <= window.size(); ++k) {
            if (frame(ndjson, {window.left(k), window.mid(k)}) != whole)
                QFAIL(qPrintable(QStringLiteral("window %1 split at %2 frames differently")
                                     .arg(QString::fromUtf8(window.left(60).toPercentEncoding()))
                                     .arg(k)));
        }
    }
    if (!ndjson)
        joined.append("comments:" + QByteArray::number(comments));
    QCOMPARE(joined, frame(ndjson, {f.body}));
}

void TestWireFixtureSplits::seededRandomSplits()
{
    QFETCH(int, index);
    const Fixture &f = m_fixtures[index];
    const Run reference = decode(f, wholeCuts(f.body.size()));
    for (unsigned seed = 1; seed <= 6; ++seed) {
        std::mt19937 rng(seed * 7919u + unsigned(index));
        // Small pieces for some seeds, network-sized ones for others.
        const qsizetype maxPiece = seed % 2 ? 16 : 4096;
        std::vector<qsizetype> cuts{0};
        while (cuts.back() < f.body.size())
            cuts.push_back(
                qMin(f.body.size(), cuts.back() + std::uniform_int_distribution<qsizetype>(1, maxPiece)(rng)));
        const Run run = decode(f, cuts);
        const Diff d = compareWithExpected(f, run.result);
        QVERIFY2(d.ok(), qPrintable(QStringLiteral("seed %1: %2").arg(seed).arg(d.text())));
        const Diff same = compareWithReference(run.result, reference.result);
        QVERIFY2(same.ok(), qPrintable(QStringLiteral("seed %1: %2").arg(seed).arg(same.text())));
        const Diff deltas = compareDeltas(run);
        QVERIFY2(deltas.ok(), qPrintable(deltas.text()));
    }
}

QTEST_GUILESS_MAIN(TestWireFixtureSplits)
#include "tst_wirefixturesplits.moc"
