// S-9: hostile model output shown in every view loads nothing. The views render model text as
// plain text, so no view's document has an image or a link in it; a rich-text tooltip is escaped,
// so a document asked to lay it out never asks for a resource (a file read or a remote load);
// and a loopback server named in every URL sees no connection while everything is painted.

#include "CellDetailPanel.h"
#include "DiffView.h"
#include "NWayDiffView.h"
#include "ResultMatrixView.h"
#include "StreamPane.h"
#include "WidgetsFixture.h"
#include "stream/StreamTypes.h"
#include "views/ResultMatrixModel.h"

#include <QAbstractTextDocumentLayout>
#include <QImage>
#include <QLabel>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>
#include <QTextBlock>
#include <QTextDocument>
#include <QUrl>

using namespace Slopscope;

namespace {

// Records every resource a layout asks for, instead of loading it.
class CountingDocument final : public QTextDocument
{
public:
    QList<QUrl> asked;

protected:
    QVariant loadResource(int type, const QUrl &name) override
    {
        Q_UNUSED(type);
        asked.append(name);
        return {};
    }
};

QList<QUrl> resourcesAskedFor(const QString &html)
{
    CountingDocument doc;
    doc.setHtml(html);
    doc.setTextWidth(400);
    QImage canvas(400, 400, QImage::Format_ARGB32);
    QPainter painter(&canvas);
    doc.drawContents(&painter);
    return doc.asked;
}

QString hostile(quint16 port)
{
    const QString remote = QStringLiteral("http://127.0.0.1:%1").arg(port);
    return QStringLiteral("<img src=\"%1/img.png\"> <img src=\"file:///etc/passwd\">\n"
                          "<div style=\"background-image:url('%1/css.png')\">css</div>\n"
                          "<link rel=\"stylesheet\" href=\"%1/s.css\"><iframe src=\"%1/frame\"></iframe>\n"
                          "![secret](%1/?q=secret) [click](javascript:alert(1)) <a href=\"file:///etc/passwd\">x</a>\n"
                          "<script>alert(1)</script>")
        .arg(remote);
}

// Images and links are what could load or lead somewhere; plain text has neither.
int imagesAndLinks(const QTextDocument *doc)
{
    int n = 0;
    for (QTextBlock b = doc->begin(); b.isValid(); b = b.next()) {
        for (auto it = b.begin(); !it.atEnd(); ++it) {
            const QTextCharFormat f = it.fragment().charFormat();
            n += f.isImageFormat() || f.isAnchor() || !f.anchorHref().isEmpty() ? 1 : 0;
        }
    }
    return n;
}

} // namespace

class TestInertRendering final : public QObject
{
    Q_OBJECT

private slots:
    void theDetectorsWork();
    void hostileOutputLoadsNothingInAnyView();
};

void TestInertRendering::theDetectorsWork()
{
    // The checks below can fail: the same text as HTML asks for its images, file: and http: alike.
    const QList<QUrl> asked = resourcesAskedFor(hostile(1));
    QVERIFY(asked.contains(QUrl(QStringLiteral("file:///etc/passwd"))));
    QVERIFY(asked.contains(QUrl(QStringLiteral("http://127.0.0.1:1/img.png"))));
    QTextDocument rich;
    rich.setHtml(hostile(1));
    QVERIFY(imagesAndLinks(&rich) > 0);
}

void TestInertRendering::hostileOutputLoadsNothingInAnyView()
{
    QTcpServer server;
    QVERIFY(server.listen(QHostAddress::LocalHost));
    QSignalSpy connections(&server, &QTcpServer::newConnection);
    const QString text = hostile(server.serverPort());

    StreamPane pane(QStringLiteral("t0"), QStringLiteral("T0"), QStringLiteral("#0072B2"));
    pane.appendAnswer(text);
    pane.appendReasoning(text);
    pane.appendDeltas({{ContentKind::Answer, text}, {ContentKind::Refusal, text}});
    pane.setState(StreamPane::State::Failed, text);

    CellResult c = ViewsFixture::cell(QStringLiteral("t0"), QStringLiteral("alpha"), 0, false, text);
    c.grade.grades.first().reason = text;
    c.job.result.refusal = text;
    c.job.result.toolCalls = {{QStringLiteral("call_1"), text, text}};
    CellDetailPanel detail;
    detail.showCell(QStringLiteral("T0"), QStringLiteral("alpha"), {c});

    ResultMatrixModel model;
    model.setSuite(ViewsFixture::suite());
    model.setTargets({ViewsFixture::target(QStringLiteral("t0")), ViewsFixture::target(QStringLiteral("t1"))});
    model.addCell(c);
    CellResult failed = ViewsFixture::failedCell(QStringLiteral("t1"), QStringLiteral("alpha"), text);
    failed.job.result.text = text;
    model.addCell(failed);
    ResultMatrixView matrix(&model);
    DiffView diff(&model);
    diff.setTexts(QStringLiteral("L"), text, QStringLiteral("R"), text + QStringLiteral(" more"));
    NWayDiffView nway(&model);
    matrix.selectCell(0, 0); // its detail panel shows the hostile cell too

    const QList<QWidget *> views{&pane, &detail, &matrix, &diff, &nway};
    for (QWidget *view : views) {
        view->resize(900, 600);
        view->show();
        QVERIFY(QTest::qWaitForWindowExposed(view));
        QVERIFY(!view->grab().isNull());
        for (const QPlainTextEdit *edit : view->findChildren<QPlainTextEdit *>())
            QCOMPARE(imagesAndLinks(edit->document()), 0);
        // A label showing model text shows it as text.
        for (const QLabel *label : view->findChildren<QLabel *>()) {
            if (label->text().contains(QStringLiteral("<img")))
                QVERIFY2(label->textFormat() == Qt::PlainText, qPrintable(label->objectName()));
        }
    }
    // The model text did reach the views (the checks above looked at something).
    QVERIFY(pane.answerText().contains(QStringLiteral("file:///etc/passwd")));
    QVERIFY(detail.answerText().contains(QStringLiteral("<img")));

    // Every tooltip and text a results model gives a rich-text view asks for no resource.
    int tooltips = 0;
    for (int row = 0; row < model.rowCount(); ++row) {
        for (int column = 0; column < model.columnCount(); ++column) {
            const QString tip = model.index(row, column).data(Qt::ToolTipRole).toString();
            if (tip.isEmpty())
                continue;
            ++tooltips;
            QCOMPARE(resourcesAskedFor(tip), QList<QUrl>());
        }
    }
    QVERIFY(tooltips > 0);

    QTest::qWait(200); // time for a load, had one started
    QCOMPARE(connections.count(), 0);
}

QTEST_MAIN(TestInertRendering)
#include "tst_inertrendering.moc"
