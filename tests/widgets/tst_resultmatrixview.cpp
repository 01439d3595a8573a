#include "CellDetailPanel.h"
#include "ChunkSparkline.h"
#include "ResultMatrixView.h"
#include "views/MatrixFilterProxy.h"
#include "views/ResultMatrixModel.h"
#include "WidgetsFixture.h"

#include <QCheckBox>
#include <QComboBox>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

using namespace Slopscope;
using ViewsFixture::cell;

namespace {

void clickCell(QTableView *table, int row, int column)
{
    const QModelIndex index = table->model()->index(row, column);
    QVERIFY(index.isValid());
    table->scrollTo(index);
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
}

QStringList shownRows(const QTableView *table)
{
    QStringList ids;
    for (int r = 0; r < table->model()->rowCount(); ++r)
        ids << table->model()->headerData(r, Qt::Vertical).toString();
    return ids;
}

bool inkTopRight(ChunkSparkline *spark)
{
    const QImage image = spark->grab().toImage();
    const QRgb base = spark->palette().color(QPalette::Base).rgb();
    // The corner block where the cumulative line ends (the plot area is inset by 2 px and 4 px).
    const int dpr = int(image.devicePixelRatio());
    for (int x = image.width() - 6 * dpr; x < image.width(); ++x) {
        for (int y = 0; y < 8 * dpr; ++y) {
            if (image.pixel(x, y) != base)
                return true;
        }
    }
    return false;
}

} // namespace

class TestResultMatrixView final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void clickingACellShowsItsAnswer();
    void answerIsPlainText();
    void toolCallsShowInTheAnswer();
    void failedOnlyHidesPassingRows();
    void tagAndWordingFilters();
    void sparklineFollowsTheTimeline();
    void detailSourceFillsALightCell();

private:
    std::unique_ptr<ResultMatrixModel> m_model;
    std::unique_ptr<ResultMatrixView> m_view;
};

void TestResultMatrixView::init()
{
    m_model = std::make_unique<ResultMatrixModel>();
    m_model->setSuite(ViewsFixture::suite());
    m_model->setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b"))});
    m_view = std::make_unique<ResultMatrixView>(m_model.get());
    m_view->resize(1200, 600);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
    CellResult first = cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true,
                            QStringLiteral("Paris.\nIt has been the capital since 508."));
    first.job.timeline = WidgetsFixture::timeline({120, 150, 400});
    first.metrics.ttftNs = 120'000'000;
    first.metrics.contentChunks = 3;
    first.cost.usd = 0.000125;
    m_model->addCell(first);
    m_model->addCell(cell(QStringLiteral("b"), QStringLiteral("alpha"), 1, true, QStringLiteral("Paris")));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("beta"), 1, true, QStringLiteral("42")));
    m_model->addCell(cell(QStringLiteral("b"), QStringLiteral("beta"), 0, false, QStringLiteral("41")));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("gamma"), 1, true, QStringLiteral("Blue")));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 0, false, QStringLiteral("Lyon"), 0,
                          QStringLiteral("para")));
}

void TestResultMatrixView::toolCallsShowInTheAnswer()
{
    CellResult c = cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true, QString());
    c.job.result.toolCalls = {{QStringLiteral("call_1"), QStringLiteral("get_weather"),
                               QStringLiteral("{\"city\":\"<b>Oslo</b>\"}")}};
    CellDetailPanel *detail = m_view->detail();
    detail->showCell(QStringLiteral("A"), QStringLiteral("alpha"), {c});
    // Plain text: the markup in the arguments is shown, not rendered.
    QCOMPARE(detail->answerText(), QStringLiteral("[tool call] get_weather({\"city\":\"<b>Oslo</b>\"})"));
    c.job.result.text = QStringLiteral("Let me check.");
    detail->showCell(QStringLiteral("A"), QStringLiteral("alpha"), {c});
    QCOMPARE(detail->answerText(),
             QStringLiteral("Let me check.\n[tool call] get_weather({\"city\":\"<b>Oslo</b>\"})"));
}

void TestResultMatrixView::cleanup()
{
    m_view.reset();
    m_model.reset();
}

void TestResultMatrixView::clickingACellShowsItsAnswer()
{
    QSignalSpy selected(m_view.get(), &ResultMatrixView::cellSelected);
    CellDetailPanel *detail = m_view->detail();
    QVERIFY(detail->answerText().isEmpty());
    clickCell(m_view->table(), 0, 0);
    QCOMPARE(detail->answerText(), QStringLiteral("Paris.\nIt has been the capital since 508."));
    QVERIFY(detail->titleText().contains(QStringLiteral("A")));
    QVERIFY(detail->titleText().contains(QStringLiteral("alpha")));
    QVERIFY(detail->gradesText().contains(QStringLiteral("contains: pass")));
    QVERIFY(detail->gradesText().contains(QStringLiteral("found it")));
    QVERIFY(detail->metricsText().contains(QStringLiteral("TTFT 120 ms")));
    QVERIFY(detail->metricsText().contains(QStringLiteral("3 chunk")));
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().at(0).toInt(), 0);
    QCOMPARE(selected.first().at(1).toInt(), 0);

    // Another cell: its answer and its failing grade.
    clickCell(m_view->table(), 2, 1);
    QCOMPARE(detail->answerText(), QStringLiteral("41"));
    QVERIFY(detail->gradesText().startsWith(QStringLiteral("FAIL")));
    QVERIFY(detail->gradesText().contains(QStringLiteral("missing \"Paris\"")));

    // The shown cell updates when a newer result for it arrives.
    m_model->addCell(cell(QStringLiteral("b"), QStringLiteral("beta"), 1, true, QStringLiteral("42, after all")));
    QCOMPARE(detail->answerText(), QStringLiteral("42, after all"));

    // An empty cell says so.
    clickCell(m_view->table(), 3, 1);
    QVERIFY(detail->answerText().isEmpty());
    QVERIFY(detail->titleText().contains(QStringLiteral("no answer yet")));
}

void TestResultMatrixView::answerIsPlainText()
{
    const QString hostile = QStringLiteral("<img src=\"file:///etc/passwd\"><b>bold</b> &amp;");
    m_model->addCell(cell(QStringLiteral("b"), QStringLiteral("gamma"), 1, true, hostile));
    QVERIFY(m_view->selectCell(m_model->rowOf(QStringLiteral("gamma")), 1));
    QCOMPARE(m_view->detail()->answerText(), hostile);
}

void TestResultMatrixView::failedOnlyHidesPassingRows()
{
    QCOMPARE(shownRows(m_view->table()).size(), 4);
    QCheckBox *box = m_view->failedOnlyBox();
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    QVERIFY(box->isChecked());
    QCOMPARE(shownRows(m_view->table()), (QStringList{QStringLiteral("alpha ↳ para"), QStringLiteral("beta")}));
    // The filter stays live while results arrive.
    m_model->addCell(cell(QStringLiteral("b"), QStringLiteral("gamma"), 0.3, false, QStringLiteral("Green")));
    QCOMPARE(shownRows(m_view->table()).size(), 3);
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(8, box->height() / 2));
    QCOMPARE(shownRows(m_view->table()).size(), 4);
}

void TestResultMatrixView::tagAndWordingFilters()
{
    QComboBox *tags = m_view->tagBox();
    QCOMPARE(tags->count(), 3); // all, geo, math
    tags->setFocus();
    tags->setCurrentIndex(tags->findText(QStringLiteral("math")));
    QCOMPARE(shownRows(m_view->table()), QStringList{QStringLiteral("beta")});
    tags->setCurrentIndex(0);
    QComboBox *wording = m_view->wordingBox();
    wording->setCurrentIndex(wording->findData(QVariant::fromValue(MatrixFilterProxy::Wording::VariantsOnly)));
    QCOMPARE(shownRows(m_view->table()), QStringList{QStringLiteral("alpha ↳ para")});
}

void TestResultMatrixView::sparklineFollowsTheTimeline()
{
    clickCell(m_view->table(), 0, 0);
    ChunkSparkline *spark = m_view->detail()->sparkline();
    QCOMPARE(spark->arrivalCount(), 3);
    QCOMPARE(spark->spanNs(), qint64(400'000'000));
    QCOMPARE(spark->points().at(0), QPointF(0.3, 1.0 / 3.0));
    QCOMPARE(spark->points().at(2), QPointF(1.0, 1.0));
    // Drawn: the cumulative line ends at the top right (all text received by the last chunk).
    QVERIFY(inkTopRight(spark));
    // A cell without timings draws an empty sparkline.
    clickCell(m_view->table(), 0, 1);
    QCOMPARE(spark->arrivalCount(), 0);
    QVERIFY(!inkTopRight(spark));
}

// A run of the history is loaded light (no timelines): the panel asks the detail source for the
// shown answer in full, and says so when it cannot be read.
void TestResultMatrixView::detailSourceFillsALightCell()
{
    clickCell(m_view->table(), 0, 0);
    const CellResult full = m_model->cellsAt(0, 0).constLast();
    QVERIFY(!full.job.timeline.attempts.isEmpty());
    CellResult light = full;
    light.job.timeline.attempts.clear();
    m_model->addCell(light); // a newer result for the cell: the matrix now holds the light one
    ChunkSparkline *spark = m_view->detail()->sparkline();
    QCOMPARE(spark->arrivalCount(), 0);

    QStringList asked;
    m_view->setDetailSource([&asked, full](const CellResult &cell) -> Result<CellResult> {
        asked.append(cell.job.jobId);
        if (cell.job.jobId != full.job.jobId)
            return Error{QStringLiteral("damaged: ") + cell.job.jobId};
        return full;
    });
    QSignalSpy unreadable(m_view.get(), &ResultMatrixView::detailUnreadable);
    clickCell(m_view->table(), 1, 0);
    clickCell(m_view->table(), 0, 0);
    QCOMPARE(asked.constLast(), full.job.jobId);
    QCOMPARE(spark->arrivalCount(), 3); // the timeline came from the source
    QCOMPARE(m_view->detail()->answerText(), full.job.result.text);
    QCOMPARE(unreadable.size(), 1); // row 1's cell: the source failed, the light cell is shown
    QVERIFY(unreadable.first().at(0).toString().startsWith(QStringLiteral("damaged: ")));

    m_view->setDetailSource({});
    clickCell(m_view->table(), 1, 0);
    clickCell(m_view->table(), 0, 0);
    QCOMPARE(spark->arrivalCount(), 0); // the model's own (light) cell again
}

QTEST_MAIN(TestResultMatrixView)
#include "tst_resultmatrixview.moc"
