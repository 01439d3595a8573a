#include "report/HtmlReport.h"
#include "report/ReportEscape.h"
#include "ReportFixture.h"

#include <QDir>
#include <QFile>
#include <QTest>
#include <QXmlStreamReader>

using namespace Slopscope;

namespace {

const QString kRlo = QString(QChar(0x202E));
const QString kIsolate = QString(QChar(0x2066));

// Everything a hostile model, suite author or workspace could slip into a report.
const QStringList kPayloads{
    QStringLiteral("<script>alert(1)</script>"),
    QStringLiteral("<img src=x onerror=alert(1)>"),
    QStringLiteral("[x](javascript:alert(1))"),
    QStringLiteral("<a href=\"javascript:alert(2)\">click</a>"),
    QStringLiteral("<svg onload=alert(3)><foreignObject/></svg>"),
    QStringLiteral("]]> <![CDATA[ x ]]>"),
    QStringLiteral("<style>body{background:url(https://evil.example/x)}</style>"),
    QStringLiteral("' onmouseover='alert(4)' \" onfocus=\"alert(5)"),
    QStringLiteral("evil") + kRlo + QStringLiteral("txt.exe") + kIsolate + QStringLiteral("x"),
};

QString hostile()
{
    return kPayloads.join(u'\n');
}

ReportData hostileData()
{
    RunSpec spec = ReportFixture::spec();
    spec.suite.cases[0].id = hostile();
    spec.suite.cases[0].prompt = hostile();
    spec.suite.cases[0].reference = hostile();
    spec.suite.description = hostile();
    spec.workspace.targets[0].label = hostile();
    spec.workspace.targets[0].model = hostile();
    spec.workspace.targets[0].color = QStringLiteral("red\" onload=\"alert(6)");
    QList<CellResult> cells = ReportFixture::cells();
    for (CellResult &c : cells) {
        if (c.caseId == u"c1")
            c.caseId = hostile();
        c.job.result.text = hostile() + QStringLiteral("\nand more words");
        c.job.result.reasoningText = hostile();
        c.job.error = c.job.error.isEmpty() ? QString() : hostile();
    }
    ReportRunInfo info = ReportFixture::runInfo();
    info.runId = hostile();
    info.stopReason = hostile();
    return ReportData::fromRun(spec, cells, ReportFixture::summaries(), info);
}

struct Parsed
{
    QString error;
    QStringList elements;
    QString text;
    QList<QPair<QString, QString>> attributes; // name, value
};

Parsed parse(const QByteArray &html)
{
    Parsed p;
    QXmlStreamReader xml(html);
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            p.elements.append(xml.name().toString().toLower());
            for (const QXmlStreamAttribute &a : xml.attributes())
                p.attributes.append({a.qualifiedName().toString().toLower(), a.value().toString()});
        } else if (xml.isCharacters()) {
            p.text += xml.text();
        }
    }
    if (xml.hasError())
        p.error = QStringLiteral("%1 at line %2").arg(xml.errorString()).arg(xml.lineNumber());
    return p;
}

// For a person to open: saved under $SLOPSCOPE_TEST_ARTIFACTS when it is set.
void keepArtifact(const QString &name, const QByteArray &bytes)
{
    const QString dir = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QFile f(QDir(dir).filePath(name));
    if (f.open(QIODevice::WriteOnly))
        f.write(bytes);
}

} // namespace

class TestHtmlReport final : public QObject
{
    Q_OBJECT

private slots:
    void escape_data();
    void escape();
    void ordinaryReportIsWellFormedAndComplete();
    void hostileTextStaysInert();
    void bidiControlsAreShownNotApplied();
    void outputIsDeterministic();
};

void TestHtmlReport::escape_data()
{
    QTest::addColumn<QString>("in");
    QTest::addColumn<QString>("out");
    QTest::newRow("markup") << QStringLiteral("<b>&\"'") << QStringLiteral("&lt;b&gt;&amp;&quot;&#39;");
    QTest::newRow("cdata end") << QStringLiteral("]]>") << QStringLiteral("]]&gt;");
    QTest::newRow("rlo") << (QStringLiteral("a") + kRlo + u'b') << QStringLiteral("a[U+202E]b");
    QTest::newRow("lri..pdi") << QString(QChar(0x2066)) + QChar(0x2069) << QStringLiteral("[U+2066][U+2069]");
    QTest::newRow("lre") << QString(QChar(0x202A)) << QStringLiteral("[U+202A]");
    QTest::newRow("nul and bell") << QStringLiteral("a") + QChar(0) + QChar(7) << QStringLiteral("a[U+0000][U+0007]");
    QTest::newRow("lone surrogate") << QString(QChar(0xD800)) << QStringLiteral("[U+D800]");
    QTest::newRow("emoji kept") << QString::fromUtf8("\xF0\x9F\x98\x80 \xC3\xA9")
                                << QString::fromUtf8("\xF0\x9F\x98\x80 \xC3\xA9");
    QTest::newRow("whitespace kept") << QStringLiteral("a\tb\r\nc") << QStringLiteral("a\tb\r\nc");
}

void TestHtmlReport::escape()
{
    QFETCH(QString, in);
    QFETCH(QString, out);
    QCOMPARE(ReportEscape::html(in), out);
}

void TestHtmlReport::ordinaryReportIsWellFormedAndComplete()
{
    const QByteArray html = HtmlReport::render(ReportFixture::data());
    keepArtifact(QStringLiteral("report.html"), html);
    const Parsed p = parse(html);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));
    QCOMPARE(p.elements.first(), QStringLiteral("html"));
    QVERIFY(p.elements.contains(QStringLiteral("svg")));
    // Leaderboard, with Alpha's interval and Pareto mark.
    QVERIFY(p.text.contains(QStringLiteral("★ Alpha")));
    QVERIFY(p.text.contains(QStringLiteral("50.0%[0.0–100.0]")));
    QVERIFY(p.text.contains(QStringLiteral("+100.0 pp[100.0, 100.0]")));
    QVERIFY(p.text.contains(QStringLiteral("$1.50")));
    // The quadrant: one point per target with a quality and a known cost (alpha, beta), gamma noted.
    QCOMPARE(p.elements.count(QStringLiteral("circle")), 2);
    QVERIFY(p.text.contains(QStringLiteral("Not drawn (no quality or unknown cost): gamma")));
    // Per case: answers and a word diff of alpha's c1 answer against the reference.
    QVERIFY(p.text.contains(QStringLiteral("The answer of alpha to c1")));
    QVERIFY(p.elements.contains(QStringLiteral("del")));
    QVERIFY(p.elements.contains(QStringLiteral("ins")));
    QVERIFY(html.contains("<del>is 4</del><ins>of alpha to c1</ins>"));
    // Methodology: definitions, conditions, catalogue date, override, version.
    for (const QString &needle :
         {QStringLiteral("Methodology"), QStringLiteral("TTFT"), QStringLiteral("TTFAT"), QStringLiteral("ITL"),
          QStringLiteral("Decode tok/s"), QStringLiteral("cache writes"), QStringLiteral("2026-07-18"),
          QStringLiteral("beta: output_per_mtok = $0.50 (catalogue: $0.60)"), QStringLiteral("9.8.7"),
          QStringLiteral("all providers at once, interleaved"), QStringLiteral("2026-07-20T09:30:00Z"),
          QStringLiteral("16 overall; per provider sim: 4, openai: 8")})
        QVERIFY2(p.text.contains(needle), qPrintable(needle));
}

void TestHtmlReport::hostileTextStaysInert()
{
    const QByteArray html = HtmlReport::render(hostileData());
    keepArtifact(QStringLiteral("report-hostile.html"), html);
    const Parsed p = parse(html);
    QVERIFY2(p.error.isEmpty(), qPrintable(p.error));

    for (const QString &forbidden :
         {QStringLiteral("script"), QStringLiteral("img"), QStringLiteral("a"), QStringLiteral("iframe"),
          QStringLiteral("object"), QStringLiteral("embed"), QStringLiteral("link"), QStringLiteral("base"),
          QStringLiteral("form"), QStringLiteral("foreignobject"), QStringLiteral("image"), QStringLiteral("use")})
        QVERIFY2(!p.elements.contains(forbidden), qPrintable(forbidden));
    QCOMPARE(p.elements.count(QStringLiteral("style")), 1); // ours, in the head
    bool csp = false;
    for (const auto &[name, value] : p.attributes) {
        QVERIFY2(!name.startsWith(u"on"), qPrintable(name));
        const QString v = value.trimmed().toLower();
        if (name == u"href" || name == u"src" || name == u"xlink:href" || name == u"action")
            QVERIFY2(!v.startsWith(u"javascript:"), qPrintable(value));
        if (name != u"xmlns")
            QVERIFY2(!v.contains(u"://"), qPrintable(name + u'=' + value)); // nothing external
        if (name == u"content" && value == QLatin1StringView(HtmlReport::kContentSecurityPolicy))
            csp = true;
    }
    QVERIFY(csp);
    QVERIFY(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;; "
                          "style-src &#39;unsafe-inline&#39;; img-src data:\"/>"));

    // Every payload is still there, as text.
    for (const QString &payload : kPayloads) {
        const QString shown = ReportEscape::visibleControls(payload);
        QVERIFY2(p.text.contains(shown), qPrintable(shown));
    }
    // The raw bytes never carry a live tag from the payloads.
    QVERIFY(!html.contains("<script"));
    QVERIFY(!html.contains("<img"));
    QVERIFY(!html.contains("<a "));
}

void TestHtmlReport::bidiControlsAreShownNotApplied()
{
    const QString html = QString::fromUtf8(HtmlReport::render(hostileData()));
    for (char16_t c = 0x202A; c <= 0x202E; ++c)
        QVERIFY(!html.contains(QChar(c)));
    for (char16_t c = 0x2066; c <= 0x2069; ++c)
        QVERIFY(!html.contains(QChar(c)));
    QVERIFY(html.contains(QStringLiteral("evil[U+202E]txt.exe[U+2066]x")));
}

void TestHtmlReport::outputIsDeterministic()
{
    QCOMPARE(HtmlReport::render(ReportFixture::data()), HtmlReport::render(ReportFixture::data()));
}

QTEST_GUILESS_MAIN(TestHtmlReport)
#include "tst_htmlreport.moc"
