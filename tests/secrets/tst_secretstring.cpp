// SecretString (RELIABILITY S-13): the buffer holding a key is zeroed when the value is destroyed,
// reassigned or cleared; copies are deep; nothing converts it to a QString implicitly; and the
// request's credential headers are wiped once nothing else holds them.
#include "core/SecretString.h"
#include "engine/RequestBuilder.h"

#include <QTest>

#include <type_traits>

using namespace Slopscope;

// Compile-time guarantees: a key never slips into a QString (or from one) by accident.
static_assert(!std::is_convertible_v<SecretString, QString>);
static_assert(!std::is_convertible_v<SecretString, QByteArray>);
static_assert(!std::is_convertible_v<SecretString, QStringView>);
static_assert(!std::is_convertible_v<QString, SecretString>);
static_assert(!std::is_constructible_v<QString, SecretString>);
static_assert(std::is_nothrow_move_constructible_v<SecretString>);

namespace {

// What the wipe observer saw: each freed buffer's size and whether it was all zero.
struct Wipes
{
    QList<qsizetype> sizes;
    bool allZero = true;
};
Wipes g_wipes;

void observe(QByteArrayView wiped)
{
    g_wipes.sizes.append(wiped.size());
    for (const char c : wiped)
        g_wipes.allZero = g_wipes.allZero && c == 0;
}

// Installs the observer for one test and removes it after, whatever happens.
struct ObservedWipes
{
    ObservedWipes()
    {
        g_wipes = {};
        SecretString::setWipeObserver(&observe);
    }
    ~ObservedWipes() { SecretString::setWipeObserver(nullptr); }
    Q_DISABLE_COPY_MOVE(ObservedWipes)
};

const QString kKey = QStringLiteral("sk-CANARY-secretstring-0123456789");

} // namespace

class TestSecretString final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void holdsTheKeyAsUtf8()
    {
        const SecretString s(QStringLiteral("sk-é✓"));
        QCOMPARE(s.reveal().toByteArray(), QStringLiteral("sk-é✓").toUtf8());
        QCOMPARE(s.revealAsQString(), QStringLiteral("sk-é✓"));
        QVERIFY(s.equals(u"sk-é✓"));
        QVERIFY(!s.equals(u"sk-é"));
        QVERIFY(SecretString().isEmpty());
        QVERIFY(SecretString(QString()).isEmpty());
        QCOMPARE(SecretString::fromUtf8("abc"), SecretString(u"abc"));
        QVERIFY(!(SecretString(u"abc") == SecretString(u"abd")));
    }

    void destructorZeroesTheBuffer()
    {
        const ObservedWipes observed;
        {
            const SecretString s(kKey);
            QVERIFY(g_wipes.sizes.isEmpty()); // the temporary UTF-8 copy is wiped, not freed through us
        }
        QCOMPARE(g_wipes.sizes, QList<qsizetype>{kKey.size()});
        QVERIFY(g_wipes.allZero);
    }

    void reassignmentZeroesTheOldBuffer()
    {
        const ObservedWipes observed;
        SecretString s(kKey);
        s = SecretString(u"short"); // move-assign: the old, longer buffer goes
        QCOMPARE(g_wipes.sizes, QList<qsizetype>{kKey.size()});
        QVERIFY(g_wipes.allZero);
        QCOMPARE(s.revealAsQString(), u"short"_qs);

        const SecretString other(u"another-key");
        s = other; // copy-assign
        QCOMPARE(g_wipes.sizes, (QList<qsizetype>{kKey.size(), 5}));
        s.clear();
        QCOMPARE(g_wipes.sizes.size(), 3);
        QVERIFY(s.isEmpty());
        QVERIFY(g_wipes.allZero);
    }

    void copiesAreDeepAndWipedToo()
    {
        const ObservedWipes observed;
        auto original = std::make_unique<SecretString>(kKey);
        SecretString copy(*original);
        QVERIFY(copy.reveal().data() != original->reveal().data());
        original.reset();
        QCOMPARE(g_wipes.sizes.size(), 1);
        QCOMPARE(copy.revealAsQString(), kKey); // the copy outlives its source intact

        SecretString moved(std::move(copy));
        QCOMPARE(g_wipes.sizes.size(), 1); // a move hands the buffer over, nothing to wipe
        QCOMPARE(moved.revealAsQString(), kKey);
        QVERIFY(g_wipes.allZero);
    }

    // An unshared source is overwritten before it is freed (not observable without reading freed
    // memory); what can be checked is that the source is emptied and another holder left intact.
    void takeFromEmptiesTheSourceButSparesOtherHolders()
    {
        QString source = kKey;
        source.detach();
        const QChar *data = source.constData();
        const QString shared = source; // shares the buffer: takeFrom may only detach and wipe its own
        const SecretString s = SecretString::takeFrom(source);
        QVERIFY(source.isEmpty());
        QCOMPARE(s.revealAsQString(), kKey);
        QCOMPARE(shared, kKey);
        QCOMPARE(shared.constData(), data);
    }

    void wipeZeroes()
    {
        char buffer[16];
        std::memset(buffer, 'x', sizeof buffer);
        SecretString::wipe(buffer + 2, 10);
        QCOMPARE(QByteArray(buffer, sizeof buffer), QByteArray("xx") + QByteArray(10, '\0') + QByteArray("xxxx"));
        SecretString::wipe(nullptr, 4); // no-op, no crash
    }

    // The header bytes built from the key are wiped in place once the request is their only holder;
    // a value another copy still holds is left alone (it would otherwise corrupt that copy).
    void requestCredentialsAreWiped()
    {
        ProviderConfig p;
        p.id = QStringLiteral("p");
        p.dialect = Dialect::OpenAIChat;
        p.baseUrl = QStringLiteral("https://api.example.com/v1");
        ChatRequest r;
        r.id = QStringLiteral("job");
        r.targetId = QStringLiteral("t");
        r.providerId = QStringLiteral("p");
        r.model = QStringLiteral("m");
        r.messages = {{QStringLiteral("user"), QStringLiteral("Hi")}};
        auto built = RequestBuilder::build(r, p, SecretString(kKey));
        QVERIFY2(built, qPrintable(built.error()));
        PreparedRequest request = std::move(built).value();
        const QByteArray expected = "Bearer " + kKey.toUtf8();
        QCOMPARE(request.header("authorization"), expected);

        PreparedRequest copy = request; // shares the header data, as Qt's QNetworkRequest would
        QCOMPARE(RequestBuilder::wipeCredentials(request), 0);
        QCOMPARE(copy.header("authorization"), expected);
        QCOMPARE(request.header("authorization"), expected);

        copy = {}; // the other holder lets go
        const char *bytes = nullptr;
        for (const auto &h : std::as_const(request.headers)) {
            if (h.first == "authorization")
                bytes = h.second.constData();
        }
        QVERIFY(bytes);
        QCOMPARE(RequestBuilder::wipeCredentials(request), 1);
        QCOMPARE(request.header("authorization"), QByteArray(expected.size(), '\0'));
        QCOMPARE(request.header("content-type"), QByteArray("application/json")); // others untouched
        for (const auto &h : std::as_const(request.headers)) {
            if (h.first == "authorization")
                QCOMPARE(h.second.constData(), bytes); // in place, not a fresh copy
        }
    }
};

QTEST_GUILESS_MAIN(TestSecretString)
#include "tst_secretstring.moc"
