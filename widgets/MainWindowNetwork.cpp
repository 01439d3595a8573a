// MainWindow: the network consents a run may need, asked in the GUI and handed to the engine as
// data (RunSession): a key over plain HTTP (RELIABILITY S-7) and a proxy's credentials (F-16).
#include "MainWindow.h"

#include "engine/JobResult.h"
#include "engine/PlainHttpConsent.h"
#include "ProxyCredentialsDialog.h"
#include "run/RunSession.h"

#include <QMessageBox>
#include <QPushButton>
#include <QStatusBar>
#include <QUrl>

namespace Slopscope {

bool MainWindow::confirmPlainHttpKeys(const QList<TargetConfig> &lineup)
{
    PlainHttpConsent consent;
    QStringList allowed = consent.alwaysHosts();
    QStringList once;
    QStringList refused;
    for (const TargetConfig &target : lineup) {
        const ProviderConfig *provider = m_workspace.provider(target.providerId);
        if (!provider)
            continue;
        const QString host = PlainHttpConsent::hostNeedingConsent(*provider);
        if (host.isEmpty() || allowed.contains(host) || once.contains(host) || refused.contains(host))
            continue;
        // Plain text: the host comes from a workspace file, which may be anyone's.
        QMessageBox box(QMessageBox::Warning, tr("Key over Plain HTTP"), QString(), QMessageBox::NoButton, this);
        box.setTextFormat(Qt::PlainText);
        box.setText(tr("Send the key over plain HTTP to %1?").arg(host));
        box.setInformativeText(tr("Provider \"%1\" has an http:// address, so its key would cross the network "
                                  "unencrypted: anyone on the way can read it. Allow this only on a network you "
                                  "trust (a server on your LAN, for example).")
                                   .arg(provider->id));
        QPushButton *allowOnce = box.addButton(tr("Allow &Once"), QMessageBox::AcceptRole);
        QPushButton *always = box.addButton(tr("&Always for This Host"), QMessageBox::AcceptRole);
        QPushButton *cancel = box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(cancel);
        box.setEscapeButton(cancel);
        box.exec();
        if (box.clickedButton() == always) {
            consent.allowAlways(host);
            allowed.append(host);
        } else if (box.clickedButton() == allowOnce) {
            once.append(host);
        } else {
            // The run goes on without the key for this host: the engine refuses those cells with
            // its plain message, and the other targets are not held hostage to one answer.
            refused.append(host);
        }
    }
    // The whole list each time: a host revoked in Settings ▸ Keys no longer counts.
    m_session->setPlainHttpKeyHosts(allowed + once);
    if (!refused.isEmpty())
        statusBar()->showMessage(tr("The key is not sent over plain HTTP to %1: those cells are refused.")
                                     .arg(refused.join(QStringLiteral(", "))),
                                 15'000);
    return true;
}

void MainWindow::askProxyCredentials(const JobResult &job)
{
    if (m_proxyAskedThisRun || m_proxyDialog)
        return; // once per run: every cell behind the same proxy fails the same way
    m_proxyAskedThisRun = true;
    const ProviderConfig *provider = m_workspace.provider(job.providerId);
    const QString endpoint = provider ? QUrl(provider->baseUrl).host() : job.providerId;
    m_proxyDialog = new ProxyCredentialsDialog(endpoint, m_session->hasProxyCredentials(), this);
    m_proxyDialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(m_proxyDialog, &QDialog::accepted, this, [this, dialog = m_proxyDialog] {
        if (!dialog)
            return;
        m_session->setProxyCredentials(dialog->user(), dialog->takePassword());
        statusBar()->showMessage(tr("Proxy credentials kept for this session. Run again to send the requests the "
                                    "proxy refused."),
                                 15'000);
    });
    // open(), not exec(): the run goes on (and fails its other cells) while the user types.
    m_proxyDialog->open();
}

} // namespace Slopscope
