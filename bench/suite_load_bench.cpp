// Issue #5: "A 100,000-case suite loads in well under 2 s (benchmark)". Builds a suite of 100,000
// varied cases (prompts and chats, variables, references, tags, several assertion types), writes
// it to a temporary file and times Suite::fromFile over a few rounds, and the error path: the same
// file with its very last case broken, which must be refused whole. Figures only, no pass/fail:
// the machine is shared. Build with the release preset for real numbers.

#include "quality/Suite.h"

#include <QElapsedTimer>
#include <QFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cstdlib>
#include <cstdio>
#include <vector>

using namespace Slopscope;

namespace {

int kCases = 100'000; // argv[1] overrides, for profiling a smaller suite
constexpr double kTargetMs = 2000.0;

// The issue's own smallest case, numbered.
QByteArray plainCaseJson(int i)
{
    const QByteArray n = QByteArray::number(i);
    return R"j({"id": "c)j" + n + R"j(", "prompt": "Capital of France? (case )j" + n +
           R"j()", "assert": [{"type": "icontains", "value": "Paris"}]})j";
}

// A heavy case: chat or templated prompt, variables, reference, tags, three assertions.
QByteArray caseJson(int i)
{
    const QByteArray n = QByteArray::number(i);
    QByteArray c = R"({"id": "case-)" + n + '"';
    if (i % 4 == 0)
        c += R"(, "messages": [{"role": "system", "content": "You are terse."},
            {"role": "user", "content": "Translate {{word}} number )" + n + R"( to French."}])";
    else
        c += R"(, "prompt": "Question )" + n + R"(: what is {{a}} + {{b}}? Answer with the number only.")";
    c += R"(, "vars": {"word": "house", "a": ")" + n + R"(", "b": "7"})";
    c += R"(, "reference": ")" + QByteArray::number(i + 7) + '"';
    c += R"(, "tags": ["arith", "bench", "t)" + QByteArray::number(i % 50) + R"("])";
    c += R"(, "assert": [{"type": "icontains", "value": ")" + QByteArray::number(i + 7) + R"("},
        {"type": "regex", "value": "^\\s*\\d+\\s*$", "weight": 0.5},
        {"type": "numeric", "value": )" + QByteArray::number(i + 7) + R"(, "threshold": 0.01}])";
    c += '}';
    return c;
}

QByteArray suiteJson(bool heavy, bool breakLast)
{
    QByteArray s;
    s.reserve(kCases * 520);
    s += R"({"name": "bench-100k", "description": "generated", "defaults": {"system": "Be exact."}, "cases": [)";
    for (int i = 0; i < kCases; ++i) {
        if (i > 0)
            s += ",\n";
        s += heavy ? caseJson(i) : plainCaseJson(i);
    }
    if (breakLast) // an unknown assertion type in the last case: nothing may load
        s.replace(s.lastIndexOf(heavy ? "\"numeric\"" : "\"icontains\""), heavy ? 9 : 11,
                  heavy ? "\"numerik\"" : "\"icontainz\"");
    s += "]}";
    return s;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

bool write(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

} // namespace

int main(int argc, char *argv[])
{
    if (argc > 1)
        kCases = std::max(1, std::atoi(argv[1]));
    std::printf("Slopscope suite load benchmark: %d cases\n\n", kCases);
    QTemporaryDir dir;
    for (const bool heavy : {false, true}) {
        std::printf("%s\n", heavy ? "Heavy cases (chat or template, vars, reference, tags, 3 assertions):"
                                   : "Cases shaped like the issue's smallest suite (prompt + one icontains):");
        const QString good = dir.filePath(QStringLiteral("good.json"));
        const QString bad = dir.filePath(QStringLiteral("broken.json"));
        const QByteArray bytes = suiteJson(heavy, false);
        if (!write(good, bytes) || !write(bad, suiteJson(heavy, true))) {
            std::fprintf(stderr, "cannot write the suites to %s\n", qPrintable(dir.path()));
            return 1;
        }
        const double mib = static_cast<double>(bytes.size()) / (1024.0 * 1024.0);
        std::vector<double> loads;
        qsizetype cases = 0;
        for (int round = 0; round < 5; ++round) {
            QElapsedTimer t;
            t.start();
            const auto suite = Suite::fromFile(good);
            loads.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
            if (!suite) {
                std::fprintf(stderr, "the generated suite did not load: %s\n", qPrintable(suite.error()));
                return 1;
            }
            cases = suite.value().cases.size();
        }
        const double ms = median(loads);
        std::printf("  load (median of 5): %.0f ms for %lld cases (%.1f MiB, %.0f MiB/s, %.0f cases/s); "
                    "target < %.0f ms: %.2f of it\n",
                    ms, static_cast<long long>(cases), mib, mib / (ms / 1000.0),
                    static_cast<double>(cases) / (ms / 1000.0), kTargetMs, ms / kTargetMs);
        std::vector<double> refusals;
        QString error;
        for (int round = 0; round < 3; ++round) {
            QElapsedTimer t;
            t.start();
            const auto suite = Suite::fromFile(bad);
            refusals.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
            if (suite) {
                std::fprintf(stderr, "the broken suite loaded\n");
                return 1;
            }
            error = suite.error();
        }
        std::printf("  refused with its last case broken (median of 3): %.0f ms\n    %s\n\n", median(refusals),
                    qPrintable(error.mid(error.lastIndexOf(u'/') + 1).left(160)));
    }
    return 0;
}
