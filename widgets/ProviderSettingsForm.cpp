#include "ProviderSettingsForm.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Slopscope {

namespace {

constexpr int kMaxTimeoutMs = 24 * 3600 * 1000; // the loader's limit

int *timeoutField(Timeouts &t, int index)
{
    int *fields[] = {&t.connectMs, &t.firstByteMs, &t.firstTokenMs, &t.idleMs, &t.contentIdleMs, &t.totalMs};
    return fields[index];
}

} // namespace

ProviderSettingsForm::ProviderSettingsForm(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("providerSettingsForm"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText); // ids come from a workspace file
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);

    auto *form = new QFormLayout;
    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("providerBaseUrl"));
    form->addRow(tr("Base &URL:"), m_baseUrl);
    m_urlNote = new QLabel(tr("Answered by the embedded simulator: its address is chosen when a run starts."), this);
    m_urlNote->setWordWrap(true);
    form->addRow(QString(), m_urlNote);
    m_concurrency = new QSpinBox(this);
    m_concurrency->setObjectName(QStringLiteral("providerConcurrency"));
    m_concurrency->setRange(1, 1024);
    form->addRow(tr("Max &concurrent requests:"), m_concurrency);
    m_retries = new QSpinBox(this);
    m_retries->setObjectName(QStringLiteral("providerRetries"));
    m_retries->setRange(0, 20);
    form->addRow(tr("Max &retries:"), m_retries);

    auto *proxyRow = new QHBoxLayout;
    m_proxyChoice = new QComboBox(this);
    m_proxyChoice->setObjectName(QStringLiteral("providerProxyChoice"));
    m_proxyChoice->addItem(tr("Follow the environment"));
    m_proxyChoice->addItem(tr("None (direct)"));
    m_proxyChoice->addItem(tr("This proxy:"));
    m_proxyUrl = new QLineEdit(this);
    m_proxyUrl->setObjectName(QStringLiteral("providerProxyUrl"));
    m_proxyUrl->setPlaceholderText(QStringLiteral("http://proxy.example:3128"));
    proxyRow->addWidget(m_proxyChoice);
    proxyRow->addWidget(m_proxyUrl, 1);
    // A row with a layout gets no buddy from addRow, so its mnemonic needs an explicit label.
    auto *proxyLabel = new QLabel(tr("Pro&xy:"), this);
    proxyLabel->setBuddy(m_proxyChoice);
    form->addRow(proxyLabel, proxyRow);
    m_insecureKey = new QCheckBox(tr("Allow the key over plain &HTTP"), this);
    m_insecureKey->setToolTip(tr("Send the key even when the address is http:// and not this computer. Anyone on "
                                 "the network between can read it."));
    m_insecureKey->setObjectName(QStringLiteral("providerInsecureKey"));
    form->addRow(QString(), m_insecureKey);
    layout->addLayout(form);

    auto *timeouts = new QGroupBox(tr("Timeouts"), this);
    auto *timeoutForm = new QFormLayout(timeouts);
    const QString labels[] = {tr("Connect:"), tr("First byte:"),   tr("First token:"),
                              tr("Idle:"),    tr("Content idle:"), tr("Total:")};
    for (int i = 0; i < 6; ++i) {
        auto *spin = new QSpinBox(timeouts);
        spin->setObjectName(QStringLiteral("providerTimeout%1").arg(i));
        spin->setRange(1, kMaxTimeoutMs);
        spin->setSingleStep(1000);
        spin->setSuffix(tr(" ms"));
        spin->setGroupSeparatorShown(true);
        m_timeouts[i] = spin;
        timeoutForm->addRow(labels[i], spin);
        connect(spin, &QSpinBox::valueChanged, this, [this, i](int value) {
            if (m_loading)
                return;
            *timeoutField(m_provider.timeouts, i) = value;
            emit edited();
        });
    }
    layout->addWidget(timeouts);
    layout->addStretch(1);

    connect(m_baseUrl, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_provider.baseUrl = text.trimmed();
        emit edited();
    });
    connect(m_concurrency, &QSpinBox::valueChanged, this, [this](int value) {
        if (m_loading)
            return;
        m_provider.maxConcurrency = value;
        emit edited();
    });
    connect(m_retries, &QSpinBox::valueChanged, this, [this](int value) {
        if (m_loading)
            return;
        m_provider.maxRetries = value;
        emit edited();
    });
    connect(m_proxyChoice, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        updateProxyField();
        emit edited();
    });
    connect(m_proxyUrl, &QLineEdit::textEdited, this, [this] {
        updateProxyField();
        emit edited();
    });
    connect(m_insecureKey, &QCheckBox::toggled, this, [this](bool on) {
        if (m_loading)
            return;
        m_provider.allowInsecureKey = on;
        emit edited();
    });
}

ProviderSettingsForm::~ProviderSettingsForm() = default;

void ProviderSettingsForm::setProvider(const ProviderConfig &provider)
{
    m_loading = true;
    m_provider = provider;
    m_title->setText(tr("Provider %1 (%2)").arg(provider.id, dialectName(provider.dialect)));
    m_baseUrl->setText(provider.baseUrl);
    // The simulator's address is decided at run time; editing "{simulator}" away would quietly turn
    // a demo provider into a real one.
    const bool simulator = provider.usesEmbeddedSimulator();
    m_baseUrl->setReadOnly(simulator);
    m_urlNote->setVisible(simulator);
    m_concurrency->setValue(provider.maxConcurrency);
    m_retries->setValue(provider.maxRetries);
    Timeouts timeouts = provider.timeouts;
    for (int i = 0; i < 6; ++i)
        m_timeouts[i]->setValue(*timeoutField(timeouts, i));
    const bool none = provider.proxy.compare(u"none", Qt::CaseInsensitive) == 0;
    m_proxyChoice->setCurrentIndex(static_cast<int>(provider.proxy.isEmpty() ? Proxy::Environment
                                                    : none                   ? Proxy::None
                                                                             : Proxy::Url));
    m_proxyUrl->setText(none ? QString() : provider.proxy);
    m_proxyUrl->setEnabled(m_proxyChoice->currentIndex() == static_cast<int>(Proxy::Url));
    m_insecureKey->setChecked(provider.allowInsecureKey);
    m_loading = false;
}

ProviderConfig ProviderSettingsForm::provider() const
{
    return m_provider;
}

QString ProviderSettingsForm::inputProblem() const
{
    // Empty is "follow the environment" to the loader; a chosen but blank URL must not pass as that.
    if (m_proxyChoice->currentIndex() == static_cast<int>(Proxy::Url) && m_proxyUrl->text().trimmed().isEmpty())
        return tr("%1.proxy: enter the proxy's URL, or choose another proxy setting").arg(m_provider.id);
    return {};
}

void ProviderSettingsForm::updateProxyField()
{
    const auto choice = static_cast<Proxy>(m_proxyChoice->currentIndex());
    m_proxyUrl->setEnabled(choice == Proxy::Url);
    switch (choice) {
    case Proxy::Environment:
        m_provider.proxy.clear();
        break;
    case Proxy::None:
        m_provider.proxy = QStringLiteral("none");
        break;
    case Proxy::Url:
        m_provider.proxy = m_proxyUrl->text().trimmed();
        break;
    }
}

} // namespace Slopscope
