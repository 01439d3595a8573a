#include "SettingsDialog.h"

#include "AppearanceSettingsPage.h"
#include "KeysSettingsPage.h"

#include <QDialogButtonBox>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Slopscope {

SettingsDialog::SettingsDialog(KeyringSecrets *secrets, const Workspace &workspace, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Preferences"));
    auto *layout = new QVBoxLayout(this);
    m_pages = new QTabWidget(this);
    m_pages->setObjectName(QStringLiteral("settingsPages"));
    m_keys = new KeysSettingsPage(secrets, workspace, m_pages);
    m_appearance = new AppearanceSettingsPage(m_pages);
    m_pages->addTab(m_keys, tr("&Keys"));
    m_pages->addTab(m_appearance, tr("&Appearance"));
    layout->addWidget(m_pages);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(720, 440);
}

SettingsDialog::~SettingsDialog() = default;

void SettingsDialog::showPage(Page page)
{
    m_pages->setCurrentWidget(page == Page::Keys ? static_cast<QWidget *>(m_keys)
                                                 : static_cast<QWidget *>(m_appearance));
}

} // namespace Slopscope
