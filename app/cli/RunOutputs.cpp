#include "RunOutputs.h"

#include "report/ReportExport.h"
#include "report/ReportJson.h"
#include "run/RunSession.h"
#include "store/HistoryStore.h"
#include "store/HistoryWriter.h"
#include "store/RunRecorder.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QUuid>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(RunOutputs)
};

const QCommandLineOption &dbOption()
{
    static const QCommandLineOption option(QStringLiteral("db"),
                                           Tr::tr("History database (default: the one the app uses)."), Tr::tr("file"));
    return option;
}

const QCommandLineOption &noDbOption()
{
    static const QCommandLineOption option(QStringLiteral("no-db"), Tr::tr("Do not record the run in any database."));
    return option;
}

const QCommandLineOption &jsonlOption()
{
    static const QCommandLineOption option(QStringLiteral("jsonl"),
                                           Tr::tr("Write one JSON line per result as it is recorded."), Tr::tr("file"));
    return option;
}

const QCommandLineOption &summaryOption()
{
    static const QCommandLineOption option(QStringLiteral("summary"), Tr::tr("Write the per-target summary (JSON)."),
                                           Tr::tr("file.json"));
    return option;
}

const QCommandLineOption &reportOption()
{
    static const QCommandLineOption option(
        QStringLiteral("report"), Tr::tr("Write a report: .html, .pdf or .md. May be repeated."), Tr::tr("file"));
    return option;
}

const QCommandLineOption &chartOption()
{
    static const QCommandLineOption option(
        QStringLiteral("chart"), Tr::tr("Write the price/quality chart: .png, .svg or .pdf. May be repeated."),
        Tr::tr("file"));
    return option;
}

const QCommandLineOption &csvOption()
{
    static const QCommandLineOption option(QStringLiteral("csv"), Tr::tr("Write one CSV row per result."),
                                           Tr::tr("file"));
    return option;
}

} // namespace

void OutputPaths::addOptions(QCommandLineParser &parser, bool withDb)
{
    if (withDb)
        parser.addOptions({dbOption(), noDbOption()});
    parser.addOptions({jsonlOption(), summaryOption(), reportOption(), chartOption(), csvOption()});
}

Result<OutputPaths> OutputPaths::fromParser(const QCommandLineParser &parser, bool withDb)
{
    OutputPaths paths;
    if (withDb) {
        paths.noDb = parser.isSet(noDbOption());
        if (paths.noDb && parser.isSet(dbOption()))
            return Error{Tr::tr("Give --db FILE or --no-db, not both.")};
        if (!paths.noDb)
            paths.db = parser.isSet(dbOption()) ? parser.value(dbOption()) : HistoryStore::defaultPath();
    }
    paths.jsonl = parser.value(jsonlOption());
    paths.summary = parser.value(summaryOption());
    paths.csv = parser.value(csvOption());
    paths.reports = parser.values(reportOption());
    paths.charts = parser.values(chartOption());
    for (const QString &report : std::as_const(paths.reports)) {
        if (!ReportExport::isReportPath(report))
            return Error{Tr::tr("--report %1: the file must end in .html, .pdf or .md.").arg(report)};
    }
    for (const QString &chart : std::as_const(paths.charts)) {
        if (!ReportExport::isChartPath(chart))
            return Error{Tr::tr("--chart %1: the file must end in .png, .svg or .pdf.").arg(chart)};
    }
    return paths;
}

bool OutputPaths::needsGui() const
{
    const auto painted = [](const QString &path) {
        const QString suffix = QFileInfo(path).suffix().toLower();
        return suffix == u"png" || suffix == u"pdf";
    };
    return std::any_of(reports.cbegin(), reports.cend(), painted) ||
           std::any_of(charts.cbegin(), charts.cend(), painted);
}

RunOutputs::RunOutputs(OutputPaths paths, QObject *parent)
    : QObject(parent)
    , m_paths(std::move(paths))
{}

RunOutputs::~RunOutputs()
{
    m_recorder.reset();
    if (m_writer)
        m_writer->stop();
}

Status RunOutputs::open(RunSession *session)
{
    if (!m_paths.jsonl.isEmpty()) {
        m_jsonl.setFileName(m_paths.jsonl);
        if (!m_jsonl.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return Error{
                Tr::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(m_paths.jsonl), m_jsonl.errorString())};
    }
    if (!m_paths.db.isEmpty()) {
        HistoryStore store;
        auto opened = store.open(m_paths.db);
        if (!opened)
            return Error{opened.error()};
        if (const QString notice = HistoryStore::recoveryNotice(opened.value()); !notice.isEmpty())
            m_notices.append(notice);
        store.close();
        m_writer = std::make_unique<HistoryWriter>();
        connect(m_writer.get(), &HistoryWriter::committed, this, &RunOutputs::onCommitted);
        connect(m_writer.get(), &HistoryWriter::problemChanged, this, [this](const StoreProblem &problem) {
            if (problem.kind == StoreProblem::Kind::None || problem.kind == StoreProblem::Kind::Busy)
                return; // a lock held by another process: the writer waits and retries
            if (m_storeProblem.isEmpty()) {
                m_storeProblem = problem.message;
                emit storeFailed(problem.message);
            }
        });
        m_writer->start(m_paths.db);
        m_recorder = std::make_unique<RunRecorder>(m_writer.get());
        m_recorder->attach(session);
    }
    // After the recorder: the cell reaches the writer before it is waiting here.
    connect(session, &RunSession::cellFinished, this, &RunOutputs::onCellFinished);
    return {};
}

QString RunOutputs::begin(const RunSpec &spec)
{
    // Without a database the JSONL and reports still need an id to tie their lines together.
    m_runId = m_recorder ? m_recorder->begin(spec) : QUuid::createUuid().toString(QUuid::WithoutBraces);
    m_startedAt = QDateTime::currentDateTimeUtc();
    return m_runId;
}

void RunOutputs::resume(const QString &runId)
{
    m_runId = runId;
    m_startedAt = QDateTime::currentDateTimeUtc();
    if (m_recorder)
        m_recorder->resume(runId);
}

void RunOutputs::onCellFinished(const CellResult &cell)
{
    if (!m_jsonl.isOpen())
        return;
    if (m_writer)
        m_uncommitted.insert(cell.job.jobId, cell);
    else
        writeJsonl(cell);
}

void RunOutputs::onCommitted(const QStringList &jobIds)
{
    for (const QString &id : jobIds) {
        const auto it = m_uncommitted.constFind(id);
        if (it == m_uncommitted.constEnd())
            continue;
        writeJsonl(*it);
        m_uncommitted.erase(it);
    }
}

void RunOutputs::writeJsonl(const CellResult &cell)
{
    const QByteArray line = ReportJson::jsonlLine(m_runId, cell);
    // Flushed per line: a reader tailing the file (or a crash) sees whole lines only.
    if (m_jsonl.write(line) != line.size() || !m_jsonl.flush()) {
        if (m_jsonlError.isEmpty())
            m_jsonlError =
                Tr::tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(m_paths.jsonl), m_jsonl.errorString());
    }
}

Status RunOutputs::finish(const RunSession &session)
{
    if (m_writer) {
        // The recorder has queued the end of the run; stop() commits what is queued and returns
        // once the writer is done. Committed signals are queued to this thread: deliver them.
        m_recorder.reset();
        m_writer->stop();
        QCoreApplication::sendPostedEvents();
    }
    QStringList problems;
    if (!m_uncommitted.isEmpty()) {
        problems.append(Tr::tr("%1 result(s) could not be saved to %2; they are left out of %3.")
                            .arg(m_uncommitted.size())
                            .arg(QDir::toNativeSeparators(m_paths.db), QDir::toNativeSeparators(m_paths.jsonl)));
    }
    if (m_jsonl.isOpen())
        m_jsonl.close();
    if (!m_jsonlError.isEmpty())
        problems.append(m_jsonlError);

    ReportRunInfo info;
    info.runId = m_runId;
    info.startedAt = m_startedAt;
    info.endedAt = QDateTime::currentDateTimeUtc();
    const ReportData data = ReportData::fromSession(session, info);
    const Status written = writeEndFiles(m_paths, data);
    if (!written.ok())
        problems.append(written.error());
    if (!problems.isEmpty())
        return Error{problems.join(u'\n')};
    return {};
}

Status RunOutputs::writeEndFiles(const OutputPaths &paths, const ReportData &data)
{
    QStringList problems;
    const auto keep = [&problems](const Status &status) {
        if (!status.ok())
            problems.append(status.error());
    };
    if (!paths.summary.isEmpty())
        keep(ReportExport::writeSummary(paths.summary, data));
    if (!paths.csv.isEmpty())
        keep(ReportExport::writeCsv(paths.csv, data));
    for (const QString &report : paths.reports)
        keep(ReportExport::writeReport(report, data));
    for (const QString &chart : paths.charts)
        keep(ReportExport::writeChart(chart, data));
    if (!problems.isEmpty())
        return Error{problems.join(u'\n')};
    return {};
}

} // namespace Slopscope
