#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;

namespace Slopscope {

// Asks for the proxy's user name and password after a proxy answered 407 (RELIABILITY F-16).
// The password is masked; takePassword() hands it out once and empties the field, so it does not
// linger in a widget. The caller keeps the pair in memory for the session only.
class ProxyCredentialsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProxyCredentialsDialog)

public:
    // `endpoint`: the provider host whose requests the proxy refused; `retry`: the credentials
    // the session already had were refused too.
    ProxyCredentialsDialog(const QString &endpoint, bool retry, QWidget *parent = nullptr);
    ~ProxyCredentialsDialog() override;

    [[nodiscard]] QLineEdit *userEdit() const { return m_user; }
    [[nodiscard]] QLineEdit *passwordEdit() const { return m_password; }
    [[nodiscard]] QString user() const;
    [[nodiscard]] QString takePassword();

private:
    QLineEdit *m_user = nullptr; // children
    QLineEdit *m_password = nullptr;
};

} // namespace Slopscope
