#include "PlainHttpHostsBox.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace Slopscope {

PlainHttpHostsBox::PlainHttpHostsBox(const QString &settingsFile, QWidget *parent)
    : QGroupBox(tr("Keys over plain HTTP"), parent)
    , m_consent(settingsFile)
{
    setObjectName(QStringLiteral("plainHttpHosts"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("Hosts you allowed to receive a key without TLS (http://). Anyone on the network "
                                "path can read a key sent to them. Revoke a host to be asked again."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto *row = new QHBoxLayout;
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("plainHttpHostList"));
    m_list->setAccessibleName(tr("Hosts allowed to receive a key over plain HTTP"));
    m_list->setMaximumHeight(90);
    row->addWidget(m_list, 1);
    m_revoke = new QPushButton(tr("Re&voke"), this);
    m_revoke->setObjectName(QStringLiteral("revokePlainHttpHost"));
    row->addWidget(m_revoke, 0, Qt::AlignTop);
    layout->addLayout(row);
    connect(m_revoke, &QPushButton::clicked, this, &PlainHttpHostsBox::revokeCurrent);
    connect(m_list, &QListWidget::currentRowChanged, m_revoke, [this](int current) {
        const QListWidgetItem *item = m_list->item(current);
        m_revoke->setEnabled(item && (item->flags() & Qt::ItemIsEnabled));
    });
    refresh();
}

PlainHttpHostsBox::~PlainHttpHostsBox() = default;

void PlainHttpHostsBox::refresh()
{
    m_list->clear();
    const QStringList hosts = m_consent.alwaysHosts();
    if (hosts.isEmpty()) {
        auto *none = new QListWidgetItem(tr("(none)"), m_list);
        none->setFlags(Qt::NoItemFlags);
    } else {
        m_list->addItems(hosts); // QListWidget shows plain text: a host name cannot inject markup
    }
    m_revoke->setEnabled(false);
}

void PlainHttpHostsBox::showEvent(QShowEvent *event)
{
    refresh();
    QGroupBox::showEvent(event);
}

void PlainHttpHostsBox::revokeCurrent()
{
    const QListWidgetItem *item = m_list->currentItem();
    if (!item || !(item->flags() & Qt::ItemIsEnabled))
        return;
    m_consent.revoke(item->text());
    refresh();
}

} // namespace Slopscope
