#include "SuiteDefaultsForm.h"

#include "AssertionsEditor.h"
#include "DisconnectChildren.h"
#include "JsonObjectEdit.h"

#include <QEvent>
#include <QFormLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSpinBox>

#include <algorithm>
#include <climits>

namespace Slopscope {

namespace {

int budgetSpinValue(std::optional<qint64> ms)
{
    return ms ? static_cast<int>(std::clamp<qint64>(*ms, 1, INT_MAX)) : 0;
}

} // namespace

SuiteDefaultsForm::SuiteDefaultsForm(QWidget *parent)
    : QWidget(parent)
{
    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    m_description = new QPlainTextEdit(this);
    m_description->setAccessibleName(tr("Suite description"));
    m_description->setPlaceholderText(tr("What the suite measures, for whoever runs it next."));
    m_description->setTabChangesFocus(true);
    m_description->setMinimumHeight(50);
    m_description->setMaximumHeight(100);
    m_description->installEventFilter(this);
    form->addRow(tr("&Description"), m_description);

    auto *intro = new QLabel(tr("Every case of the suite starts from these."), this);
    intro->setWordWrap(true);
    form->addRow(intro);

    m_system = new QPlainTextEdit(this);
    m_system->setAccessibleName(tr("System prompt"));
    m_system->setPlaceholderText(tr("Sent first with every case; {{name}} is filled from the case's variables."));
    m_system->setTabChangesFocus(true);
    m_system->setMinimumHeight(70);
    m_system->setMaximumHeight(140);
    m_system->installEventFilter(this);
    form->addRow(tr("&System prompt"), m_system);
    m_params = new JsonObjectEdit(tr("Params"), QStringLiteral("{\"temperature\": 0}"), this);
    m_params->setToolTip(tr("Request parameters for every case, e.g. {\"temperature\": 0}"));
    form->addRow(tr("&Params"), m_params);
    connect(m_params, &JsonObjectEdit::editingFinished, this, [this] { fieldEdited(tr("default params")); });
    m_assertions = new AssertionsEditor(tr("Default assertions"), this);
    form->addRow(tr("Default asse&rtions"), m_assertions);
    connect(m_assertions, &AssertionsEditor::edited, this, [this] { fieldEdited(tr("default assertions")); });
    m_timeBudget = new QSpinBox(this);
    m_timeBudget->setAccessibleName(tr("Default time budget"));
    m_timeBudget->setRange(0, INT_MAX);
    m_timeBudget->setSingleStep(500);
    m_timeBudget->setSuffix(tr(" ms"));
    m_timeBudget->setSpecialValueText(tr("none"));
    m_timeBudget->setToolTip(tr("The time budget of every case without its own; 0 for none"));
    form->addRow(tr("Default time &budget"), m_timeBudget);
    connect(m_timeBudget, &QSpinBox::editingFinished, this, [this] { fieldEdited(tr("default time budget")); });

    for (QWidget *field : {static_cast<QWidget *>(m_params), static_cast<QWidget *>(m_assertions)}) {
        if (auto *label = qobject_cast<QLabel *>(form->labelForField(field)))
            label->setBuddy(field->focusProxy());
    }
}

SuiteDefaultsForm::~SuiteDefaultsForm()
{
    m_loading = true; // fields losing the focus as they go are no edit
    disconnectChildrenFrom(this);
}

void SuiteDefaultsForm::load(const Suite &suite, bool sameSuite)
{
    m_loading = true;
    m_description->setPlainText(suite.description);
    const SuiteDefaults &defaults = suite.defaults;
    m_system->setPlainText(defaults.system);
    m_params->setObject(defaults.params, sameSuite);
    m_assertions->setAssertions(defaults.assertions);
    m_loadedBudget = defaults.timeBudgetMs;
    m_timeBudget->setValue(budgetSpinValue(defaults.timeBudgetMs));
    m_loading = false;
}

Result<Suite> SuiteDefaultsForm::read(Suite suite) const
{
    suite.description = m_description->toPlainText();
    SuiteDefaults &d = suite.defaults;
    const QList<Assertion> assertionsBefore = d.assertions;
    d.system = m_system->toPlainText();
    const auto params = m_params->object();
    if (!params.ok())
        return Error{params.error()};
    d.params = params.value();
    const auto assertions = m_assertions->assertions(assertionsBefore);
    if (!assertions.ok())
        return Error{tr("Default assertions: %1").arg(assertions.error())};
    d.assertions = assertions.value();
    if (m_timeBudget->value() != budgetSpinValue(m_loadedBudget))
        d.timeBudgetMs = m_timeBudget->value() == 0 ? std::nullopt : std::optional<qint64>(m_timeBudget->value());
    return suite;
}

void SuiteDefaultsForm::fieldEdited(const QString &field)
{
    if (!m_loading)
        emit edited(tr("Change %1").arg(field));
}

bool SuiteDefaultsForm::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_system && event->type() == QEvent::FocusOut)
        fieldEdited(tr("default system prompt"));
    else if (watched == m_description && event->type() == QEvent::FocusOut)
        fieldEdited(tr("suite description"));
    return QWidget::eventFilter(watched, event);
}

} // namespace Slopscope
