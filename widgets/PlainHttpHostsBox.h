#pragma once

#include "engine/PlainHttpConsent.h"

#include <QGroupBox>

class QListWidget;
class QPushButton;

namespace Slopscope {

// Settings ▸ Keys: the hosts allowed "always" to receive a key over plain HTTP (S-7), each
// revocable. Reads the consent store each time it is shown, so a host allowed from the main
// window meanwhile appears.
class PlainHttpHostsBox final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PlainHttpHostsBox)

public:
    // settingsFile empty: the application's QSettings (PlainHttpConsent).
    explicit PlainHttpHostsBox(const QString &settingsFile = {}, QWidget *parent = nullptr);
    ~PlainHttpHostsBox() override;

    [[nodiscard]] QListWidget *list() const { return m_list; }
    [[nodiscard]] QPushButton *revokeButton() const { return m_revoke; }
    void refresh();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void revokeCurrent();

    PlainHttpConsent m_consent;
    QListWidget *m_list = nullptr; // children
    QPushButton *m_revoke = nullptr;
};

} // namespace Slopscope
