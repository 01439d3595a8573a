#include "quality/Disagreement.h"

#include <QTest>

using namespace Slopscope;
using Kind = Disagreement::Kind;

namespace {

Disagreement::Answer answer(const char *target, const QString &text)
{
    return {QString::fromLatin1(target), text};
}

// The keys of one kind, in order of appearance.
QStringList keys(const QString &text, Kind kind)
{
    QStringList out;
    for (const Disagreement::Mention &m : Disagreement::extract(text)) {
        if (m.kind == kind)
            out << m.key;
    }
    return out;
}

// The text each mention of one kind covers.
QStringList covered(const QString &text, Kind kind)
{
    QStringList out;
    for (const Disagreement::Mention &m : Disagreement::extract(text)) {
        if (m.kind == kind)
            out << text.mid(m.span.start, m.span.length);
    }
    return out;
}

const Disagreement::Fact *find(const Disagreement::Result &r, Kind kind, const QString &key)
{
    for (const Disagreement::Fact &f : r.facts) {
        if (f.kind == kind && f.key == key)
            return &f;
    }
    return nullptr;
}

} // namespace

class TestDisagreement final : public QObject
{
    Q_OBJECT

private slots:
    void numbers_data();
    void numbers();
    void normalisedNumbersAgree_data();
    void normalisedNumbersAgree();
    void numberDisputeBetweenThree();
    void entities_data();
    void entities();
    void entitiesCompareCaseInsensitively();
    void dates();
    void spansPointAtTheText();
    void emptyAndSingleAnswers();
    void abstainingAnswersDoNotDispute();
    void markupIsPlainText();
};

void TestDisagreement::numbers_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("integer") << QStringLiteral("about 42 cats") << QStringList{QStringLiteral("42")};
    QTest::newRow("thousands") << QStringLiteral("1,000 and 12,345,678")
                               << QStringList{QStringLiteral("1000"), QStringLiteral("12345678")};
    QTest::newRow("decimal") << QStringLiteral("pi is 3.140.") << QStringList{QStringLiteral("3.14")};
    QTest::newRow("trailing zero") << QStringLiteral("1000.0") << QStringList{QStringLiteral("1000")};
    QTest::newRow("percent") << QStringLiteral("12% and 7 %")
                             << QStringList{QStringLiteral("12%"), QStringLiteral("7%")};
    QTest::newRow("currency") << QStringLiteral("costs $1,200.50 now") << QStringList{QStringLiteral("$1200.5")};
    QTest::newRow("negative") << QStringLiteral("it was -40 degrees") << QStringList{QStringLiteral("-40")};
    QTest::newRow("minus zero") << QStringLiteral("-0.0") << QStringList{QStringLiteral("0")};
    QTest::newRow("list") << QStringLiteral("1,2,3")
                          << QStringList{QStringLiteral("1"), QStringLiteral("2"), QStringLiteral("3")};
    QTest::newRow("range") << QStringLiteral("3-4 days") << QStringList{QStringLiteral("3"), QStringLiteral("4")};
    QTest::newRow("none") << QStringLiteral("no digits here") << QStringList{};
}

void TestDisagreement::numbers()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(keys(text, Kind::Number), expected);
}

void TestDisagreement::normalisedNumbersAgree_data()
{
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    QTest::newRow("thousands") << QStringLiteral("It is 1,000 km.") << QStringLiteral("It is 1000 km.");
    QTest::newRow("decimals") << QStringLiteral("About 3.5 kg.") << QStringLiteral("About 3.50 kg.");
    QTest::newRow("percent") << QStringLiteral("the rate is 12%.") << QStringLiteral("the rate is 12 %.");
    QTest::newRow("point zero") << QStringLiteral("1000.0 of them") << QStringLiteral("1,000 of them");
}

void TestDisagreement::normalisedNumbersAgree()
{
    QFETCH(QString, a);
    QFETCH(QString, b);
    const Disagreement::Result r = Disagreement::compare({answer("a", a), answer("b", b)});
    QVERIFY(r.disputed().isEmpty());
    QCOMPARE(r.facts.size(), 1);
    QCOMPARE(r.facts.first().targets, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
}

void TestDisagreement::numberDisputeBetweenThree()
{
    const Disagreement::Result r = Disagreement::compare({answer("a", QStringLiteral("The tower is 330 m tall.")),
                                                          answer("b", QStringLiteral("The tower is 324 m tall.")),
                                                          answer("c", QStringLiteral("It is 330 metres high."))});
    const QList<Disagreement::Fact> disputed = r.disputed();
    QCOMPARE(disputed.size(), 2);
    const Disagreement::Fact *f330 = find(r, Kind::Number, QStringLiteral("330"));
    QVERIFY(f330);
    QVERIFY(f330->disputed);
    QCOMPARE(f330->targets, (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
    QCOMPARE(f330->others, QStringList{QStringLiteral("b")});
    const Disagreement::Fact *f324 = find(r, Kind::Number, QStringLiteral("324"));
    QVERIFY(f324);
    QCOMPARE(f324->targets, QStringList{QStringLiteral("b")});
    QCOMPARE(f324->others, (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
}

void TestDisagreement::entities_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("city") << QStringLiteral("the capital is Paris.") << QStringList{QStringLiteral("Paris")};
    QTest::newRow("two words") << QStringLiteral("I flew to New York and met Marie Curie's heirs.")
                               << QStringList{QStringLiteral("New York"), QStringLiteral("Marie Curie")};
    QTest::newRow("sentence openers") << QStringLiteral("The answer is no. However, it rains. This is fine.")
                                      << QStringList{};
    QTest::newRow("opener before a name")
        << QStringLiteral("The Eiffel Tower is tall.") << QStringList{QStringLiteral("Eiffel Tower")};
    QTest::newRow("name at sentence start") << QStringLiteral("Paris is big. Berlin too.")
                                            << QStringList{QStringLiteral("Paris"), QStringLiteral("Berlin")};
    QTest::newRow("answer label") << QStringLiteral("Answer: B) Mitochondrion")
                                  << QStringList{QStringLiteral("B"), QStringLiteral("Mitochondrion")};
    QTest::newRow("bullet") << QStringLiteral("- The first\n- However") << QStringList{};
    QTest::newRow("unicode") << QStringLiteral("near Zürich and Ångström")
                             << QStringList{QStringLiteral("Zürich"), QStringLiteral("Ångström")};
}

void TestDisagreement::entities()
{
    QFETCH(QString, text);
    QFETCH(QStringList, expected);
    QCOMPARE(covered(text, Kind::Entity), expected);
}

void TestDisagreement::entitiesCompareCaseInsensitively()
{
    const Disagreement::Result r = Disagreement::compare({answer("a", QStringLiteral("the capital is Paris")),
                                                          answer("b", QStringLiteral("the capital is PARIS")),
                                                          answer("c", QStringLiteral("the capital is Lyon"))});
    const Disagreement::Fact *paris = find(r, Kind::Entity, QStringLiteral("paris"));
    QVERIFY(paris);
    QCOMPARE(paris->display, QStringLiteral("Paris")); // as first written
    QCOMPARE(paris->targets, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QVERIFY(paris->disputed);
    QCOMPARE(r.disputed().size(), 2);
}

void TestDisagreement::dates()
{
    const QString text = QStringLiteral("landed 1969-07-20, i.e. 20 July 1969 or July 20, 1969.");
    QCOMPARE(keys(text, Kind::Date), QStringList(3, QStringLiteral("1969-07-20")));
    // A date's digits and month are not also a number or a name.
    QVERIFY(keys(text, Kind::Number).isEmpty());
    QVERIFY(keys(text, Kind::Entity).isEmpty());
    const Disagreement::Result r = Disagreement::compare({answer("a", QStringLiteral("on 1969-07-20")),
                                                          answer("b", QStringLiteral("on 20 July 1969")),
                                                          answer("c", QStringLiteral("on 21 July 1969"))});
    const Disagreement::Fact *d = find(r, Kind::Date, QStringLiteral("1969-07-20"));
    QVERIFY(d);
    QCOMPARE(d->targets, (QStringList{QStringLiteral("a"), QStringLiteral("b")}));
    QCOMPARE(d->others, QStringList{QStringLiteral("c")});
}

void TestDisagreement::spansPointAtTheText()
{
    const QString a = QStringLiteral("Marie Curie won 2 prizes, in 1903 and 1911.");
    const QString b = QStringLiteral("She won 2 prizes: 1903 and 1912, says Pierre Curie.");
    const Disagreement::Result r = Disagreement::compare({answer("a", a), answer("b", b)});
    const Disagreement::Fact *f1911 = find(r, Kind::Number, QStringLiteral("1911"));
    QVERIFY(f1911);
    QCOMPARE(f1911->spans.value(QStringLiteral("a")).size(), 1);
    const Disagreement::Span s = f1911->spans.value(QStringLiteral("a")).first();
    QCOMPARE(a.mid(s.start, s.length), QStringLiteral("1911"));
    QVERIFY(!f1911->spans.contains(QStringLiteral("b")));
    const Disagreement::Fact *pierre = find(r, Kind::Entity, QStringLiteral("pierre curie"));
    QVERIFY(pierre);
    const Disagreement::Span p = pierre->spans.value(QStringLiteral("b")).first();
    QCOMPARE(b.mid(p.start, p.length), QStringLiteral("Pierre Curie"));
    // Agreed: 2 and 1903 (both state them); disputed: 1911, 1912 and the two names.
    const Disagreement::Fact *two = find(r, Kind::Number, QStringLiteral("2"));
    QVERIFY(two && !two->disputed);
    QCOMPARE(r.disputed().size(), 4);
}

void TestDisagreement::emptyAndSingleAnswers()
{
    QVERIFY(Disagreement::compare({}).facts.isEmpty());
    QVERIFY(Disagreement::extract(QString()).isEmpty());
    const Disagreement::Result one = Disagreement::compare({answer("a", QStringLiteral("Paris has 2 million people"))});
    QCOMPARE(one.facts.size(), 2);
    QVERIFY(one.disputed().isEmpty());
    // An empty answer (a failed call) abstains rather than disagreeing.
    const Disagreement::Result withEmpty = Disagreement::compare(
        {answer("a", QStringLiteral("It is 42.")), answer("b", QString()), answer("c", QStringLiteral("It is 42."))});
    QVERIFY(withEmpty.disputed().isEmpty());
    QCOMPARE(withEmpty.facts.first().targets, (QStringList{QStringLiteral("a"), QStringLiteral("c")}));
}

void TestDisagreement::abstainingAnswersDoNotDispute()
{
    // b states no number at all: it says nothing against a's 7.
    const Disagreement::Result r = Disagreement::compare(
        {answer("a", QStringLiteral("There are 7 days in Rome.")), answer("b", QStringLiteral("A week in Rome."))});
    const Disagreement::Fact *seven = find(r, Kind::Number, QStringLiteral("7"));
    QVERIFY(seven);
    QVERIFY(!seven->disputed);
    QVERIFY(seven->others.isEmpty());
    QVERIFY(r.disputed().isEmpty());
}

void TestDisagreement::markupIsPlainText()
{
    const QString hostile = QStringLiteral("<b>x</b><img src=http://x> Paris has 3 <script>alert(1)</script>");
    const QList<Disagreement::Mention> mentions = Disagreement::extract(hostile);
    QStringList texts;
    for (const Disagreement::Mention &m : mentions)
        texts << hostile.mid(m.span.start, m.span.length);
    // Offsets index the raw text: tags are neither stripped nor interpreted.
    QCOMPARE(texts, (QStringList{QStringLiteral("Paris"), QStringLiteral("3"), QStringLiteral("1")}));
}

QTEST_GUILESS_MAIN(TestDisagreement)
#include "tst_disagreement.moc"
