// Repeats: the engine names the repeat of every request it sends to a simulator
// (x-slopscope-repeat, RequestBuilder); the simulator must answer the same repeat with the same
// text however often it is retried, other repeats differently, and record which repeat it served.
#include "SimTestClient.h"

#include "sim/SimServer.h"

#include <QSet>
#include <QTest>

using namespace Slopscope;

namespace {

const QByteArray kBearer = "Authorization: Bearer sk-test";

QByteArray chatBody(const char *prompt)
{
    nlohmann::json b;
    b["model"] = "t-coin";
    b["messages"] = nlohmann::json::array({{{"role", "user"}, {"content", prompt}}});
    b["stream"] = true;
    return QByteArray::fromStdString(b.dump());
}

} // namespace

class TestSimRepeats final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_server.loadDefaults());
        QVERIFY(m_server.loadPersonasFile(QStringLiteral(SLOPSCOPE_TEST_DATA "/sim/personas_test.json")));
        QVERIFY(m_server.listen());
    }

    void slopscopeRepeatHeaderNamesTheRepeat()
    {
        const QByteArray body = chatBody("Tell me about green tea.");
        // Three attempts of repeat 2 (a retried request): one answer, attempts counted.
        for (int i = 0; i < 3; ++i)
            QVERIFY(send(body, {"x-slopscope-repeat: 2"}).ok);
        const QList<SimRecord> tries = lastRecords(3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(tries[i].repeat, 2);
            QCOMPARE(tries[i].attempt, i);
            QCOMPARE(tries[i].text, tries[0].text);
        }
        // Other repeats are other answers (t-coin answers at random, seeded by the repeat).
        QSet<QString> texts;
        for (int rep = 0; rep < 6; ++rep) {
            QVERIFY(send(body, {"x-slopscope-repeat: " + QByteArray::number(rep)}).ok);
            QCOMPARE(lastRecords(1).first().repeat, rep);
            texts.insert(lastRecords(1).first().text);
        }
        QVERIFY(texts.size() > 1);
        QVERIFY(texts.contains(tries[0].text)); // repeat 2 again, same text as before
    }

    void withoutTheHeaderIdenticalRequestsAreCounted()
    {
        const QByteArray body = chatBody("Tell me about black tea.");
        for (int i = 0; i < 3; ++i)
            QVERIFY(send(body, {}).ok);
        const QList<SimRecord> r = lastRecords(3);
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(r[i].repeat, i);
            QCOMPARE(r[i].attempt, 0);
        }
    }

    void simRepeatWinsAndGarbageIsCounted()
    {
        const QByteArray body = chatBody("Tell me about white tea.");
        QVERIFY(send(body, {"x-sim-repeat: 5", "x-slopscope-repeat: 1"}).ok);
        QCOMPARE(lastRecords(1).first().repeat, 5);
        QVERIFY(send(body, {"x-slopscope-repeat: many"}).ok);
        QCOMPARE(lastRecords(1).first().repeat, 0); // not a number: counted, first of its kind
        QVERIFY(send(body, {"x-slopscope-repeat: -4"}).ok);
        QCOMPARE(lastRecords(1).first().repeat, 0);
        // The log line carries both.
        const QByteArray line = lastRecords(1).first().toJson(false);
        QVERIFY2(line.contains("\"repeat\":0,\"attempt\":0"), line.constData());
    }

private:
    SimTest::Response send(const QByteArray &body, QList<QByteArray> headers)
    {
        headers.prepend(kBearer);
        return SimTest::exchange(m_server.serverPort(), SimTest::post("/v1/chat/completions", body, headers));
    }
    QList<SimRecord> lastRecords(int n) const { return m_server.records().mid(m_server.records().size() - n); }

    SimServer m_server;
};

QTEST_GUILESS_MAIN(TestSimRepeats)
#include "tst_simrepeats.moc"
