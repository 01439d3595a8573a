#include "CaseForm.h"

#include "AssertionsEditor.h"
#include "DisconnectChildren.h"
#include "JsonObjectEdit.h"
#include "MessagesEditor.h"
#include "VarsEditor.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QStackedWidget>

#include <algorithm>
#include <climits>
#include <cmath>
#include <limits>

namespace Slopscope {

namespace {

QString numberText(double value)
{
    return QString::number(value, 'g', 12);
}

// A finite number of at least `minimum`; nullopt otherwise.
std::optional<double> readNumber(const QString &text, double minimum)
{
    bool ok = false;
    const double value = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(value) || value < minimum)
        return std::nullopt;
    return value;
}

int spinValue(std::optional<qint64> ms)
{
    return ms ? static_cast<int>(std::clamp<qint64>(*ms, 1, INT_MAX)) : 0;
}

} // namespace

CaseForm::CaseForm(QWidget *parent)
    : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_id = new EscapedLineEdit(this);
    m_id->setAccessibleName(tr("Case id"));
    form->addRow(tr("&Id"), m_id);
    connect(m_id, &QLineEdit::editingFinished, this, [this] { fieldEdited(tr("id")); });
    m_description = new EscapedLineEdit(this);
    m_description->setAccessibleName(tr("Description"));
    form->addRow(tr("D&escription"), m_description);
    connect(m_description, &QLineEdit::editingFinished, this, [this] { fieldEdited(tr("description")); });

    m_kind = new QComboBox(this);
    m_kind->addItems({tr("Prompt"), tr("Messages")});
    m_kind->setAccessibleName(tr("Input kind"));
    form->addRow(tr("In&put"), m_kind);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &CaseForm::switchInputKind);

    m_input = new QStackedWidget(this);
    m_prompt = new QPlainTextEdit(m_input);
    m_prompt->setAccessibleName(tr("Prompt"));
    m_prompt->setPlaceholderText(tr("The question; {{name}} is filled from the variables."));
    m_prompt->setTabChangesFocus(true);
    m_prompt->installEventFilter(this);
    m_input->addWidget(m_prompt);
    m_messages = new MessagesEditor(tr("Messages"), m_input);
    m_input->addWidget(m_messages);
    connect(m_messages, &MessagesEditor::edited, this, [this] { fieldEdited(tr("messages")); });
    form->addRow(m_input);

    m_vars = new VarsEditor(tr("Variables"), this);
    form->addRow(tr("Varia&bles"), m_vars);
    connect(m_vars, &VarsEditor::edited, this, [this] { fieldEdited(tr("variables")); });
    m_reference = new QPlainTextEdit(this);
    m_reference->setAccessibleName(tr("Reference answer"));
    m_reference->setMaximumHeight(70);
    m_reference->setTabChangesFocus(true);
    m_reference->installEventFilter(this);
    form->addRow(tr("&Reference"), m_reference);
    m_tags = new QLineEdit(this);
    m_tags->setAccessibleName(tr("Tags"));
    m_tags->setPlaceholderText(tr("comma-separated"));
    form->addRow(tr("&Tags"), m_tags);
    connect(m_tags, &QLineEdit::editingFinished, this, [this] { fieldEdited(tr("tags")); });

    // Scoring: three short fields on one row would clip their labels in a narrow dock.
    m_weight = new QLineEdit(this);
    m_weight->setAccessibleName(tr("Weight"));
    m_weight->setPlaceholderText(QStringLiteral("1"));
    m_weight->setToolTip(tr("How much the case counts in the suite's score (a number of at least 0)"));
    m_weight->setProperty("normalToolTip", m_weight->toolTip());
    form->addRow(tr("&Weight"), m_weight);
    connect(m_weight, &QLineEdit::textChanged, this, [this] { checkNumber(m_weight, false); });
    connect(m_weight, &QLineEdit::editingFinished, this, [this] { fieldEdited(tr("weight")); });
    m_threshold = new QLineEdit(this);
    m_threshold->setAccessibleName(tr("Threshold"));
    m_threshold->setPlaceholderText(tr("none: every assertion must pass"));
    m_threshold->setToolTip(tr("When set, the case passes when its weighted score reaches it"));
    m_threshold->setProperty("normalToolTip", m_threshold->toolTip());
    form->addRow(tr("T&hreshold"), m_threshold);
    connect(m_threshold, &QLineEdit::textChanged, this, [this] { checkNumber(m_threshold, true); });
    connect(m_threshold, &QLineEdit::editingFinished, this, [this] { fieldEdited(tr("threshold")); });
    m_timeBudget = new QSpinBox(this);
    m_timeBudget->setAccessibleName(tr("Time budget"));
    m_timeBudget->setRange(0, INT_MAX);
    m_timeBudget->setSingleStep(500);
    m_timeBudget->setSuffix(tr(" ms"));
    m_timeBudget->setSpecialValueText(tr("suite default"));
    m_timeBudget->setToolTip(tr("An answer slower than this fails \"quality within budget\"; 0 is the suite default"));
    form->addRow(tr("Time bu&dget"), m_timeBudget);
    connect(m_timeBudget, &QSpinBox::editingFinished, this, [this] { fieldEdited(tr("time budget")); });
    m_metadata = new JsonObjectEdit(tr("Metadata"), QStringLiteral("{\"source\": \"manual\"}"), this);
    form->addRow(tr("&Metadata"), m_metadata);
    connect(m_metadata, &JsonObjectEdit::editingFinished, this, [this] { fieldEdited(tr("metadata")); });

    m_assertions = new AssertionsEditor(tr("Assertions"), this);
    form->addRow(tr("A&ssertions"), m_assertions);
    connect(m_assertions, &AssertionsEditor::edited, this, [this] { fieldEdited(tr("assertions")); });

    // Buddies for fields wrapped in a panel, so Alt+letter lands in the field itself.
    for (QWidget *field :
         {static_cast<QWidget *>(m_vars), static_cast<QWidget *>(m_metadata), static_cast<QWidget *>(m_assertions)}) {
        if (auto *label = qobject_cast<QLabel *>(form->labelForField(field)))
            label->setBuddy(field->focusProxy());
    }
}

CaseForm::~CaseForm()
{
    m_loading = true; // fields losing the focus as they go are no edit
    disconnectChildrenFrom(this);
}

QTableWidget *CaseForm::messagesTable() const
{
    return m_messages->table();
}

QTableWidget *CaseForm::varsTable() const
{
    return m_vars->table();
}

QTableWidget *CaseForm::assertionsTable() const
{
    return m_assertions->table();
}

void CaseForm::load(const SuiteCase &c, bool sameCase)
{
    m_loading = true;
    m_id->setRawText(c.id);
    m_description->setRawText(c.description);
    const bool messages = !c.messages.isEmpty();
    m_kind->setCurrentIndex(messages ? 1 : 0);
    m_input->setCurrentIndex(messages ? 1 : 0);
    m_prompt->setPlainText(c.prompt);
    m_messages->setMessages(c.messages);
    m_vars->setVars(c.vars);
    m_reference->setPlainText(c.reference);
    m_tags->setText(c.tags.join(QStringLiteral(", ")));
    m_weight->setText(numberText(c.weight));
    m_threshold->setText(c.threshold ? numberText(*c.threshold) : QString());
    m_loadedBudget = c.timeBudgetMs;
    m_timeBudget->setValue(spinValue(c.timeBudgetMs));
    m_metadata->setObject(c.metadata, sameCase);
    m_assertions->setAssertions(c.assertions);
    m_loading = false;
}

void CaseForm::setDefaultTimeBudget(std::optional<qint64> ms)
{
    m_timeBudget->setSpecialValueText(ms ? tr("suite default (%1 ms)").arg(*ms) : tr("suite default (none)"));
}

Result<SuiteCase> CaseForm::read(SuiteCase c) const
{
    const QList<Assertion> assertionsBefore = c.assertions;
    c.id = m_id->rawText().trimmed();
    c.description = m_description->rawText();
    if (m_kind->currentIndex() == 0) {
        c.prompt = m_prompt->toPlainText();
        c.messages.clear();
    } else {
        c.prompt.clear();
        c.messages = m_messages->messages(c.messages); // tool calls and results kept row by row
    }
    const auto vars = m_vars->vars();
    if (!vars.ok())
        return Error{vars.error()};
    c.vars = vars.value();
    c.reference = m_reference->toPlainText();
    c.tags.clear();
    for (const QString &tag : m_tags->text().split(u',', Qt::SkipEmptyParts)) {
        if (!tag.trimmed().isEmpty())
            c.tags.append(tag.trimmed());
    }
    // Text that still shows the stored number keeps it exactly (no round trip through text).
    const QString weight = m_weight->text().trimmed();
    if (weight != numberText(c.weight)) {
        const auto value = weight.isEmpty() ? std::optional<double>(1.0) : readNumber(weight, 0);
        if (!value)
            return Error{tr("The weight \"%1\" is not a number of at least 0").arg(weight)};
        c.weight = *value;
    }
    const QString threshold = m_threshold->text().trimmed();
    if (threshold.isEmpty()) {
        c.threshold.reset();
    } else if (!c.threshold || threshold != numberText(*c.threshold)) {
        const auto value = readNumber(threshold, -std::numeric_limits<double>::max());
        if (!value)
            return Error{tr("The threshold \"%1\" is not a number").arg(threshold)};
        c.threshold = value;
    }
    if (m_timeBudget->value() != spinValue(m_loadedBudget))
        c.timeBudgetMs = m_timeBudget->value() == 0 ? std::nullopt : std::optional<qint64>(m_timeBudget->value());
    const auto metadata = m_metadata->object();
    if (!metadata.ok())
        return Error{metadata.error()};
    c.metadata = metadata.value();
    const auto assertions = m_assertions->assertions(assertionsBefore);
    if (!assertions.ok())
        return Error{assertions.error()};
    c.assertions = assertions.value();
    return c;
}

void CaseForm::fieldEdited(const QString &field)
{
    if (!m_loading)
        emit edited(tr("Change %1 of case %2").arg(field, m_id->rawText().trimmed()));
}

void CaseForm::checkNumber(QLineEdit *edit, bool optional)
{
    const QString text = edit->text().trimmed();
    const bool ok = (text.isEmpty()) || readNumber(text, optional ? -std::numeric_limits<double>::max() : 0);
    const QString why = ok         ? QString()
                        : optional ? tr("Not a number: \"%1\"").arg(text)
                                   : tr("Not a number of at least 0: \"%1\"").arg(text);
    edit->setStyleSheet(ok ? QString() : QStringLiteral("QLineEdit { border: 2px solid #c62828; }"));
    edit->setToolTip(why.isEmpty() ? edit->property("normalToolTip").toString() : why);
    edit->setAccessibleDescription(why);
}

bool CaseForm::eventFilter(QObject *watched, QEvent *event)
{
    // Plain text edits have no editingFinished: leaving the field commits it.
    if (event->type() == QEvent::FocusOut) {
        if (watched == m_prompt)
            fieldEdited(tr("prompt"));
        else if (watched == m_reference)
            fieldEdited(tr("reference"));
    }
    return QWidget::eventFilter(watched, event);
}

void CaseForm::switchInputKind(int kind)
{
    m_input->setCurrentIndex(kind);
    if (m_loading)
        return;
    // The text carries over: a prompt becomes one user message, and back.
    m_loading = true;
    const QList<ChatMessage> messages = m_messages->messages();
    if (kind == 1 && messages.isEmpty()) {
        m_messages->setMessages({{QStringLiteral("user"), m_prompt->toPlainText()}});
    } else if (kind == 0 && m_prompt->toPlainText().isEmpty()) {
        for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
            if (it->role == u"user") {
                m_prompt->setPlainText(it->content);
                break;
            }
        }
    }
    m_loading = false;
    fieldEdited(tr("input kind"));
}

} // namespace Slopscope
