#pragma once

#include <QObject>
#include <QTimer>

#include <utility>
#include <vector>

namespace Slopscope::Bench {

// A 1 ms precise timer on the calling (GUI) thread: the gap between two firings is how long the
// event loop could not turn (appending, laying out, painting, models). A gap near 1 ms is the
// timer itself.
class EventLoopProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventLoopProbe)

public:
    explicit EventLoopProbe(QObject *parent = nullptr);

    // Starts measuring; gaps are stamped with the seconds since `originNs` (nowNs()).
    void start(qint64 originNs);
    void stop();

    struct Summary
    {
        std::size_t count = 0;
        double p50 = 0;
        double p99 = 0;
        double max = 0;
        std::size_t over = 0; // gaps longer than the limit given to summary()
    };
    [[nodiscard]] Summary summary(double limitMs) const;
    // The `n` longest gaps as (ms, seconds into the run when they ended), longest first.
    [[nodiscard]] std::vector<std::pair<double, double>> worst(std::size_t n) const;

private:
    QTimer m_timer;
    qint64 m_originNs = 0;
    qint64 m_lastNs = 0;
    std::vector<std::pair<double, double>> m_gaps; // (ms, seconds into the run)
};

} // namespace Slopscope::Bench
