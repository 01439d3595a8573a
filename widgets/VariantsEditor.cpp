#include "VariantsEditor.h"

#include "AssertionsEditor.h"
#include "DisconnectChildren.h"
#include "MessagesEditor.h"
#include "VarsEditor.h"
#include "views/ViewText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

namespace {

// As the case list shows ids (RELIABILITY B-2): invisible and bidi characters made visible.
QString itemText(const CaseVariant &v)
{
    const QString id = ViewText::visibleName(v.id);
    return v.kind.isEmpty() ? id : VariantsEditor::tr("%1 (%2)").arg(id, ViewText::visibleName(v.kind));
}

} // namespace

VariantsEditor::VariantsEditor(QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *listLabel = new QLabel(tr("Variant &list"), this);
    layout->addWidget(listLabel);
    m_list = new QListWidget(this);
    m_list->setObjectName(QStringLiteral("variantList"));
    m_list->setAccessibleName(tr("Variants"));
    m_list->setMaximumHeight(120);
    listLabel->setBuddy(m_list);
    layout->addWidget(m_list);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (m_loading || row == m_current)
            return;
        // What was typed for the variant left behind is kept; a form that cannot be read holds
        // the selection where it is, with the reason on show.
        if (!keepForm()) {
            const QSignalBlocker blocker(m_list);
            m_list->setCurrentRow(m_current);
            return;
        }
        m_current = row;
        loadForm();
    });

    auto *buttons = new QHBoxLayout;
    auto *add = new QPushButton(tr("A&dd variant"), this);
    add->setToolTip(tr("Add a variant of the case, starting from its prompt"));
    connect(add, &QPushButton::clicked, this, &VariantsEditor::addVariant);
    m_duplicate = new QPushButton(tr("Duplicate as &paraphrase"), this);
    m_duplicate->setToolTip(tr("Copy the selected variant (or the case) as a paraphrase to reword"));
    connect(m_duplicate, &QPushButton::clicked, this, &VariantsEditor::duplicateAsParaphrase);
    m_remove = new QPushButton(tr("Remove varian&t"), this);
    connect(m_remove, &QPushButton::clicked, this, &VariantsEditor::removeVariant);
    buttons->addWidget(add);
    buttons->addWidget(m_duplicate);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    m_form = new QWidget(this);
    auto *form = new QFormLayout(m_form);
    form->setContentsMargins(0, 0, 0, 0);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_id = new EscapedLineEdit(m_form);
    m_id->setAccessibleName(tr("Variant id"));
    form->addRow(tr("&Id"), m_id);
    connect(m_id, &QLineEdit::editingFinished, this, [this] { fieldEdited(tr("id")); });
    m_kind = new QComboBox(m_form);
    m_kind->setEditable(true);
    m_kind->setInsertPolicy(QComboBox::NoInsert);
    m_kind->addItems(
        {QString(), QStringLiteral("paraphrase"), QStringLiteral("reorder"), QStringLiteral("distractor")});
    m_kind->setAccessibleName(tr("Variant kind"));
    m_kind->setToolTip(tr("How the variant differs from the case; any word, or empty"));
    form->addRow(tr("&Kind"), m_kind);
    connect(m_kind->lineEdit(), &QLineEdit::editingFinished, this, [this] { fieldEdited(tr("kind")); });
    connect(m_kind, &QComboBox::activated, this, [this] { fieldEdited(tr("kind")); });
    m_prompt = new QPlainTextEdit(m_form);
    m_prompt->setAccessibleName(tr("Variant prompt"));
    m_prompt->setPlaceholderText(tr("The same question, asked differently; {{name}} is filled from the variables."));
    m_prompt->setTabChangesFocus(true);
    m_prompt->setMinimumHeight(70);
    m_prompt->installEventFilter(this);
    auto *promptPanel = new QWidget(m_form);
    auto *promptLayout = new QVBoxLayout(promptPanel);
    promptLayout->setContentsMargins(0, 0, 0, 0);
    promptLayout->addWidget(m_prompt);
    // A variant written as a conversation is edited as one; which form it takes follows the file.
    m_messages = new MessagesEditor(tr("Variant messages"), promptPanel);
    promptLayout->addWidget(m_messages);
    connect(m_messages, &MessagesEditor::edited, this, [this] { fieldEdited(tr("messages")); });
    m_promptLabel = new QLabel(tr("Pro&mpt"), m_form);
    form->addRow(m_promptLabel, promptPanel);
    m_vars = new VarsEditor(tr("Variable overrides"), m_form);
    m_vars->setToolTip(tr("Replace the case's variables of the same name for this variant"));
    form->addRow(tr("Variable &overrides"), m_vars);
    connect(m_vars, &VarsEditor::edited, this, [this] { fieldEdited(tr("variable overrides")); });
    m_reference = new QPlainTextEdit(m_form);
    m_reference->setAccessibleName(tr("Variant reference answer"));
    m_reference->setPlaceholderText(tr("Empty: the case's reference"));
    m_reference->setTabChangesFocus(true);
    m_reference->setMaximumHeight(70);
    m_reference->installEventFilter(this);
    form->addRow(tr("&Reference"), m_reference);
    // Most variants ask the same and are graded as the case is; one that changes the question
    // (a distractor, another unit) needs checks of its own.
    m_ownAssertions = new QCheckBox(tr("O&wn assertions instead of the case's"), m_form);
    form->addRow(m_ownAssertions);
    m_assertions = new AssertionsEditor(tr("Variant assertions"), m_form);
    form->addRow(m_assertions);
    connect(m_ownAssertions, &QCheckBox::toggled, this, [this](bool own) {
        m_assertions->setEnabled(own);
        if (m_loading)
            return;
        // Starting from the case's checks: a variant usually changes one of them.
        if (own && m_current >= 0 && !m_variants.at(m_current).assertions)
            m_assertions->setAssertions(m_caseAssertions);
        fieldEdited(tr("assertions"));
    });
    connect(m_assertions, &AssertionsEditor::edited, this, [this] { fieldEdited(tr("assertions")); });
    layout->addWidget(m_form, 1);
    loadList();
}

VariantsEditor::~VariantsEditor()
{
    m_loading = true; // fields losing the focus as they go are no edit
    disconnectChildrenFrom(this);
}

void VariantsEditor::setCase(const SuiteCase &suiteCase)
{
    if (suiteCase.id != m_caseId)
        m_current = 0; // another case: its first variant
    m_variants = suiteCase.variants;
    m_caseId = suiteCase.id;
    m_casePrompt = suiteCase.prompt;
    m_caseMessages = suiteCase.messages;
    m_caseAssertions = suiteCase.assertions;
    m_current = m_variants.isEmpty() ? -1 : std::clamp(m_current, 0, static_cast<int>(m_variants.size()) - 1);
    loadList();
}

Result<QList<CaseVariant>> VariantsEditor::variants() const
{
    QList<CaseVariant> out = m_variants;
    if (m_current >= 0 && m_current < out.size()) {
        const auto v = variantFromForm();
        if (!v.ok())
            return Error{v.error()};
        out[m_current] = v.value();
    }
    return out;
}

Result<CaseVariant> VariantsEditor::variantFromForm() const
{
    CaseVariant v = m_variants.at(m_current); // keeps what the form does not show
    v.id = m_id->rawText().trimmed();
    v.kind = m_kind->currentText().trimmed();
    if (v.messages.isEmpty())
        v.prompt = m_prompt->toPlainText();
    else
        v.messages = m_messages->messages(v.messages); // tool calls and results kept row by row
    const auto vars = m_vars->vars();
    if (!vars.ok())
        return Error{tr("Variant %1: %2").arg(v.id, vars.error())};
    v.vars = vars.value();
    v.reference = m_reference->toPlainText();
    if (m_ownAssertions->isChecked()) {
        const auto assertions = m_assertions->assertions(v.assertions.value_or(m_caseAssertions));
        if (!assertions.ok())
            return Error{tr("Variant %1: %2").arg(v.id, assertions.error())};
        v.assertions = assertions.value();
    } else {
        v.assertions.reset();
    }
    return v;
}

bool VariantsEditor::keepForm()
{
    if (m_current < 0 || m_current >= m_variants.size())
        return true;
    const auto v = variantFromForm();
    if (!v.ok()) {
        fieldEdited(tr("variable overrides"));
        return false;
    }
    m_variants[m_current] = v.value();
    return true;
}

void VariantsEditor::fieldEdited(const QString &field)
{
    if (m_loading || m_current < 0)
        return;
    emit edited(tr("Change %1 of variant %2 of case %3").arg(field, m_id->rawText().trimmed(), m_caseId));
}

void VariantsEditor::selectVariant(int row)
{
    if (row >= 0 && row < m_list->count())
        m_list->setCurrentRow(row);
}

QString VariantsEditor::freshId(const QString &base) const
{
    for (int n = 1;; ++n) {
        const QString id = QStringLiteral("%1-%2").arg(base).arg(n);
        if (std::none_of(m_variants.cbegin(), m_variants.cend(), [&](const CaseVariant &v) { return v.id == id; }))
            return id;
    }
}

void VariantsEditor::insertVariant(int row, const CaseVariant &v, const QString &undoText)
{
    m_variants.insert(row, v);
    m_current = row;
    loadList();
    emit edited(undoText);
    m_id->setFocus();
    m_id->selectAll();
}

void VariantsEditor::addVariant()
{
    if (!keepForm())
        return;
    CaseVariant v;
    v.id = freshId(QStringLiteral("v"));
    // A variant needs a question to send: it starts as the case's, to be reworded.
    v.prompt = m_casePrompt;
    v.messages = m_caseMessages;
    insertVariant(static_cast<int>(m_variants.size()), v, tr("Add variant %1 to case %2").arg(v.id, m_caseId));
}

void VariantsEditor::duplicateAsParaphrase()
{
    if (!keepForm())
        return;
    CaseVariant v;
    if (m_current >= 0) {
        v = m_variants.at(m_current);
        v.assertions.reset(); // a paraphrase asks the same: it is graded as the case is
    } else {
        v.prompt = m_casePrompt;
        v.messages = m_caseMessages;
    }
    const QString from = m_current >= 0 ? m_variants.at(m_current).id : m_caseId;
    v.kind = QStringLiteral("paraphrase");
    v.id = freshId(QStringLiteral("paraphrase"));
    insertVariant(m_current + 1, v, tr("Duplicate %1 as paraphrase %2 in case %3").arg(from, v.id, m_caseId));
}

void VariantsEditor::removeVariant()
{
    if (m_current < 0 || m_current >= m_variants.size())
        return;
    const QString id = m_variants.at(m_current).id;
    m_variants.removeAt(m_current);
    m_current = std::min(m_current, static_cast<int>(m_variants.size()) - 1);
    loadList();
    emit edited(tr("Remove variant %1 from case %2").arg(id, m_caseId));
}

void VariantsEditor::loadList()
{
    m_loading = true;
    m_list->clear();
    for (const CaseVariant &v : std::as_const(m_variants))
        m_list->addItem(itemText(v));
    if (m_current >= 0)
        m_list->setCurrentRow(m_current);
    m_loading = false;
    loadForm();
}

void VariantsEditor::loadForm()
{
    const bool has = m_current >= 0 && m_current < m_variants.size();
    const CaseVariant v = has ? m_variants.at(m_current) : CaseVariant{};
    m_loading = true;
    m_form->setEnabled(has);
    m_duplicate->setEnabled(true);
    m_remove->setEnabled(has);
    m_id->setRawText(v.id);
    m_kind->setCurrentText(v.kind);
    m_prompt->setPlainText(v.prompt);
    const bool messages = !v.messages.isEmpty();
    m_prompt->setVisible(!messages);
    m_messages->setVisible(messages);
    // Alt+M goes to whichever is shown.
    m_promptLabel->setText(messages ? tr("&Messages") : tr("Pro&mpt"));
    m_promptLabel->setBuddy(messages ? static_cast<QWidget *>(m_messages) : m_prompt);
    m_messages->setMessages(v.messages);
    m_vars->setVars(v.vars);
    m_reference->setPlainText(v.reference);
    m_ownAssertions->setChecked(v.assertions.has_value());
    m_assertions->setEnabled(v.assertions.has_value());
    m_assertions->setAssertions(v.assertions.value_or(m_caseAssertions));
    if (QListWidgetItem *item = has ? m_list->item(m_current) : nullptr)
        item->setText(itemText(v));
    m_loading = false;
}

bool VariantsEditor::eventFilter(QObject *watched, QEvent *event)
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

} // namespace Slopscope
