#pragma once

#include "core/Result.h"

#include <QDialog>

#include <functional>

class QDialogButtonBox;
class QPushButton;
class QTabWidget;

namespace Slopscope {

class AppearanceSettingsPage;
class KeyringSecrets;
class KeysSettingsPage;
class PriceCatalogue;
class ProvidersSettingsPage;
struct Workspace;

// Settings ▸ Preferences…: the API keys of the workspace's providers, its providers and targets,
// and the theme. Keys and theme apply as they are made (a key when it is saved, a theme when it
// is picked); provider and target edits apply with Apply or OK, as one undoable change, and only
// while they pass the workspace loader's checks. Close drops edits not applied.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    enum class Page { Keys, Providers, Appearance };
    // Takes the edited workspace to the window; an error is shown on the Providers page.
    using WorkspaceApplier = std::function<Status(const Workspace &)>;

    // `secrets` is borrowed and must outlive the dialog: the window's (over the system keychain),
    // or in tests one over a FakeKeyStore. `catalogue` (borrowed, may be null) gives the prices
    // the Providers page shows for targets without their own.
    SettingsDialog(KeyringSecrets *secrets, const Workspace &workspace, QWidget *parent = nullptr);
    SettingsDialog(KeyringSecrets *secrets, const Workspace &workspace, const PriceCatalogue *catalogue,
                   QWidget *parent);
    ~SettingsDialog() override;

    void showPage(Page page);
    void setWorkspaceApplier(WorkspaceApplier applier) { m_applier = std::move(applier); }
    // Applies the Providers page's edits; false when they are invalid or the window refused them.
    bool applyWorkspace();

    [[nodiscard]] KeysSettingsPage *keysPage() const { return m_keys; }
    [[nodiscard]] ProvidersSettingsPage *providersPage() const { return m_providers; }
    [[nodiscard]] AppearanceSettingsPage *appearancePage() const { return m_appearance; }
    [[nodiscard]] QTabWidget *pages() const { return m_pages; }
    [[nodiscard]] QPushButton *okButton() const;
    [[nodiscard]] QPushButton *applyButton() const;

private:
    void updateButtons();

    WorkspaceApplier m_applier;
    QTabWidget *m_pages = nullptr; // children
    KeysSettingsPage *m_keys = nullptr;
    ProvidersSettingsPage *m_providers = nullptr;
    AppearanceSettingsPage *m_appearance = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
};

} // namespace Slopscope
