#include "quality/Suite.h"
#include "quality/SuiteWriter.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <unistd.h>

using namespace Slopscope;

namespace {

// Field by field, so a failure names what the writer lost.
#define SAME(a, b, what)                                                                                               \
    do {                                                                                                               \
        if (!((a) == (b))) {                                                                                           \
            *why = QStringLiteral(what);                                                                               \
            return false;                                                                                              \
        }                                                                                                              \
    } while (false)

bool sameAssertions(const QList<Assertion> &a, const QList<Assertion> &b, QString *why)
{
    SAME(a.size(), b.size(), "assertion count");
    for (qsizetype i = 0; i < a.size(); ++i) {
        SAME(a.at(i).type, b.at(i).type, "assertion type");
        SAME(a.at(i).value, b.at(i).value, "assertion value");
        SAME(a.at(i).threshold, b.at(i).threshold, "assertion threshold");
        SAME(a.at(i).weight, b.at(i).weight, "assertion weight");
        SAME(a.at(i).provider, b.at(i).provider, "assertion provider");
        SAME(a.at(i).metric, b.at(i).metric, "assertion metric");
        SAME(a.at(i).interpreter, b.at(i).interpreter, "assertion interpreter");
    }
    return true;
}

bool sameMessages(const QList<ChatMessage> &a, const QList<ChatMessage> &b, QString *why)
{
    SAME(a.size(), b.size(), "message count");
    for (qsizetype i = 0; i < a.size(); ++i) {
        SAME(a.at(i).role, b.at(i).role, "message role");
        SAME(a.at(i).content, b.at(i).content, "message content");
    }
    return true;
}

bool sameSuite(const Suite &a, const Suite &b, QString *why)
{
    SAME(a.name, b.name, "name");
    SAME(a.description, b.description, "description");
    SAME(a.defaults.system, b.defaults.system, "defaults.system");
    SAME(a.defaults.params, b.defaults.params, "defaults.params");
    SAME(a.defaults.timeBudgetMs, b.defaults.timeBudgetMs, "defaults.time_budget_ms");
    if (!sameAssertions(a.defaults.assertions, b.defaults.assertions, why))
        return false;
    SAME(a.cases.size(), b.cases.size(), "case count");
    for (qsizetype i = 0; i < a.cases.size(); ++i) {
        const SuiteCase &x = a.cases.at(i);
        const SuiteCase &y = b.cases.at(i);
        SAME(x.id, y.id, "case id");
        SAME(x.description, y.description, "case description");
        SAME(x.prompt, y.prompt, "case prompt");
        if (!sameMessages(x.messages, y.messages, why))
            return false;
        SAME(x.vars, y.vars, "case vars");
        SAME(x.reference, y.reference, "case reference");
        if (!sameAssertions(x.assertions, y.assertions, why))
            return false;
        SAME(x.tags, y.tags, "case tags");
        SAME(x.weight, y.weight, "case weight");
        SAME(x.threshold, y.threshold, "case threshold");
        SAME(x.timeBudgetMs, y.timeBudgetMs, "case time budget");
        SAME(x.metadata, y.metadata, "case metadata");
        SAME(x.variants.size(), y.variants.size(), "variant count");
        for (qsizetype v = 0; v < x.variants.size(); ++v) {
            const CaseVariant &p = x.variants.at(v);
            const CaseVariant &q = y.variants.at(v);
            SAME(p.id, q.id, "variant id");
            SAME(p.kind, q.kind, "variant kind");
            SAME(p.prompt, q.prompt, "variant prompt");
            if (!sameMessages(p.messages, q.messages, why))
                return false;
            SAME(p.vars, q.vars, "variant vars");
            SAME(p.reference, q.reference, "variant reference");
            SAME(p.assertions.has_value(), q.assertions.has_value(), "variant assertions present");
            if (p.assertions && !sameAssertions(*p.assertions, *q.assertions, why))
                return false;
        }
    }
    return true;
}

#undef SAME

Assertion assertion(const QString &type, nlohmann::json value)
{
    Assertion a;
    a.type = type;
    a.value = std::move(value);
    return a;
}

// Every field the format has, each away from its default.
Suite everyField()
{
    Suite s;
    s.name = QStringLiteral("Every field");
    s.description = QStringLiteral("Hand-made: ünïcode, \"quotes\" and\nnew lines");
    s.defaults.system = QStringLiteral("You are terse. Topic: {{topic}}");
    s.defaults.params = nlohmann::json{{"temperature", 0.2}, {"max_tokens", 64}};
    s.defaults.timeBudgetMs = 8000;
    Assertion latency = assertion(QStringLiteral("latency"), 2000);
    latency.weight = 0.5;
    s.defaults.assertions = {latency};

    SuiteCase a;
    a.id = QStringLiteral("capital");
    a.description = QStringLiteral("A capital city");
    a.prompt = QStringLiteral("What is the capital of {{country}}?");
    a.vars = {{QStringLiteral("country"), QStringLiteral("France")}, {QStringLiteral("topic"), QStringLiteral("geo")}};
    a.reference = QStringLiteral("Paris");
    Assertion judged = assertion(QStringLiteral("llm-rubric"), "names Paris");
    judged.threshold = 0.75;
    judged.weight = 2.0;
    judged.provider = QStringLiteral("judge-target");
    judged.metric = QStringLiteral("accuracy");
    Assertion tests = assertion(QStringLiteral("code-tests"), "import solution\n");
    tests.interpreter = QStringLiteral("python3");
    a.assertions = {assertion(QStringLiteral("icontains"), "paris"), judged,
                    assertion(QStringLiteral("contains-any"), nlohmann::json::array({"Paris", "paris"})), tests};
    a.tags = {QStringLiteral("geo"), QStringLiteral("easy")};
    a.weight = 3.0;
    a.threshold = 0.6;
    a.timeBudgetMs = 4500;
    a.metadata = nlohmann::json{{"source", "atlas"}, {"page", 12}};
    CaseVariant reworded;
    reworded.id = QStringLiteral("paraphrase-1");
    reworded.kind = QStringLiteral("paraphrase");
    reworded.prompt = QStringLiteral("{{country}}'s capital is which city?");
    CaseVariant other;
    other.id = QStringLiteral("entity-1");
    other.kind = QStringLiteral("entity");
    other.messages = {{QStringLiteral("user"), QStringLiteral("Capital of {{country}}?")}};
    other.vars = {{QStringLiteral("country"), QStringLiteral("Italy")}};
    other.reference = QStringLiteral("Rome");
    other.assertions = QList<Assertion>{assertion(QStringLiteral("icontains"), "rome")};
    CaseVariant noChecks;
    noChecks.id = QStringLiteral("no-checks");
    noChecks.prompt = QStringLiteral("Say {{country}}.");
    noChecks.assertions = QList<Assertion>{}; // present but empty: not the case's assertions
    a.variants = {reworded, other, noChecks};

    SuiteCase b;
    b.id = QStringLiteral("chat");
    b.messages = {{QStringLiteral("system"), QStringLiteral("Answer in JSON.")},
                  {QStringLiteral("user"), QStringLiteral("Two primes?")},
                  {QStringLiteral("assistant"), QStringLiteral("[2, 3]")},
                  {QStringLiteral("user"), QStringLiteral("Two more.")}};
    b.assertions = {assertion(QStringLiteral("is-json"), nullptr),
                    assertion(QStringLiteral("json-schema"), nlohmann::json{{"type", "array"}})};
    b.weight = 0.0;
    s.cases = {a, b};
    return s;
}

} // namespace

class TestSuiteWriter final : public QObject
{
    Q_OBJECT

private slots:
    void bundledSuitesRoundTrip_data();
    void bundledSuitesRoundTrip();
    void everyFieldRoundTrips();
    void comparisonSeesADifference();
    void savesAndReadsBack();
    void saveWhereNoFileCanBeNamesThePath();
    void saveToReadOnlyDirectoryNamesThePath();
};

void TestSuiteWriter::bundledSuitesRoundTrip_data()
{
    QTest::addColumn<QString>("path");
    const QDir dir(QStringLiteral(SLOPSCOPE_SOURCE_DIR "/resources/demo/suites"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY(files.size() >= 3);
    for (const QString &f : files)
        QTest::newRow(qPrintable(f)) << dir.filePath(f);
}

void TestSuiteWriter::bundledSuitesRoundTrip()
{
    QFETCH(QString, path);
    const auto original = Suite::fromFile(path);
    QVERIFY2(original.ok(), qPrintable(original.error()));
    const auto again = Suite::fromJson(suiteToBytes(original.value()), QStringLiteral("written.json"));
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QString why;
    QVERIFY2(sameSuite(original.value(), again.value(), &why), qPrintable(why));
}

void TestSuiteWriter::everyFieldRoundTrips()
{
    const Suite s = everyField();
    const auto again = Suite::fromJson(suiteToBytes(s), QStringLiteral("every.json"));
    QVERIFY2(again.ok(), qPrintable(again.error()));
    QString why;
    QVERIFY2(sameSuite(s, again.value(), &why), qPrintable(why));
    // The variant with an empty list of checks keeps it, rather than falling back to the case's.
    QVERIFY(again.value().cases.at(0).variants.at(2).assertions.has_value());
    QVERIFY(again.value().cases.at(0).variants.at(2).assertions->isEmpty());
    QVERIFY(!again.value().cases.at(0).variants.at(0).assertions.has_value());
}

void TestSuiteWriter::comparisonSeesADifference()
{
    // The helper the round trips rely on must notice a lost field.
    const Suite s = everyField();
    Suite changed = s;
    changed.cases[0].variants[1].assertions->first().metric = QStringLiteral("other");
    QString why;
    QVERIFY(!sameSuite(s, changed, &why));
    QCOMPARE(why, QStringLiteral("assertion metric"));
    Suite noInterpreter = s;
    noInterpreter.cases[0].assertions[3].interpreter.clear();
    QVERIFY(!sameSuite(s, noInterpreter, &why));
    QCOMPARE(why, QStringLiteral("assertion interpreter"));
}

void TestSuiteWriter::savesAndReadsBack()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("suite.json"));
    const Status saved = saveSuite(everyField(), path);
    QVERIFY2(saved.ok(), qPrintable(saved.error()));
    const auto loaded = Suite::fromFile(path);
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    QString why;
    QVERIFY2(sameSuite(everyField(), loaded.value(), &why), qPrintable(why));
    // Saving over it replaces the whole file.
    Suite small = everyField();
    small.cases.removeLast();
    QVERIFY(saveSuite(small, path).ok());
    QCOMPARE(Suite::fromFile(path).value().cases.size(), 1);
}

void TestSuiteWriter::saveWhereNoFileCanBeNamesThePath()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // A "directory" that is a file fails for every user, root included.
    QFile plain(dir.filePath(QStringLiteral("plain")));
    QVERIFY(plain.open(QIODevice::WriteOnly));
    plain.close();
    const QString underFile = dir.filePath(QStringLiteral("plain/suite.json"));
    const Status refused = saveSuite(everyField(), underFile);
    QVERIFY(!refused.ok());
    QVERIFY2(refused.error().contains(QDir::toNativeSeparators(underFile)), qPrintable(refused.error()));
}

void TestSuiteWriter::saveToReadOnlyDirectoryNamesThePath()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QVERIFY(QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::ExeOwner));
    const QString path = dir.filePath(QStringLiteral("suite.json"));
    const Status saved = saveSuite(everyField(), path);
    QFile::setPermissions(dir.path(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    if (saved.ok() && ::geteuid() == 0)
        QSKIP("root writes into read-only directories (saveWhereNoFileCanBeNamesThePath covers the error)");
    QVERIFY(!saved.ok());
    QVERIFY2(saved.error().contains(QDir::toNativeSeparators(path)), qPrintable(saved.error()));
    QVERIFY(!QFile::exists(path));
}

QTEST_GUILESS_MAIN(TestSuiteWriter)
#include "tst_suitewriter.moc"
