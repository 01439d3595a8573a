#include "views/MatrixFilterProxy.h"
#include "views/ResultMatrixModel.h"
#include "ViewsFixture.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Slopscope;
using ViewsFixture::cell;

namespace {

QStringList visibleRows(const QAbstractItemModel &proxy)
{
    QStringList ids;
    for (int r = 0; r < proxy.rowCount(); ++r)
        ids << proxy.headerData(r, Qt::Vertical).toString();
    return ids;
}

} // namespace

class TestMatrixFilterProxy final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void failedOnlyHidesPassingRowsLive();
    void filtersByTag();
    void filtersCanonicalOrVariants();
    void filtersCombine();
    void sortsAColumnByScoreUnknownLast();

private:
    ResultMatrixModel m_model;
    std::unique_ptr<MatrixFilterProxy> m_proxy;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestMatrixFilterProxy::init()
{
    m_tester.reset();
    m_proxy = std::make_unique<MatrixFilterProxy>();
    m_proxy->setSourceModel(&m_model);
    m_tester = std::make_unique<QAbstractItemModelTester>(m_proxy.get(),
                                                          QAbstractItemModelTester::FailureReportingMode::QtTest);
    m_model.setSuite(ViewsFixture::suite());
    m_model.setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b"))});
    // alpha (geo): both pass; beta (math): b fails; gamma (geo): a passes; alpha/para: a fails.
    m_model.addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 1, true));
    m_model.addCell(cell(QStringLiteral("b"), QStringLiteral("alpha"), 1, true));
    m_model.addCell(cell(QStringLiteral("a"), QStringLiteral("beta"), 1, true));
    m_model.addCell(cell(QStringLiteral("b"), QStringLiteral("beta"), 0.2, false));
    m_model.addCell(cell(QStringLiteral("a"), QStringLiteral("gamma"), 0.9, true));
    m_model.addCell(cell(QStringLiteral("a"), QStringLiteral("alpha"), 0, false, {}, 0, QStringLiteral("para")));
}

void TestMatrixFilterProxy::failedOnlyHidesPassingRowsLive()
{
    QCOMPARE(m_proxy->rowCount(), 4);
    m_proxy->setFailedOnly(true);
    QCOMPARE(visibleRows(*m_proxy), (QStringList{QStringLiteral("alpha ↳ para"), QStringLiteral("beta")}));
    // gamma fails on b later: it appears without touching the filter.
    m_model.addCell(cell(QStringLiteral("b"), QStringLiteral("gamma"), 0, false));
    QCOMPARE(visibleRows(*m_proxy),
             (QStringList{QStringLiteral("alpha ↳ para"), QStringLiteral("beta"), QStringLiteral("gamma")}));
    // A repeat that now passes (re-answered) takes beta out again.
    m_model.addCell(cell(QStringLiteral("b"), QStringLiteral("beta"), 1, true));
    QCOMPARE(visibleRows(*m_proxy), (QStringList{QStringLiteral("alpha ↳ para"), QStringLiteral("gamma")}));
    m_proxy->setFailedOnly(false);
    QCOMPARE(m_proxy->rowCount(), 4);
}

void TestMatrixFilterProxy::filtersByTag()
{
    m_proxy->setTag(QStringLiteral("math"));
    QCOMPARE(visibleRows(*m_proxy), QStringList{QStringLiteral("beta")});
    m_proxy->setTag(QStringLiteral("geo"));
    QCOMPARE(visibleRows(*m_proxy),
             (QStringList{QStringLiteral("alpha"), QStringLiteral("alpha ↳ para"), QStringLiteral("gamma")}));
    m_proxy->setTag(QStringLiteral("nothing"));
    QCOMPARE(m_proxy->rowCount(), 0);
    m_proxy->setTag({});
    QCOMPARE(m_proxy->rowCount(), 4);
}

void TestMatrixFilterProxy::filtersCanonicalOrVariants()
{
    m_proxy->setWording(MatrixFilterProxy::Wording::VariantsOnly);
    QCOMPARE(visibleRows(*m_proxy), QStringList{QStringLiteral("alpha ↳ para")});
    m_proxy->setWording(MatrixFilterProxy::Wording::CanonicalOnly);
    QCOMPARE(visibleRows(*m_proxy),
             (QStringList{QStringLiteral("alpha"), QStringLiteral("beta"), QStringLiteral("gamma")}));
}

void TestMatrixFilterProxy::filtersCombine()
{
    m_proxy->setFailedOnly(true);
    m_proxy->setTag(QStringLiteral("geo"));
    QCOMPARE(visibleRows(*m_proxy), QStringList{QStringLiteral("alpha ↳ para")});
    m_proxy->setWording(MatrixFilterProxy::Wording::CanonicalOnly);
    QCOMPARE(m_proxy->rowCount(), 0);
}

void TestMatrixFilterProxy::sortsAColumnByScoreUnknownLast()
{
    // Column b: alpha 1.0, beta 0.2, gamma and alpha/para unanswered.
    m_proxy->sort(1, Qt::AscendingOrder);
    QCOMPARE(visibleRows(*m_proxy).mid(0, 2), (QStringList{QStringLiteral("beta"), QStringLiteral("alpha")}));
    m_proxy->sort(1, Qt::DescendingOrder);
    QCOMPARE(visibleRows(*m_proxy).mid(0, 2), (QStringList{QStringLiteral("alpha"), QStringLiteral("beta")}));
    QVERIFY(!m_proxy->index(2, 1).data().isValid());
    QVERIFY(!m_proxy->index(3, 1).data().isValid());
}

QTEST_GUILESS_MAIN(TestMatrixFilterProxy)
#include "tst_matrixfilterproxy.moc"
