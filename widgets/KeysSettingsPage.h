#pragma once

#include "core/Workspace.h"
#include "engine/KeyringSecrets.h"
#include "KeyEntryDialog.h"

#include <QHash>
#include <QPointer>
#include <QWidget>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace Slopscope {

class PlainHttpHostsBox;

// Settings ▸ Keys: one row per key name the workspace's real providers use, where the key comes
// from now, and Set Key… / Remove. Every keychain call is asynchronous: rows say "checking…"
// until the keychain answers, and the page never waits for it. Key values go from the entry
// dialog straight to KeyringSecrets::save and are never shown.
class KeysSettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeysSettingsPage)

public:
    enum Column { NameColumn, ProvidersColumn, SourceColumn, ColumnCount };

    // `secrets` is borrowed and must outlive the page.
    KeysSettingsPage(KeyringSecrets *secrets, const Workspace &workspace, QWidget *parent = nullptr);
    ~KeysSettingsPage() override;

    [[nodiscard]] QTreeWidget *table() const { return m_table; }
    [[nodiscard]] QPushButton *setKeyButton() const { return m_setKey; }
    [[nodiscard]] QPushButton *removeButton() const { return m_remove; }
    [[nodiscard]] QLabel *messageLabel() const { return m_message; }
    [[nodiscard]] QLabel *noteLabel() const { return m_note; }
    [[nodiscard]] PlainHttpHostsBox *plainHttpHosts() const { return m_plainHttpHosts; }
    // The key entry dialog while it is open, else null.
    [[nodiscard]] KeyEntryDialog *entryDialog() const { return m_entry; }
    // True while the keychain has not yet answered about some key.
    [[nodiscard]] bool isChecking() const;
    // The Source column's text for `name` (empty for an unknown name).
    [[nodiscard]] QString sourceText(const QString &name) const;

    void selectKey(const QString &name);
    // Asks the keychain again about every key.
    void refresh();
    // The workspace's providers changed (Settings ▸ Providers): its key names are listed, and the
    // keychain asked about any new ones.
    void setWorkspace(const Workspace &workspace);

private:
    // What the page knows about one key; never its value.
    struct KeyState
    {
        bool checking = true;
        KeyringSecrets::Origin origin = KeyringSecrets::Origin::Missing;
        QString error; // the keychain's message when it could not answer
    };

    void fillTable();
    void setKey();
    void removeKey();
    void onSaved(const QString &name, const KeyringSecrets::SaveReport &report);
    void showState(const QString &name);
    void updateButtons();
    void showMessage(const QString &text, bool error);
    [[nodiscard]] QString currentName() const;
    [[nodiscard]] QString usedBy(const QString &name) const;

    QPointer<KeyringSecrets> m_secrets;
    Workspace m_workspace;
    QStringList m_names;
    QHash<QString, KeyState> m_states;
    QTreeWidget *m_table = nullptr; // children
    QPushButton *m_setKey = nullptr;
    QPushButton *m_remove = nullptr;
    QLabel *m_note = nullptr;
    QLabel *m_noKeys = nullptr;
    QLabel *m_message = nullptr;
    PlainHttpHostsBox *m_plainHttpHosts = nullptr;
    QPointer<KeyEntryDialog> m_entry;
};

} // namespace Slopscope
