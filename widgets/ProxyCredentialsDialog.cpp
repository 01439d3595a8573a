#include "ProxyCredentialsDialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Slopscope {

ProxyCredentialsDialog::ProxyCredentialsDialog(const QString &endpoint, bool retry, QWidget *parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Proxy Authentication"));
    setObjectName(QStringLiteral("proxyCredentialsDialog"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(this);
    intro->setTextFormat(Qt::PlainText); // the host comes from a workspace file
    intro->setWordWrap(true);
    intro->setText(retry ? tr("The proxy refused these credentials for the requests to %1. Enter them again.")
                               .arg(endpoint)
                         : tr("The proxy asks for a user name and password before it forwards the requests to %1.")
                               .arg(endpoint));
    layout->addWidget(intro);
    auto *form = new QFormLayout;
    m_user = new QLineEdit(this);
    m_user->setObjectName(QStringLiteral("proxyUser"));
    m_user->setAccessibleName(tr("Proxy user name"));
    m_password = new QLineEdit(this);
    m_password->setObjectName(QStringLiteral("proxyPassword"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setAccessibleName(tr("Proxy password"));
    form->addRow(tr("&User name:"), m_user);
    form->addRow(tr("&Password:"), m_password);
    layout->addLayout(form);
    auto *note = new QLabel(tr("Kept in memory until Slopscope quits; never saved. Run again (or retry the "
                               "failed cells) to send the requests with them."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("&Use"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    layout->addWidget(buttons);
    connect(m_user, &QLineEdit::textChanged, buttons, [this, buttons](const QString &text) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!text.trimmed().isEmpty());
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Nothing typed outlives the dialog's answer in the field.
    connect(this, &QDialog::rejected, m_password, &QLineEdit::clear);
}

ProxyCredentialsDialog::~ProxyCredentialsDialog() = default;

QString ProxyCredentialsDialog::user() const
{
    return m_user->text().trimmed();
}

QString ProxyCredentialsDialog::takePassword()
{
    const QString password = m_password->text();
    m_password->clear();
    return password;
}

} // namespace Slopscope
