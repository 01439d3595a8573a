#include "AddTargetDialog.h"

#include "engine/LocalDiscovery.h"
#include "engine/ProviderPresets.h"
#include "metrics/PriceCatalogue.h"

#include <QColorDialog>
#include <QComboBox>
#include <QCompleter>
#include <QDialogButtonBox>
#include <QDoubleValidator>
#include <QFormLayout>
#include <QHostAddress>
#include <QIntValidator>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPainter>
#include <QPushButton>
#include <QRegularExpression>
#include <QSet>
#include <QUrl>
#include <QVBoxLayout>

namespace Slopscope {

namespace {

QIcon colourSwatch(const QColor &color)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(color);
    QPainter painter(&pixmap);
    painter.setPen(color.darker(150));
    painter.drawRect(0, 0, 15, 15);
    return QIcon(pixmap);
}

bool isLoopback(const QString &host)
{
    return host == u"localhost" || QHostAddress(host).isLoopback();
}

// The same server spelled "localhost" or "127.0.0.1": discovery's URL and a workspace's may differ.
bool sameLocalServer(const QString &a, const QString &b)
{
    const QUrl ua(a);
    const QUrl ub(b);
    return isLoopback(ua.host()) && isLoopback(ub.host()) && ua.port() == ub.port() &&
           ua.path().chopped(ua.path().endsWith(u'/') ? 1 : 0) == ub.path().chopped(ub.path().endsWith(u'/') ? 1 : 0);
}

std::optional<double> number(const QLineEdit *edit)
{
    const QString text = edit->text().trimmed();
    if (text.isEmpty())
        return std::nullopt;
    bool ok = false;
    const double value = QLocale().toDouble(text, &ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

QLineEdit *optionalField(const QString &placeholder, const QString &accessibleName, QWidget *parent)
{
    auto *edit = new QLineEdit(parent);
    edit->setPlaceholderText(placeholder);
    edit->setAccessibleName(accessibleName);
    edit->setClearButtonEnabled(true);
    return edit;
}

} // namespace

AddTargetDialog::AddTargetDialog(const Workspace &workspace, const PriceCatalogue *catalogue, QWidget *parent)
    : QDialog(parent)
    , m_workspace(workspace)
    , m_catalogue(catalogue)
    , m_discovery(new LocalDiscovery(this))
{
    setWindowTitle(tr("Add Target"));
    setObjectName(QStringLiteral("addTargetDialog"));

    m_source = new QComboBox(this);
    m_source->setAccessibleName(tr("Source"));
    m_discoveryStatus = new QLabel(this);
    m_discoveryStatus->setTextFormat(Qt::PlainText);
    m_discoveryStatus->setObjectName(QStringLiteral("discoveryStatus"));

    m_model = new QComboBox(this);
    m_model->setEditable(true);
    m_model->setInsertPolicy(QComboBox::NoInsert);
    m_model->setAccessibleName(tr("Model"));
    m_model->lineEdit()->setPlaceholderText(tr("choose or type a model"));
    // A popup rather than inline completion: typing "gpt-4" must not silently become "gpt-4o".
    m_model->completer()->setCompletionMode(QCompleter::PopupCompletion);
    m_model->completer()->setFilterMode(Qt::MatchContains);
    m_model->completer()->setCaseSensitivity(Qt::CaseInsensitive);

    m_id = new QLineEdit(this);
    m_id->setAccessibleName(tr("Target id"));
    m_label = new QLineEdit(this);
    m_label->setAccessibleName(tr("Label"));
    m_colorButton = new QPushButton(this);
    m_colorButton->setAccessibleName(tr("Colour"));

    const QString unknown = tr("unknown");
    m_inputPrice = optionalField(unknown, tr("Input price per million tokens"), this);
    m_outputPrice = optionalField(unknown, tr("Output price per million tokens"), this);
    for (QLineEdit *price : {m_inputPrice, m_outputPrice}) {
        auto *validator = new QDoubleValidator(0, 1e6, 6, price);
        validator->setNotation(QDoubleValidator::StandardNotation);
        price->setValidator(validator);
    }
    m_priceNote = new QLabel(this);
    m_priceNote->setTextFormat(Qt::PlainText); // quotes the model name, which a server chose
    m_priceNote->setWordWrap(true);

    const QString providerDefault = tr("provider default");
    m_temperature = optionalField(providerDefault, tr("Temperature"), this);
    auto *temperatureValidator = new QDoubleValidator(0, 2, 2, m_temperature);
    temperatureValidator->setNotation(QDoubleValidator::StandardNotation);
    m_temperature->setValidator(temperatureValidator);
    m_maxTokens = optionalField(providerDefault, tr("Maximum output tokens"), this);
    m_maxTokens->setValidator(new QIntValidator(1, 10'000'000, m_maxTokens));
    m_reasoning = new QComboBox(this);
    m_reasoning->setAccessibleName(tr("Reasoning effort"));
    m_reasoning->addItem(providerDefault, QString());
    for (const char *effort : {"minimal", "low", "medium", "high"})
        m_reasoning->addItem(QString::fromLatin1(effort), QString::fromLatin1(effort));

    m_error = new QLabel(this);
    m_error->setTextFormat(Qt::PlainText);
    m_error->setWordWrap(true);
    m_error->setObjectName(QStringLiteral("addTargetError"));
    m_error->setStyleSheet(QStringLiteral("color: #b00020;"));
    m_error->hide();

    auto *form = new QFormLayout;
    form->addRow(tr("&Source:"), m_source);
    form->addRow(QString(), m_discoveryStatus);
    form->addRow(tr("&Model:"), m_model);
    form->addRow(tr("Target i&d:"), m_id);
    form->addRow(tr("&Label:"), m_label);
    form->addRow(tr("&Colour:"), m_colorButton);
    form->addRow(tr("&Input $/Mtok:"), m_inputPrice);
    form->addRow(tr("&Output $/Mtok:"), m_outputPrice);
    form->addRow(QString(), m_priceNote);
    form->addRow(tr("&Temperature:"), m_temperature);
    form->addRow(tr("Max to&kens:"), m_maxTokens);
    form->addRow(tr("&Reasoning effort:"), m_reasoning);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Add Target"));
    connect(buttons, &QDialogButtonBox::accepted, this, &AddTargetDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &AddTargetDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    setMinimumWidth(520);

    // Sources: the workspace's providers, then servers discovery finds, then the presets.
    for (const ProviderConfig &p : std::as_const(m_workspace.providers)) {
        Source s;
        s.title = tr("%1 (in this workspace)").arg(p.id);
        s.provider = p;
        s.inWorkspace = true;
        s.catalogueProvider = p.id;
        for (const TargetConfig &t : std::as_const(m_workspace.targets)) {
            if (t.providerId == p.id && !s.models.contains(t.model))
                s.models.append(t.model);
        }
        s.wantsCatalogue = true;
        addSource(s, m_source->count());
    }
    for (const ProviderPreset &preset : ProviderPresets::all()) {
        Source s;
        s.title = preset.local ? tr("%1 (preset, %2)").arg(preset.displayName, preset.baseUrl)
                               : tr("%1 (preset)").arg(preset.displayName);
        s.provider = preset.toProviderConfig(uniqueProviderId(preset.id));
        s.catalogueProvider = preset.id;
        s.wantsCatalogue = true;
        addSource(s, m_source->count());
    }

    connect(m_source, &QComboBox::currentIndexChanged, this, &AddTargetDialog::onSourceChanged);
    connect(m_model, &QComboBox::currentTextChanged, this, &AddTargetDialog::onModelChanged);
    connect(m_id, &QLineEdit::textEdited, this, [this] { m_idEdited = true; });
    connect(m_label, &QLineEdit::textEdited, this, [this] { m_labelEdited = true; });
    connect(m_colorButton, &QPushButton::clicked, this, &AddTargetDialog::chooseColor);
    connect(m_discovery, &LocalDiscovery::finished, this, &AddTargetDialog::onDiscovered);

    setColor(Workspace::paletteColor(m_workspace.targets.size()));
    onSourceChanged();
    m_source->setFocus();
}

AddTargetDialog::~AddTargetDialog() = default;

void AddTargetDialog::startDiscovery()
{
    m_discoveryStatus->setText(tr("Looking for local servers…"));
    m_discovery->start();
}

void AddTargetDialog::addSource(const Source &source, int row)
{
    m_sources.append(source);
    m_source->insertItem(row, source.title, static_cast<int>(m_sources.size() - 1));
}

void AddTargetDialog::onDiscovered(const QList<DiscoveredServer> &servers)
{
    int added = 0;
    for (const DiscoveredServer &server : servers) {
        // A server the workspace already uses gains the models it lists rather than a second entry.
        bool known = false;
        for (Source &s : m_sources) {
            if (s.inWorkspace && sameLocalServer(s.provider.baseUrl, server.baseUrl)) {
                for (const QString &m : server.models) {
                    if (!s.models.contains(m))
                        s.models.append(m);
                }
                known = true;
            }
        }
        if (known)
            continue;
        Source s;
        s.title = tr("%1 at %2 (found, %n model(s))", nullptr, static_cast<int>(server.models.size()))
                      .arg(server.displayName, QUrl(server.baseUrl).authority());
        s.provider = server.toProviderConfig();
        s.provider.id = uniqueProviderId(server.presetId);
        s.catalogueProvider = server.presetId;
        s.models = server.models;
        const int workspaceRows = static_cast<int>(m_workspace.providers.size());
        addSource(s, workspaceRows + m_discoveredRows);
        ++m_discoveredRows;
        ++added;
    }
    m_discoveryStatus->setText(servers.isEmpty()
                                   ? tr("No local server answered on its default port.")
                                   : tr("Found %n local server(s).", nullptr, static_cast<int>(servers.size())));
    // Offer what was found first when the workspace has nothing to choose from.
    if (added > 0 && m_workspace.providers.isEmpty())
        m_source->setCurrentIndex(0);
    else
        onSourceChanged(); // a workspace provider may have gained models
}

const AddTargetDialog::Source *AddTargetDialog::currentSource() const
{
    const QVariant row = m_source->currentData();
    if (!row.isValid())
        return nullptr;
    const int index = row.toInt();
    return index >= 0 && index < m_sources.size() ? &m_sources.at(index) : nullptr;
}

void AddTargetDialog::onSourceChanged()
{
    if (!currentSource())
        return;
    const int index = m_source->currentData().toInt();
    Source &mutableSource = m_sources[index];
    if (mutableSource.wantsCatalogue) {
        mutableSource.wantsCatalogue = false;
        for (const QString &m : catalogueModels(mutableSource.catalogueProvider)) {
            if (!mutableSource.models.contains(m))
                mutableSource.models.append(m);
        }
    }
    const Source *source = &mutableSource;
    const QString typed = m_model->currentText();
    const bool sameSource = index == m_currentSource;
    m_currentSource = index;
    const QSignalBlocker blocker(m_model);
    m_model->clear();
    m_model->addItems(source->models);
    // Keep what the user typed when the list only grew; a new source starts at its first model.
    if (sameSource || source->models.isEmpty())
        m_model->setEditText(typed);
    else
        m_model->setCurrentIndex(0);
    onModelChanged();
}

QString AddTargetDialog::suggestedTargetId(const QString &model) const
{
    static const QRegularExpression unsafe(QStringLiteral("[^a-z0-9._-]+"));
    const Source *source = currentSource();
    QString base = model.toLower().replace(unsafe, QStringLiteral("-"));
    if (source)
        base = source->provider.id + u'-' + base;
    QString id = base;
    for (int n = 2; m_workspace.target(id); ++n)
        id = base + u'-' + QString::number(n);
    return id;
}

void AddTargetDialog::onModelChanged()
{
    const QString model = m_model->currentText().trimmed();
    if (!m_idEdited)
        m_id->setText(model.isEmpty() ? QString() : suggestedTargetId(model));
    if (!m_labelEdited)
        m_label->setText(model);
    const Source *source = currentSource();
    m_inputPrice->clear();
    m_outputPrice->clear();
    if (!m_catalogue || !source || model.isEmpty()) {
        m_priceNote->setText(m_catalogue ? tr("Leave a price empty when it is unknown.")
                                         : tr("No price catalogue: leave a price empty when it is unknown."));
        return;
    }
    const QString date = m_catalogue->info().date;
    const QString key = m_catalogue->findKey(source->catalogueProvider, model);
    const std::optional<PriceSchedule> schedule = key.isEmpty() ? std::nullopt : m_catalogue->scheduleForKey(key);
    if (!schedule) {
        m_priceNote->setText(
            tr("“%1” is not in the price catalogue of %2: leave the prices empty for unknown, or enter them.")
                .arg(model, date));
        return;
    }
    const Price price = schedule->at(std::nullopt);
    const QLocale locale;
    if (price.inputPerMTok)
        m_inputPrice->setText(locale.toString(*price.inputPerMTok, 'g', 6));
    if (price.outputPerMTok)
        m_outputPrice->setText(locale.toString(*price.outputPerMTok, 'g', 6));
    m_priceNote->setText(
        schedule->tiered()
            ? tr("From the price catalogue of %1 (%2), for short prompts; edit to override.").arg(date, key)
            : tr("From the price catalogue of %1 (%2); edit to override.").arg(date, key));
}

void AddTargetDialog::setColor(const QString &color)
{
    m_color = QColor(color).name();
    m_colorButton->setIcon(colourSwatch(QColor(m_color)));
    m_colorButton->setText(m_color);
}

void AddTargetDialog::chooseColor()
{
    const QColor chosen = QColorDialog::getColor(QColor(m_color), this, tr("Target Colour"));
    if (chosen.isValid())
        setColor(chosen.name());
}

QString AddTargetDialog::uniqueProviderId(const QString &wanted) const
{
    QString id = wanted;
    for (int n = 2; m_workspace.provider(id); ++n)
        id = wanted + u'-' + QString::number(n);
    return id;
}

QStringList AddTargetDialog::catalogueModels(const QString &providerId) const
{
    QStringList models;
    if (!m_catalogue)
        return models;
    for (const CatalogueEntry &e : m_catalogue->entries()) {
        if (!e.mode.isEmpty() && e.mode != u"chat" && e.mode != u"responses")
            continue;
        // The name the provider knows: "cerebras/gpt-oss-120b" is "gpt-oss-120b" at Cerebras.
        const qsizetype slash = e.key.indexOf(u'/');
        const QString bare = slash > 0 ? e.key.mid(slash + 1) : e.key;
        if (m_catalogue->findKey(providerId, bare) == e.key)
            models.append(bare);
        else if (bare != e.key && m_catalogue->findKey(providerId, e.key) == e.key)
            models.append(e.key);
    }
    models.sort(Qt::CaseInsensitive);
    models.removeDuplicates();
    return models;
}

QString AddTargetDialog::validate()
{
    const Source *source = currentSource();
    const QString model = m_model->currentText().trimmed();
    const QString id = m_id->text().trimmed();
    if (!source)
        return tr("Choose where the model runs.");
    if (model.isEmpty())
        return tr("Choose or type a model.");
    if (id.isEmpty())
        return tr("Give the target an id.");
    if (m_workspace.target(id))
        return tr("A target with the id “%1” already exists: choose another id.").arg(id);
    for (QLineEdit *edit : {m_inputPrice, m_outputPrice, m_temperature, m_maxTokens}) {
        if (!edit->text().trimmed().isEmpty() && !edit->hasAcceptableInput())
            return tr("“%1” is not a valid %2.").arg(edit->text(), edit->accessibleName().toLower());
    }

    TargetConfig t;
    t.id = id;
    t.label = m_label->text().trimmed().isEmpty() ? id : m_label->text().trimmed();
    t.providerId = source->provider.id;
    t.model = model;
    t.color = m_color;
    t.price.inputPerMTok = number(m_inputPrice);
    t.price.outputPerMTok = number(m_outputPrice);
    t.params.temperature = number(m_temperature);
    if (const auto tokens = number(m_maxTokens))
        t.params.maxTokens = static_cast<int>(*tokens);
    t.params.reasoningEffort = m_reasoning->currentData().toString();

    // The same checks the workspace applies, on a copy: the message is the loader's.
    Workspace trial = m_workspace;
    std::optional<ProviderConfig> provider;
    if (!source->inWorkspace) {
        provider = source->provider;
        if (const Status added = trial.addProvider(*provider); !added.ok())
            return added.error();
    }
    if (const Status added = trial.addTarget(t); !added.ok())
        return added.error();
    m_target = t;
    m_newProvider = provider;
    return {};
}

void AddTargetDialog::accept()
{
    const QString problem = validate();
    m_error->setText(problem);
    m_error->setVisible(!problem.isEmpty());
    if (problem.isEmpty())
        QDialog::accept();
}

} // namespace Slopscope
