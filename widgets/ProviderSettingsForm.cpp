#include "ProviderSettingsForm.h"

#include "AppTheme.h"
#include "HeaderTableEditor.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QtNetwork/qtnetworkglobal.h>
#include <QVBoxLayout>
#if QT_CONFIG(ssl)
#include <QSslCertificate>
#endif

#include <algorithm>
#include <cmath>

namespace Slopscope {

namespace {

constexpr int kMaxTimeoutMs = 24 * 3600 * 1000; // the loader's limit

int *timeoutField(Timeouts &t, int index)
{
    int *fields[] = {&t.connectMs, &t.firstByteMs, &t.firstTokenMs, &t.idleMs, &t.contentIdleMs, &t.totalMs};
    return fields[index];
}

QLabel *problemLabel(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setTextFormat(Qt::PlainText); // the messages quote what was typed
    label->setWordWrap(true);
    // A wrapped label in a form row may be given room for more lines than it shows; keep the text
    // next to the field it is about.
    label->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    label->hide();
    return label;
}

void showProblem(QLabel *label, const QString &text)
{
    const bool dark = AppTheme::isDark(label->palette());
    label->setStyleSheet(dark ? QStringLiteral("color: #f87171;") : QStringLiteral("color: #b91c1c;"));
    label->setText(text);
    label->setVisible(!text.isEmpty());
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
    // Created in reading order: that is the Tab order.
    buildAddress();
    buildHeaders();
    buildTrust();
    buildTimeouts();
    layout->addStretch(1);
}

ProviderSettingsForm::~ProviderSettingsForm() = default;

void ProviderSettingsForm::buildAddress()
{
    auto *form = new QFormLayout;
    m_id = new QLineEdit(this);
    m_id->setObjectName(QStringLiteral("providerId"));
    m_id->setToolTip(tr("Targets name their provider by this id; renaming it renames it in them too."));
    form->addRow(tr("&Id:"), m_id);
    m_idProblem = problemLabel(this);
    m_idProblem->setObjectName(QStringLiteral("providerIdProblem"));
    form->addRow(QString(), m_idProblem);
    m_dialect = new QComboBox(this);
    m_dialect->setObjectName(QStringLiteral("providerDialect"));
    const std::pair<Dialect, QString> dialects[] = {
        {Dialect::OpenAIChat, tr("OpenAI Chat Completions (and compatible servers)")},
        {Dialect::OpenAIResponses, tr("OpenAI Responses")},
        {Dialect::Anthropic, tr("Anthropic Messages")},
        {Dialect::Gemini, tr("Google Gemini")},
        {Dialect::Ollama, tr("Ollama")}};
    for (const auto &[dialect, name] : dialects)
        m_dialect->addItem(name, static_cast<int>(dialect));
    form->addRow(tr("&Dialect:"), m_dialect);
    m_baseUrl = new QLineEdit(this);
    m_baseUrl->setObjectName(QStringLiteral("providerBaseUrl"));
    m_baseUrl->setPlaceholderText(QStringLiteral("https://api.example.com/v1"));
    form->addRow(tr("Base &URL:"), m_baseUrl);
    m_urlNote = new QLabel(tr("Answered by the embedded simulator: its address is chosen when a run starts."), this);
    m_urlNote->setWordWrap(true);
    form->addRow(QString(), m_urlNote);
    m_urlProblem = problemLabel(this);
    m_urlProblem->setObjectName(QStringLiteral("providerUrlProblem"));
    form->addRow(QString(), m_urlProblem);
    m_apiKeyEnv = new QLineEdit(this);
    m_apiKeyEnv->setObjectName(QStringLiteral("providerApiKeyName"));
    m_apiKeyEnv->setPlaceholderText(tr("none (a local server)"));
    m_apiKeyEnv->setToolTip(tr("The name the key is kept under: a keychain entry (Settings ▸ Keys) or an "
                               "environment variable. The key itself is never written to the workspace."));
    form->addRow(tr("API &key name:"), m_apiKeyEnv);
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
    static_cast<QVBoxLayout *>(layout())->addLayout(form);

    connect(m_id, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_provider.id = text.trimmed();
        m_title->setText(tr("Provider %1").arg(m_provider.id));
        showInlineProblems();
        emit edited();
    });
    connect(m_dialect, &QComboBox::currentIndexChanged, this, [this] {
        if (m_loading)
            return;
        m_provider.dialect = static_cast<Dialect>(m_dialect->currentData().toInt());
        emit edited();
    });
    connect(m_baseUrl, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_provider.baseUrl = text.trimmed();
        showInlineProblems();
        emit edited();
    });
    connect(m_apiKeyEnv, &QLineEdit::textEdited, this, [this](const QString &text) {
        m_provider.apiKeyEnv = text.trimmed();
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

void ProviderSettingsForm::buildHeaders()
{
    auto *group = new QGroupBox(tr("Headers"), this);
    auto *box = new QVBoxLayout(group);
    auto *plainNote = new QLabel(tr("Sent with every request, and written to the workspace as they are:"), group);
    plainNote->setWordWrap(true);
    box->addWidget(plainNote);
    m_headers = new HeaderTableEditor(tr("Header"), tr("Value"), group);
    m_headers->setObjectName(QStringLiteral("providerHeaders"));
    m_headers->table()->setAccessibleName(tr("Headers"));
    // Two tables with the same buttons sit on this form: a screen reader says which.
    m_headers->addButton()->setAccessibleName(tr("Add header"));
    m_headers->removeButton()->setAccessibleName(tr("Remove header"));
    box->addWidget(m_headers);
    auto *secretNote = new QLabel(tr("Secret headers: their values are kept in the keychain (Settings ▸ Keys) or an "
                                     "environment variable under the name given here, and are never shown or "
                                     "written to the workspace."),
                                  group);
    secretNote->setWordWrap(true);
    box->addWidget(secretNote);
    m_secretHeaders = new HeaderTableEditor(tr("Header"), tr("Keychain entry or variable"), group);
    m_secretHeaders->setObjectName(QStringLiteral("providerSecretHeaders"));
    m_secretHeaders->table()->setAccessibleName(tr("Secret headers"));
    m_secretHeaders->addButton()->setAccessibleName(tr("Add secret header"));
    m_secretHeaders->removeButton()->setAccessibleName(tr("Remove secret header"));
    box->addWidget(m_secretHeaders);
    m_headersProblem = problemLabel(group);
    m_headersProblem->setObjectName(QStringLiteral("providerHeadersProblem"));
    box->addWidget(m_headersProblem);
    static_cast<QVBoxLayout *>(layout())->addWidget(group);
    connect(m_headers, &HeaderTableEditor::edited, this, &ProviderSettingsForm::onHeadersEdited);
    connect(m_secretHeaders, &HeaderTableEditor::edited, this, &ProviderSettingsForm::onHeadersEdited);
}

void ProviderSettingsForm::buildTrust()
{
    auto *group = new QGroupBox(tr("Certificate authorities"), this);
    auto *box = new QVBoxLayout(group);
    auto *note = new QLabel(tr("A PEM file of extra authorities to trust for this provider, besides the system's "
                               "(a company proxy's or a private server's)."),
                            group);
    note->setWordWrap(true);
    box->addWidget(note);
    auto *row = new QHBoxLayout;
    m_caFile = new QLineEdit(group);
    m_caFile->setObjectName(QStringLiteral("providerCaFile"));
    m_caFile->setPlaceholderText(tr("none: only the system's authorities"));
    m_caFile->setAccessibleName(tr("CA certificate file"));
    m_caBrowse = new QPushButton(tr("&Browse…"), group);
    m_caBrowse->setObjectName(QStringLiteral("providerCaBrowse"));
    row->addWidget(m_caFile, 1);
    row->addWidget(m_caBrowse);
    box->addLayout(row);
    m_caStatus = new QLabel(group);
    m_caStatus->setObjectName(QStringLiteral("providerCaStatus"));
    m_caStatus->setTextFormat(Qt::PlainText); // subject names come from the file
    m_caStatus->setWordWrap(true);
    m_caStatus->hide();
    box->addWidget(m_caStatus);
    static_cast<QVBoxLayout *>(layout())->addWidget(group);

    connect(m_caFile, &QLineEdit::textEdited, this, [this](const QString &text) {
        loadCaFile(text.trimmed());
        emit edited();
    });
    connect(m_caBrowse, &QPushButton::clicked, this, [this] {
        const QString path =
            m_filePrompt ? m_filePrompt(this)
                         : QFileDialog::getOpenFileName(this, tr("Certificate Authorities"), QString(),
                                                        tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
        if (path.isEmpty())
            return;
        m_caFile->setText(QDir::toNativeSeparators(path));
        loadCaFile(path);
        emit edited();
    });
}

void ProviderSettingsForm::buildTimeouts()
{
    auto *timeouts = new QGroupBox(tr("Timeouts"), this);
    auto *timeoutForm = new QFormLayout(timeouts);
    const QString labels[] = {tr("Connect:"), tr("First byte:"),   tr("First token:"),
                              tr("Idle:"),    tr("Content idle:"), tr("Total:")};
    for (int i = 0; i < 6; ++i) {
        // Seconds read better than "1,200,000 ms"; the workspace keeps milliseconds.
        auto *spin = new QDoubleSpinBox(timeouts);
        spin->setObjectName(QStringLiteral("providerTimeout%1").arg(i));
        spin->setDecimals(3);
        spin->setRange(0.001, kMaxTimeoutMs / 1000.0);
        spin->setSingleStep(1.0);
        spin->setSuffix(tr(" s"));
        spin->setGroupSeparatorShown(true);
        m_timeouts[i] = spin;
        timeoutForm->addRow(labels[i], spin);
        connect(spin, &QDoubleSpinBox::valueChanged, this, [this, i](double seconds) {
            if (m_loading)
                return;
            *timeoutField(m_provider.timeouts, i) =
                std::clamp(static_cast<int>(std::lround(seconds * 1000.0)), 1, kMaxTimeoutMs);
            emit edited();
        });
    }
    static_cast<QVBoxLayout *>(layout())->addWidget(timeouts);
}

void ProviderSettingsForm::setProvider(const ProviderConfig &provider, const QStringList &takenIds)
{
    m_loading = true;
    m_provider = provider;
    m_takenIds = takenIds;
    m_title->setText(tr("Provider %1").arg(provider.id));
    m_id->setText(provider.id);
    m_dialect->setCurrentIndex(m_dialect->findData(static_cast<int>(provider.dialect)));
    m_baseUrl->setText(provider.baseUrl);
    // The simulator's address is decided at run time; editing "{simulator}" away would quietly turn
    // a demo provider into a real one.
    const bool simulator = provider.usesEmbeddedSimulator();
    m_baseUrl->setReadOnly(simulator);
    m_urlNote->setVisible(simulator);
    // The simulator answers each dialect on its own path: another dialect would only get errors.
    m_dialect->setEnabled(!simulator);
    m_apiKeyEnv->setText(provider.apiKeyEnv);
    m_concurrency->setValue(provider.maxConcurrency);
    m_retries->setValue(provider.maxRetries);
    Timeouts timeouts = provider.timeouts;
    for (int i = 0; i < 6; ++i)
        m_timeouts[i]->setValue(*timeoutField(timeouts, i) / 1000.0);
    const bool none = provider.proxy.compare(u"none", Qt::CaseInsensitive) == 0;
    m_proxyChoice->setCurrentIndex(static_cast<int>(provider.proxy.isEmpty() ? Proxy::Environment
                                                    : none                   ? Proxy::None
                                                                             : Proxy::Url));
    m_proxyUrl->setText(none ? QString() : provider.proxy);
    m_proxyUrl->setEnabled(m_proxyChoice->currentIndex() == static_cast<int>(Proxy::Url));
    m_insecureKey->setChecked(provider.allowInsecureKey);
    m_headers->setHeaders(provider.headers);
    m_secretHeaders->setHeaders(provider.secretHeaders);
    m_caFile->setText(QDir::toNativeSeparators(provider.caFile));
    // Certificates read when the workspace loaded are what it trusts; only a failed file is read again.
    m_caProblem.clear();
    if (provider.caCertificates.isEmpty())
        loadCaFile(provider.caFile);
    else
        showCaStatus();
    m_loading = false;
    showInlineProblems();
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
    for (const HeaderTableEditor *editor : {m_headers, m_secretHeaders}) {
        if (const QString problem = editor->inputProblem(); !problem.isEmpty())
            return tr("%1.headers: %2").arg(m_provider.id, problem);
    }
    if (!m_caProblem.isEmpty())
        return tr("%1.ca_file: %2").arg(m_provider.id, m_caProblem);
    return {};
}

void ProviderSettingsForm::onHeadersEdited()
{
    m_provider.headers = m_headers->headers();
    m_provider.secretHeaders = m_secretHeaders->headers();
    showInlineProblems();
    emit edited();
}

void ProviderSettingsForm::loadCaFile(const QString &path)
{
    m_provider.caFile = path.isEmpty() ? QString() : QDir::cleanPath(QDir::fromNativeSeparators(path));
    m_provider.caCertificates.clear();
    m_caProblem.clear();
    if (path.isEmpty()) {
        showCaStatus();
        return;
    }
    if (QDir::isRelativePath(m_provider.caFile)) {
        m_caProblem = tr("enter the file's full path");
    } else if (auto pem = Workspace::readCertificateAuthorities(m_provider.caFile); !pem.ok()) {
        m_caProblem = pem.error();
    } else {
        m_provider.caCertificates = std::move(pem).value();
    }
    showCaStatus();
}

void ProviderSettingsForm::showCaStatus()
{
    if (m_provider.caFile.isEmpty()) {
        m_caStatus->hide();
        return;
    }
    if (!m_caProblem.isEmpty()) {
        showProblem(m_caStatus, tr("Not trusted: %1.").arg(m_caProblem));
        return;
    }
    m_caStatus->setStyleSheet(QString());
#if QT_CONFIG(ssl)
    const QList<QSslCertificate> certificates = QSslCertificate::fromData(m_provider.caCertificates, QSsl::Pem);
    const QSslCertificate &first = certificates.constFirst();
    const QString subject = first.subjectInfo(QSslCertificate::CommonName).join(QStringLiteral(", "));
    m_caStatus->setText(tr("Trusted: %n certificate(s), the first “%1”, valid until %2.", nullptr,
                           static_cast<int>(certificates.size()))
                            .arg(subject.isEmpty() ? first.subjectDisplayName() : subject,
                                 QLocale().toString(first.expiryDate().date(), QLocale::ShortFormat)));
#else
    m_caStatus->setText(tr("Loaded."));
#endif
    m_caStatus->show();
}

void ProviderSettingsForm::showInlineProblems()
{
    QString idProblem;
    if (m_provider.id.isEmpty())
        idProblem = tr("A provider needs an id.");
    else if (m_takenIds.contains(m_provider.id))
        idProblem = tr("Another provider already has the id “%1”.").arg(m_provider.id);
    showProblem(m_idProblem, idProblem);

    ProviderConfig addressOnly;
    addressOnly.id = QStringLiteral("-");
    addressOnly.baseUrl = m_provider.baseUrl;
    showProblem(m_urlProblem, Workspace::providerProblem(addressOnly, QString()).isEmpty()
                                  ? QString()
                                  : tr("Enter an http:// or https:// address, such as https://api.example.com/v1."));

    QString headers = m_headers->inputProblem();
    if (headers.isEmpty())
        headers = m_secretHeaders->inputProblem();
    if (headers.isEmpty())
        headers = Workspace::headersProblem(m_provider, m_provider.id);
    showProblem(m_headersProblem, headers);
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
