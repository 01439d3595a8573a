#include "ProviderStatusStrip.h"

#include "views/ProviderStatusBoard.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QTimer>

namespace Slopscope {

namespace {

// The chip's marker colour: the palette's own where it has one, so dark themes keep contrast.
QString markerColour(ProviderStatus::State state, const QPalette &palette)
{
    switch (state) {
    case ProviderStatus::State::Stopped:
        return QStringLiteral("#d33b3b");
    case ProviderStatus::State::RateLimited:
        return QStringLiteral("#d99a1e");
    case ProviderStatus::State::Offline:
    case ProviderStatus::State::Active:
        break;
    }
    return palette.color(QPalette::PlaceholderText).name();
}

} // namespace

ProviderStatusStrip::ProviderStatusStrip(ProviderStatusBoard *board, QWidget *parent)
    : QWidget(parent)
    , m_board(board)
    , m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("providerStatusStrip"));
    setAccessibleName(tr("Provider status"));
    m_layout = new QHBoxLayout(this);
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(6);
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, &ProviderStatusStrip::refresh);
    connect(m_board, &ProviderStatusBoard::changed, this, &ProviderStatusStrip::refresh);
    refresh();
}

ProviderStatusStrip::~ProviderStatusStrip() = default;

QStringList ProviderStatusStrip::texts() const
{
    QStringList out;
    for (int i = 0; i < m_layout->count(); ++i) {
        if (const auto *label = qobject_cast<QLabel *>(m_layout->itemAt(i)->widget()))
            out.append(label->text());
    }
    return out;
}

void ProviderStatusStrip::refresh()
{
    const QList<ProviderStatusBoard::Entry> entries = m_board->entries();
    // Reuse the chips: a countdown refresh every second should not rebuild widgets.
    while (m_layout->count() > entries.size()) {
        QLayoutItem *item = m_layout->takeAt(m_layout->count() - 1);
        delete item->widget();
        delete item;
    }
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const ProviderStatusBoard::Entry &entry = entries.at(i);
        QLabel *chip = nullptr;
        if (i < m_layout->count()) {
            chip = qobject_cast<QLabel *>(m_layout->itemAt(int(i))->widget());
        } else {
            chip = new QLabel(this);
            chip->setTextFormat(Qt::PlainText); // provider messages quote servers: never markup
            m_layout->addWidget(chip);
        }
        chip->setText(entry.text);
        chip->setToolTip(entry.toolTip.isEmpty() ? entry.text : entry.toolTip);
        chip->setAccessibleName(entry.text);
        chip->setStyleSheet(QStringLiteral("QLabel { border-left: 3px solid %1; padding-left: 4px; }")
                                .arg(markerColour(entry.state, palette())));
    }
    setVisible(!entries.isEmpty());
    if (m_board->counting()) {
        if (!m_tick->isActive())
            m_tick->start();
    } else {
        m_tick->stop();
    }
}

} // namespace Slopscope
