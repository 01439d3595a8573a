#pragma once

#include <QElapsedTimer>
#include <QTextStream>

// Progress of a headless run on stderr: a live bar with ETA and spend redrawn in place when stderr
// is a terminal, and plain lines (at most one per few seconds, plus the last) when it is a file or
// a CI log, where carriage returns would pile up.
class CliProgress final
{
public:
    explicit CliProgress(bool terminal);

    void update(int done, int total, double spentUsd);
    void finish(); // ends the bar's line
    // Prints a message without tearing the bar.
    void message(const QString &text);

    static bool stderrIsTerminal();

private:
    QString line(int done, int total, double spentUsd) const;

    QTextStream m_err;
    bool m_terminal;
    bool m_barShown = false;
    QElapsedTimer m_clock;
    qint64 m_lastPlainMs = -1;
    int m_lastDone = -1;
    int m_lastTotal = 0;
    double m_lastSpent = 0;
};
