#include "run/JudgeHumanAgreement.h"

#include <QTest>

#include <cmath>

using namespace Slopscope;

namespace {

// A cell of `target` whose assertions were each graded by one judge: (judge id, judge's pass).
CellResult cell(const QString &target, const QString &id, const QList<QPair<QString, bool>> &verdicts)
{
    CellResult c;
    c.job.jobId = id;
    c.job.targetId = target;
    c.caseId = id;
    for (const auto &[judge, pass] : verdicts) {
        c.grade.grades.append(Grade{QStringLiteral("llm-rubric"), pass, pass ? 1.0 : 0.0, QString(), 1.0, false});
        JudgeCall call;
        call.judgeTargetId = judge;
        call.assertionIndex = static_cast<int>(c.grade.grades.size() - 1);
        call.verdict = JudgeVerdict{QString(), pass ? 1.0 : 0.0, pass, true};
        c.judgeCalls.append(call);
    }
    return c;
}

CellResult judged(const QString &target, const QString &id, bool pass)
{
    return cell(target, id, {{QStringLiteral("judge"), pass}});
}

HumanRating human(const QString &id, bool pass)
{
    return HumanRating::passFail(id, pass).value();
}

bool near(double a, double b)
{
    return std::abs(a - b) < 1e-12;
}

} // namespace

class TestJudgeHumanAgreement final : public QObject
{
    Q_OBJECT

private slots:
    void perfectAndChanceAgreement();
    void noOverlapHasNoFigure();
    void severalJudgesGetTheirOwnRows();
    void failedJudgeCallsAndNegationsCount();
};

void TestJudgeHumanAgreement::perfectAndChanceAgreement()
{
    const QString a = QStringLiteral("a");
    const QString b = QStringLiteral("b");
    const QList<CellResult> cells{judged(a, QStringLiteral("a1"), true),  judged(a, QStringLiteral("a2"), true),
                                  judged(a, QStringLiteral("a3"), false), judged(a, QStringLiteral("a4"), false),
                                  judged(b, QStringLiteral("b1"), true),  judged(b, QStringLiteral("b2"), true),
                                  judged(b, QStringLiteral("b3"), false), judged(b, QStringLiteral("b4"), false)};
    const QList<HumanRating> people{
        human(QStringLiteral("a1"), true),
        HumanRating::fromStars(QStringLiteral("a2"), 4).value(), // a pass at the default 4 stars
        human(QStringLiteral("a3"), false),
        HumanRating::fromStars(QStringLiteral("a4"), 3).value(),
        human(QStringLiteral("b1"), true),
        human(QStringLiteral("b2"), false),
        human(QStringLiteral("b3"), true),
        human(QStringLiteral("b4"), false),
    };
    const QList<TargetAgreement> rows = JudgeHumanAgreement::perTarget(cells, people);
    QCOMPARE(rows.size(), 2); // one judge: no per-judge rows
    QCOMPARE(rows.at(0).targetId, a);
    QVERIFY(rows.at(0).judgeTargetId.isEmpty());
    QCOMPARE(rows.at(0).agreement.n, 4);
    QCOMPARE(rows.at(0).agreement.percent, 1.0);
    QCOMPARE(rows.at(0).agreement.kappa, 1.0);
    // b: (1,1) (1,0) (0,1) (0,0): 2 of 4 agree; both pass half → expected 0.5·0.5 + 0.5·0.5 = 0.5;
    // kappa = (0.5 − 0.5) / (1 − 0.5) = 0: no better than chance.
    QCOMPARE(rows.at(1).targetId, b);
    QCOMPARE(rows.at(1).agreement.n, 4);
    QCOMPARE(rows.at(1).agreement.percent, 0.5);
    QVERIFY(near(rows.at(1).agreement.kappa, 0.0));
    // Overall: 6 of 8 agree, judge and people each pass 4 of 8 → expected 0.5, kappa 0.25 / 0.5.
    const Stats::Agreement all = JudgeHumanAgreement::overall(cells, people);
    QCOMPARE(all.n, 8);
    QCOMPARE(all.percent, 0.75);
    QVERIFY(near(all.kappa, 0.5));
    QCOMPARE(JudgeHumanAgreement::forTarget(rows, b)->percent, 0.5);
    QVERIFY(!JudgeHumanAgreement::forTarget(rows, QStringLiteral("zz")));
}

void TestJudgeHumanAgreement::noOverlapHasNoFigure()
{
    const QList<CellResult> cells{judged(QStringLiteral("a"), QStringLiteral("a1"), true), [] {
                                      CellResult unjudged; // no judge: no verdict, even when rated
                                      unjudged.job.jobId = QStringLiteral("a2");
                                      unjudged.job.targetId = QStringLiteral("a");
                                      return unjudged;
                                  }()};
    const QList<HumanRating> people{human(QStringLiteral("a2"), true), human(QStringLiteral("other"), true)};
    const QList<TargetAgreement> rows = JudgeHumanAgreement::perTarget(cells, people);
    QCOMPARE(rows.size(), 1);
    QCOMPARE(rows.at(0).agreement.n, 0);
    QCOMPARE(JudgeHumanAgreement::overall(cells, {}).n, 0);
}

void TestJudgeHumanAgreement::severalJudgesGetTheirOwnRows()
{
    const QString d = QStringLiteral("d");
    const QString j1 = QStringLiteral("j1");
    const QString j2 = QStringLiteral("j2");
    // Assertion 0 by j2, assertion 1 by j1: j1 says T T F F, j2 says T F T F.
    const QList<CellResult> cells{cell(d, QStringLiteral("d1"), {{j2, true}, {j1, true}}),
                                  cell(d, QStringLiteral("d2"), {{j2, false}, {j1, true}}),
                                  cell(d, QStringLiteral("d3"), {{j2, true}, {j1, false}}),
                                  cell(d, QStringLiteral("d4"), {{j2, false}, {j1, false}})};
    const QList<HumanRating> people{human(QStringLiteral("d1"), true), human(QStringLiteral("d2"), true),
                                    human(QStringLiteral("d3"), false), human(QStringLiteral("d4"), false)};
    const QList<TargetAgreement> rows = JudgeHumanAgreement::perTarget(cells, people);
    QCOMPARE(rows.size(), 3);
    // All judges: the cell passes when both do: T F F F against T T F F → 3 of 4; judge passes 1/4,
    // people 2/4 → expected 0.25·0.5 + 0.75·0.5 = 0.5, kappa (0.75 − 0.5) / 0.5 = 0.5.
    QVERIFY(rows.at(0).judgeTargetId.isEmpty());
    QCOMPARE(rows.at(0).agreement.percent, 0.75);
    QVERIFY(near(rows.at(0).agreement.kappa, 0.5));
    // Per judge, sorted by id: j1 agrees perfectly, j2 at chance.
    QCOMPARE(rows.at(1).judgeTargetId, j1);
    QCOMPARE(rows.at(1).agreement.n, 4);
    QCOMPARE(rows.at(1).agreement.kappa, 1.0);
    QCOMPARE(rows.at(2).judgeTargetId, j2);
    QCOMPARE(rows.at(2).agreement.percent, 0.5);
    QVERIFY(near(rows.at(2).agreement.kappa, 0.0));
}

void TestJudgeHumanAgreement::failedJudgeCallsAndNegationsCount()
{
    CellResult failed = judged(QStringLiteral("a"), QStringLiteral("a1"), true);
    failed.judgeCalls[0].error = QStringLiteral("timeout");
    QVERIFY(!JudgeHumanAgreement::judgePassBy(failed, QStringLiteral("judge")));
    QVERIFY(!JudgeHumanAgreement::judgePassBy(failed, QStringLiteral("someone else")));

    // "not-llm-rubric": the judge's rubric pass is the assertion's fail.
    CellResult negated = judged(QStringLiteral("a"), QStringLiteral("a2"), true);
    negated.grade.grades[0].type = QStringLiteral("not-llm-rubric");
    negated.grade.grades[0].pass = false;
    QCOMPARE(JudgeHumanAgreement::judgePassBy(negated, QStringLiteral("judge")), std::optional<bool>(false));
}

QTEST_GUILESS_MAIN(TestJudgeHumanAgreement)
#include "tst_judgehumanagreement.moc"
