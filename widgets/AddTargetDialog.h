#pragma once

#include "core/Workspace.h"
#include "engine/DiscoveredServer.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace Slopscope {

class LocalDiscovery;
class PriceCatalogue;

// Run ▸ Add Target: pick where the model runs (a provider of the workspace, a preset, or a local
// server found on its default port), then the model, label, colour, price and parameters. The result
// is a TargetConfig, plus the ProviderConfig to add first when the source is not in the workspace yet.
class AddTargetDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AddTargetDialog)

public:
    // `catalogue` may be null (prices then start empty); it must outlive the dialog.
    AddTargetDialog(const Workspace &workspace, const PriceCatalogue *catalogue, QWidget *parent = nullptr);
    ~AddTargetDialog() override;

    // Tests point the probes at their own ports before startDiscovery().
    [[nodiscard]] LocalDiscovery *discovery() const { return m_discovery; }
    // Probes the local servers in the background; the sources list grows when they answer.
    void startDiscovery();

    // Valid once the dialog was accepted.
    [[nodiscard]] const TargetConfig &target() const { return m_target; }
    [[nodiscard]] const std::optional<ProviderConfig> &newProvider() const { return m_newProvider; }
    // The first problem of the form, or an empty string; accept() refuses while there is one.
    [[nodiscard]] QString validate();

    [[nodiscard]] QComboBox *sourceBox() const { return m_source; }
    [[nodiscard]] QComboBox *modelBox() const { return m_model; }
    [[nodiscard]] QLineEdit *idEdit() const { return m_id; }
    [[nodiscard]] QLineEdit *labelEdit() const { return m_label; }
    [[nodiscard]] QLineEdit *inputPriceEdit() const { return m_inputPrice; }
    [[nodiscard]] QLineEdit *outputPriceEdit() const { return m_outputPrice; }
    [[nodiscard]] QLineEdit *temperatureEdit() const { return m_temperature; }
    [[nodiscard]] QLineEdit *maxTokensEdit() const { return m_maxTokens; }
    [[nodiscard]] QComboBox *reasoningBox() const { return m_reasoning; }
    [[nodiscard]] QLabel *priceNote() const { return m_priceNote; }
    [[nodiscard]] QLabel *discoveryStatus() const { return m_discoveryStatus; }
    [[nodiscard]] QLabel *errorLabel() const { return m_error; }
    [[nodiscard]] QString color() const { return m_color; }
    void setColor(const QString &color);

    void accept() override;

private:
    struct Source
    {
        QString title;
        ProviderConfig provider;
        QStringList models;
        bool inWorkspace = false;
        QString catalogueProvider; // the provider's name for catalogue look-ups ("openai" for "openai-2")
        bool wantsCatalogue = false; // its catalogue models are listed on first choice, not up front
    };

    void addSource(const Source &source, int row);
    void onDiscovered(const QList<DiscoveredServer> &servers);
    void onSourceChanged();
    void onModelChanged();
    void chooseColor();
    [[nodiscard]] const Source *currentSource() const;
    [[nodiscard]] QString uniqueProviderId(const QString &wanted) const;
    [[nodiscard]] QString suggestedTargetId(const QString &model) const;
    [[nodiscard]] QStringList catalogueModels(const QString &providerId) const;

    Workspace m_workspace;
    const PriceCatalogue *m_catalogue = nullptr;
    LocalDiscovery *m_discovery = nullptr; // child
    QList<Source> m_sources;
    int m_currentSource = -1;
    int m_discoveredRows = 0; // rows after the workspace's providers, before the presets
    QString m_color;
    bool m_idEdited = false;
    bool m_labelEdited = false;
    TargetConfig m_target;
    std::optional<ProviderConfig> m_newProvider;

    QComboBox *m_source = nullptr; // children
    QLabel *m_discoveryStatus = nullptr;
    QComboBox *m_model = nullptr;
    QLineEdit *m_id = nullptr;
    QLineEdit *m_label = nullptr;
    QPushButton *m_colorButton = nullptr;
    QLineEdit *m_inputPrice = nullptr;
    QLineEdit *m_outputPrice = nullptr;
    QLabel *m_priceNote = nullptr;
    QLineEdit *m_temperature = nullptr;
    QLineEdit *m_maxTokens = nullptr;
    QComboBox *m_reasoning = nullptr;
    QLabel *m_error = nullptr;
};

} // namespace Slopscope
