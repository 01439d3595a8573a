#include "views/ProviderStatusBoard.h"

#include <QSignalSpy>
#include <QTest>

using namespace Slopscope;

namespace {

ProviderStatus status(const QString &provider, ProviderStatus::State state, qint64 resumeInMs = 0,
                      const QString &message = {}, const QString &reason = {})
{
    ProviderStatus s;
    s.providerId = provider;
    s.state = state;
    s.resumeInMs = resumeInMs;
    s.message = message;
    s.reason = reason;
    return s;
}

} // namespace

class TestProviderStatusBoard : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void pauseCountsDownFromWhenItWasReported()
    {
        qint64 now = 10'000;
        ProviderStatusBoard board(nullptr, [&now] { return now; });
        board.update(status(QStringLiteral("openai"), ProviderStatus::State::RateLimited, 3500,
                            QStringLiteral("rate-limited, resuming in 3.5 s"), QStringLiteral("rate-limited")));
        QVERIFY(board.counting());
        QCOMPARE(board.entries().size(), 1);
        // Whole seconds, rounded up: a wait never reads shorter than it is.
        QCOMPARE(board.entries().first().text, QStringLiteral("openai: rate-limited, resuming in 4 s"));
        QCOMPARE(board.entries().first().toolTip, QStringLiteral("rate-limited, resuming in 3.5 s"));
        now += 1000;
        QCOMPARE(board.entries().first().text, QStringLiteral("openai: rate-limited, resuming in 3 s"));
        now += 1700;
        QCOMPARE(board.entries().first().text, QStringLiteral("openai: rate-limited, resuming in 800 ms"));
        now += 5000;
        QCOMPARE(board.entries().first().text, QStringLiteral("openai: rate-limited, resuming now"));
        // The cause as the scheduler gave it, without its own (frozen) countdown.
        board.update(status(QStringLiteral("openai"), ProviderStatus::State::RateLimited, 61'000, {},
                            QStringLiteral("rate limit used up (provider headers)")));
        QCOMPARE(board.entries().first().text,
                 QStringLiteral("openai: rate limit used up (provider headers), resuming in 61 s"));
    }

    void activeLeavesTheBoardAndOrderIsFirstReported()
    {
        ProviderStatusBoard board(nullptr, [] { return qint64(0); });
        QSignalSpy changed(&board, &ProviderStatusBoard::changed);
        board.update(status(QStringLiteral("gemini"), ProviderStatus::State::Active)); // nothing to say
        QCOMPARE(changed.size(), 0);
        board.update(status(QStringLiteral("gemini"), ProviderStatus::State::Offline, 0,
                            QStringLiteral("offline — waiting for the network")));
        board.update(status(QStringLiteral("anthropic"), ProviderStatus::State::Stopped, 0,
                            QStringLiteral("401 Unauthorized: the key was refused")));
        board.update(status(QStringLiteral("gemini"), ProviderStatus::State::RateLimited, 2000, {},
                            QStringLiteral("rate-limited")));
        QCOMPARE(changed.size(), 3);
        const QList<ProviderStatusBoard::Entry> entries = board.entries();
        QCOMPARE(entries.size(), 2);
        QCOMPARE(entries.at(0).providerId, QStringLiteral("gemini")); // kept its place when it changed
        QCOMPARE(entries.at(0).state, ProviderStatus::State::RateLimited);
        QCOMPARE(entries.at(1).text, QStringLiteral("anthropic: stopped — 401 Unauthorized: the key was refused"));
        board.update(status(QStringLiteral("gemini"), ProviderStatus::State::Active));
        QCOMPARE(board.entries().size(), 1);
        QVERIFY(!board.counting());
        QCOMPARE(changed.size(), 4);
    }

    void runEndKeepsOnlyStoppedProviders()
    {
        ProviderStatusBoard board(nullptr, [] { return qint64(0); });
        board.update(status(QStringLiteral("a"), ProviderStatus::State::Offline));
        board.update(status(QStringLiteral("b"), ProviderStatus::State::Stopped, 0, QStringLiteral("quota")));
        board.update(status(QStringLiteral("c"), ProviderStatus::State::RateLimited, 500));
        QCOMPARE(board.entries().first().text, QStringLiteral("a: offline — waiting for the network"));
        QCOMPARE(board.entries().last().text, QStringLiteral("c: rate-limited, resuming in 500 ms"));
        board.runEnded();
        QCOMPARE(board.entries().size(), 1);
        QCOMPARE(board.entries().first().providerId, QStringLiteral("b"));
        QSignalSpy changed(&board, &ProviderStatusBoard::changed);
        board.runEnded(); // nothing left to drop
        QCOMPARE(changed.size(), 0);
        board.clear();
        QVERIFY(board.entries().isEmpty());
        QCOMPARE(changed.size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestProviderStatusBoard)
#include "tst_providerstatusboard.moc"
