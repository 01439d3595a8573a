#include "quality/Grader.h"
#include "quality/Suite.h"

#include <QDir>
#include <QSet>
#include <QTest>

using namespace Slopscope;

// The bundled demo suites are data the simulator answers from and the graders check: every
// reference must pass its own case's checks (also in the wordings the simulator wraps short
// answers in), and every wrong answer the simulator may give must fail them.
class TestDemoSuites final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void sizeAndCoverage();
    void referencesPassTheirChecks();
    void distractorsFailTheirChecks();
    void variantsRenderAndDiffer();
    void chainTurnsHaveTheirAnswers();

private:
    QList<Suite> m_suites;
};

void TestDemoSuites::initTestCase()
{
    const QDir dir(QStringLiteral(":/slopscope/demo/suites"));
    const QStringList files = dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name);
    QVERIFY(!files.isEmpty());
    for (const QString &f : files) {
        auto suite = Suite::fromFile(dir.filePath(f));
        QVERIFY2(suite.ok(), qPrintable(suite.error()));
        m_suites.append(suite.value());
    }
}

void TestDemoSuites::sizeAndCoverage()
{
    qsizetype cases = 0;
    QSet<QString> tags;
    QSet<QString> types;
    for (const Suite &s : std::as_const(m_suites)) {
        for (const SuiteCase &c : s.cases) {
            ++cases;
            QVERIFY2(!c.tags.isEmpty(), qPrintable(c.id));
            QVERIFY2(!c.reference.isEmpty(), qPrintable(c.id));
            QVERIFY2(c.variants.size() >= 2, qPrintable(c.id));
            for (const QString &t : c.tags)
                tags.insert(t);
            for (const Assertion &a : c.assertions)
                types.insert(a.type);
        }
    }
    QVERIFY2(cases >= 40 && cases <= 55, qPrintable(QString::number(cases)));
    for (const char *tag : {"benchmark", "trick", "extraction", "code", "summary", "tools"})
        QVERIFY2(tags.contains(QLatin1StringView(tag)), tag);
    for (const char *type : {"json-schema", "is-json", "is-valid-tool-call", "tool-call", "llm-rubric", "word-count"})
        QVERIFY2(types.contains(QLatin1StringView(type)), type);
}

void TestDemoSuites::referencesPassTheirChecks()
{
    for (const Suite &s : std::as_const(m_suites)) {
        for (const SuiteCase &c : s.cases) {
            QStringList answers{c.reference};
            if (!c.reference.contains(u'\n')) {
                // How the simulator phrases a short right answer.
                answers << QStringLiteral("The answer is ") + c.reference + u'.'
                        << QStringLiteral("Answer: ") + c.reference;
            }
            for (const QString &answer : std::as_const(answers)) {
                const CaseGrade g =
                    Grader::gradeAll(s.assertionsFor(c), {answer, c.reference, {}, {}, {}}, c.threshold);
                QString why;
                for (const Grade &one : g.grades) {
                    if (!one.pass && !one.needsJudge)
                        why += one.type + QStringLiteral(": ") + one.reason + u' ';
                }
                QVERIFY2(g.pass, qPrintable(c.id + QStringLiteral(" [") + answer + QStringLiteral("] ") + why));
            }
            // Variants that carry their own answer are checked with it.
            for (const CaseVariant &v : c.variants) {
                if (!v.assertions && v.reference.isEmpty())
                    continue;
                const QString reference = Suite::referenceFor(c, &v);
                QVERIFY2(Grader::gradeAll(s.assertionsFor(c, &v), {reference, reference, {}, {}, {}}).pass,
                         qPrintable(c.id + u' ' + v.id));
            }
        }
    }
}

void TestDemoSuites::distractorsFailTheirChecks()
{
    qsizetype checked = 0;
    for (const Suite &s : std::as_const(m_suites)) {
        for (const SuiteCase &c : s.cases) {
            QVERIFY2(c.metadata.contains("distractors"), qPrintable(c.id));
            const auto &distractors = c.metadata.at("distractors");
            QVERIFY2(distractors.is_array() && distractors.size() >= 2, qPrintable(c.id));
            for (const auto &d : distractors) {
                const QString wrong = QString::fromStdString(d.get<std::string>());
                QVERIFY2(!Grader::gradeAll(s.assertionsFor(c), {wrong, c.reference, {}, {}, {}}, c.threshold).pass,
                         qPrintable(c.id + QStringLiteral(": ") + wrong));
                ++checked;
            }
        }
    }
    QVERIFY(checked >= 80);
}

void TestDemoSuites::variantsRenderAndDiffer()
{
    for (const Suite &s : std::as_const(m_suites)) {
        for (const SuiteCase &c : s.cases) {
            const QString canonical = s.messagesFor(c).last().content;
            QSet<QString> seen{canonical};
            for (const CaseVariant &v : c.variants) {
                const QString text = s.messagesFor(c, &v).last().content;
                QVERIFY2(!text.contains(QStringLiteral("{{")), qPrintable(c.id + u' ' + v.id));
                QVERIFY2(!seen.contains(text), qPrintable(c.id + u' ' + v.id)); // a rewording, not a copy
                seen.insert(text);
            }
        }
    }
}

// Chain cases: each further turn's answer (metadata.turns[k].reference) passes that turn's checks
// and its wrong answers fail them, as the simulator's answer key relies on.
void TestDemoSuites::chainTurnsHaveTheirAnswers()
{
    qsizetype turns = 0;
    qsizetype scripted = 0;
    for (const Suite &s : std::as_const(m_suites)) {
        for (const SuiteCase &c : s.cases) {
            scripted += c.toolResults.isEmpty() ? 0 : 1;
            for (qsizetype k = 0; k < c.turns.size(); ++k) {
                const QString id = c.id + QStringLiteral(" turn ") + QString::number(k + 1);
                QVERIFY2(c.metadata.contains("turns") && c.metadata.at("turns").size() > std::size_t(k),
                         qPrintable(id));
                const auto &key = c.metadata.at("turns").at(std::size_t(k));
                const QString reference = QString::fromStdString(key.at("reference").get<std::string>());
                const QList<Assertion> checks = s.defaults.assertions + c.turns.at(k).assertions;
                QVERIFY2(!checks.isEmpty(), qPrintable(id));
                QVERIFY2(Grader::gradeAll(checks, {reference, {}, {}, {}, {}}).pass, qPrintable(id));
                QVERIFY2(Grader::gradeAll(checks, {QStringLiteral("The answer is ") + reference + u'.', {}, {}, {}, {}})
                             .pass,
                         qPrintable(id));
                for (const auto &d : key.at("distractors")) {
                    const QString wrong = QString::fromStdString(d.get<std::string>());
                    QVERIFY2(!Grader::gradeAll(checks, {wrong, {}, {}, {}, {}}).pass, qPrintable(id + u' ' + wrong));
                }
                ++turns;
            }
        }
    }
    QVERIFY(turns >= 2);
    QVERIFY(scripted >= 3); // a tool result used, a failure, a gap
}

QTEST_GUILESS_MAIN(TestDemoSuites)
#include "tst_demosuites.moc"
