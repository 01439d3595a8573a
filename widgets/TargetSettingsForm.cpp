#include "TargetSettingsForm.h"

#include "metrics/PriceCatalogue.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QVBoxLayout>

namespace Slopscope {

namespace {

std::optional<double> &priceField(Price &price, int field)
{
    std::optional<double> *fields[] = {&price.inputPerMTok, &price.outputPerMTok, &price.cachedInputPerMTok,
                                       &price.cacheWritePerMTok, &price.reasoningPerMTok};
    return *fields[field];
}

QString number(double value)
{
    return QLocale().toString(value, 'g', 8);
}

// The user's locale first (a comma in German), then the file's dot.
std::optional<double> parseNumber(const QString &text)
{
    bool ok = false;
    double value = QLocale().toDouble(text, &ok);
    if (!ok)
        value = QLocale::c().toDouble(text, &ok);
    return ok ? std::optional<double>(value) : std::nullopt;
}

} // namespace

TargetSettingsForm::TargetSettingsForm(const PriceCatalogue *catalogue, QWidget *parent)
    : QWidget(parent)
    , m_catalogue(catalogue)
{
    setObjectName(QStringLiteral("targetSettingsForm"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_title = new QLabel(this);
    m_title->setTextFormat(Qt::PlainText); // labels and models come from a workspace file
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    layout->addWidget(m_title);

    auto *prices = new QGroupBox(tr("Price (US$ per million tokens)"), this);
    auto *priceForm = new QFormLayout(prices);
    m_note = new QLabel(prices);
    m_note->setTextFormat(Qt::PlainText);
    m_note->setWordWrap(true);
    priceForm->addRow(m_note);
    const QString labels[] = {tr("&Input:"), tr("&Output:"), tr("&Cached input:"), tr("Cache &write:"),
                              tr("Reaso&ning:")};
    for (int i = 0; i < PriceFieldCount; ++i) {
        auto *edit = new QLineEdit(prices);
        edit->setObjectName(QStringLiteral("targetPrice%1").arg(i));
        auto *state = new QLabel(prices);
        state->setObjectName(QStringLiteral("targetPriceState%1").arg(i));
        state->setTextFormat(Qt::PlainText);
        auto *row = new QHBoxLayout;
        row->addWidget(edit, 1);
        row->addWidget(state, 2);
        // A row with a layout gets no buddy from addRow, so its mnemonic needs an explicit label.
        auto *label = new QLabel(labels[i], prices);
        label->setBuddy(edit);
        priceForm->addRow(label, row);
        m_prices[i] = edit;
        m_states[i] = state;
        connect(edit, &QLineEdit::textEdited, this, &TargetSettingsForm::readFields);
    }
    layout->addWidget(prices);

    auto *params = new QGroupBox(tr("Parameters"), this);
    auto *paramForm = new QFormLayout(params);
    m_temperature = new QLineEdit(params);
    m_temperature->setObjectName(QStringLiteral("targetTemperature"));
    m_temperature->setPlaceholderText(tr("provider default"));
    paramForm->addRow(tr("&Temperature:"), m_temperature);
    m_maxTokens = new QSpinBox(params);
    m_maxTokens->setObjectName(QStringLiteral("targetMaxTokens"));
    m_maxTokens->setRange(0, 10'000'000);
    m_maxTokens->setSpecialValueText(tr("provider default"));
    m_maxTokens->setGroupSeparatorShown(true);
    paramForm->addRow(tr("&Max tokens:"), m_maxTokens);
    m_effort = new QComboBox(params);
    m_effort->setObjectName(QStringLiteral("targetReasoningEffort"));
    m_effort->setEditable(true);
    // Values go to the provider as written; these are the ones the dialects know.
    m_effort->addItems({QString(), QStringLiteral("minimal"), QStringLiteral("low"), QStringLiteral("medium"),
                        QStringLiteral("high")});
    paramForm->addRow(tr("&Reasoning effort:"), m_effort);
    layout->addWidget(params);
    layout->addStretch(1);

    connect(m_temperature, &QLineEdit::textEdited, this, &TargetSettingsForm::readFields);
    connect(m_maxTokens, &QSpinBox::valueChanged, this, &TargetSettingsForm::readFields);
    connect(m_effort, &QComboBox::currentTextChanged, this, &TargetSettingsForm::readFields);
}

TargetSettingsForm::~TargetSettingsForm() = default;

void TargetSettingsForm::setTarget(const TargetConfig &target)
{
    m_loading = true;
    m_target = target;
    m_inputProblem.clear();
    m_title->setText(tr("Target %1 (%2 on %3)").arg(target.label, target.model, target.providerId));
    m_cataloguePrice = {};
    const QString key = m_catalogue ? m_catalogue->findKey(target.providerId, target.model) : QString();
    const auto schedule = key.isEmpty() ? std::nullopt : m_catalogue->scheduleForKey(key);
    if (!m_catalogue)
        m_note->setText(tr("No price catalogue: an empty price is unknown."));
    else if (!schedule)
        m_note->setText(tr("“%1” is not in the price catalogue of %2: an empty price is unknown.")
                            .arg(target.model, m_catalogue->info().date));
    else
        // Whole sentences, so translators never assemble one from parts.
        m_note->setText(
            (schedule->tiered()
                 ? tr("Empty fields take the price catalogue of %1 (%2), for short prompts; a value you enter "
                      "overrides it.")
                 : tr("Empty fields take the price catalogue of %1 (%2); a value you enter overrides it."))
                .arg(m_catalogue->info().date, key));
    if (schedule)
        m_cataloguePrice = schedule->at(std::nullopt);
    for (int i = 0; i < PriceFieldCount; ++i) {
        const std::optional<double> &own = priceField(m_target.price, i);
        const std::optional<double> &listed = priceField(m_cataloguePrice, i);
        m_prices[i]->setText(own ? number(*own) : QString());
        m_prices[i]->setPlaceholderText(listed ? number(*listed) : tr("unknown"));
    }
    m_temperature->setText(target.params.temperature ? number(*target.params.temperature) : QString());
    m_maxTokens->setValue(target.params.maxTokens.value_or(0));
    m_effort->setCurrentText(target.params.reasoningEffort);
    updatePriceStates();
    m_loading = false;
}

void TargetSettingsForm::readFields()
{
    if (m_loading)
        return;
    m_inputProblem.clear();
    const QString path = QStringLiteral("targets.%1").arg(m_target.id);
    for (int i = 0; i < PriceFieldCount; ++i) {
        const QString text = m_prices[i]->text().trimmed();
        std::optional<double> &field = priceField(m_target.price, i);
        if (text.isEmpty()) {
            field.reset();
        } else if (const auto value = parseNumber(text)) {
            field = value;
        } else if (m_inputProblem.isEmpty()) {
            m_inputProblem = tr("%1.price: “%2” is not a number").arg(path, text);
        }
    }
    const QString temperature = m_temperature->text().trimmed();
    if (temperature.isEmpty()) {
        m_target.params.temperature.reset();
    } else if (const auto value = parseNumber(temperature)) {
        m_target.params.temperature = value;
    } else if (m_inputProblem.isEmpty()) {
        m_inputProblem = tr("%1.params.temperature: “%2” is not a number").arg(path, temperature);
    }
    m_target.params.maxTokens =
        m_maxTokens->value() > 0 ? std::optional<int>(m_maxTokens->value()) : std::optional<int>();
    m_target.params.reasoningEffort = m_effort->currentText().trimmed();
    updatePriceStates();
    emit edited();
}

void TargetSettingsForm::updatePriceStates()
{
    for (int i = 0; i < PriceFieldCount; ++i) {
        const std::optional<double> &own = priceField(m_target.price, i);
        const std::optional<double> &listed = priceField(m_cataloguePrice, i);
        QFont font = m_prices[i]->font();
        font.setBold(own.has_value() && listed.has_value());
        m_prices[i]->setFont(font);
        if (own && listed)
            m_states[i]->setText(tr("overrides the catalogue (%1)").arg(number(*listed)));
        else if (own)
            m_states[i]->setText(tr("set here"));
        else if (listed)
            m_states[i]->setText(tr("from the catalogue"));
        else
            m_states[i]->setText(tr("unknown"));
    }
}

} // namespace Slopscope
