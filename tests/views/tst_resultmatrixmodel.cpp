#include "views/ResultMatrixModel.h"
#include "ViewsFixture.h"

#include <QAbstractItemModelTester>
#include <QColor>
#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;
using ViewsFixture::cell;

namespace {

QString display(const ResultMatrixModel &m, int row, int column)
{
    return m.index(row, column).data().toString();
}

QStringList rowIds(const ResultMatrixModel &m)
{
    QStringList ids;
    for (int r = 0; r < m.rowCount(); ++r)
        ids << m.headerData(r, Qt::Vertical).toString();
    return ids;
}

} // namespace

class TestResultMatrixModel final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void rowsFollowTheSuiteOrder();
    void incrementalUpdatesTouchOnlyTheirCell();
    void unknownTargetAddsAColumn();
    void displayIsThePlainFirstLine();
    void failedJobShowsItsError();
    void toolCallsShowWhenThereIsNoText();
    void repeatsShowMeanAndPassCount();
    void tooltipEscapesModelText();
    void backgroundFollowsScore();
    void customRolesCarryTheCell();

private:
    std::unique_ptr<ResultMatrixModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestResultMatrixModel::init()
{
    m_tester.reset();
    m_model = std::make_unique<ResultMatrixModel>();
    m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model->setSuite(ViewsFixture::suite());
    m_model->setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b"))});
}

void TestResultMatrixModel::rowsFollowTheSuiteOrder()
{
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->columnCount(), 2);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("gamma"), 1, true));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true, {}, 0, QStringLiteral("para")));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("not-in-suite"), 1, true));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("beta"), 1, true));
    QCOMPARE(rowIds(*m_model),
             (QStringList{QStringLiteral("alpha"), QStringLiteral("alpha ↳ para"), QStringLiteral("beta"),
                          QStringLiteral("gamma"), QStringLiteral("not-in-suite")}));
    // Each row was inserted where it belongs, one at a time.
    QCOMPARE(inserted.size(), 5);
    QCOMPARE(inserted.at(1).at(1).toInt(), 0); // alpha/para before gamma
    QCOMPARE(inserted.at(2).at(1).toInt(), 0); // alpha before alpha/para
    QCOMPARE(inserted.at(4).at(1).toInt(), 2); // beta between alpha/para and gamma
    QCOMPARE(m_model->rowOf(QStringLiteral("alpha"), QStringLiteral("para")), 1);
    QCOMPARE(m_model->referenceAt(0), QStringLiteral("Reference answer 0"));
    QCOMPARE(m_model->tags(), (QStringList{QStringLiteral("geo"), QStringLiteral("math")}));
}

void TestResultMatrixModel::incrementalUpdatesTouchOnlyTheirCell()
{
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("beta"), 1, true));
    QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    QSignalSpy columns(m_model.get(), &QAbstractItemModel::columnsInserted);
    QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
    m_model->addCell(cell(QStringLiteral("b"), QStringLiteral("beta"), 0, false, QStringLiteral("Lyon")));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(changed.first().at(0).toModelIndex(), m_model->index(1, 1));
    QCOMPARE(changed.first().at(1).toModelIndex(), m_model->index(1, 1));
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(columns.size(), 0);
    QCOMPARE(reset.size(), 0);
    QCOMPARE(display(*m_model, 1, 1), QStringLiteral("✗ Lyon"));
    QVERIFY(!m_model->index(0, 1).data().isValid()); // alpha on b: not answered
    QVERIFY(m_model->index(1, 0).data(ResultMatrixModel::RowFailedRole).toBool());
    QVERIFY(!m_model->index(0, 0).data(ResultMatrixModel::RowFailedRole).toBool());
}

void TestResultMatrixModel::unknownTargetAddsAColumn()
{
    QSignalSpy columns(m_model.get(), &QAbstractItemModel::columnsInserted);
    m_model->addCell(cell(QStringLiteral("late"), QStringLiteral("alpha"), 1, true));
    QCOMPARE(columns.size(), 1);
    QCOMPARE(m_model->columnCount(), 3);
    QCOMPARE(m_model->headerData(2, Qt::Horizontal).toString(), QStringLiteral("late"));
    QCOMPARE(m_model->headerData(0, Qt::Horizontal).toString(), QStringLiteral("A"));
    QCOMPARE(m_model->targetIdAt(2), QStringLiteral("late"));
}

void TestResultMatrixModel::toolCallsShowWhenThereIsNoText()
{
    CellResult c = cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true, QString());
    c.job.result.toolCalls = {
        {QStringLiteral("call_1"), QStringLiteral("get_weather"), QStringLiteral("{\"city\":\"Oslo\"}")},
        {QStringLiteral("call_2"), QStringLiteral("get_time"), QStringLiteral("{}")}};
    m_model->addCell(c);
    QCOMPARE(display(*m_model, 0, 0), QStringLiteral("✓ → get_weather({\"city\":\"Oslo\"}), get_time({})"));
    // Text, when there is some, stays what the cell shows.
    c.job.result.text = QStringLiteral("Checking the weather.");
    c.job.targetId = QStringLiteral("b");
    c.job.jobId = QStringLiteral("b/alpha//0");
    m_model->addCell(c);
    QCOMPARE(display(*m_model, 0, 1), QStringLiteral("✓ Checking the weather."));
}

void TestResultMatrixModel::displayIsThePlainFirstLine()
{
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true,
                          QStringLiteral("\n  \nParis is the capital.\nMore detail follows.")));
    QCOMPARE(display(*m_model, 0, 0), QStringLiteral("✓ Paris is the capital."));
    // Bidi overrides and control characters are dropped; a long line is elided.
    const QString tricky = QStringLiteral("abc\u202Edcba") + QChar(0x07) + QStringLiteral(" ") + QString(200, u'x');
    m_model->addCell(cell(QStringLiteral("b"), QStringLiteral("alpha"), 1, true, tricky));
    const QString shown = display(*m_model, 0, 1);
    QVERIFY(shown.startsWith(QStringLiteral("✓ abcdcba x")));
    QVERIFY(!shown.contains(QChar(0x202E)));
    QVERIFY(!shown.contains(QChar(0x07)));
    QVERIFY(shown.endsWith(QChar(0x2026)));
    QCOMPARE(shown.size(), 2 + 80);
    // The full answer stays available, untouched.
    QCOMPARE(m_model->index(0, 1).data(ResultMatrixModel::AnswerRole).toString(), tricky);
}

void TestResultMatrixModel::failedJobShowsItsError()
{
    m_model->addCell(
        ViewsFixture::failedCell(QStringLiteral("a"), QStringLiteral("alpha"), QStringLiteral("HTTP 503: overloaded")));
    QCOMPARE(display(*m_model, 0, 0), QStringLiteral("✗ HTTP 503: overloaded"));
    QVERIFY(m_model->index(0, 0).data(Qt::ToolTipRole).toString().contains(QStringLiteral("failed")));
    QCOMPARE(m_model->index(0, 0).data(ResultMatrixModel::PassedRole).toInt(), 0);
}

void TestResultMatrixModel::repeatsShowMeanAndPassCount()
{
    QLocale::setDefault(QLocale::c());
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1.0, true, QStringLiteral("one"), 0));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 0.0, false, QStringLiteral("three"), 2));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1.0, true, QStringLiteral("two"), 1));
    QCOMPARE(m_model->rowCount(), 1);
    const QModelIndex i = m_model->index(0, 0);
    QCOMPARE(i.data(ResultMatrixModel::RunsRole).toInt(), 3);
    QCOMPARE(i.data(ResultMatrixModel::PassedRole).toInt(), 2);
    QCOMPARE(i.data(ResultMatrixModel::ScoreRole).toDouble(), 2.0 / 3.0);
    QCOMPARE(i.data().toString(), QStringLiteral("◐ 2/3 · 0.67 · three")); // the last repeat's answer
    // A repeat answered again replaces the old one.
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1.0, true, QStringLiteral("three again"), 2));
    QCOMPARE(i.data().toString(), QStringLiteral("✓ 3/3 · 1.00 · three again"));
    const auto runs = i.data(ResultMatrixModel::CellsRole).value<QList<CellResult>>();
    QCOMPARE(runs.size(), 3);
    QCOMPARE(runs.at(1).job.result.text, QStringLiteral("two"));
}

void TestResultMatrixModel::tooltipEscapesModelText()
{
    CellResult c = cell(QStringLiteral("a"), QStringLiteral("alpha"), 0, false, QStringLiteral("<img src=x>"));
    c.grade.grades.first().reason = QStringLiteral("expected <b>Paris</b> & got <img src=\"file:///etc/passwd\">");
    m_model->addCell(c);
    const QString tip = m_model->index(0, 0).data(Qt::ToolTipRole).toString();
    QVERIFY(tip.contains(QStringLiteral("&lt;b&gt;Paris&lt;/b&gt; &amp; got &lt;img")));
    QVERIFY(!tip.contains(QStringLiteral("<img")));
    QVERIFY(!tip.contains(QStringLiteral("<b>Paris")));
    QVERIFY(tip.contains(QStringLiteral("contains")));
    QVERIFY(tip.contains(QStringLiteral("0/1 passed")));
}

void TestResultMatrixModel::backgroundFollowsScore()
{
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 0.0, false));
    m_model->addCell(cell(QStringLiteral("b"), QStringLiteral("alpha"), 1.0, true));
    m_model->addCell(cell(QStringLiteral("a"), QStringLiteral("beta"), 0.5, false));
    const QColor bad = m_model->index(0, 0).data(Qt::BackgroundRole).value<QColor>();
    const QColor good = m_model->index(0, 1).data(Qt::BackgroundRole).value<QColor>();
    const QColor middle = m_model->index(1, 0).data(Qt::BackgroundRole).value<QColor>();
    QVERIFY(bad.red() > bad.green());
    QVERIFY(good.green() > good.red());
    QVERIFY(middle.red() > 200 && middle.green() > 200); // amber
    QVERIFY(!m_model->index(1, 1).data(Qt::BackgroundRole).isValid());
    QCOMPARE(m_model->index(0, 0).data(Qt::ForegroundRole).value<QColor>(), QColor(Qt::black));
}

void TestResultMatrixModel::customRolesCarryTheCell()
{
    CellResult c = cell(QStringLiteral("b"), QStringLiteral("beta"), 0.25, false, QStringLiteral("full\nanswer"));
    c.metrics.ttftNs = 123'000'000;
    m_model->addCell(c);
    const QModelIndex i = m_model->index(0, 1);
    const auto back = i.data(ResultMatrixModel::CellRole).value<CellResult>();
    QCOMPARE(back.job.result.text, QStringLiteral("full\nanswer"));
    QCOMPARE(back.metrics.ttftNs, std::optional<qint64>(123'000'000));
    QCOMPARE(i.data(ResultMatrixModel::CaseIdRole).toString(), QStringLiteral("beta"));
    QCOMPARE(i.data(ResultMatrixModel::TargetIdRole).toString(), QStringLiteral("b"));
    QCOMPARE(i.data(ResultMatrixModel::RowTagsRole).toStringList(), QStringList{QStringLiteral("math")});
    m_model->clearResults();
    QCOMPARE(m_model->rowCount(), 0);
    QCOMPARE(m_model->columnCount(), 2);
}

QTEST_GUILESS_MAIN(TestResultMatrixModel)
#include "tst_resultmatrixmodel.moc"
