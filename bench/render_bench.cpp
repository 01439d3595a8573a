// Rendering model output (RELIABILITY.md B-14 and S-9, issue #7), offscreen:
//
// 1. Inserting into one enormous paragraph: a 5 MB answer with no newline appended in 2,000-
//    character pieces (one flush's worth at 3,000 tokens/s) into a plain QPlainTextEdit, as the
//    panes did, and into LongTextView, as they do now; the slowest insert, the last 10 inserts'
//    mean and the total.
// 2. The "no hang > 100 ms" bound of S-9: a hostile 1 MB answer (HTML, image and CSS URLs,
//    Markdown images, javascript: links, a 10,000-column table, a long line with no newline)
//    shown in each view and painted once; the median of 3 per view.
//
// Exits 0 either way: a benchmark reports, it does not gate. Run a Release build:
//
//   bench_render [megabytes_for_part_1=5] [screenshot_folder]
//
// With a folder, it also saves what a stream pane shows for a huge line and a wide table.
#include "CellDetailPanel.h"
#include "DiffView.h"
#include "LongTextView.h"
#include "NWayDiffView.h"
#include "quality/Disagreement.h"
#include "ResultMatrixView.h"
#include "StreamPane.h"
#include "views/ResultMatrixModel.h"
#include "views/ViewText.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QScrollBar>
#include <QTextCursor>
#include <QThread>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

using namespace Slopscope;

namespace {

struct InsertFigures
{
    double maxMs = 0;
    double lastMeanMs = 0;
    double totalMs = 0;
    qsizetype chars = 0; // appended before the time budget ran out
};

InsertFigures timeInserts(const std::function<void(const QString &)> &append, qsizetype chars)
{
    const QString piece = QStringLiteral("abcdefghij").repeated(200); // 2,000 characters, no space
    std::vector<double> each;
    QElapsedTimer total;
    total.start();
    qsizetype done = 0;
    // 20 s at most: the plain view's cost grows with the square of the paragraph's length.
    for (; done < chars && total.elapsed() < 20'000; done += piece.size()) {
        QElapsedTimer one;
        one.start();
        append(piece);
        QCoreApplication::processEvents(); // the repaint an insert causes
        each.push_back(static_cast<double>(one.nsecsElapsed()) / 1e6);
    }
    InsertFigures f;
    f.totalMs = static_cast<double>(total.nsecsElapsed()) / 1e6;
    f.chars = done;
    f.maxMs = *std::max_element(each.begin(), each.end());
    const std::size_t tail = std::min<std::size_t>(10, each.size());
    for (std::size_t i = each.size() - tail; i < each.size(); ++i)
        f.lastMeanMs += each[i] / static_cast<double>(tail);
    return f;
}

QString hostileMegabyte()
{
    QString text = QStringLiteral("<img src=\"http://127.0.0.1:9/x.png\"><img src=\"file:///etc/passwd\">"
                                  "<div style=\"background:url('http://127.0.0.1:9/c.png')\">css</div>"
                                  "![s](http://127.0.0.1:9/?q=secret) [x](javascript:alert(1)) <script>alert(1)</script>\n");
    QString table = QStringLiteral("|");
    for (int i = 0; i < 10'000; ++i)
        table += QStringLiteral(" c%1 |").arg(i);
    text += table + u'\n';
    while (text.size() < 512 * 1024)
        text += QStringLiteral("<b>bold</b> &amp; <a href=\"javascript:x\">link</a> ![i](file:///etc/shadow) \n");
    text += QStringLiteral("y").repeated(1024 * 1024 - text.size()); // the rest: one line, no newline
    return text;
}

double medianMs(const std::function<void()> &show, QWidget *view)
{
    std::vector<double> runs;
    for (int i = 0; i < 3; ++i) {
        QElapsedTimer t;
        t.start();
        show();
        view->grab(); // painted once
        QCoreApplication::processEvents();
        runs.push_back(static_cast<double>(t.nsecsElapsed()) / 1e6);
    }
    std::sort(runs.begin(), runs.end());
    return runs[1];
}

// What the user feels of work finished on a worker: the time the call holds the GUI thread, and
// the longest it is busy at once afterwards, until `done()` (events served every millisecond).
std::pair<double, double> guiStallsMs(const std::function<void()> &show, QWidget *view,
                                      const std::function<bool()> &done)
{
    QElapsedTimer t;
    t.start();
    show();
    view->grab();
    const double call = static_cast<double>(t.nsecsElapsed()) / 1e6;
    double longest = 0;
    while (!done()) {
        QThread::msleep(1);
        QElapsedTimer slice;
        slice.start();
        QCoreApplication::processEvents();
        longest = std::max(longest, static_cast<double>(slice.nsecsElapsed()) / 1e6);
    }
    return {call, longest};
}

CellResult cellWith(const QString &target, const QString &text)
{
    CellResult c;
    c.job.targetId = target;
    c.job.jobId = target + QStringLiteral("/case");
    c.job.state = JobState::Completed;
    c.job.result.text = text;
    c.caseId = QStringLiteral("case");
    return c;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    std::setvbuf(stdout, nullptr, _IONBF, 0);
    const auto chars = static_cast<qsizetype>((argc > 1 ? QString::fromLocal8Bit(argv[1]).toDouble() : 5.0) * 1024 * 1024);

    std::printf("1. %lld characters with no newline, appended 2,000 at a time\n", static_cast<long long>(chars));
    std::printf("%-28s %12s %16s %12s %12s\n", "view", "max insert", "last 10 (mean)", "total", "characters");
    {
        QPlainTextEdit plain;
        plain.resize(500, 600);
        plain.show();
        const InsertFigures f = timeInserts(
            [&plain](const QString &piece) {
                QTextCursor cursor(plain.document());
                cursor.movePosition(QTextCursor::End);
                cursor.insertText(piece);
            },
            chars);
        std::printf("%-28s %9.1f ms %13.2f ms %9.0f ms %12lld\n", "QPlainTextEdit (before)", f.maxMs, f.lastMeanMs, f.totalMs,
                    static_cast<long long>(f.chars));
    }
    {
        LongTextView view;
        view.resize(500, 600);
        view.show();
        const InsertFigures f = timeInserts([&view](const QString &piece) { view.appendText(piece); }, chars);
        std::printf("%-28s %9.1f ms %13.2f ms %9.0f ms %12lld\n", "LongTextView (now)", f.maxMs, f.lastMeanMs, f.totalMs,
                    static_cast<long long>(f.chars));
    }

    if (argc > 2) {
        const QString folder = QString::fromLocal8Bit(argv[2]);
        QString table = QStringLiteral("|");
        for (int i = 0; i < 10'000; ++i)
            table += QStringLiteral(" c%1 |").arg(i);
        table += QStringLiteral("\n|") + QStringLiteral("---|").repeated(10'000) + u'\n';
        const QList<std::pair<QString, QString>> shots{
            {QStringLiteral("pane-huge-line.png"), QStringLiteral("0123456789").repeated(5 * 1024 * 1024 / 10)},
            {QStringLiteral("pane-wide-table.png"), table}};
        for (const auto &[file, answer] : shots) {
            StreamPane pane(QStringLiteral("a"), QStringLiteral("Target A"), QStringLiteral("#0072B2"));
            pane.resize(520, 420);
            pane.show();
            pane.appendAnswer(answer);
            pane.setState(StreamPane::State::Done);
            pane.answerView()->verticalScrollBar()->setValue(0);
            QCoreApplication::processEvents();
            pane.grab().save(folder + u'/' + file);
        }
    }

    const QString text = hostileMegabyte();
    std::printf("\n2. A hostile %lld-character answer shown and painted (median of 3; bound 100 ms)\n",
                static_cast<long long>(text.size()));
    ResultMatrixModel model;
    Suite suite;
    SuiteCase sc;
    sc.id = QStringLiteral("case");
    sc.prompt = QStringLiteral("?");
    suite.cases.append(sc);
    model.setSuite(suite);
    TargetConfig a;
    a.id = QStringLiteral("a");
    a.label = QStringLiteral("A");
    TargetConfig b = a;
    b.id = QStringLiteral("b");
    b.label = QStringLiteral("B");
    model.setTargets({a, b});
    model.addCell(cellWith(QStringLiteral("a"), text));
    model.addCell(cellWith(QStringLiteral("b"), text + QStringLiteral(" more")));

    struct Row
    {
        const char *name;
        double ms;
    };
    std::vector<Row> rows;
    {
        StreamPane pane(QStringLiteral("a"), QStringLiteral("A"), QStringLiteral("#0072B2"));
        pane.resize(500, 700);
        pane.show();
        rows.push_back({"StreamPane", medianMs(
                                          [&] {
                                              pane.clear();
                                              pane.appendAnswer(text);
                                          },
                                          &pane)});
    }
    {
        CellDetailPanel detail;
        detail.resize(600, 700);
        detail.show();
        const QList<CellResult> runs{cellWith(QStringLiteral("a"), text)};
        rows.push_back(
            {"CellDetailPanel", medianMs([&] { detail.showCell(QStringLiteral("A"), QStringLiteral("case"), runs); }, &detail)});
    }
    {
        ResultMatrixView matrix(&model);
        matrix.resize(1000, 700);
        matrix.show();
        rows.push_back({"ResultMatrixView (+ tooltip)", medianMs(
                                                            [&] {
                                                                matrix.selectCell(0, 0);
                                                                (void)model.index(0, 0).data(Qt::ToolTipRole);
                                                            },
                                                            &matrix)});
    }
    {
        DiffView diff(&model);
        diff.resize(1000, 700);
        diff.show();
        // The word diff runs on a worker: the GUI thread shows the texts, later applies the marks.
        std::vector<std::pair<double, double>> runs;
        for (int i = 0; i < 3; ++i)
            runs.push_back(
                guiStallsMs([&] { diff.setTexts(QStringLiteral("A"), text, QStringLiteral("B"), text + u'!'); }, &diff,
                            [&] { return !diff.isComparing(); }));
        std::sort(runs.begin(), runs.end());
        rows.push_back({"DiffView (show the texts)", runs[1].first});
        std::sort(runs.begin(), runs.end(), [](const auto &x, const auto &y) { return x.second < y.second; });
        rows.push_back({"DiffView (apply the marks)", runs[1].second});
    }
    {
        // The facts are compared on a worker; a new view each time, as the same answers are not
        // compared again.
        std::vector<std::pair<double, double>> runs;
        for (int i = 0; i < 3; ++i) {
            auto nway = std::make_unique<NWayDiffView>(&model);
            nway->resize(1000, 700);
            runs.push_back(guiStallsMs(
                [&] {
                    nway->show();
                    nway->showCase(0);
                },
                nway.get(), [&] { return !nway->isComparing(); }));
        }
        std::sort(runs.begin(), runs.end());
        rows.push_back({"NWayDiffView (show)", runs[1].first});
        std::sort(runs.begin(), runs.end(), [](const auto &x, const auto &y) { return x.second < y.second; });
        rows.push_back({"NWayDiffView (apply marks)", runs[1].second});
        const QList<Disagreement::Answer> answers{
            {QStringLiteral("a"), ViewText::sanitized(text)},
            {QStringLiteral("b"), ViewText::sanitized(text + QStringLiteral(" more"))}};
        QWidget idle;
        rows.push_back(
            {"  (Disagreement::compare, worker)", medianMs([&] { (void)Disagreement::compare(answers); }, &idle)});
    }
    for (const Row &r : rows)
        std::printf("%-28s %9.1f ms  %s\n", r.name, r.ms, r.ms <= 100.0 ? "within 100 ms" : "OVER 100 ms");
    return 0;
}
