#pragma once

#include "core/Workspace.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Slopscope {

// Settings ▸ Providers, the right-hand side for one provider: address, limits, timeouts and proxy.
// It edits a copy; ProvidersSettingsPage reads provider() back on every edited() and validates.
class ProviderSettingsForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProviderSettingsForm)

public:
    enum class Proxy { Environment, None, Url };

    explicit ProviderSettingsForm(QWidget *parent = nullptr);
    ~ProviderSettingsForm() override;

    void setProvider(const ProviderConfig &provider);
    [[nodiscard]] ProviderConfig provider() const;
    // What the form holds that the provider cannot express (a proxy URL chosen but left blank).
    [[nodiscard]] QString inputProblem() const;

    [[nodiscard]] QLineEdit *baseUrlEdit() const { return m_baseUrl; }
    [[nodiscard]] QSpinBox *concurrencySpin() const { return m_concurrency; }
    [[nodiscard]] QSpinBox *retriesSpin() const { return m_retries; }
    // connect, first byte, first token, idle, content idle, total
    [[nodiscard]] QSpinBox *timeoutSpin(int index) const { return m_timeouts[index]; }
    [[nodiscard]] QComboBox *proxyChoice() const { return m_proxyChoice; }
    [[nodiscard]] QLineEdit *proxyUrlEdit() const { return m_proxyUrl; }
    [[nodiscard]] QCheckBox *insecureKeyCheck() const { return m_insecureKey; }

signals:
    void edited();

private:
    void updateProxyField();

    ProviderConfig m_provider;
    bool m_loading = false;
    QLabel *m_title = nullptr; // children
    QLineEdit *m_baseUrl = nullptr;
    QLabel *m_urlNote = nullptr;
    QSpinBox *m_concurrency = nullptr;
    QSpinBox *m_retries = nullptr;
    QSpinBox *m_timeouts[6] = {};
    QComboBox *m_proxyChoice = nullptr;
    QLineEdit *m_proxyUrl = nullptr;
    QCheckBox *m_insecureKey = nullptr;
};

} // namespace Slopscope
