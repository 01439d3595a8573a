#include "report/PdfReport.h"
#include "report/ReportChart.h"
#include "report/ReportExport.h"
#include "ReportFixture.h"

#include <QDir>
#include <QFile>
#include <QImage>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QXmlStreamReader>

using namespace Slopscope;

namespace {

// Share of pixels that are not (near) white.
double inkShare(const QImage &image)
{
    const QImage img = image.convertToFormat(QImage::Format_RGB32);
    qint64 ink = 0;
    for (int y = 0; y < img.height(); ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(img.constScanLine(y));
        for (int x = 0; x < img.width(); ++x) {
            if (qRed(line[x]) < 230 || qGreen(line[x]) < 230 || qBlue(line[x]) < 230)
                ++ink;
        }
    }
    return static_cast<double>(ink) / (static_cast<double>(img.width()) * img.height());
}

// CI installs pdftoppm (bootstrap.sh test), so there a page that did not render is a failure.
#define SKIP_OR_FAIL_WITHOUT_PDFTOPPM()                                                                                \
    do {                                                                                                               \
        if (qEnvironmentVariableIsSet("SLOPSCOPE_CI"))                                                                 \
            QFAIL("pdftoppm did not render the PDF (Debian package poppler-utils)");                                   \
        QSKIP("pdftoppm is not installed; the PDF was not rendered");                                                  \
    } while (false)

// Renders one page of a PDF with poppler's pdftoppm; a null image when the tool is missing.
QImage renderPage(const QString &pdf, int page, const QString &outBase)
{
    const QString tool = QStandardPaths::findExecutable(QStringLiteral("pdftoppm"));
    if (tool.isEmpty())
        return {};
    QProcess p;
    p.start(tool, {QStringLiteral("-f"), QString::number(page), QStringLiteral("-l"), QString::number(page),
                   QStringLiteral("-r"), QStringLiteral("60"), QStringLiteral("-png"), QStringLiteral("-singlefile"),
                   pdf, outBase});
    if (!p.waitForFinished(60'000) || p.exitCode() != 0)
        return QImage(1, 1, QImage::Format_Mono); // rendered nothing: fails the ink check
    return QImage(outBase + QStringLiteral(".png"));
}

void keepArtifact(const QString &file, const QString &name)
{
    const QString dir = qEnvironmentVariable("SLOPSCOPE_TEST_ARTIFACTS");
    if (dir.isEmpty())
        return;
    QDir().mkpath(dir);
    QFile::remove(QDir(dir).filePath(name));
    QFile::copy(file, QDir(dir).filePath(name));
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestReportGraphics final : public QObject
{
    Q_OBJECT

private slots:
    void layoutPlacesTargetsOnALogCostAxis();
    void svgIsWellFormedAndDeterministic();
    void pngIsTwiceTheSizeAndDrawsThePoints();
    void chartPdfIsAVectorPage();
    void pdfReportRendersPages();

private:
    QTemporaryDir m_dir;
};

void TestReportGraphics::layoutPlacesTargetsOnALogCostAxis()
{
    const ReportChart::Layout l = ReportChart::layout(ReportFixture::data());
    QCOMPARE(l.points.size(), 2); // gamma has neither quality nor cost
    const ReportChart::Point &alpha = l.points.at(0);
    const ReportChart::Point &beta = l.points.at(1);
    QCOMPARE(alpha.targetId, QStringLiteral("alpha"));
    QVERIFY(alpha.at.x() < beta.at.x()); // $1.50 < $20
    QVERIFY(alpha.at.y() > beta.at.y()); // 50% below 87.5%
    QVERIFY(alpha.pareto && beta.pareto);
    QCOMPARE(l.frontier.size(), 2);
    QCOMPARE(alpha.color, QColor(QStringLiteral("#112233"))); // the workspace's colour
    // Decades from $1 to $100 around $1.50 and $20; equal steps on the log axis.
    QCOMPARE(l.xTicks.size(), 3);
    QCOMPARE(l.xTicks.at(0).text, QStringLiteral("$1"));
    QCOMPARE(l.xTicks.at(2).text, QStringLiteral("$100"));
    const double decade = l.xTicks.at(1).position - l.xTicks.at(0).position;
    QVERIFY(qAbs(l.xTicks.at(2).position - l.xTicks.at(1).position - decade) < 1e-9);
    QVERIFY(qAbs(alpha.at.x() - (l.xTicks.at(0).position + decade * std::log10(1.5))) < 1e-9);
    QVERIFY(qAbs(beta.at.x() - (l.xTicks.at(0).position + decade * std::log10(20.0))) < 1e-9);
    // Quality: 0% at the bottom of the plot, 100% at the top.
    QVERIFY(qAbs(alpha.at.y() - (l.plot.bottom() - 0.5 * l.plot.height())) < 1e-9);
    QVERIFY(l.note.contains(QStringLiteral("gamma")));
    QVERIFY(l.medianX.has_value());
}

void TestReportGraphics::svgIsWellFormedAndDeterministic()
{
    const ReportData data = ReportFixture::data();
    const QString svg = ReportChart::svg(ReportChart::layout(data), true);
    QCOMPARE(svg, ReportChart::svg(ReportChart::layout(data), true));
    QXmlStreamReader xml(svg);
    int circles = 0;
    QStringList texts;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == u"circle")
            ++circles;
        if (xml.isStartElement() && xml.name() == u"text")
            texts.append(xml.readElementText(QXmlStreamReader::IncludeChildElements));
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QCOMPARE(circles, 2);
    QVERIFY(texts.contains(QStringLiteral("Alpha")));
    QVERIFY(texts.contains(QStringLiteral("Beta")));
    QVERIFY(texts.contains(QStringLiteral("$10")));

    const QString path = m_dir.filePath(QStringLiteral("chart.svg"));
    QVERIFY(ReportExport::writeChart(path, data).ok());
    QCOMPARE(QString::fromUtf8(readAll(path)), svg);
    keepArtifact(path, QStringLiteral("report-chart.svg"));
}

void TestReportGraphics::pngIsTwiceTheSizeAndDrawsThePoints()
{
    const ReportData data = ReportFixture::data();
    const QString path = m_dir.filePath(QStringLiteral("chart.png"));
    const Status s = ReportExport::writeChart(path, data);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    keepArtifact(path, QStringLiteral("report-chart.png"));
    QImage image(path);
    QVERIFY(!image.isNull());
    const ReportChart::Layout l = ReportChart::layout(data);
    QCOMPARE(image.size(), (l.size * 2).toSize());
    QCOMPARE(image.dotsPerMeterX(), 7559); // 192 dpi
    QVERIFY(inkShare(image) > 0.02);
    // Alpha's point, in its workspace colour, at twice its layout position.
    const QPoint alpha = (l.points.at(0).at * 2).toPoint();
    QCOMPARE(image.pixelColor(alpha).name(), QStringLiteral("#112233"));
}

void TestReportGraphics::chartPdfIsAVectorPage()
{
    const QString path = m_dir.filePath(QStringLiteral("chart.pdf"));
    const Status s = ReportExport::writeChart(path, ReportFixture::data());
    QVERIFY2(s.ok(), qPrintable(s.error()));
    const QByteArray pdf = readAll(path);
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.size() > 2000);
    keepArtifact(path, QStringLiteral("report-chart.pdf"));
    const QImage page = renderPage(path, 1, m_dir.filePath(QStringLiteral("chart-page")));
    if (page.isNull())
        SKIP_OR_FAIL_WITHOUT_PDFTOPPM();
    QVERIFY(inkShare(page) > 0.02);
    // One page of the chart's aspect ratio (800 × 520 points).
    QVERIFY(qAbs(double(page.width()) / page.height() - 800.0 / 520.0) < 0.02);
}

void TestReportGraphics::pdfReportRendersPages()
{
    const ReportData data = ReportFixture::data();
    const QString path = m_dir.filePath(QStringLiteral("report.pdf"));
    const Status s = ReportExport::writeReport(path, data);
    QVERIFY2(s.ok(), qPrintable(s.error()));
    const QByteArray pdf = readAll(path);
    QVERIFY(pdf.startsWith("%PDF-"));
    QVERIFY(pdf.size() > 5000);
    QVERIFY(pdf.count("/Type /Page\n") + pdf.count("/Type /Page\r") + pdf.count("/Type /Page ") +
                pdf.count("/Type/Page") >=
            3); // leaderboard, chart, cases
    keepArtifact(path, QStringLiteral("report.pdf"));
    const QImage first = renderPage(path, 1, m_dir.filePath(QStringLiteral("report-page1")));
    if (first.isNull())
        SKIP_OR_FAIL_WITHOUT_PDFTOPPM();
    keepArtifact(m_dir.filePath(QStringLiteral("report-page1.png")), QStringLiteral("report-page1.png"));
    QVERIFY(inkShare(first) > 0.005);
    const QImage chart = renderPage(path, 2, m_dir.filePath(QStringLiteral("report-page2")));
    keepArtifact(m_dir.filePath(QStringLiteral("report-page2.png")), QStringLiteral("report-page2.png"));
    QVERIFY(inkShare(chart) > 0.01);
    const QImage cases = renderPage(path, 3, m_dir.filePath(QStringLiteral("report-page3")));
    keepArtifact(m_dir.filePath(QStringLiteral("report-page3.png")), QStringLiteral("report-page3.png"));
    QVERIFY(inkShare(cases) > 0.005);
}

QTEST_MAIN(TestReportGraphics)
#include "tst_reportgraphics.moc"
