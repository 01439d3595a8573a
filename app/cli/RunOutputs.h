#pragma once

#include "core/Result.h"
#include "report/ReportData.h"
#include "run/RunSpec.h"

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QDateTime>
#include <QFile>
#include <QHash>
#include <QObject>
#include <QStringList>

#include <memory>

namespace Slopscope {

class HistoryWriter;
class RunRecorder;
class RunSession;

// Where a CLI run leaves its results: the history database, the JSONL stream, and the files
// written at the end (summary, reports, charts, CSV). Shared by `run`, `resume` and `report`.
struct OutputPaths
{
    QString db; // empty with noDb
    bool noDb = false;
    QString jsonl;
    QString summary;
    QStringList reports;
    QStringList charts;
    QString csv;

    // The options of the output files (--jsonl, --summary, --report, --chart, --csv), and of the
    // database (--db, --no-db) when withDb.
    static void addOptions(QCommandLineParser &parser, bool withDb);
    // Reads them back; fails on a report or chart path with an extension no writer knows.
    static Result<OutputPaths> fromParser(const QCommandLineParser &parser, bool withDb);
    [[nodiscard]] bool needsGui() const; // PNG and PDF are painted: a QGuiApplication must exist
};

// Records one session into the history and streams its JSONL. A JSONL line is written only once
// its result is committed to the database, so every line on disk is a result the history holds.
class RunOutputs final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RunOutputs)

public:
    explicit RunOutputs(OutputPaths paths, QObject *parent = nullptr);
    ~RunOutputs() override;

    // Opens (creating or migrating) the database and the JSONL file, and follows `session`.
    Status open(RunSession *session);
    // A new run id, recorded when the session starts; or an earlier run continued.
    QString begin(const RunSpec &spec);
    void resume(const QString &runId);
    [[nodiscard]] const QString &runId() const { return m_runId; }

    // After the session finished: waits until the history holds every result (or gives up on a
    // persistent failure, which is returned), then writes the files of the end.
    Status finish(const RunSession &session);
    // A failure of the database while running (disk full, read-only, ...), empty while all is well.
    [[nodiscard]] const QString &storeProblem() const { return m_storeProblem; }
    // What open() found that the user must know, e.g. a damaged database replaced by a new one.
    [[nodiscard]] const QStringList &notices() const { return m_notices; }

    // The end files of a run, from the session or from the history alone (`report RUN_ID`).
    static Status writeEndFiles(const OutputPaths &paths, const ReportData &data);

Q_SIGNALS:
    void storeFailed(const QString &message);

private:
    void onCellFinished(const CellResult &cell);
    void onCommitted(const QStringList &jobIds);
    void writeJsonl(const CellResult &cell);

    OutputPaths m_paths;
    std::unique_ptr<HistoryWriter> m_writer;
    std::unique_ptr<RunRecorder> m_recorder;
    QFile m_jsonl;
    QString m_jsonlError;
    QHash<QString, CellResult> m_uncommitted; // job id → result not yet committed
    QString m_runId;
    QDateTime m_startedAt;
    QString m_storeProblem;
    QStringList m_notices;
};

} // namespace Slopscope
