#pragma once

#include "core/Workspace.h"

#include <QHash>
#include <QWidget>

#include <functional>

class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QStackedWidget;
class QTreeWidget;

namespace Slopscope {

class PriceCatalogue;
class ProviderSettingsForm;
class TargetSettingsForm;

// Settings ▸ Providers: the workspace's providers (added from a preset or blank, removed, and their
// address, headers, trust, limits, timeouts, proxy) and targets (prices, parameters), edited on a copy. The dialog
// applies workspace() when it is valid; every edit is held to the loader's own checks (Workspace::providerProblem,
// targetProblem), so what is applied can also be saved and read back.
class ProvidersSettingsPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProvidersSettingsPage)

public:
    // `catalogue` is borrowed (may be null) and must outlive the page.
    ProvidersSettingsPage(const Workspace &workspace, const PriceCatalogue *catalogue, QWidget *parent = nullptr);
    ~ProvidersSettingsPage() override;

    [[nodiscard]] const Workspace &workspace() const { return m_workspace; }
    // True when workspace() differs from what was last applied.
    [[nodiscard]] bool isModified() const;
    // The workspace the edits started from: the one given, or the last applied.
    [[nodiscard]] const Workspace &baseline() const { return m_baseline; }
    // The first problem of the edited workspace; empty when it can be applied.
    [[nodiscard]] QString problem() const { return m_problem; }
    // After the edits were applied: they are the new baseline.
    void markApplied();
    // A run is going: nothing may change until it ends. Empty `note` unlocks.
    void setLocked(const QString &note);

    // Asks whether a provider may go with the targets that use it; `reason` names them.
    using RemovalPrompt = std::function<bool(const QString &provider, const QString &reason)>;
    void setRemovalPrompt(RemovalPrompt prompt) { m_removalPrompt = std::move(prompt); }

    // Adds a provider from ProviderPresets (empty `presetId`: a blank OpenAI-compatible one), under
    // the preset's id or the first free "<id>-2", "<id>-3"…, and selects it. Returns its id.
    QString addProvider(const QString &presetId);
    // Removes the selected provider. While targets use it, the prompt is asked: yes removes them
    // too, no keeps everything and says why in notice().
    void removeCurrentProvider();

    void selectProvider(const QString &id);
    void selectTarget(const QString &id);
    [[nodiscard]] QTreeWidget *tree() const { return m_tree; }
    [[nodiscard]] ProviderSettingsForm *providerForm() const { return m_providerForm; }
    [[nodiscard]] TargetSettingsForm *targetForm() const { return m_targetForm; }
    [[nodiscard]] QLabel *problemLabel() const { return m_problemLabel; }
    [[nodiscard]] QLabel *lockNote() const { return m_lockNote; }
    [[nodiscard]] QLabel *notice() const { return m_notice; }
    [[nodiscard]] QPushButton *addProviderButton() const { return m_addProvider; }
    [[nodiscard]] QPushButton *removeProviderButton() const { return m_removeProvider; }
    [[nodiscard]] QMenu *presetMenu() const { return m_presetMenu; }
    // The workspace's "no_proxy" list, comma-separated as in the environment's.
    [[nodiscard]] QLineEdit *bypassEdit() const { return m_bypass; }

signals:
    // The edits, their validity or the modified state changed.
    void changed();

private:
    void rebuildTree();
    void selectProviderAt(qsizetype index);
    void updateButtons();
    void showCurrent();
    void onProviderEdited();
    void onTargetEdited();
    void validate();

    Workspace m_workspace;
    Workspace m_baseline;
    QByteArray m_applied; // m_baseline as WorkspaceWriter writes it
    // Text a form could not turn into a field: per provider (parallel to m_workspace.providers),
    // and per target id.
    QStringList m_providerInputProblems;
    QHash<QString, QString> m_targetInputProblems;
    // Per target, the index of the provider it uses: a rename follows the provider, not a name
    // another provider may briefly share while being typed.
    QList<qsizetype> m_targetOwner;
    qsizetype m_shownProvider = -1;
    RemovalPrompt m_removalPrompt;
    QString m_problem;
    QTreeWidget *m_tree = nullptr; // children
    QPushButton *m_addProvider = nullptr;
    QPushButton *m_removeProvider = nullptr;
    QMenu *m_presetMenu = nullptr;
    QLabel *m_notice = nullptr;
    QLineEdit *m_bypass = nullptr;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_empty = nullptr;
    ProviderSettingsForm *m_providerForm = nullptr;
    TargetSettingsForm *m_targetForm = nullptr;
    QLabel *m_problemLabel = nullptr;
    QLabel *m_lockNote = nullptr;
};

} // namespace Slopscope
