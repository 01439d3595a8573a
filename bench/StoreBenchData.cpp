#include "StoreBenchData.h"

#include <QStringList>
#include <QUuid>

namespace Slopscope::Bench {

QString storeWord(StoreRandom &r)
{
    static const char *const syllables[] = {"ka",  "lo",  "mi",  "ne",  "ru",  "sa",  "ti",  "vo",  "ze",  "pa",
                                            "qui", "dor", "ben", "fal", "gri", "hum", "jex", "wun", "yop", "cre"};
    QString w;
    const int n = 2 + static_cast<int>(r.next(3));
    for (int i = 0; i < n; ++i)
        w += QLatin1StringView(syllables[r.next(20)]);
    return w;
}

namespace {

QString words(StoreRandom &r, int count)
{
    QStringList list;
    for (int i = 0; i < count; ++i)
        list.append(storeWord(r));
    return list.join(u' ');
}

} // namespace

CellResult makeStoreCell(StoreRandom &r, int index, int chainTurns)
{
    constexpr qint64 ms = 1'000'000;
    CellResult c;
    // Every (case, target) once per run of 10,000: 1,250 cases x 8 targets.
    c.caseId = QStringLiteral("case%1").arg((index / kStoreTargets) % 1250);
    c.repeat = 0;
    c.job.targetId = QStringLiteral("target%1").arg(index % kStoreTargets);
    c.job.providerId = QStringLiteral("provider");
    c.job.jobId = QStringLiteral("%1||0|%2").arg(c.caseId, c.job.targetId);
    c.job.state = r.next(50) == 0 ? JobState::Failed : JobState::Completed;
    QString text = words(r, 30);
    if (index % kStoreRunSize == 7)
        text += QStringLiteral(" quokka"); // a rare word: 100 hits in a million
    c.job.result.text = text;
    c.job.result.model = QStringLiteral("model-%1").arg(index % kStoreTargets);
    c.job.result.finishReason = QStringLiteral("stop");
    Usage u;
    u.inputTokens = 200;
    u.outputTokens = 60;
    c.job.result.usage = u;
    AttemptRecord a;
    a.startedNs = 1 * ms;
    a.sentNs = 2 * ms;
    a.headersNs = 100 * ms;
    a.firstByteNs = 101 * ms;
    for (int i = 0; i < 20; ++i)
        a.deltas.append({(150 + i * 10) * ms, ContentKind::Answer, 9});
    a.endNs = 400 * ms;
    a.httpStatus = 200;
    a.bytesReceived = 3000;
    c.job.timeline.queuedNs = 0;
    c.job.timeline.attempts = {a};
    c.metrics.ttftNs = static_cast<qint64>(148 + r.next(50)) * ms;
    c.metrics.e2eNs = 398 * ms;
    c.metrics.decodeTokensPerSecond = 80.0 + static_cast<double>(r.next(400)) / 10.0;
    c.metrics.outputTokens = 60;
    c.metrics.contentChunks = 20;
    c.metrics.attempts = 1;
    c.cost.usd = 0.0001 * static_cast<double>(1 + index % kStoreTargets);
    c.grade.score = r.next(4) == 0 ? 0.0 : 1.0;
    c.grade.pass = c.grade.score > 0.5;
    for (int t = 0; t < chainTurns; ++t) {
        ChainTurnResult turn;
        turn.user = words(r, 12);
        turn.answer = words(r, 30);
        turn.toolCalls = {{QStringLiteral("call_%1").arg(t), QStringLiteral("lookup"),
                           QStringLiteral(R"({"query":"%1","limit":5})").arg(words(r, 3))}};
        turn.toolResults = {{QStringLiteral("call_%1").arg(t), QStringLiteral("lookup"), ToolResultKind::Result,
                             QStringLiteral(R"({"rows":["%1","%2"]})").arg(words(r, 6), words(r, 6))}};
        turn.requests = 2;
        turn.grade = c.grade;
        turn.ttftNs = c.metrics.ttftNs;
        turn.e2eNs = c.metrics.e2eNs;
        turn.inputTokens = 200;
        turn.outputTokens = 60;
        turn.costUsd = c.cost.usd;
        c.turns.append(turn);
    }
    return c;
}

RunStart makeStoreRun(StoreRandom &r, int ordinal, int hoursAgo)
{
    RunStart run;
    run.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    run.suiteName = QStringLiteral("suite%1").arg(ordinal % 5);
    run.suiteJson = QStringLiteral("{}");
    run.targetsJson = QStringLiteral("[]");
    for (int t = 0; t < kStoreTargets; ++t)
        run.targetIds.append(QStringLiteral("target%1").arg(t));
    run.settingsJson = QStringLiteral("{}");
    run.appVersion = QStringLiteral("bench");
    run.startedAt = QDateTime::currentDateTimeUtc().addSecs(-3600LL * hoursAgo);
    for (int c = 0; c < 1250; ++c)
        run.prompts.append({QStringLiteral("case%1").arg(c), QString(),
                            QStringLiteral("Question number %1 about %2").arg(c).arg(storeWord(r))});
    return run;
}

} // namespace Slopscope::Bench
