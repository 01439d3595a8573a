#include "CliProgress.h"

#include <QCoreApplication>
#include <QLocale>

#include <cstdio>
#ifdef Q_OS_WIN
#include <io.h>
#else
#include <unistd.h>
#endif

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(CliProgress)
};

QString duration(qint64 seconds)
{
    if (seconds >= 3600)
        return QStringLiteral("%1h%2m").arg(seconds / 3600).arg((seconds % 3600) / 60, 2, 10, QLatin1Char('0'));
    if (seconds >= 60)
        return QStringLiteral("%1m%2s").arg(seconds / 60).arg(seconds % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1s").arg(seconds);
}

constexpr qint64 kPlainIntervalMs = 5000;

} // namespace

CliProgress::CliProgress(bool terminal)
    : m_err(stderr)
    , m_terminal(terminal)
{
    m_clock.start();
}

bool CliProgress::stderrIsTerminal()
{
#ifdef Q_OS_WIN
    return _isatty(_fileno(stderr)) != 0;
#else
    return isatty(fileno(stderr)) != 0;
#endif
}

QString CliProgress::line(int done, int total, double spentUsd) const
{
    const qint64 elapsedMs = m_clock.elapsed();
    QString eta = QStringLiteral("?");
    if (done > 0 && total > done)
        eta = duration(elapsedMs * (total - done) / done / 1000);
    else if (total > 0 && done >= total)
        eta = duration(0);
    const QString spent = QStringLiteral("$") + QLocale::c().toString(spentUsd, 'f', 4);
    if (!m_terminal)
        return Tr::tr("%1/%2 done, %3 spent, %4 elapsed, ETA %5")
            .arg(done)
            .arg(total)
            .arg(spent, duration(elapsedMs / 1000), eta);
    constexpr int width = 30;
    const int filled = total > 0 ? static_cast<int>(static_cast<qint64>(width) * done / total) : 0;
    const QString bar = QString(filled, u'#') + QString(width - filled, u'.');
    return QStringLiteral("[%1] %2/%3  %4  ETA %5").arg(bar).arg(done).arg(total).arg(spent, eta);
}

void CliProgress::update(int done, int total, double spentUsd)
{
    m_lastDone = done;
    m_lastTotal = total;
    m_lastSpent = spentUsd;
    if (m_terminal) {
        // \r and erase-to-end-of-line redraw the bar in place.
        m_err << '\r' << line(done, total, spentUsd) << "\x1b[K";
        m_err.flush();
        m_barShown = true;
        return;
    }
    const qint64 now = m_clock.elapsed();
    if (done < total && m_lastPlainMs >= 0 && now - m_lastPlainMs < kPlainIntervalMs)
        return;
    m_lastPlainMs = now;
    m_err << line(done, total, spentUsd) << Qt::endl;
}

void CliProgress::message(const QString &text)
{
    if (m_terminal && m_barShown) {
        m_err << "\r\x1b[K" << text << '\n' << line(m_lastDone, m_lastTotal, m_lastSpent) << "\x1b[K";
        m_err.flush();
        return;
    }
    m_err << text << Qt::endl;
}

void CliProgress::finish()
{
    if (m_terminal && m_barShown)
        m_err << Qt::endl;
    m_barShown = false;
}
