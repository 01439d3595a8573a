#pragma once

#include <QDialog>

class QTabWidget;

namespace Slopscope {

class AppearanceSettingsPage;
class KeyringSecrets;
class KeysSettingsPage;
struct Workspace;

// Settings ▸ Preferences…: the API keys of the workspace's providers and the theme. Changes apply
// as they are made (a key when it is saved, a theme when it is picked), so there is only Close.
class SettingsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SettingsDialog)

public:
    enum class Page { Keys, Appearance };

    // `secrets` is borrowed and must outlive the dialog: the window's (over the system keychain),
    // or in tests one over a FakeKeyStore.
    SettingsDialog(KeyringSecrets *secrets, const Workspace &workspace, QWidget *parent = nullptr);
    ~SettingsDialog() override;

    void showPage(Page page);
    [[nodiscard]] KeysSettingsPage *keysPage() const { return m_keys; }
    [[nodiscard]] AppearanceSettingsPage *appearancePage() const { return m_appearance; }
    [[nodiscard]] QTabWidget *pages() const { return m_pages; }

private:
    QTabWidget *m_pages = nullptr; // children
    KeysSettingsPage *m_keys = nullptr;
    AppearanceSettingsPage *m_appearance = nullptr;
};

} // namespace Slopscope
