#include "report/HtmlReport.h"
#include "report/MarkdownReport.h"
#include "report/PdfReport.h"
#include "report/ReportJson.h"
#include "ReportFixture.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RecordedRun.h"
#include "store/RunSnapshot.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sqlite3.h>

using namespace Slopscope;

namespace {

// A cell of the fixture whose assertions were each graded by one judge: (judge id, its pass).
CellResult judged(const QString &target, const QString &caseId, const QList<QPair<QString, bool>> &verdicts,
                  const QString &variant = {})
{
    CellResult c = ReportFixture::cell(target, caseId, 1.0, 0.001, JobState::Completed, variant);
    for (const auto &[judge, pass] : verdicts) {
        c.grade.grades.append(Grade{QStringLiteral("llm-rubric"), pass, pass ? 1.0 : 0.0, QString(), 1.0, false});
        JudgeCall call;
        call.jobId = QStringLiteral("judge|") + c.job.jobId + u'|' + judge;
        call.judgeTargetId = judge;
        call.assertionType = QStringLiteral("llm-rubric");
        call.assertionIndex = static_cast<int>(c.grade.grades.size() - 1);
        call.verdict = JudgeVerdict{QStringLiteral("because"), pass ? 1.0 : 0.0, pass, true};
        c.judgeCalls.append(call);
    }
    return c;
}

StoredRating rating(const QString &runId, const CellResult &cell, bool pass)
{
    return {runId, cell.job.jobId, QStringLiteral("ann"), QStringLiteral("pass_fail"), pass ? 1 : 0, {}, {}};
}

} // namespace

// Judge–human agreement in the reports made from the history (slopscope-cli report RUN_ID).
class TestReportAgreement final : public QObject
{
    Q_OBJECT

private slots:
    void storedRatingsReachEveryReport();
    void noRatingsNoTable();
};

void TestReportAgreement::storedRatingsReachEveryReport()
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("history.sqlite"));
    RunSpec spec = ReportFixture::spec();
    spec.workspace.targets[0].label = QStringLiteral("<b>Alpha</b> & co"); // from a workspace file: untrusted
    const QString j = QStringLiteral("judge-1");
    const QString k = QStringLiteral("judge-2");
    // alpha, one judge: T T F F; beta, two judges: j (T F) and k (T T).
    const QList<CellResult> cells{
        judged(QStringLiteral("alpha"), QStringLiteral("c1"), {{j, true}}),
        judged(QStringLiteral("alpha"), QStringLiteral("c2"), {{j, true}}),
        judged(QStringLiteral("alpha"), QStringLiteral("c3"), {{j, false}}),
        judged(QStringLiteral("alpha"), QStringLiteral("c1"), {{j, false}}, QStringLiteral("c1-p")),
        judged(QStringLiteral("beta"), QStringLiteral("c1"), {{j, true}, {k, true}}),
        judged(QStringLiteral("beta"), QStringLiteral("c2"), {{j, false}, {k, true}}),
        judged(QStringLiteral("gamma"), QStringLiteral("c1"), {{j, true}}),
    };
    const QString runId = QStringLiteral("run-agreement");
    {
        HistoryStore created; // the writer needs the file made (and migrated) first
        QVERIFY(created.open(path).ok());
    }
    {
        HistoryWriter writer;
        QSignalSpy ready(&writer, &HistoryWriter::opened);
        writer.start(path);
        QVERIFY(ready.wait(10'000));
        QVERIFY2(ready.first().at(0).toBool(), qPrintable(ready.first().at(1).toString()));
        writer.beginRun(RunSnapshot::fromSpec(spec, runId));
        for (const CellResult &c : cells)
            writer.addResult(runId, c);
        // People: alpha T F F F, beta T F; gamma unrated. A first rating of a1, replaced, must not count.
        writer.addHumanRating(rating(runId, cells.at(0), false));
        const QList<bool> people{true, false, false, false, true, false};
        for (int i = 0; i < people.size(); ++i)
            writer.addHumanRating(rating(runId, cells.at(i), people.at(i)));
        writer.endRun(runId, RunState::Completed);
        HistoryStore store;
        QVERIFY(store.open(path, HistoryStore::Mode::ReadOnly).ok());
        QTRY_COMPARE_WITH_TIMEOUT(store.humanRatings(runId).value().size(), 7, 10'000);
        QTRY_COMPARE_WITH_TIMEOUT(store.run(runId).value().state, RunState::Completed, 10'000);
    }

    auto recorded = RecordedRun::load(path, runId);
    QVERIFY2(recorded.ok(), qPrintable(recorded.error()));
    QCOMPARE(recorded.value().ratings.size(), 7);
    const ReportData data = ReportData::fromRecordedRun(recorded.value());
    // alpha: 3 of 4 agree; judge passes 2/4, people 1/4 → expected 0.5·0.25 + 0.5·0.75 = 0.5,
    // κ = (0.75 − 0.5) / 0.5 = 0.5. beta over both judges: T F against T F → 100%, κ 1; judge-1
    // alone the same; judge-2 (T T against T F) 50%, expected 1·0.5 + 0·0.5 = 0.5, κ 0. gamma:
    // nobody rated it, so no row.
    QCOMPARE(data.agreement.size(), 4);
    QCOMPARE(data.agreement.at(0).targetId, QStringLiteral("alpha"));
    QCOMPARE(data.agreement.at(0).agreement.n, 4);
    QCOMPARE(data.agreement.at(0).agreement.percent, 0.75);
    QCOMPARE(data.agreement.at(0).agreement.kappa, 0.5);
    QCOMPARE(data.agreement.at(1).targetId, QStringLiteral("beta"));
    QVERIFY(data.agreement.at(1).judgeTargetId.isEmpty());
    QCOMPARE(data.agreement.at(1).agreement.kappa, 1.0);
    QCOMPARE(data.agreement.at(2).judgeTargetId, j);
    QCOMPARE(data.agreement.at(3).judgeTargetId, k);
    QCOMPARE(data.agreement.at(3).agreement.percent, 0.5);

    const QString html = QString::fromUtf8(HtmlReport::render(data));
    QVERIFY(html.contains(QStringLiteral("<h2>Judge–human agreement</h2>")));
    QVERIFY2(html.contains(QStringLiteral("<tr><td>&lt;b&gt;Alpha&lt;/b&gt; &amp; co</td><td>all judges</td>"
                                          "<td>4</td><td>75.0%</td><td>0.50</td></tr>")),
             qPrintable(html.mid(html.indexOf(QStringLiteral("id=\"agreement\"")), 900)));
    QVERIFY(!html.contains(QStringLiteral("<b>Alpha</b>")));
    QVERIFY(
        html.contains(QStringLiteral("<tr><td>Beta</td><td>judge-2</td><td>2</td><td>50.0%</td><td>0.00</td></tr>")));

    // The PDF's first part carries the same table, escaped the same way.
    const QString pdfHtml = PdfReport::documentHtml(data, 0);
    QVERIFY(pdfHtml.contains(QStringLiteral("<h2>Judge–human agreement</h2>")));
    QVERIFY2(pdfHtml.contains(QStringLiteral("<tr><td>&lt;b&gt;Alpha&lt;/b&gt; &amp; co</td><td>all judges</td>"
                                             "<td>4</td><td>75.0%</td><td>0.50</td></tr>")),
             qPrintable(pdfHtml.mid(pdfHtml.indexOf(QStringLiteral("agreement")), 900)));
    QVERIFY(!pdfHtml.contains(QStringLiteral("<b>Alpha</b>")));

    const QString markdown = QString::fromUtf8(MarkdownReport::render(data));
    QVERIFY(markdown.contains(QStringLiteral("## Judge–human agreement")));
    QVERIFY(markdown.contains(QStringLiteral("\\<b\\>Alpha\\</b\\> \\& co")));
    QVERIFY2(markdown.contains(QStringLiteral("| Beta | all judges | 2 | 100.0% | 1.00 |")),
             qPrintable(markdown.mid(markdown.indexOf(QStringLiteral("## Judge")), 700)));

    const nlohmann::ordered_json json = ReportJson::summaryJson(data);
    const auto &rows = json.at("judge_human_agreement");
    QCOMPARE(rows.size(), std::size_t(4));
    QCOMPARE(rows.at(0).at("target_id").get<std::string>(), std::string("alpha"));
    QVERIFY(rows.at(0).at("judge_target_id").is_null());
    QCOMPARE(rows.at(0).at("n").get<int>(), 4);
    QCOMPARE(rows.at(0).at("agreement").get<double>(), 0.75);
    QCOMPARE(rows.at(0).at("kappa").get<double>(), 0.5);
    QCOMPARE(rows.at(3).at("judge_target_id").get<std::string>(), std::string("judge-2"));
    QCOMPARE(rows.at(3).at("kappa").get<double>(), 0.0);

    // Unreadable ratings cost the agreement, not the run: its answers and numbers still load.
    {
        sqlite3 *db = nullptr;
        QCOMPARE(sqlite3_open(path.toUtf8().constData(), &db), SQLITE_OK);
        const int dropped = sqlite3_exec(db, "DROP TABLE human_ratings", nullptr, nullptr, nullptr);
        sqlite3_close(db);
        QCOMPARE(dropped, SQLITE_OK);
    }
    auto withoutRatings = RecordedRun::load(path, runId);
    QVERIFY2(withoutRatings.ok(), qPrintable(withoutRatings.error()));
    QCOMPARE(withoutRatings.value().cells.size(), cells.size());
    QVERIFY(withoutRatings.value().ratings.isEmpty());
    QVERIFY2(withoutRatings.value().ratingsProblem.contains(QStringLiteral("human_ratings")),
             qPrintable(withoutRatings.value().ratingsProblem));
    QVERIFY(ReportData::fromRecordedRun(withoutRatings.value()).agreement.isEmpty());
}

void TestReportAgreement::noRatingsNoTable()
{
    ReportData data = ReportFixture::data();
    QVERIFY(data.agreement.isEmpty());
    QVERIFY(!QString::fromUtf8(HtmlReport::render(data)).contains(QStringLiteral("Judge–human agreement")));
    QVERIFY(!PdfReport::documentHtml(data, 0).contains(QStringLiteral("Judge–human agreement")));
    QVERIFY(ReportJson::summaryJson(data).at("judge_human_agreement").empty());
    // A rating of a cell no judge graded: a rated target with n = 0 would show "—", not 0%; here
    // the fixture has no judge at all, so there is nothing to show.
    data.setHumanRatings({HumanRating::passFail(data.cells.at(0).job.jobId, true).value()});
    QVERIFY(data.agreement.isEmpty());
}

QTEST_GUILESS_MAIN(TestReportAgreement)
#include "tst_reportagreement.moc"
