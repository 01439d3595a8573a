#pragma once

#include <QByteArray>
#include <QString>

namespace Slopscope {

// Ground truth about one request, as the simulator saw and served it. Times are milliseconds on
// the server's monotonic clock (since the server started); -1 means "did not happen".
struct SimRecord
{
    quint64 id = 0;
    QString tag; // the request's x-sim-tag header, for tests that look their request up
    QString method;
    QString path;
    QString dialect;
    QString model;
    bool stream = false;
    int status = 0;
    QString fault = QStringLiteral("none");
    QString outcome; // complete, http_error, in_band_error, dropped, stalled, client_closed, truncated

    qint64 wallArrivalMs = 0; // unix time
    double arrivalMs = -1;
    double bodyCompleteMs = -1;
    double headersMs = -1;      // status line written
    double firstContentMs = -1; // first generated content byte written (reasoning or answer)
    double firstAnswerMs = -1;  // first answer byte written
    double lastByteMs = -1;

    double plannedTtftMs = -1;         // sampled time-to-first-token slot (before hidden reasoning)
    double plannedFirstContentMs = -1; // when the first visible token was due
    double plannedLastTokenMs = -1;    // when the last token was due
    double tokensPerSecond = 0;

    int inputTokens = 0;
    int outputTokens = 0; // reported in usage: answer + reasoning
    int reasoningTokens = 0;
    int reasoningItemsCarried = 0; // Responses: sealed reasoning items the request sent back, all verified
    int tokensSent = 0;   // token events actually written
    QString finishReason; // stop / length, empty when the stream did not finish

    QString answerKind; // case_right, case_wrong, judge, generic
    QString suite;
    QString caseId;
    QString form;    // canonical, paraphrase
    int repeat = -1; // the repeat answered (x-sim-repeat / x-slopscope-repeat, else counted); -1: none
    int attempt = 0; // with an explicit repeat: how many identical requests of it came before
    double judgeScore = -1;
    QString text; // the answer text (in /sim/requests, not in the log file)

    [[nodiscard]] QByteArray toJson(bool withText) const;
};

} // namespace Slopscope
