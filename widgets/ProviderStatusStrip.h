#pragma once

#include <QWidget>

class QHBoxLayout;
class QTimer;

namespace Slopscope {

class ProviderStatusBoard;

// One chip per provider that is not dispatching normally, for the status bar: rate-limited with a
// live countdown, stopped with its reason, or offline. Hidden while every provider is fine. The
// whole message is each chip's tooltip.
class ProviderStatusStrip final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProviderStatusStrip)

public:
    explicit ProviderStatusStrip(ProviderStatusBoard *board, QWidget *parent = nullptr);
    ~ProviderStatusStrip() override;

    // The chips' texts, left to right (for tests and accessibility checks).
    [[nodiscard]] QStringList texts() const;

private:
    void refresh();

    ProviderStatusBoard *m_board = nullptr; // not owned
    QHBoxLayout *m_layout = nullptr;
    QTimer *m_tick = nullptr; // refreshes countdowns once a second while one runs
};

} // namespace Slopscope
