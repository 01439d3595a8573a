#include "SettingsDialog.h"

#include "AppearanceSettingsPage.h"
#include "KeysSettingsPage.h"
#include "ProvidersSettingsPage.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QTabWidget>
#include <QVBoxLayout>

namespace Slopscope {

SettingsDialog::SettingsDialog(KeyringSecrets *secrets, const Workspace &workspace, QWidget *parent)
    : SettingsDialog(secrets, workspace, nullptr, parent)
{}

SettingsDialog::SettingsDialog(KeyringSecrets *secrets, const Workspace &workspace, const PriceCatalogue *catalogue,
                               QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("settingsDialog"));
    setWindowTitle(tr("Preferences"));
    auto *layout = new QVBoxLayout(this);
    m_pages = new QTabWidget(this);
    m_pages->setObjectName(QStringLiteral("settingsPages"));
    m_keys = new KeysSettingsPage(secrets, workspace, m_pages);
    m_providers = new ProvidersSettingsPage(workspace, catalogue, m_pages);
    m_appearance = new AppearanceSettingsPage(m_pages);
    m_pages->addTab(m_keys, tr("&Keys"));
    m_pages->addTab(m_providers, tr("&Providers"));
    m_pages->addTab(m_appearance, tr("&Appearance"));
    layout->addWidget(m_pages);
    m_buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Close, this);
    connect(m_buttons, &QDialogButtonBox::accepted, this, [this] {
        if (applyWorkspace())
            accept();
    });
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(applyButton(), &QPushButton::clicked, this, [this] { applyWorkspace(); });
    connect(m_providers, &ProvidersSettingsPage::changed, this, &SettingsDialog::updateButtons);
    // A provider or secret header added on the Providers page needs its key set here, before Apply.
    connect(m_pages, &QTabWidget::currentChanged, this, [this] {
        if (m_pages->currentWidget() == m_keys)
            m_keys->setWorkspace(m_providers->workspace());
    });
    layout->addWidget(m_buttons);
    updateButtons();
    resize(900, 680); // the provider form is long; less of it behind the scroll bar
}

SettingsDialog::~SettingsDialog()
{
    // QDialog's destructor hides the window, which commits an open table cell: the pages would then
    // signal a dialog that is already half destroyed.
    disconnect(m_providers, nullptr, this, nullptr);
    disconnect(m_pages, nullptr, this, nullptr);
}

QPushButton *SettingsDialog::okButton() const
{
    return m_buttons->button(QDialogButtonBox::Ok);
}

QPushButton *SettingsDialog::applyButton() const
{
    return m_buttons->button(QDialogButtonBox::Apply);
}

bool SettingsDialog::applyWorkspace()
{
    if (!m_providers->problem().isEmpty())
        return false;
    if (!m_providers->isModified())
        return true;
    if (m_applier) {
        if (const Status applied = m_applier(m_providers->workspace()); !applied.ok()) {
            m_providers->problemLabel()->setText(applied.error());
            m_providers->problemLabel()->show();
            return false;
        }
    }
    m_providers->markApplied();
    return true;
}

void SettingsDialog::updateButtons()
{
    const bool valid = m_providers->problem().isEmpty();
    okButton()->setEnabled(valid);
    applyButton()->setEnabled(valid && m_providers->isModified());
}

void SettingsDialog::showPage(Page page)
{
    switch (page) {
    case Page::Keys:
        m_pages->setCurrentWidget(m_keys);
        break;
    case Page::Providers:
        m_pages->setCurrentWidget(m_providers);
        break;
    case Page::Appearance:
        m_pages->setCurrentWidget(m_appearance);
        break;
    }
}

} // namespace Slopscope
