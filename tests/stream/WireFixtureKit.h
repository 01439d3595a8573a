#pragma once

// Shared by the wire-fixture replays (tst_wirefixtures, tst_wirefixturesplits): loading the
// recorded bodies of tests/data/wire with their *.expected.json, decoding them under a given set
// of cuts, comparing results, and the framing-level windows.

#include "stream/StreamDecoder.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace Slopscope::Test {

using Json = nlohmann::json;

struct Fixture
{
    QString name; // "anthropic/01_sdk_basic_no_trailing_newline"
    QByteArray body;
    Json document; // the whole *.expected.json
    Dialect dialect = Dialect::OpenAIChat;
    int status = 0;
    QByteArray contentType;
};

struct Run
{
    StreamResult result;
    QList<ContentDelta> deltas;
};

// Collects the first differences between what a run produced and what was expected.
class Diff
{
public:
    template <typename A, typename B> void check(const QString &what, const A &actual, const B &expected)
    {
        if (!(actual == expected))
            m_lines << QStringLiteral("%1: got %2, expected %3").arg(what, show(actual), show(expected));
    }
    void fail(const QString &line) { m_lines << line; }
    [[nodiscard]] bool ok() const { return m_lines.isEmpty(); }
    [[nodiscard]] QString text() const { return m_lines.join(QStringLiteral("\n    ")); }

private:
    static QString show(const QString &s) { return u'"' + (s.size() > 120 ? s.left(120) + u'…' : s) + u'"'; }
    static QString show(int v) { return QString::number(v); }
    static QString show(bool v) { return v ? QStringLiteral("true") : QStringLiteral("false"); }
    static QString show(const std::optional<qint64> &v) { return v ? QString::number(*v) : QStringLiteral("null"); }
    static QString show(const std::optional<double> &v) { return v ? QString::number(*v) : QStringLiteral("null"); }
    QStringList m_lines;
};

// Every fixture with a body and an expected.json; `problem` names the first one that cannot be read.
QList<Fixture> loadFixtures(QString *problem);
// One data row per fixture ("index"), or per SSE/NDJSON stream only.
void addFixtureRows(const QList<Fixture> &fixtures, bool streamsOnly = false);
// Feeds body[cuts[i], cuts[i+1]) in turn; cuts start with 0 and end with body.size().
Run decode(const Fixture &f, const std::vector<qsizetype> &cuts);
Diff compareWithExpected(const Fixture &f, const StreamResult &r);
// The same result as a reference run, field by field.
Diff compareWithReference(const StreamResult &r, const StreamResult &ref);
// The deltas handed out must add up to the result: per kind, and per tool call.
Diff compareDeltas(const Run &run);
std::vector<qsizetype> wholeCuts(qsizetype size);
// Decoder-level two-feed split offsets (all of them for small bodies, a budgeted spread otherwise).
std::vector<qsizetype> splitOffsets(const QByteArray &body);
// The body cut after each blank line (the end of an SSE event); the last window holds the rest.
QList<QByteArray> sseWindows(const QByteArray &body);
QList<QByteArray> ndjsonWindows(const QByteArray &body);
// What the framing layer makes of some feeds: "type\ndata" per SSE event plus the comment count;
// the lines for NDJSON.
QList<QByteArray> frame(bool ndjson, const QList<QByteArray> &feeds);

} // namespace Slopscope::Test
