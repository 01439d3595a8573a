#pragma once

#include "core/Workspace.h"

#include <QWidget>

#include <functional>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace Slopscope {

class HeaderTableEditor;

// Settings ▸ Providers, the right-hand side for one provider: id, dialect, address, key name,
// headers, CA certificates, limits, timeouts and proxy. It edits a copy; ProvidersSettingsPage
// reads provider() back on every edited() and validates. Secret headers are names only: their
// values stay in the keychain (Settings ▸ Keys) and never pass through this form.
class ProviderSettingsForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProviderSettingsForm)

public:
    enum class Proxy { Environment, None, Url };
    // Asks for a CA file; returns "" when cancelled. Replaceable for tests.
    using FilePrompt = std::function<QString(QWidget *parent)>;

    explicit ProviderSettingsForm(QWidget *parent = nullptr);
    ~ProviderSettingsForm() override;

    // `takenIds`: the other providers' ids, which this one's id must not repeat.
    void setProvider(const ProviderConfig &provider, const QStringList &takenIds = {});
    [[nodiscard]] ProviderConfig provider() const;
    // What the form holds that the provider cannot express (a proxy URL chosen but left blank, a
    // header row without a name, a CA file that does not load).
    [[nodiscard]] QString inputProblem() const;
    void setFilePrompt(FilePrompt prompt) { m_filePrompt = std::move(prompt); }

    [[nodiscard]] QLineEdit *idEdit() const { return m_id; }
    [[nodiscard]] QComboBox *dialectChoice() const { return m_dialect; }
    [[nodiscard]] QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    [[nodiscard]] QLineEdit *apiKeyNameEdit() const { return m_apiKeyEnv; }
    [[nodiscard]] QSpinBox *concurrencySpin() const { return m_concurrency; }
    [[nodiscard]] QSpinBox *retriesSpin() const { return m_retries; }
    // connect, first byte, first token, idle, content idle, total; in seconds
    [[nodiscard]] QDoubleSpinBox *timeoutSpin(int index) const { return m_timeouts[index]; }
    [[nodiscard]] QComboBox *proxyChoice() const { return m_proxyChoice; }
    [[nodiscard]] QLineEdit *proxyUrlEdit() const { return m_proxyUrl; }
    [[nodiscard]] QCheckBox *insecureKeyCheck() const { return m_insecureKey; }
    [[nodiscard]] HeaderTableEditor *headersEditor() const { return m_headers; }
    [[nodiscard]] HeaderTableEditor *secretHeadersEditor() const { return m_secretHeaders; }
    [[nodiscard]] QLineEdit *caFileEdit() const { return m_caFile; }
    [[nodiscard]] QPushButton *caBrowseButton() const { return m_caBrowse; }
    [[nodiscard]] QLabel *caStatus() const { return m_caStatus; }
    [[nodiscard]] QLabel *idProblem() const { return m_idProblem; }
    [[nodiscard]] QLabel *urlProblem() const { return m_urlProblem; }
    [[nodiscard]] QLabel *headersProblem() const { return m_headersProblem; }

signals:
    void edited();

private:
    void buildAddress();
    void buildHeaders();
    void buildTrust();
    void buildTimeouts();
    void updateProxyField();
    void loadCaFile(const QString &path);
    void showCaStatus();
    void showInlineProblems();
    void onHeadersEdited();

    ProviderConfig m_provider;
    QStringList m_takenIds;
    QString m_caProblem;
    FilePrompt m_filePrompt;
    bool m_loading = false;
    QLabel *m_title = nullptr; // children
    QLineEdit *m_id = nullptr;
    QLabel *m_idProblem = nullptr;
    QComboBox *m_dialect = nullptr;
    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_urlNote = nullptr;
    QLabel *m_urlProblem = nullptr;
    QLineEdit *m_apiKeyEnv = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_retries = nullptr;
    QDoubleSpinBox *m_timeouts[6] = {};
    QComboBox *m_proxyChoice = nullptr;
    QLineEdit *m_proxyUrl = nullptr;
    QCheckBox *m_insecureKey = nullptr;
    HeaderTableEditor *m_headers = nullptr;
    HeaderTableEditor *m_secretHeaders = nullptr;
    QLabel *m_headersProblem = nullptr;
    QLineEdit *m_caFile = nullptr;
    QPushButton *m_caBrowse = nullptr;
    QLabel *m_caStatus = nullptr;
};

} // namespace Slopscope
