#include "CellDetailPanel.h"

#include "ChunkSparkline.h"
#include "LongTextView.h"
#include "RatingBar.h"
#include "run/ChainTranscript.h"
#include "views/ViewText.h"

#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

namespace Slopscope {

namespace {

QString ms(const std::optional<qint64> &ns)
{
    return ns ? CellDetailPanel::tr("%1 ms").arg(QLocale().toString(static_cast<double>(*ns) / 1e6, 'f', 0))
              : CellDetailPanel::tr("—");
}

QLabel *plainLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText); // may quote model output
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

// Answers and reasons can be one enormous paragraph: shown in short ones (B-14).
LongTextView *plainView(const QString &accessibleName, QWidget *parent)
{
    auto *edit = new LongTextView(parent);
    edit->setAccessibleName(accessibleName);
    edit->setTabChangesFocus(true);
    return edit;
}

} // namespace

CellDetailPanel::CellDetailPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("cellDetail"));
    setAccessibleName(tr("Selected answer"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 0, 0, 0);
    m_title = plainLabel(this);
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);
    m_rating = new RatingBar(this);
    layout->addWidget(m_rating);
    m_answer = plainView(tr("Answer"), this);
    m_answer->setObjectName(QStringLiteral("detailAnswer"));
    layout->addWidget(m_answer, 3);
    auto *gradesLabel = new QLabel(tr("Grades"), this);
    layout->addWidget(gradesLabel);
    m_grades = plainView(tr("Grades and reasons"), this);
    m_grades->setObjectName(QStringLiteral("detailGrades"));
    m_grades->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    layout->addWidget(m_grades, 1);
    auto *sparkLabel = new QLabel(tr("Chunk arrivals (time →, text received ↑)"), this);
    layout->addWidget(sparkLabel);
    m_sparkline = new ChunkSparkline(this);
    layout->addWidget(m_sparkline);
    m_metrics = plainLabel(this);
    m_metrics->setObjectName(QStringLiteral("detailMetrics"));
    m_metrics->setAccessibleName(tr("Figures"));
    layout->addWidget(m_metrics);
    clear();
}

CellDetailPanel::~CellDetailPanel() = default;

void CellDetailPanel::clear()
{
    m_title->setText(tr("Select a cell to see its answer."));
    m_rating->setEnabled(false); // nothing to rate
    m_answer->clear();
    m_grades->clear();
    m_sparkline->clear();
    m_metrics->clear();
}

void CellDetailPanel::showCell(const QString &targetLabel, const QString &caseTitle, const QList<CellResult> &runs)
{
    if (runs.isEmpty()) {
        clear();
        m_title->setText(tr("%1 · %2: no answer yet").arg(targetLabel, caseTitle));
        return;
    }
    m_rating->setEnabled(true);
    const QLocale locale;
    const CellResult &c = runs.constLast();
    m_title->setText(
        runs.size() > 1 ? tr("%1 · %2 · repeat %3 of %4").arg(targetLabel, caseTitle).arg(c.repeat + 1).arg(runs.size())
                        : tr("%1 · %2").arg(targetLabel, caseTitle));
    QString answer;
    if (!c.turns.isEmpty()) {
        // A chain: the whole conversation, turn by turn, as plain text (model text is untrusted).
        for (const ChainTranscript::Line &line : ChainTranscript::lines(c.turns)) {
            if (line.kind == ChainTranscript::Kind::Turn && !answer.isEmpty())
                answer += u'\n';
            answer += (line.bad ? QStringLiteral("✗ ") : QString()) + line.label + QStringLiteral(": ") +
                      ViewText::sanitized(line.text) + u'\n';
        }
        m_answer->setAccessibleName(tr("Chain transcript"));
    } else {
        answer = ViewText::sanitized(c.job.result.text);
        m_answer->setAccessibleName(tr("Answer"));
    }
    if (!c.job.result.refusal.isEmpty())
        answer += u'\n' + tr("[refusal] %1").arg(ViewText::sanitized(c.job.result.refusal));
    for (const ToolCall &call : c.job.result.toolCalls) {
        // Plain text, sanitised: a call's name and arguments are model output.
        const QString line =
            tr("[tool call] %1(%2)").arg(ViewText::sanitized(call.name), ViewText::sanitized(call.arguments));
        answer += answer.isEmpty() ? line : u'\n' + line;
    }
    m_answer->setText(answer);

    QStringList grades;
    if (c.job.state != JobState::Completed)
        grades << tr("Not completed: %1")
                      .arg(c.job.error.isEmpty() ? tr("no error given") : ViewText::sanitized(c.job.error));
    grades << tr("%1 · score %2").arg(c.grade.pass ? tr("PASS") : tr("FAIL"), locale.toString(c.grade.score, 'f', 2));
    for (const Grade &g : c.grade.grades) {
        const QString verdict = g.needsJudge ? tr("waiting for judge") : g.pass ? tr("pass") : tr("fail");
        grades << tr("• %1: %2 (%3) — %4")
                      .arg(g.type, verdict, locale.toString(g.score, 'f', 2), ViewText::sanitized(g.reason));
    }
    if (runs.size() > 1) {
        QStringList scores;
        for (const CellResult &r : runs)
            scores << locale.toString(r.grade.score, 'f', 2);
        grades << tr("Scores of all repeats: %1").arg(scores.join(QStringLiteral(", ")));
    }
    m_grades->setText(grades.join(u'\n'));

    m_sparkline->setTimeline(c.job.timeline);

    const RequestMetrics &m = c.metrics;
    QStringList figures;
    figures << tr("TTFT %1").arg(ms(m.ttftNs)) << tr("total %1").arg(ms(m.e2eNs));
    if (m.decodeTokensPerSecond)
        figures << tr("%1%2 tok/s")
                       .arg(m.tokensEstimated ? QStringLiteral("≈") : QString(),
                            locale.toString(*m.decodeTokensPerSecond, 'f', 0));
    if (m.outputTokens)
        figures << tr("%1 tokens").arg(locale.toString(*m.outputTokens, 'f', 0));
    figures << tr("%n chunk(s)", nullptr, m.contentChunks);
    if (m.stallCount > 0)
        figures << tr("%n stall(s)", nullptr, m.stallCount);
    figures << (c.cost.usd ? tr("$%1").arg(locale.toString(*c.cost.usd, 'f', 6)) : tr("cost unknown"));
    if (m.attempts > 1)
        figures << tr("%n attempt(s)", nullptr, m.attempts);
    if (!c.turns.isEmpty()) {
        int requests = 0;
        for (const ChainTurnResult &t : c.turns)
            requests += t.requests;
        figures << tr("%n turn(s)", nullptr, int(c.turns.size())) << tr("%n request(s)", nullptr, requests);
    }
    m_metrics->setText(figures.join(QStringLiteral(" · ")));
}

QString CellDetailPanel::titleText() const
{
    return m_title->text();
}

QString CellDetailPanel::answerText() const
{
    return m_answer->text();
}

QString CellDetailPanel::gradesText() const
{
    return m_grades->text();
}

QString CellDetailPanel::metricsText() const
{
    return m_metrics->text();
}

} // namespace Slopscope
