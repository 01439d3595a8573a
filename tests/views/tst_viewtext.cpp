// Names from a suite file are anyone's: control, bidi and zero-width characters in them are shown
// visibly in the lists and headers (RELIABILITY.md B-2).

#include "views/SuiteCaseModel.h"
#include "views/ViewText.h"

#include <QAbstractItemModelTester>
#include <QTest>

using namespace Slopscope;

class TestViewText final : public QObject
{
    Q_OBJECT

private slots:
    void visibleName_data();
    void visibleName();
    void suiteCaseModelShowsIdsVisibly();
};

void TestViewText::visibleName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("shown");
    QTest::newRow("plain") << u"case-1 é 日本 😀"_qs << u"case-1 é 日本 😀"_qs;
    QTest::newRow("NUL") << (u"a"_qs + QChar(0) + u"b"_qs) << u"a<U+0000>b"_qs;
    QTest::newRow("RTL override") << u"invoice\u202Etxt.exe"_qs << u"invoice<U+202E>txt.exe"_qs;
    QTest::newRow("zero-width space and joiner") << u"x\u200By\u200Dz"_qs << u"x<U+200B>y<U+200D>z"_qs;
    QTest::newRow("bidi isolate, BOM") << u"\u2066a\u2069\uFEFF"_qs << u"<U+2066>a<U+2069><U+FEFF>"_qs;
    QTest::newRow("newline, tab, DEL, C1") << u"a\nb\tc\u007Fd\u0085"_qs << u"a<U+000A>b<U+0009>c<U+007F>d<U+0085>"_qs;
}

void TestViewText::visibleName()
{
    QFETCH(QString, name);
    QFETCH(QString, shown);
    QCOMPARE(ViewText::visibleName(name), shown);
}

void TestViewText::suiteCaseModelShowsIdsVisibly()
{
    Suite suite;
    SuiteCase c;
    c.id = u"evil\u202Egnp.js"_qs;
    suite.cases.append(c);
    SuiteCaseModel model;
    QAbstractItemModelTester tester(&model);
    model.setSuite(suite);
    QCOMPARE(model.index(0, 0).data().toString(), u"evil<U+202E>gnp.js"_qs);
    QCOMPARE(model.index(0, 0).data(SuiteCaseModel::CaseIdRole).toString(), c.id); // the id itself is kept
}

QTEST_GUILESS_MAIN(TestViewText)
#include "tst_viewtext.moc"
