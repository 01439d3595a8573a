// RELIABILITY.md L-3: one 50 MiB openai-chat answer delivered in 1-byte, 64-byte and 64 KiB reads.
// Target: no O(n^2) anywhere; the 64 B time within 2x of the 64 KiB time. Figures are printed,
// never asserted (shared machines are noisy). Run a Release build:
//   bench_stream_parse [--mib 50] [--repeat 2]

#include "stream/SseParser.h"
#include "stream/StreamDecoder.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QStringList>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>

using namespace Slopscope;

namespace {

// 2026-format chunks: "usage": null on every chunk, random-length obfuscation padding, mixed
// ASCII / multi-byte content; the include_usage chunk and [DONE] at the end.
QByteArray syntheticStream(qsizetype targetBytes, qsizetype *contentChars)
{
    static const char *const words[] = {"The",
                                        " quick",
                                        " brown",
                                        " fox",
                                        " jumps",
                                        " over",
                                        " the",
                                        " lazy",
                                        " dog",
                                        ".",
                                        "\\n",
                                        " caf\xC3\xA9",
                                        " \xE6\x9D\xB1\xE4\xBA\xAC",
                                        " \xF0\x9F\x8C\x8D",
                                        " \\\"quoted\\\"",
                                        " 42"};
    constexpr int wordCount = int(sizeof(words) / sizeof(words[0]));
    QByteArray body;
    body.reserve(targetBytes + 4096);
    const QByteArray head =
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,"
        "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":"
        "\"fp_bench\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"";
    quint32 rng = 12345;
    qsizetype chunks = 0;
    while (body.size() < targetBytes) {
        rng = rng * 1664525u + 1013904223u;
        body += head;
        body += words[(rng >> 8) % wordCount];
        body += "\"},\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"";
        body += QByteArray(int((rng >> 20) % 16), 'x');
        body += "\"}\n\n";
        ++chunks;
    }
    body +=
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},"
        "\"finish_reason\":\"stop\"}],\"usage\":null}\n\n";
    body += "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
            "{\"prompt_tokens\":12,\"completion_tokens\":" +
            QByteArray::number(chunks) + ",\"total_tokens\":" + QByteArray::number(chunks + 12) + "}}\n\n";
    body += "data: [DONE]\n\n";
    *contentChars = chunks;
    return body;
}

struct Measurement
{
    double seconds = 0;
    qsizetype textChars = 0;
    qsizetype deltas = 0;
    bool complete = false;
};

// The whole decoder, as the engine drives it: feed each read, then take the deltas.
Measurement decodeInReads(const QByteArray &body, qsizetype readSize)
{
    Measurement m;
    auto decoder = makeStreamDecoder(Dialect::OpenAIChat, 200, "text/event-stream; charset=utf-8");
    QElapsedTimer timer;
    timer.start();
    const QByteArrayView all(body);
    for (qsizetype pos = 0; pos < all.size(); pos += readSize) {
        decoder->feed(all.sliced(pos, std::min(readSize, all.size() - pos)));
        m.deltas += decoder->takeDeltas().size();
    }
    decoder->finish();
    m.seconds = double(timer.nsecsElapsed()) / 1e9;
    m.textChars = decoder->result().text.size();
    m.complete = decoder->result().outcome == StreamOutcome::Complete;
    return m;
}

// The framing alone (SseParser), to separate line/event splitting from JSON decoding.
Measurement frameInReads(const QByteArray &body, qsizetype readSize)
{
    Measurement m;
    SseParser parser;
    QElapsedTimer timer;
    timer.start();
    const QByteArrayView all(body);
    for (qsizetype pos = 0; pos < all.size(); pos += readSize) {
        parser.feed(all.sliced(pos, std::min(readSize, all.size() - pos)));
        if (parser.hasEvents())
            m.deltas += parser.takeEvents().size();
    }
    parser.finish();
    m.seconds = double(timer.nsecsElapsed()) / 1e9;
    m.complete = parser.state() == ParserState::Ok;
    return m;
}

double peakRssMiB()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return double(usage.ru_maxrss) / 1024.0; // Linux reports KiB
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    qsizetype mib = 50;
    int repeat = 2;
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args[i] == u"--mib")
            mib = args[i + 1].toLongLong();
        else if (args[i] == u"--repeat")
            repeat = std::max(1, args[i + 1].toInt());
    }

    qsizetype chunks = 0;
    const QByteArray body = syntheticStream(mib * 1024 * 1024, &chunks);
    const double bodyMiB = double(body.size()) / (1024.0 * 1024.0);
    std::printf("stream_parse: %.1f MiB synthetic openai-chat stream, %lld chunks; best of %d runs\n", bodyMiB,
                qlonglong(chunks), repeat);
    std::printf("peak RSS after building the body: %.0f MiB\n", peakRssMiB());

    const qsizetype reads[] = {1, 64, 64 * 1024};
    double decodeSeconds[3] = {};
    double frameSeconds[3] = {};
    for (int r = 0; r < 3; ++r) {
        Measurement best;
        Measurement bestFrame;
        for (int i = 0; i < repeat; ++i) {
            const Measurement m = decodeInReads(body, reads[r]);
            if (i == 0 || m.seconds < best.seconds)
                best = m;
            const Measurement f = frameInReads(body, reads[r]);
            if (i == 0 || f.seconds < bestFrame.seconds)
                bestFrame = f;
        }
        decodeSeconds[r] = best.seconds;
        frameSeconds[r] = bestFrame.seconds;
        std::printf("read %6lld B: decode %7.3f s = %7.1f MiB/s (%s, %lld chars, %lld deltas) | framing only %7.3f s "
                    "= %7.1f MiB/s (%lld events)\n",
                    qlonglong(reads[r]), best.seconds, bodyMiB / best.seconds,
                    best.complete ? "complete" : "NOT COMPLETE", qlonglong(best.textChars), qlonglong(best.deltas),
                    bestFrame.seconds, bodyMiB / bestFrame.seconds, qlonglong(bestFrame.deltas));
    }
    std::printf("ratio 1 B / 64 KiB reads:  decode %.2fx, framing %.2fx\n", decodeSeconds[0] / decodeSeconds[2],
                frameSeconds[0] / frameSeconds[2]);
    std::printf("ratio 64 B / 64 KiB reads: decode %.2fx, framing %.2fx (RELIABILITY L-3 target: <= 2x)\n",
                decodeSeconds[1] / decodeSeconds[2], frameSeconds[1] / frameSeconds[2]);
    std::printf("peak RSS: %.0f MiB for a %.0f MiB body (L-3 target: <= 3x body)\n", peakRssMiB(), bodyMiB);
    return 0;
}
