#include "sim/SimHttpParser.h"
#include "sim/SimRandom.h"

#include <QTest>

using namespace Slopscope;

class TestSimHttpParser final : public QObject
{
    Q_OBJECT

private slots:
    void parsesARequest();
    void parsesByteByByte();
    void parsesPipelinedRequests();
    void toleratesAbsoluteFormAndBareLf();
    void rejects_data();
    void rejects();
    void limitsHeaderSize();
    void expectContinue();
    void survivesRandomInput();
};

void TestSimHttpParser::parsesARequest()
{
    SimHttpParser p;
    const QByteArray req = "POST /v1/chat/completions?x=1&key=abc HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Authorization:   Bearer sk-1  \r\nContent-Length: 5\r\n\r\nhello";
    QCOMPARE(p.feed(req, 7), SimHttpParser::State::Complete);
    const SimHttpRequest r = p.take();
    QCOMPARE(r.method, QByteArray("POST"));
    QCOMPARE(r.path, QByteArray("/v1/chat/completions"));
    QCOMPARE(r.queryItem("key"), QByteArray("abc"));
    QCOMPARE(r.header("authorization"), QByteArray("Bearer sk-1"));
    QCOMPARE(r.body, QByteArray("hello"));
    QCOMPARE(r.arrivalNs, 7);
    QCOMPARE(r.bodyCompleteNs, 7);
    QVERIFY(!r.wantsClose());
}

void TestSimHttpParser::parsesByteByByte()
{
    SimHttpParser p;
    const QByteArray req = "POST /api/chat HTTP/1.1\r\nHost: h\r\nConnection: close\r\nContent-Length: 3\r\n\r\nabc";
    for (qsizetype i = 0; i < req.size(); ++i) {
        const auto state = p.feed(req.mid(i, 1), 100 + i);
        QCOMPARE(state, i + 1 == req.size() ? SimHttpParser::State::Complete : SimHttpParser::State::NeedMore);
    }
    const SimHttpRequest r = p.take();
    QCOMPARE(r.body, QByteArray("abc"));
    QCOMPARE(r.arrivalNs, 100); // the first byte
    QCOMPARE(r.bodyCompleteNs, 100 + req.size() - 1);
    QVERIFY(r.wantsClose());
}

void TestSimHttpParser::parsesPipelinedRequests()
{
    SimHttpParser p;
    const QByteArray two = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n";
    QCOMPARE(p.feed(two, 1), SimHttpParser::State::Complete);
    QCOMPARE(p.take().path, QByteArray("/a"));
    QVERIFY(p.hasBufferedBytes());
    QCOMPARE(p.poll(2), SimHttpParser::State::Complete);
    QCOMPARE(p.take().path, QByteArray("/b"));
    QCOMPARE(p.poll(3), SimHttpParser::State::NeedMore);
}

void TestSimHttpParser::toleratesAbsoluteFormAndBareLf()
{
    SimHttpParser p;
    QCOMPARE(p.feed("GET http://127.0.0.1:9/api/tags?x HTTP/1.1\nHost: h\n\n", 1), SimHttpParser::State::Complete);
    const SimHttpRequest r = p.take();
    QCOMPARE(r.path, QByteArray("/api/tags"));
    QCOMPARE(r.query, QByteArray("x"));
    SimHttpParser old;
    QCOMPARE(old.feed("GET / HTTP/1.0\r\n\r\n", 1), SimHttpParser::State::Complete); // no Host needed
    QVERIFY(old.take().wantsClose());
}

void TestSimHttpParser::rejects_data()
{
    QTest::addColumn<QByteArray>("input");
    QTest::addColumn<int>("status");
    QTest::newRow("garbage") << QByteArrayLiteral("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n") << 400;
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400;
    QTest::newRow("http2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\n") << 505;
    QTest::newRow("space in target") << QByteArray("GET /a b HTTP/1.1\r\nHost: h\r\n\r\n") << 400;
    QTest::newRow("no host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 400;
    QTest::newRow("bad header") << QByteArray("GET / HTTP/1.1\r\nHost h\r\n\r\n") << 400;
    QTest::newRow("folded header") << QByteArray("GET / HTTP/1.1\r\nHost: h\r\n  folded\r\n\r\n") << 400;
    QTest::newRow("bad length") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n") << 400;
    QTest::newRow("two lengths") << QByteArray(
                                        "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n")
                                 << 400;
    QTest::newRow("too large") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999\r\n\r\n")
                               << 413;
    QTest::newRow("chunked") << QByteArray("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n") << 411;
    QTest::newRow("nul in header") << QByteArrayLiteral("GET / HTTP/1.1\r\nHost: h\x00x\r\n\r\n") << 400;
}

void TestSimHttpParser::rejects()
{
    QFETCH(QByteArray, input);
    QFETCH(int, status);
    SimHttpParser p(1024 * 1024);
    QCOMPARE(p.feed(input, 1), SimHttpParser::State::Failed);
    QCOMPARE(p.failureStatus(), status);
    // Once failed it stays failed.
    QCOMPARE(p.feed("GET / HTTP/1.1\r\nHost: h\r\n\r\n", 2), SimHttpParser::State::Failed);
}

void TestSimHttpParser::limitsHeaderSize()
{
    SimHttpParser p;
    QByteArray big = "GET / HTTP/1.1\r\nHost: h\r\nX-Junk: ";
    big += QByteArray(SimHttpParser::kMaxHeaderBytes, 'a');
    QCOMPARE(p.feed(big, 1), SimHttpParser::State::Failed);
    QCOMPARE(p.failureStatus(), 431);
}

void TestSimHttpParser::expectContinue()
{
    SimHttpParser p;
    QCOMPARE(p.feed("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n", 1),
             SimHttpParser::State::NeedMore);
    QVERIFY(p.wantsContinue());
    p.continueSent();
    QVERIFY(!p.wantsContinue());
    QCOMPARE(p.feed("ok", 2), SimHttpParser::State::Complete);
}

void TestSimHttpParser::survivesRandomInput()
{
    // Never crashes, never loops: every input ends in a request, a failure or a wait for more.
    SimRandom rng(1234);
    const QByteArray alphabet = QByteArrayLiteral("GETPOST /HTTP1.0\r\n:Content-Length 0123456789abc\x00\xff");
    for (int round = 0; round < 2000; ++round) {
        SimHttpParser p(4096);
        QByteArray input;
        const int len = rng.below(300);
        for (int i = 0; i < len; ++i)
            input.append(alphabet.at(rng.below(static_cast<int>(alphabet.size()))));
        if (round % 3 == 0)
            input.prepend("POST / HTTP/1.1\r\nHost: x\r\n");
        int guard = 0;
        auto state = p.feed(input, 1);
        while (state == SimHttpParser::State::Complete && guard++ < 100) {
            p.take();
            state = p.poll(2);
        }
        QVERIFY(guard < 100);
    }
}

QTEST_GUILESS_MAIN(TestSimHttpParser)
#include "tst_simhttpparser.moc"
