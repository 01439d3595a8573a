// MainWindow: the run bar's spend cap and the Run menu's options, kept between sessions.
#include "MainWindow.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QMenu>
#include <QSettings>
#include <QToolBar>

namespace Slopscope {

namespace {

const QString kSpendCapKey = QStringLiteral("run/spend_cap_usd");
const QString kRetryTruncatedKey = QStringLiteral("run/retry_truncated");

} // namespace

void MainWindow::createSpendCap(QToolBar *bar)
{
    // One cap for a run (judges included) and for a quick-compare chat.
    m_spendCap = new QDoubleSpinBox(bar);
    m_spendCap->setObjectName(QStringLiteral("spendCap"));
    m_spendCap->setRange(0, 100'000);
    m_spendCap->setDecimals(4); // single answers cost fractions of a cent
    m_spendCap->setSingleStep(0.5);
    m_spendCap->setPrefix(QStringLiteral("$"));
    m_spendCap->setSpecialValueText(tr("no cap"));
    m_spendCap->setAccessibleName(tr("Spend cap"));
    m_spendCap->setToolTip(tr("Stop a run or a quick-compare chat once it has cost this much (0: no cap)."));
    m_spendCap->setValue(QSettings().value(kSpendCapKey, 0.0).toDouble());
    connect(m_spendCap, &QDoubleSpinBox::valueChanged, this,
            [](double value) { QSettings().setValue(kSpendCapKey, value); });
    auto *label = new QLabel(tr("  Spend &cap "), bar);
    label->setBuddy(m_spendCap);
    bar->addWidget(label);
    bar->addWidget(m_spendCap);
}

std::optional<double> MainWindow::spendCap() const
{
    return m_spendCap->value() > 0 ? std::optional(m_spendCap->value()) : std::nullopt;
}

void MainWindow::createRunOptionActions(QMenu *run)
{
    run->addSeparator();
    m_retryTruncated = run->addAction(tr("Retry &Broken-Off Answers"));
    m_retryTruncated->setObjectName(QStringLiteral("retryTruncatedAction"));
    m_retryTruncated->setCheckable(true);
    m_retryTruncated->setChecked(QSettings().value(kRetryTruncatedKey, false).toBool());
    m_retryTruncated->setToolTip(tr("Send again an answer whose stream broke off; the new answer replaces the "
                                    "partial one, and both are paid for."));
    connect(m_retryTruncated, &QAction::toggled, this,
            [](bool on) { QSettings().setValue(kRetryTruncatedKey, on); });
}

} // namespace Slopscope
