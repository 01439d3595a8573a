// What slopscope-cli leaves behind: the history database, the JSONL stream, the end files, and the
// subcommands that work from the database (report, resume, merge) or convert inputs (import).

#include "CliTestKit.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QStringList kTwoTargets{QStringLiteral("run"),       QStringLiteral("--demo"),
                              QStringLiteral("--suite"),   QStringLiteral("facts"),
                              QStringLiteral("--targets"), QStringLiteral("local-llama,gpt-oss-groq")};

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QList<QJsonObject> jsonLines(const QString &path)
{
    QList<QJsonObject> out;
    const QList<QByteArray> lines = readAll(path).split('\n');
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        if (error.error != QJsonParseError::NoError || !doc.isObject())
            return {}; // a torn or invalid line fails the caller's count
        out.append(doc.object());
    }
    return out;
}

// "Recorded as run <uuid>" on stderr.
QString recordedRunId(const QString &err)
{
    static const QRegularExpression re(QStringLiteral("Recorded as run ([0-9a-f-]{36})"));
    return re.match(err).captured(1);
}

// case|variant|repeat|target of each JSONL line: a cell's identity.
QStringList cellKeys(const QList<QJsonObject> &lines)
{
    QStringList keys;
    for (const QJsonObject &o : lines) {
        keys.append(o.value(u"case_id").toString() + u'|' + o.value(u"variant").toString() + u'|' +
                    QString::number(o.value(u"repeat").toInt()) + u'|' + o.value(u"target_id").toString());
    }
    keys.sort();
    return keys;
}

QJsonObject summaryTarget(const QJsonObject &summary, const QString &target)
{
    const QJsonArray targets = summary.value(u"targets").toArray();
    for (const QJsonValue &t : targets) {
        if (t.toObject().value(u"target_id").toString() == target)
            return t.toObject();
    }
    return {};
}

} // namespace

class TestCliOutputs final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyOutputIsWritten();
    void reportRebuildsTheFilesFromTheDatabaseAlone();
    void runsListsTheHistory();
    void withoutADatabaseTheJsonlIsStillWritten();
    void aDamagedDatabaseIsReplacedAndSaidSo();
    void badOutputPathsAreUsageErrors();
    void resumeSendsOnlyWhatIsMissing();
    void mergeJoinsShardsOnce();
    void importWritesASuiteThatRuns();

private:
    QTemporaryDir m_dir;
    QString m_runId;
    QString path(const char *name) const { return m_dir.filePath(QString::fromLatin1(name)); }
};

void TestCliOutputs::initTestCase()
{
    QVERIFY(m_dir.isValid());
}

void TestCliOutputs::everyOutputIsWritten()
{
    const CliRun r = runCli(kTwoTargets + QStringList{
                                              QStringLiteral("--db"),
                                              path("h.sqlite"),
                                              QStringLiteral("--jsonl"),
                                              path("r.jsonl"),
                                              QStringLiteral("--summary"),
                                              path("s.json"),
                                              QStringLiteral("--report"),
                                              path("r.html"),
                                              QStringLiteral("--report"),
                                              path("r.md"),
                                              QStringLiteral("--report"),
                                              path("r.pdf"),
                                              QStringLiteral("--chart"),
                                              path("c.svg"),
                                              QStringLiteral("--chart"),
                                              path("c.png"),
                                              QStringLiteral("--csv"),
                                              path("r.csv"),
                                          });
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    m_runId = recordedRunId(r.err);
    QVERIFY2(!m_runId.isEmpty(), qPrintable(r.err));

    const QJsonObject summary = QJsonDocument::fromJson(readAll(path("s.json"))).object();
    QCOMPARE(summary.value(u"run_id").toString(), m_runId);
    const QJsonObject llama = summaryTarget(summary, QStringLiteral("local-llama"));
    const QJsonObject groq = summaryTarget(summary, QStringLiteral("gpt-oss-groq"));
    QVERIFY(llama.value(u"n").toInt() > 2);
    QCOMPARE(groq.value(u"n").toInt(), llama.value(u"n").toInt());

    // One line per result, every one from this run, each with the published fields.
    const QList<QJsonObject> lines = jsonLines(path("r.jsonl"));
    QCOMPARE(lines.size(), llama.value(u"n").toInt() * 2);
    for (const QJsonObject &o : lines) {
        QCOMPARE(o.value(u"run_id").toString(), m_runId);
        for (const char *key : {"case_id", "target_id", "status", "text", "input_tokens", "output_tokens",
                                "usage_source", "ttft_ms", "latency_ms", "cost_usd", "score", "pass", "grades"})
            QVERIFY2(o.contains(QLatin1StringView(key)), key);
    }
    const QStringList keys = cellKeys(lines);
    QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()).size(), keys.size());

    const QByteArray html = readAll(path("r.html"));
    QVERIFY(html.contains("Content-Security-Policy"));
    QVERIFY(html.contains("local-llama") && html.contains("<svg"));
    QVERIFY(readAll(path("r.md")).contains("local-llama"));
    QVERIFY(readAll(path("r.pdf")).startsWith("%PDF-"));
    QVERIFY(readAll(path("c.svg")).contains("<svg"));
    QVERIFY(readAll(path("c.png")).startsWith("\x89PNG"));
    const QList<QByteArray> csv = readAll(path("r.csv")).split('\n');
    QVERIFY(csv.first().contains("case_id"));
    QCOMPARE(std::count_if(csv.cbegin() + 1, csv.cend(), [](const QByteArray &l) { return !l.isEmpty(); }),
             lines.size());
}

void TestCliOutputs::reportRebuildsTheFilesFromTheDatabaseAlone()
{
    QVERIFY(!m_runId.isEmpty());
    const CliRun r = runCli({QStringLiteral("report"), m_runId, QStringLiteral("--db"), path("h.sqlite"),
                             QStringLiteral("--summary"), path("s2.json"), QStringLiteral("--jsonl"), path("r2.jsonl"),
                             QStringLiteral("--report"), path("r2.html")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    // The same results and the same figures as the live run wrote.
    QCOMPARE(cellKeys(jsonLines(path("r2.jsonl"))), cellKeys(jsonLines(path("r.jsonl"))));
    const QJsonObject live = QJsonDocument::fromJson(readAll(path("s.json"))).object();
    const QJsonObject stored = QJsonDocument::fromJson(readAll(path("s2.json"))).object();
    QCOMPARE(stored.value(u"run_id").toString(), m_runId);
    for (const QString &target : {QStringLiteral("local-llama"), QStringLiteral("gpt-oss-groq")}) {
        const QJsonObject a = summaryTarget(live, target);
        const QJsonObject b = summaryTarget(stored, target);
        QCOMPARE(b.value(u"n").toInt(), a.value(u"n").toInt());
        QCOMPARE(b.value(u"quality").toDouble(), a.value(u"quality").toDouble());
        QCOMPARE(b.value(u"cost_usd_total").toDouble(), a.value(u"cost_usd_total").toDouble());
    }
    QVERIFY(readAll(path("r2.html")).contains("local-llama"));

    const CliRun unknown = runCli({QStringLiteral("report"), QStringLiteral("no-such-run"), QStringLiteral("--db"),
                                   path("h.sqlite"), QStringLiteral("--summary"), path("x.json")});
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY2(unknown.err.contains(QStringLiteral("no-such-run")), qPrintable(unknown.err));
}

void TestCliOutputs::runsListsTheHistory()
{
    QVERIFY(!m_runId.isEmpty());
    const CliRun r = runCli({QStringLiteral("runs"), QStringLiteral("--db"), path("h.sqlite")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 1);
    const QStringList fields = lines.first().split(u'\t');
    QCOMPARE(fields.size(), 6);
    QCOMPARE(fields.at(0), m_runId);
    QVERIFY(QDateTime::fromString(fields.at(1), Qt::ISODate).isValid());
    QCOMPARE(fields.at(2), QStringLiteral("completed"));
    const QStringList answered = fields.at(3).split(u'/');
    QCOMPARE(answered.size(), 2);
    QVERIFY(answered.at(0).toInt() > 0);
    QCOMPARE(answered.at(0), answered.at(1));

    const CliRun missing = runCli({QStringLiteral("runs"), QStringLiteral("--db"), path("missing-dir/none/h.sqlite")});
    QCOMPARE(missing.exitCode, 2);
    QVERIFY2(!missing.err.isEmpty(), "a history that cannot be read says why");
}

void TestCliOutputs::withoutADatabaseTheJsonlIsStillWritten()
{
    const CliRun r = runCli({QStringLiteral("run"), QStringLiteral("--demo"), QStringLiteral("--suite"),
                             QStringLiteral("facts"), QStringLiteral("--targets"), QStringLiteral("local-llama"),
                             QStringLiteral("--no-db"), QStringLiteral("--jsonl"), path("nodb.jsonl")});
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(!r.err.contains(QStringLiteral("Recorded as run")));
    const QList<QJsonObject> lines = jsonLines(path("nodb.jsonl"));
    QVERIFY(lines.size() > 2);
    QVERIFY(!lines.first().value(u"run_id").toString().isEmpty());
}

// RELIABILITY F-10: a damaged history file is moved aside and a new one started, never silently:
// the user is told where the damaged file went and which backup there is.
void TestCliOutputs::aDamagedDatabaseIsReplacedAndSaidSo()
{
    const QString db = path("damaged.sqlite");
    const QStringList run{QStringLiteral("run"),       QStringLiteral("--demo"),      QStringLiteral("--suite"),
                          QStringLiteral("facts"),     QStringLiteral("--targets"),   QStringLiteral("local-llama"),
                          QStringLiteral("--db"),      db};
    CliRun r = runCli(run);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY(!r.err.contains(QStringLiteral("was damaged")));
    QFile file(db);
    QVERIFY(file.open(QIODevice::ReadWrite));
    file.write(QByteArray(file.size(), 'x'));
    file.close();

    r = runCli(run);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("was damaged")), qPrintable(r.err));
    const QDir folder(m_dir.path());
    const QStringList aside = folder.entryList({QStringLiteral("damaged.sqlite.corrupt-*")}, QDir::Files);
    QCOMPARE(aside.size(), 1);
    QVERIFY2(r.err.contains(QDir::toNativeSeparators(folder.filePath(aside.first()))), qPrintable(r.err));
    QVERIFY2(r.err.contains(QStringLiteral("The latest backup")), qPrintable(r.err));
    QVERIFY(!recordedRunId(r.err).isEmpty()); // and the run itself was recorded in the new file
}

void TestCliOutputs::badOutputPathsAreUsageErrors()
{
    CliRun r = runCli(kTwoTargets + QStringList{QStringLiteral("--report"), path("r.docx")});
    QCOMPARE(r.exitCode, 2);
    QVERIFY2(r.err.contains(QStringLiteral("r.docx")), qPrintable(r.err));
    r = runCli(kTwoTargets + QStringList{QStringLiteral("--db"), path("x.sqlite"), QStringLiteral("--no-db")});
    QCOMPARE(r.exitCode, 2);
}

void TestCliOutputs::resumeSendsOnlyWhatIsMissing()
{
    const QString db = path("resume.sqlite");
    QProcess p;
    p.setProcessEnvironment(cliEnvironment());
    p.start(QStringLiteral(SLOPSCOPE_CLI),
            {QStringLiteral("run"), QStringLiteral("--demo"), QStringLiteral("--suite"), QStringLiteral("facts"),
             QStringLiteral("--targets"), QStringLiteral("local-llama"), QStringLiteral("--repeat"),
             QStringLiteral("6"), QStringLiteral("--concurrency"), QStringLiteral("1"), QStringLiteral("--db"), db});
    QVERIFY(p.waitForStarted());
    QByteArray err;
    // Stopped once some cells are answered and many are not.
    static const QRegularExpression someDone(QStringLiteral("\\b[1-9]\\d*/\\d+ done"));
    QTRY_VERIFY_WITH_TIMEOUT(someDone.match(QString::fromUtf8(err += p.readAllStandardError())).hasMatch(), 60'000);
    p.terminate();
    QVERIFY(p.waitForFinished(60'000));
    QCOMPARE(p.exitCode(), 3);
    err += p.readAllStandardError();
    const QString runId = recordedRunId(QString::fromUtf8(err));
    QVERIFY2(!runId.isEmpty(), err.constData());

    const CliRun before = runCli(
        {QStringLiteral("report"), runId, QStringLiteral("--db"), db, QStringLiteral("--jsonl"), path("before.jsonl")});
    QCOMPARE(before.exitCode, 0);
    // Cancelled cells are recorded too (as cancelled); the resume keeps only the answered ones.
    const QList<QJsonObject> recorded = jsonLines(path("before.jsonl"));
    const int kept = static_cast<int>(std::count_if(recorded.cbegin(), recorded.cend(), [](const QJsonObject &o) {
        const QString status = o.value(u"status").toString();
        return status == u"ok" || status == u"truncated";
    }));
    QVERIFY(kept < recorded.size());

    const CliRun resumed = runCli({QStringLiteral("resume"), runId, QStringLiteral("--db"), db,
                                   QStringLiteral("--jsonl"), path("resumed.jsonl")});
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    const CliRun after = runCli({QStringLiteral("report"), runId, QStringLiteral("--db"), db, QStringLiteral("--jsonl"),
                                 path("after.jsonl"), QStringLiteral("--summary"), path("after.json")});
    QCOMPARE(after.exitCode, 0);
    const QList<QJsonObject> all = jsonLines(path("after.jsonl"));
    const QStringList keys = cellKeys(all);
    QCOMPARE(QSet<QString>(keys.cbegin(), keys.cend()).size(), keys.size()); // no duplicates
    QSet<QString> cases;
    for (const QJsonObject &o : all)
        cases.insert(o.value(u"case_id").toString());
    QVERIFY(cases.size() > 2);
    QCOMPARE(summaryTarget(QJsonDocument::fromJson(readAll(path("after.json"))).object(), QStringLiteral("local-llama"))
                 .value(u"n")
                 .toInt(),
             static_cast<int>(all.size()));
    QCOMPARE(static_cast<int>(all.size()), static_cast<int>(cases.size()) * 6); // every repeat of every case, once
    // Only the missing cells were sent by the resume (its JSONL holds just those).
    QVERIFY(kept > 0 && kept < all.size());
    QCOMPARE(static_cast<int>(jsonLines(path("resumed.jsonl")).size()), static_cast<int>(all.size()) - kept);

    const CliRun again = runCli({QStringLiteral("resume"), runId, QStringLiteral("--db"), db});
    QCOMPARE(again.exitCode, 0);
    QVERIFY2(again.err.contains(QStringLiteral("nothing to resume")), qPrintable(again.err));
}

void TestCliOutputs::mergeJoinsShardsOnce()
{
    QStringList ids;
    for (const char *shard : {"1/2", "2/2"}) {
        const CliRun r = runCli({QStringLiteral("run"), QStringLiteral("--demo"), QStringLiteral("--suite"),
                                 QStringLiteral("facts"), QStringLiteral("--targets"), QStringLiteral("local-llama"),
                                 QStringLiteral("--shard"), QString::fromLatin1(shard), QStringLiteral("--db"),
                                 path(shard[0] == '1' ? "shard1.sqlite" : "shard2.sqlite")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        ids.append(recordedRunId(r.err));
    }
    const QStringList merge{QStringLiteral("merge"), path("shard1.sqlite"), path("shard2.sqlite"),
                            QStringLiteral("--db"), path("merged.sqlite")};
    CliRun r = runCli(merge);
    QVERIFY2(r.exitCode == 0, qPrintable(r.err));
    QVERIFY2(r.out.contains(QStringLiteral("Merged 2 run(s)")), qPrintable(r.out));
    // Merging the same shards again adds nothing.
    r = runCli(merge);
    QCOMPARE(r.exitCode, 0);
    QVERIFY2(r.out.contains(QStringLiteral("Merged 0 run(s)")) && r.out.contains(QStringLiteral("2 skipped")),
             qPrintable(r.out));
    for (const QString &id : std::as_const(ids)) {
        const CliRun report = runCli({QStringLiteral("report"), id, QStringLiteral("--db"), path("merged.sqlite"),
                                      QStringLiteral("--summary"), path("merged.json")});
        QVERIFY2(report.exitCode == 0, qPrintable(report.err));
    }
}

void TestCliOutputs::importWritesASuiteThatRuns()
{
    QFile csv(path("cases.csv"));
    QVERIFY(csv.open(QIODevice::WriteOnly));
    csv.write("prompt,expected,tags\n"
              "What is the capital of France?,Paris,geo\n"
              "\"How many legs does a spider have, in digits?\",8,\"animals;numbers\"\n");
    csv.close();
    const CliRun imported = runCli({QStringLiteral("import"), QStringLiteral("csv"), path("cases.csv"),
                                    QStringLiteral("--out"), path("imported.json")});
    QVERIFY2(imported.exitCode == 0, qPrintable(imported.err));
    QVERIFY2(imported.out.contains(QStringLiteral("2 case(s)")), qPrintable(imported.out));
    const QJsonObject suite = QJsonDocument::fromJson(readAll(path("imported.json"))).object();
    QCOMPARE(suite.value(u"cases").toArray().size(), 2);

    const CliRun run =
        runCli({QStringLiteral("run"), QStringLiteral("--demo"), QStringLiteral("--suite"), path("imported.json"),
                QStringLiteral("--targets"), QStringLiteral("local-llama"), QStringLiteral("--no-db")});
    QVERIFY2(run.exitCode == 0, qPrintable(run.err));

    const CliRun bad = runCli(
        {QStringLiteral("import"), QStringLiteral("xlsx"), path("cases.csv"), QStringLiteral("--out"), path("x.json")});
    QCOMPARE(bad.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestCliOutputs)
#include "tst_clioutputs.moc"
