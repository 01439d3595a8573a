#include "report/MarkdownReport.h"
#include "report/ReportCsv.h"
#include "report/ReportEscape.h"
#include "report/ReportExport.h"
#include "report/ReportJson.h"
#include "../core/FullDiskChild.h"
#include "ReportFixture.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QTextFragment>


using namespace Slopscope;

namespace {

QString js(const nlohmann::json &j)
{
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QStringLiteral("<not a string>");
}

QString js(const nlohmann::ordered_json &j)
{
    return j.is_string() ? QString::fromStdString(j.get<std::string>()) : QStringLiteral("<not a string>");
}

nlohmann::json parse(const QByteArray &bytes)
{
    return nlohmann::json::parse(bytes.toStdString());
}

QStringList keysOf(const nlohmann::ordered_json &object)
{
    QStringList keys;
    for (const auto &item : object.items())
        keys.append(QString::fromStdString(item.key()));
    return keys;
}

// RFC 4180 reader, written from the RFC: enough to read back what the writer produced.
QList<QStringList> readCsv(const QString &text)
{
    QList<QStringList> rows;
    QStringList row;
    QString field;
    bool quoted = false;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (quoted) {
            if (c == u'"' && i + 1 < text.size() && text.at(i + 1) == u'"') {
                field += u'"';
                ++i;
            } else if (c == u'"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == u'"') {
            quoted = true;
        } else if (c == u',') {
            row.append(field);
            field.clear();
        } else if (c == u'\r' && i + 1 < text.size() && text.at(i + 1) == u'\n') {
            row.append(field);
            field.clear();
            rows.append(row);
            row.clear();
            ++i;
        } else {
            field += c;
        }
    }
    return rows;
}

QString lineStartingWith(const QString &text, const QString &prefix)
{
    for (const QString &line : text.split(u'\n')) {
        if (line.startsWith(prefix))
            return line;
    }
    return {};
}

// Every link target and image in a laid-out document.
QStringList anchorsAndImages(const QTextDocument &doc)
{
    QStringList found;
    for (QTextBlock b = doc.begin(); b != doc.end(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat f = it.fragment().charFormat();
            if (f.isAnchor())
                found.append(f.anchorHref());
            if (f.isImageFormat())
                found.append(f.toImageFormat().name());
        }
    }
    return found;
}

const QString kHostile = QStringLiteral("<script>alert(1)</script> <img src=x onerror=alert(1)> "
                                        "[x](javascript:alert(1)) <a href=\"javascript:alert(2)\">y</a> "
                                        "**bold** | pipe &amp; ```` `code`");

} // namespace

class TestReportExports final : public QObject
{
    Q_OBJECT

private slots:
    void jsonlLineHasTheIssueFieldsInOrder();
    void jsonlFiguresAndNulls();
    void jsonlUsageSource();
    void summaryFieldsAndValues();
    void summaryConditions();
    void csvField_data();
    void csvField();
    void csvRoundTripsEveryCell();
    void markdownLeaderboardAndMethodology();
    void markdownRendersNoMarkupFromModelText();
    void filesAreWrittenAtomically();
    void unknownFormatsAndUnwritablePathsFailWithTheirPath();
    void fullDiskLeavesNoPartialFile();
};

void TestReportExports::jsonlLineHasTheIssueFieldsInOrder()
{
    const QByteArray line = ReportJson::jsonlLine(QStringLiteral("r1"), ReportFixture::cells().first());
    QVERIFY(line.endsWith('\n'));
    QCOMPARE(line.count('\n'), 1);
    const auto j = nlohmann::ordered_json::parse(line.toStdString());
    const QStringList expected =
        QStringLiteral("run_id case_id target_id variant repeat status error_kind error_message text "
                       "reasoning_text finish_reason model_reported input_tokens output_tokens "
                       "reasoning_tokens cached_input_tokens usage_source ttft_ms ttfat_ms latency_ms "
                       "decode_tokens_per_s itl_ms attempts cost_usd score pass grades")
            .split(u' ');
    QCOMPARE(keysOf(j), expected);
    QCOMPARE(ReportCsv::columns(), expected);
}

void TestReportExports::jsonlFiguresAndNulls()
{
    CellResult c = ReportFixture::cell(QStringLiteral("alpha"), QStringLiteral("c1"), 0.75, 0.0125);
    c.variantId = QStringLiteral("c1-p");
    c.repeat = 1;
    c.job.result.text = QStringLiteral("line one\nline \"two\" \u202E");
    c.job.result.reasoningText = QStringLiteral("thinking");
    Usage u;
    u.inputTokens = 120;
    u.outputTokens = 80;
    u.reasoningTokens = 30;
    c.job.result.usage = u;
    c.metrics.ttftNs = 250'000'000;
    c.metrics.ttfatNs = 400'000'000;
    c.metrics.e2eNs = 1'500'000'000;
    c.metrics.itlNs = 12'500'000.0;
    c.metrics.decodeTokensPerSecond = 64.5;
    c.metrics.attempts = 2;
    Grade g;
    g.type = QStringLiteral("contains");
    g.pass = true;
    g.score = 1.0;
    g.reason = QStringLiteral("found");
    c.grade.grades = {g};
    const nlohmann::json j = parse(ReportJson::jsonlLine(QStringLiteral("r1"), c));
    QCOMPARE(js(j["run_id"]), QStringLiteral("r1"));
    QCOMPARE(js(j["variant"]), QStringLiteral("c1-p"));
    QCOMPARE(j["repeat"].get<qint64>(), qint64(1));
    QCOMPARE(js(j["status"]), QStringLiteral("ok"));
    QVERIFY(j["error_kind"].is_null());
    QVERIFY(j["error_message"].is_null());
    QCOMPARE(QString::fromStdString(j["text"].get<std::string>()), c.job.result.text); // data, kept verbatim
    QCOMPARE(j["input_tokens"].get<qint64>(), qint64(120));
    QCOMPARE(j["output_tokens"].get<qint64>(), qint64(80));
    QCOMPARE(j["reasoning_tokens"].get<qint64>(), qint64(30));
    QVERIFY(j["cached_input_tokens"].is_null()); // not reported is not 0
    QCOMPARE(js(j["usage_source"]), QStringLiteral("reported"));
    QCOMPARE(j["ttft_ms"].get<double>(), 250.0);
    QCOMPARE(j["ttfat_ms"].get<double>(), 400.0);
    QCOMPARE(j["latency_ms"].get<double>(), 1500.0);
    QCOMPARE(j["itl_ms"].get<double>(), 12.5);
    QCOMPARE(j["decode_tokens_per_s"].get<double>(), 64.5);
    QCOMPARE(j["attempts"].get<qint64>(), qint64(2));
    QCOMPARE(j["cost_usd"].get<double>(), 0.0125);
    QCOMPARE(j["score"].get<double>(), 0.75);
    QCOMPARE(j["pass"].get<bool>(), true);
    QCOMPARE(qsizetype(j["grades"].size()), qsizetype(1));
    QCOMPARE(js(j["grades"][0]["type"]), QStringLiteral("contains"));
    QCOMPARE(js(j["grades"][0]["reason"]), QStringLiteral("found"));

    const CellResult failed = ReportFixture::cells().at(2); // alpha c3, HTTP 500
    const nlohmann::json f = parse(ReportJson::jsonlLine(QStringLiteral("r1"), failed));
    QCOMPARE(js(f["status"]), QStringLiteral("error"));
    QCOMPARE(js(f["error_kind"]), QStringLiteral("http_status"));
    QCOMPARE(js(f["error_message"]), QStringLiteral("HTTP 500 from the provider"));
    QVERIFY(f["variant"].is_null());
    QVERIFY(f["ttft_ms"].is_null());

    const CellResult unknownCost = ReportFixture::cells().at(5); // beta c2, truncated, cost unknown
    const nlohmann::json t = parse(ReportJson::jsonlLine(QStringLiteral("r1"), unknownCost));
    QCOMPARE(js(t["status"]), QStringLiteral("truncated"));
    QVERIFY(t["cost_usd"].is_null());

    const CellResult cancelled = ReportFixture::cells().last();
    const nlohmann::json x = parse(ReportJson::jsonlLine(QStringLiteral("r1"), cancelled));
    QCOMPARE(js(x["status"]), QStringLiteral("cancelled"));
    QVERIFY(x["score"].is_null()); // no verdict, rather than a 0
    QVERIFY(x["pass"].is_null());
}

void TestReportExports::jsonlUsageSource()
{
    CellResult c = ReportFixture::cell(QStringLiteral("alpha"), QStringLiteral("c1"), 1.0, std::nullopt);
    QCOMPARE(js(parse(ReportJson::jsonlLine({}, c))["usage_source"]), QStringLiteral("unknown"));
    QVERIFY(parse(ReportJson::jsonlLine({}, c))["output_tokens"].is_null());
    c.metrics.outputTokens = 75.0;
    c.metrics.tokensEstimated = true;
    const nlohmann::json j = parse(ReportJson::jsonlLine({}, c));
    QCOMPARE(js(j["usage_source"]), QStringLiteral("estimated"));
    QCOMPARE(j["output_tokens"].get<double>(), 75.0);
    QVERIFY(j["input_tokens"].is_null());
    c.metrics.tokensEstimated = false; // every chunk carried the provider's own count
    QCOMPARE(js(parse(ReportJson::jsonlLine({}, c))["usage_source"]), QStringLiteral("reported"));
}

void TestReportExports::summaryFieldsAndValues()
{
    const ReportData data = ReportFixture::data();
    const auto doc = nlohmann::ordered_json::parse(ReportJson::summary(data).toStdString());
    QCOMPARE(keysOf(doc), QStringLiteral("run_id targets pareto conditions judge_human_agreement").split(u' '));
    QCOMPARE(js(doc["run_id"]), QStringLiteral("run-42"));
    QCOMPARE(qsizetype(doc["targets"].size()), qsizetype(3));
    const QStringList fields =
        QStringLiteral("target_id n n_ok quality quality_ci_low quality_ci_high brittleness brittleness_ci_low "
                       "brittleness_ci_high quality_within_budget quality_within_budget_ci_low "
                       "quality_within_budget_ci_high cost_usd_total cost_per_1k_cases_usd ttft_ms_p50 ttft_ms_p95 "
                       "decode_tokens_per_s_p50 latency_ms_p50 latency_ms_p95 error_rate")
            .split(u' ');
    for (const auto &t : doc["targets"])
        QCOMPARE(keysOf(t), fields);

    const auto &alpha = doc["targets"][0];
    QCOMPARE(js(alpha["target_id"]), QStringLiteral("alpha"));
    QCOMPARE(alpha["n"].get<qint64>(), qint64(4));
    QCOMPARE(alpha["n_ok"].get<qint64>(), qint64(3));
    QCOMPARE(alpha["quality"].get<double>(), 0.5);
    QCOMPARE(alpha["quality_ci_low"].get<double>(), 0.0);
    QCOMPARE(alpha["quality_ci_high"].get<double>(), 1.0);
    QCOMPARE(alpha["brittleness"].get<double>(), 1.0); // from TargetSummary, not recomputed
    QVERIFY(qAbs(alpha["cost_usd_total"].get<double>() - 0.0045) < 1e-12);
    QCOMPARE(alpha["cost_per_1k_cases_usd"].get<double>(), 1.5);
    QCOMPARE(alpha["ttft_ms_p50"].get<double>(), 200.0);
    QCOMPARE(alpha["ttft_ms_p95"].get<double>(), 300.0);
    QCOMPARE(alpha["decode_tokens_per_s_p50"].get<double>(), 50.0);
    QCOMPARE(alpha["latency_ms_p50"].get<double>(), 1000.0);
    QCOMPARE(alpha["latency_ms_p95"].get<double>(), 2000.0);
    QCOMPARE(alpha["error_rate"].get<double>(), 0.25);
    QVERIFY(alpha["quality_within_budget"].is_null()); // the fixture's suite sets no time budget
    {
        // With a 1.5 s budget alpha's c2 (0.5, answered in 2 s) counts as a failure: (1 + 0 + 0) / 3.
        RunSpec budgeted = ReportFixture::spec();
        budgeted.suite.defaults.timeBudgetMs = 1500;
        const ReportData withBudget =
            ReportData::fromRun(budgeted, ReportFixture::cells(), ReportFixture::summaries(), ReportFixture::runInfo());
        const auto doc2 = nlohmann::ordered_json::parse(ReportJson::summary(withBudget).toStdString());
        QVERIFY(qAbs(doc2["targets"][0]["quality_within_budget"].get<double>() - 1.0 / 3.0) < 1e-12);
        QVERIFY(doc2["targets"][0]["quality_within_budget_ci_low"].is_number());
        QCOMPARE(doc2["targets"][0]["quality"].get<double>(), 0.5); // plain quality unchanged
    }

    const auto &beta = doc["targets"][1];
    QVERIFY(beta["brittleness"].is_null());    // no rewording was run for beta
    QVERIFY(beta["cost_usd_total"].is_null()); // one cost unknown: no total, not a partial sum
    QVERIFY(beta["latency_ms_p50"].is_null());
    QVERIFY(qAbs(beta["error_rate"].get<double>() - 1.0 / 3.0) < 1e-12);

    const auto &gamma = doc["targets"][2];
    QCOMPARE(gamma["n"].get<qint64>(), qint64(0));
    for (const char *key : {"quality", "cost_usd_total", "cost_per_1k_cases_usd", "ttft_ms_p50", "error_rate"})
        QVERIFY2(gamma[key].is_null(), key);

    // alpha ($1.5, 50%) and beta ($20, 87.5%): neither beats the other on both.
    QCOMPARE(QString::fromStdString(doc["pareto"].dump()), QStringLiteral(R"(["alpha","beta"])"));
}

void TestReportExports::summaryConditions()
{
    const auto doc = nlohmann::ordered_json::parse(ReportJson::summary(ReportFixture::data()).toStdString());
    const auto &c = doc["conditions"];
    QCOMPARE(js(c["suite"]), QStringLiteral("Fixture suite"));
    QCOMPARE(c["repeats"].get<qint64>(), qint64(2));
    QCOMPARE(c["variants"].get<bool>(), true);
    QCOMPARE(c["seed"].get<qint64>(), qint64(7));
    QCOMPARE(c["concurrency"].get<qint64>(), qint64(16));
    QCOMPARE(c["provider_concurrency"]["sim"].get<qint64>(), qint64(4));
    QCOMPARE(c["provider_concurrency"]["openai"].get<qint64>(), qint64(8));
    QCOMPARE(js(c["order"]), QStringLiteral("interleaved"));
    QCOMPARE(c["max_cost_usd"].get<double>(), 5.0);
    QCOMPARE(js(c["started_at"]), QStringLiteral("2026-07-20T09:30:00Z"));
    QCOMPARE(js(c["ended_at"]), QStringLiteral("2026-07-20T09:41:05Z"));
    QVERIFY(c["stop_reason"].is_null());
    QCOMPARE(js(c["app_version"]), QStringLiteral("9.8.7"));
    QCOMPARE(js(c["price_catalogue"]["date"]), QStringLiteral("2026-07-18"));
    QCOMPARE(qsizetype(c["price_overrides"].size()), qsizetype(1));
    QCOMPARE(js(c["price_overrides"][0]["target_id"]), QStringLiteral("beta"));
    QCOMPARE(js(c["price_overrides"][0]["field"]), QStringLiteral("output_per_mtok"));
    QCOMPARE(c["price_overrides"][0]["workspace"].get<double>(), 0.5);
    QCOMPARE(c["price_overrides"][0]["catalogue"].get<double>(), 0.6);
    QCOMPARE(c["targets"][1]["price"]["input_per_mtok"].get<double>(), 0.15); // from the catalogue
    QCOMPARE(c["targets"][1]["price"]["output_per_mtok"].get<double>(), 0.5); // the workspace's
    QCOMPARE(c["targets"][0]["simulated"].get<bool>(), true);
    QCOMPARE(js(c["targets"][2]["label"]), QStringLiteral("gamma")); // no label: the id
}

void TestReportExports::csvField_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("plain") << QStringLiteral("hello") << QStringLiteral("hello");
    QTest::newRow("empty") << QString() << QString();
    QTest::newRow("formula") << QStringLiteral("=1+2") << QStringLiteral("'=1+2");
    QTest::newRow("plus") << QStringLiteral("+cmd") << QStringLiteral("'+cmd");
    QTest::newRow("minus") << QStringLiteral("-2+3") << QStringLiteral("'-2+3");
    QTest::newRow("at") << QStringLiteral("@SUM(A1)") << QStringLiteral("'@SUM(A1)");
    QTest::newRow("tab") << QStringLiteral("\t=x") << QStringLiteral("'\t=x");
    QTest::newRow("carriage return") << QStringLiteral("\r=x") << QStringLiteral("\"'\r=x\"");
    QTest::newRow("comma") << QStringLiteral("a,b") << QStringLiteral("\"a,b\"");
    QTest::newRow("quote") << QStringLiteral("say \"hi\"") << QStringLiteral("\"say \"\"hi\"\"\"");
    QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("\"a\nb\"");
    QTest::newRow("formula with comma") << QStringLiteral("=HYPERLINK(\"x\",\"y\")")
                                        << QStringLiteral("\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
    QTest::newRow("inner equals untouched") << QStringLiteral("a=b") << QStringLiteral("a=b");
}

void TestReportExports::csvField()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(ReportEscape::csvField(in), out);
}

void TestReportExports::csvRoundTripsEveryCell()
{
    ReportData data = ReportFixture::data();
    data.cells[0].job.result.text = QStringLiteral("=cmd|' /C calc'!A0, \"quoted\"\r\nnext line");
    data.cells[1].caseId = QStringLiteral("@case");
    const QByteArray bytes = ReportCsv::csv(data);
    QVERIFY(bytes.endsWith("\r\n"));
    const QList<QStringList> rows = readCsv(QString::fromUtf8(bytes));
    QCOMPARE(rows.size(), data.cells.size() + 1);
    QCOMPARE(rows.first(), ReportCsv::columns());
    const qsizetype text = rows.first().indexOf(QStringLiteral("text"));
    const qsizetype caseId = rows.first().indexOf(QStringLiteral("case_id"));
    const qsizetype cost = rows.first().indexOf(QStringLiteral("cost_usd"));
    const qsizetype status = rows.first().indexOf(QStringLiteral("status"));
    for (const QStringList &row : rows)
        QCOMPARE(row.size(), rows.first().size());
    QCOMPARE(rows.at(1).at(text), u'\'' + data.cells[0].job.result.text); // defused, otherwise intact
    QCOMPARE(rows.at(2).at(caseId), QStringLiteral("'@case"));
    QCOMPARE(rows.at(1).at(cost), QStringLiteral("0.001"));
    QCOMPARE(rows.at(6).at(cost), QString()); // unknown: empty, not 0
    QCOMPARE(rows.at(6).at(status), QStringLiteral("truncated"));
}

void TestReportExports::markdownLeaderboardAndMethodology()
{
    const QString md = QString::fromUtf8(MarkdownReport::render(ReportFixture::data()));
    QVERIFY(md.startsWith(QStringLiteral("# Fixture suite: run run-42\n")));
    // Alpha: 50.0% [0.0–100.0], brittleness +100 pp, $1.50 per 1k cases, TTFT 200 ms, 50 tok/s, 25% errors.
    const QString alphaRow = lineStartingWith(md, QStringLiteral("| Alpha"));
    QVERIFY2(!alphaRow.isEmpty(), qPrintable(md));
    for (const QString &part :
         {QStringLiteral("★"), QStringLiteral("50.0% \\[0.0–100.0\\]"), QStringLiteral("\\+100.0 pp"),
          QStringLiteral("$1.50"), QStringLiteral("200 ms"), QStringLiteral("50.0 tok/s"), QStringLiteral("25.0%")})
        QVERIFY2(alphaRow.contains(part), qPrintable(part + QStringLiteral(" in ") + alphaRow));
    QVERIFY(md.contains(QStringLiteral("## Methodology")));
    QVERIFY(md.contains(QStringLiteral("**TTFT**")));
    QVERIFY(md.contains(QStringLiteral("2026-07-18")));
    QVERIFY(md.contains(QStringLiteral("9.8.7")));
    QVERIFY(md.contains(QStringLiteral("output\\_per\\_mtok")));
}

void TestReportExports::markdownRendersNoMarkupFromModelText()
{
    ReportData data = ReportFixture::data();
    for (CellResult &c : data.cells)
        c.job.result.text = kHostile;
    data.targets[0].label = kHostile;
    data.cases[0].id = kHostile;
    data.indexCells();
    const QString md = QString::fromUtf8(MarkdownReport::render(data));

    // Read it back with a real CommonMark parser (md4c inside QTextDocument): no link, no image,
    // no HTML element was created, and the hostile text is there as text. First, the control: the
    // same check does see a link and an image that are not escaped.
    QTextDocument control;
    control.setMarkdown(QStringLiteral("[x](javascript:alert(1)) and ![i](data:,x)\n"));
    QVERIFY(!anchorsAndImages(control).isEmpty());
    QTextDocument doc;
    doc.setMarkdown(md);
    QVERIFY(doc.toPlainText().contains(QStringLiteral("<script>alert(1)</script>")));
    QVERIFY(doc.toPlainText().contains(QStringLiteral("[x](javascript:alert(1))")));
    QVERIFY(doc.toPlainText().contains(QStringLiteral("<img src=x onerror=alert(1)>")));
    QCOMPARE(anchorsAndImages(doc), QStringList());
    QVERIFY(doc.blockCount() > 10);
    // The fence outgrows the longest backtick run of the answer (four).
    QVERIFY(md.contains(QStringLiteral("\n`````text\n")));
}

void TestReportExports::filesAreWrittenAtomically()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString path = dir.filePath(QStringLiteral("summary.json"));
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write("old contents that are longer than nothing");
    old.close();
    const ReportData data = ReportFixture::data();
    const Status written = ReportExport::writeSummary(path, data);
    QVERIFY2(written.ok(), qPrintable(written.error()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), ReportJson::summary(data));
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files), QStringList{QStringLiteral("summary.json")}); // no leftovers

    for (const char *name : {"r.html", "r.md", "r.csv", "r.jsonl", "c.svg"}) {
        const QString p = dir.filePath(QString::fromLatin1(name));
        const QString suffix = QFileInfo(p).suffix();
        const Status s = suffix == u"csv"     ? ReportExport::writeCsv(p, data)
                         : suffix == u"jsonl" ? ReportExport::writeJsonl(p, data)
                         : suffix == u"svg"   ? ReportExport::writeChart(p, data)
                                              : ReportExport::writeReport(p, data);
        QVERIFY2(s.ok(), qPrintable(s.error()));
        QVERIFY(QFileInfo(p).size() > 100);
    }
    QFile jsonl(dir.filePath(QStringLiteral("r.jsonl")));
    QVERIFY(jsonl.open(QIODevice::ReadOnly));
    QCOMPARE(jsonl.readAll().count('\n'), data.cells.size());
}

void TestReportExports::unknownFormatsAndUnwritablePathsFailWithTheirPath()
{
    QTemporaryDir dir;
    const ReportData data = ReportFixture::data();
    const Status badReport = ReportExport::writeReport(dir.filePath(QStringLiteral("r.docx")), data);
    QVERIFY(!badReport.ok());
    QVERIFY(badReport.error().contains(QStringLiteral("r.docx")));
    QVERIFY(!ReportExport::writeChart(dir.filePath(QStringLiteral("c.gif")), data).ok());
    const QString missing = dir.filePath(QStringLiteral("no/such/dir/r.md"));
    const Status unwritable = ReportExport::writeReport(missing, data);
    QVERIFY(!unwritable.ok());
    QVERIFY2(unwritable.error().contains(QDir::toNativeSeparators(missing)), qPrintable(unwritable.error()));
}

// RELIABILITY F-9, on export: the disk fills while a report is written. Made with RLIMIT_FSIZE in
// a child process (a small filesystem needs root to mount): writes past the limit fail with EFBIG,
// as on a full disk. Nothing partial is left, an earlier file of that name is kept as it was, and
// the error names the path.
void TestReportExports::fullDiskLeavesNoPartialFile()
{
    QTemporaryDir dir;
    const ReportData data = ReportFixture::data();
    const QString path = dir.filePath(QStringLiteral("report.md"));
    constexpr rlim_t kRoom = 512;
    {
        // The report is larger than the room left, or the test proves nothing.
        const QString probe = dir.filePath(QStringLiteral("probe.md"));
        QVERIFY(ReportExport::writeReport(probe, data).ok());
        QVERIFY(QFileInfo(probe).size() > qint64(kRoom) * 2);
        QVERIFY(QFile::remove(probe));
    }
    const QByteArray previous = "the previous report, kept whole\n";
    QFile old(path);
    QVERIFY(old.open(QIODevice::WriteOnly));
    old.write(previous);
    old.close();

    const auto outcome = Test::writeWithFullDisk(kRoom, [&] { return ReportExport::writeReport(path, data); });
    QCOMPARE(outcome.exitCode, 1); // the export failed, and said so
    const QString &error = outcome.error;
    QVERIFY2(error.contains(QDir::toNativeSeparators(path)), qPrintable(error));
    QVERIFY2(error.contains(u"cannot write"), qPrintable(error));
    QFile kept(path);
    QVERIFY(kept.open(QIODevice::ReadOnly));
    QCOMPARE(kept.readAll(), previous);
    QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("report.md")});
}

QTEST_MAIN(TestReportExports)
#include "tst_reportexports.moc"
