#include "LeaderboardView.h"
#include "views/LeaderboardModel.h"
#include "WidgetsFixture.h"

#include <QHeaderView>
#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;

namespace {

TargetSummary summary(const QString &id, std::optional<double> quality, std::optional<double> cost)
{
    TargetSummary s;
    s.targetId = id;
    s.cells = 4;
    s.cases = 4;
    s.quality = quality;
    s.costPer1000Cases = cost;
    return s;
}

void clickHeader(QHeaderView *header, int section)
{
    const int x = header->sectionViewportPosition(section) + header->sectionSize(section) / 2;
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, QPoint(x, header->height() / 2));
}

} // namespace

class TestLeaderboardView final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void bestQualityFirstUnknownLast();
    void clickingAHeaderSortsByThatFigure();
    void clickingARowNamesTheTarget();

private:
    std::unique_ptr<LeaderboardModel> m_model;
    std::unique_ptr<LeaderboardView> m_view;
};

void TestLeaderboardView::init()
{
    m_model = std::make_unique<LeaderboardModel>();
    m_model->setTargets({ViewsFixture::target(QStringLiteral("a")), ViewsFixture::target(QStringLiteral("b")),
                         ViewsFixture::target(QStringLiteral("c"))});
    m_view = std::make_unique<LeaderboardView>(m_model.get());
    m_view->resize(1000, 300);
    m_view->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_view.get()));
}

void TestLeaderboardView::cleanup()
{
    m_view.reset();
    m_model.reset();
}

void TestLeaderboardView::bestQualityFirstUnknownLast()
{
    m_model->updateSummary(summary(QStringLiteral("a"), 0.4, 2.0));
    m_model->updateSummary(summary(QStringLiteral("c"), 0.8, std::nullopt));
    QCOMPARE(m_view->shownOrder(), (QStringList{QStringLiteral("c"), QStringLiteral("a"), QStringLiteral("b")}));
    // Live: b overtakes as its summary arrives.
    m_model->updateSummary(summary(QStringLiteral("b"), 0.95, 0.5));
    QCOMPARE(m_view->shownOrder(), (QStringList{QStringLiteral("b"), QStringLiteral("c"), QStringLiteral("a")}));
}

void TestLeaderboardView::clickingAHeaderSortsByThatFigure()
{
    m_model->updateSummary(summary(QStringLiteral("a"), 0.4, 2.0));
    m_model->updateSummary(summary(QStringLiteral("b"), 0.95, 0.5));
    m_model->updateSummary(summary(QStringLiteral("c"), 0.8, std::nullopt));
    QHeaderView *header = m_view->horizontalHeader();
    clickHeader(header, LeaderboardModel::CostColumn);
    QCOMPARE(header->sortIndicatorSection(), int(LeaderboardModel::CostColumn));
    const Qt::SortOrder first = header->sortIndicatorOrder();
    const QStringList once = m_view->shownOrder();
    clickHeader(header, LeaderboardModel::CostColumn);
    QVERIFY(header->sortIndicatorOrder() != first);
    const QStringList twice = m_view->shownOrder();
    // Cheapest first one way, dearest first the other; the unknown cost stays last both ways.
    const QStringList ascending = first == Qt::AscendingOrder ? once : twice;
    const QStringList descending = first == Qt::AscendingOrder ? twice : once;
    QCOMPARE(ascending, (QStringList{QStringLiteral("b"), QStringLiteral("a"), QStringLiteral("c")}));
    QCOMPARE(descending, (QStringList{QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")}));
}

void TestLeaderboardView::clickingARowNamesTheTarget()
{
    m_model->updateSummary(summary(QStringLiteral("a"), 0.4, 2.0));
    m_model->updateSummary(summary(QStringLiteral("b"), 0.95, 0.5));
    QSignalSpy selected(m_view.get(), &LeaderboardView::targetSelected);
    const QModelIndex second = m_view->model()->index(1, LeaderboardModel::QualityColumn);
    QTest::mouseClick(m_view->viewport(), Qt::LeftButton, {}, m_view->visualRect(second).center());
    QCOMPARE(selected.size(), 1);
    QCOMPARE(selected.first().first().toString(), QStringLiteral("a"));
    QCOMPARE(m_view->selectedTarget(), QStringLiteral("a"));
    // Selection from elsewhere (the quadrant) moves the row without echoing the signal.
    m_view->selectTarget(QStringLiteral("b"));
    QCOMPARE(m_view->selectedTarget(), QStringLiteral("b"));
    QCOMPARE(selected.size(), 1);
}

QTEST_MAIN(TestLeaderboardView)
#include "tst_leaderboardview.moc"
