#include "SuiteEditor.h"

#include "core/Json.h"
#include "quality/SuiteWriter.h"
#include "SuiteEditCommand.h"
#include "views/SuiteCaseModel.h"

#include <QComboBox>
#include <QEvent>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

namespace {

// Types whose value is a list or an object: their text must be JSON.
bool needsJson(const QString &type)
{
    static const QStringList types{QStringLiteral("contains-any"), QStringLiteral("contains-all"),
                                   QStringLiteral("icontains-any"), QStringLiteral("icontains-all"),
                                   QStringLiteral("json-schema")};
    return types.contains(type);
}

// Types compared with text: "42" stays the string "42".
bool takesText(const QString &type)
{
    static const QStringList types{
        QStringLiteral("equals"),       QStringLiteral("contains"),   QStringLiteral("icontains"),
        QStringLiteral("not-contains"), QStringLiteral("regex"),      QStringLiteral("starts-with"),
        QStringLiteral("ends-with"),    QStringLiteral("llm-rubric"), QStringLiteral("factuality")};
    return types.contains(type);
}

QString valueText(const nlohmann::json &value)
{
    if (value.is_null())
        return {};
    if (value.is_string())
        return Json::toQString(value.get<std::string>());
    return Json::toQString(value.dump());
}

QString numberText(double value)
{
    return QString::number(value, 'g', 12);
}

QTableWidget *table(const QStringList &headers, const QString &accessibleName, QWidget *parent)
{
    auto *t = new QTableWidget(0, static_cast<int>(headers.size()), parent);
    t->setHorizontalHeaderLabels(headers);
    t->horizontalHeader()->setStretchLastSection(true);
    t->verticalHeader()->setVisible(false);
    t->setAccessibleName(accessibleName);
    t->setMinimumHeight(90);
    t->setSelectionBehavior(QAbstractItemView::SelectRows);
    return t;
}

} // namespace

SuiteEditor::SuiteEditor(QWidget *parent)
    : QWidget(parent)
    , m_model(new SuiteCaseModel(this))
    , m_undo(new QUndoStack(this))
{
    setObjectName(QStringLiteral("suiteEditor"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(createCaseList());
    splitter->addWidget(createForm());
    // The form is where the work is: the list gets a strip, and can be dragged taller.
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({140, 560});
    layout->addWidget(splitter);

    connect(m_list->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex &current) {
                if (m_loading)
                    return;
                // What was typed for the case left behind is kept before the form changes; a
                // value that cannot be kept holds the selection where it is.
                if (!commitField(tr("case"), current.row())) {
                    m_loading = true;
                    m_list->setCurrentIndex(m_model->index(m_formRow));
                    m_loading = false;
                    return;
                }
                loadForm();
            });
    connect(m_model, &SuiteCaseModel::suiteChanged, this, [this] {
        updateProblem();
        emit suiteChanged();
    });
    setSuite(Suite{});
}

SuiteEditor::~SuiteEditor()
{
    // Fields lose the focus as they are destroyed: that is no edit to commit.
    m_loading = true;
}

QWidget *SuiteEditor::createCaseList()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 4, 4, 0);
    m_name = new QLineEdit(panel);
    m_name->setAccessibleName(tr("Suite name"));
    m_name->setPlaceholderText(tr("Suite name"));
    connect(m_name, &QLineEdit::editingFinished, this, [this] {
        if (m_loading || m_name->text() == m_model->suite().name)
            return;
        Suite after = m_model->suite();
        after.name = m_name->text();
        pushSuite(tr("Rename suite"), after, currentRow());
    });
    layout->addWidget(m_name);

    m_list = new QListView(panel);
    m_list->setObjectName(QStringLiteral("suiteCases"));
    m_list->setAccessibleName(tr("Cases"));
    m_list->setModel(m_model);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(m_list, 1);

    auto *buttons = new QHBoxLayout;
    const auto button = [this, panel, buttons](const QString &text, const QString &tip, auto slot) {
        auto *b = new QPushButton(text, panel);
        b->setToolTip(tip);
        b->setAccessibleName(tip);
        connect(b, &QPushButton::clicked, this, slot);
        buttons->addWidget(b);
        return b;
    };
    button(tr("&Add"), tr("Add a case after the selected one"), [this] { addCase(); });
    m_duplicate = button(tr("D&uplicate"), tr("Duplicate the selected case"), [this] { duplicateCase(); });
    m_remove = button(tr("Remo&ve"), tr("Remove the selected case"), [this] { removeCase(); });
    m_up = button(tr("▲"), tr("Move the case up"), [this] { moveCase(-1); });
    m_down = button(tr("▼"), tr("Move the case down"), [this] { moveCase(1); });
    buttons->addStretch(1);
    layout->addLayout(buttons);
    return panel;
}

QWidget *SuiteEditor::withRowButtons(QTableWidget *t, const QString &what, const QStringList &initial)
{
    auto *panel = new QWidget(m_form);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(0, 0, 0, 0);
    t->setParent(panel);
    layout->addWidget(t);
    auto *row = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add %1").arg(what), panel);
    auto *remove = new QPushButton(tr("Remove %1").arg(what), panel);
    // A row added or removed is one edit, like a cell changed.
    connect(add, &QPushButton::clicked, this, [this, t, initial, what] {
        m_loading = true;
        const int r = t->rowCount();
        t->insertRow(r);
        if (t == m_assertions) {
            Assertion a;
            a.type = initial.value(0);
            setAssertionRow(r, a);
        } else {
            for (int c = 0; c < initial.size(); ++c)
                t->setItem(r, c, new QTableWidgetItem(initial.at(c)));
        }
        m_loading = false;
        commitField(what);
        t->setCurrentCell(r, t == m_assertions ? int(ValueColumn) : 0);
    });
    connect(remove, &QPushButton::clicked, this, [this, t, what] {
        const int r = t->currentRow();
        if (r < 0)
            return;
        t->removeRow(r);
        commitField(what);
    });
    connect(t, &QTableWidget::itemChanged, this, [this, what] { commitField(what); });
    row->addWidget(add);
    row->addWidget(remove);
    row->addStretch(1);
    layout->addLayout(row);
    return panel;
}

QWidget *SuiteEditor::createForm()
{
    auto *scroll = new QScrollArea(this);
    scroll->setWidgetResizable(true);
    m_form = new QWidget(scroll);
    auto *form = new QFormLayout(m_form);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_problem = new QLabel(m_form);
    m_problem->setObjectName(QStringLiteral("suiteProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText); // it may quote the suite's own text
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_problem->setAccessibleName(tr("Problem"));
    form->addRow(m_problem);

    m_id = new QLineEdit(m_form);
    m_id->setAccessibleName(tr("Case id"));
    form->addRow(tr("&Id"), m_id);
    connect(m_id, &QLineEdit::editingFinished, this, [this] { commitField(tr("id")); });
    m_description = new QLineEdit(m_form);
    m_description->setAccessibleName(tr("Description"));
    form->addRow(tr("D&escription"), m_description);
    connect(m_description, &QLineEdit::editingFinished, this, [this] { commitField(tr("description")); });

    m_kind = new QComboBox(m_form);
    m_kind->addItems({tr("Prompt"), tr("Messages")});
    m_kind->setAccessibleName(tr("Input kind"));
    form->addRow(tr("&Input"), m_kind);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &SuiteEditor::switchInputKind);

    m_input = new QStackedWidget(m_form);
    m_prompt = new QPlainTextEdit(m_input);
    m_prompt->setAccessibleName(tr("Prompt"));
    m_prompt->setPlaceholderText(tr("The question; {{name}} is filled from the variables."));
    m_prompt->installEventFilter(this);
    m_input->addWidget(m_prompt);
    auto *messagesPanel = new QWidget(m_input);
    auto *messagesLayout = new QVBoxLayout(messagesPanel);
    messagesLayout->setContentsMargins(0, 0, 0, 0);
    m_messages = table({tr("Role"), tr("Content")}, tr("Messages"), messagesPanel);
    messagesLayout->addWidget(m_messages);
    m_input->addWidget(messagesPanel);
    form->addRow(m_input);

    m_vars = table({tr("Name"), tr("Value")}, tr("Variables"), m_form);
    form->addRow(tr("&Variables"), withRowButtons(m_vars, tr("variable"), {QString(), QString()}));
    m_reference = new QPlainTextEdit(m_form);
    m_reference->setAccessibleName(tr("Reference answer"));
    m_reference->setMaximumHeight(70);
    m_reference->installEventFilter(this);
    form->addRow(tr("&Reference"), m_reference);
    m_tags = new QLineEdit(m_form);
    m_tags->setAccessibleName(tr("Tags"));
    m_tags->setPlaceholderText(tr("comma-separated"));
    form->addRow(tr("&Tags"), m_tags);
    connect(m_tags, &QLineEdit::editingFinished, this, [this] { commitField(tr("tags")); });
    m_assertions = table({tr("Type"), tr("Value"), tr("Threshold"), tr("Weight")}, tr("Assertions"), m_form);
    m_assertions->setObjectName(QStringLiteral("assertionsTable"));
    m_assertions->setMinimumHeight(120);
    m_assertions->horizontalHeader()->setSectionResizeMode(TypeColumn, QHeaderView::ResizeToContents);
    m_assertions->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_assertions->horizontalHeader()->setSectionResizeMode(ThresholdColumn, QHeaderView::ResizeToContents);
    m_assertions->horizontalHeader()->setSectionResizeMode(WeightColumn, QHeaderView::ResizeToContents);
    form->addRow(tr("&Assertions"), withRowButtons(m_assertions, tr("assertion"), {QStringLiteral("contains")}));

    // The messages' buttons go under their table, inside the stacked page.
    {
        auto *row = new QHBoxLayout;
        auto *add = new QPushButton(tr("Add message"), messagesPanel);
        auto *remove = new QPushButton(tr("Remove message"), messagesPanel);
        connect(add, &QPushButton::clicked, this, [this] {
            m_loading = true;
            const int r = m_messages->rowCount();
            m_messages->insertRow(r);
            m_messages->setItem(r, 0, new QTableWidgetItem(QStringLiteral("user")));
            m_messages->setItem(r, 1, new QTableWidgetItem(QString()));
            m_loading = false;
            m_messages->setCurrentCell(r, 1);
        });
        connect(remove, &QPushButton::clicked, this, [this] {
            if (m_messages->currentRow() < 0)
                return;
            m_messages->removeRow(m_messages->currentRow());
            commitField(tr("messages"));
        });
        row->addWidget(add);
        row->addWidget(remove);
        row->addStretch(1);
        messagesLayout->addLayout(row);
        connect(m_messages, &QTableWidget::itemChanged, this, [this] { commitField(tr("messages")); });
    }
    scroll->setWidget(m_form);
    return scroll;
}

void SuiteEditor::setSuite(const Suite &suite)
{
    m_formError.clear();
    m_formRow = -1; // the form's text belongs to the suite being replaced
    m_loading = true;
    m_model->setSuite(suite);
    m_undo->clear();
    selectCase(0);
    m_loading = false;
    loadForm();
}

const Suite &SuiteEditor::suite() const
{
    return m_model->suite();
}

int SuiteEditor::currentRow() const
{
    const QModelIndex current = m_list->currentIndex();
    return current.isValid() ? current.row() : -1;
}

void SuiteEditor::selectCase(int row)
{
    if (m_model->rowCount() == 0)
        return;
    row = std::clamp(row, 0, m_model->rowCount() - 1);
    if (row != currentRow())
        m_list->setCurrentIndex(m_model->index(row));
}

bool SuiteEditor::eventFilter(QObject *watched, QEvent *event)
{
    // Plain text edits have no editingFinished: leaving the field commits it.
    if (event->type() == QEvent::FocusOut) {
        if (watched == m_prompt)
            commitField(tr("prompt"));
        else if (watched == m_reference)
            commitField(tr("reference"));
    }
    return QWidget::eventFilter(watched, event);
}

void SuiteEditor::loadForm()
{
    const int row = currentRow();
    const bool has = row >= 0 && row < m_model->rowCount();
    m_formRow = has ? row : -1;
    m_loading = true;
    m_formError.clear();
    m_name->setText(m_model->suite().name);
    m_form->setEnabled(has);
    const SuiteCase c = has ? m_model->caseAt(row) : SuiteCase{};
    m_id->setText(c.id);
    m_description->setText(c.description);
    const bool messages = !c.messages.isEmpty();
    m_kind->setCurrentIndex(messages ? 1 : 0);
    m_input->setCurrentIndex(messages ? 1 : 0);
    m_prompt->setPlainText(c.prompt);
    m_messages->setRowCount(0);
    for (const ChatMessage &m : c.messages) {
        const int r = m_messages->rowCount();
        m_messages->insertRow(r);
        m_messages->setItem(r, 0, new QTableWidgetItem(m.role));
        m_messages->setItem(r, 1, new QTableWidgetItem(m.content));
    }
    m_vars->setRowCount(0);
    QStringList names = c.vars.keys();
    std::sort(names.begin(), names.end());
    for (const QString &name : std::as_const(names)) {
        const int r = m_vars->rowCount();
        m_vars->insertRow(r);
        m_vars->setItem(r, 0, new QTableWidgetItem(name));
        m_vars->setItem(r, 1, new QTableWidgetItem(c.vars.value(name)));
    }
    m_reference->setPlainText(c.reference);
    m_tags->setText(c.tags.join(QStringLiteral(", ")));
    loadAssertions(c.assertions);
    m_loading = false;
    updateProblem();
    updateButtons();
}

void SuiteEditor::loadAssertions(const QList<Assertion> &assertions)
{
    m_assertions->setRowCount(0);
    for (const Assertion &a : assertions) {
        const int r = m_assertions->rowCount();
        m_assertions->insertRow(r);
        setAssertionRow(r, a);
    }
}

void SuiteEditor::setAssertionRow(int row, const Assertion &a)
{
    auto *type = new QComboBox(m_assertions);
    type->addItems(knownAssertionTypes());
    // promptfoo's other spellings and "not-" types stay as written.
    if (type->findText(a.type) < 0)
        type->addItem(a.type);
    type->setCurrentText(a.type);
    type->setAccessibleName(tr("Assertion type"));
    connect(type, &QComboBox::currentIndexChanged, this, [this] { commitField(tr("assertion type")); });
    m_assertions->setCellWidget(row, TypeColumn, type);
    m_assertions->setItem(row, ValueColumn, new QTableWidgetItem(valueText(a.value)));
    m_assertions->setItem(row, ThresholdColumn,
                          new QTableWidgetItem(a.threshold ? numberText(*a.threshold) : QString()));
    m_assertions->setItem(row, WeightColumn, new QTableWidgetItem(numberText(a.weight)));
}

std::optional<SuiteCase> SuiteEditor::caseFromForm()
{
    const int row = m_formRow;
    SuiteCase c = m_model->caseAt(row); // keeps what the form does not show: variants, metadata
    c.id = m_id->text().trimmed();
    c.description = m_description->text();
    const auto cell = [](const QTableWidget *t, int r, int column) {
        const QTableWidgetItem *item = t->item(r, column);
        return item ? item->text() : QString();
    };
    if (m_kind->currentIndex() == 0) {
        c.prompt = m_prompt->toPlainText();
        c.messages.clear();
    } else {
        c.prompt.clear();
        c.messages.clear();
        for (int r = 0; r < m_messages->rowCount(); ++r)
            c.messages.append({cell(m_messages, r, 0).trimmed(), cell(m_messages, r, 1)});
    }
    c.vars.clear();
    for (int r = 0; r < m_vars->rowCount(); ++r) {
        const QString name = cell(m_vars, r, 0).trimmed();
        if (!name.isEmpty())
            c.vars.insert(name, cell(m_vars, r, 1));
    }
    c.reference = m_reference->toPlainText();
    c.tags.clear();
    for (const QString &tag : m_tags->text().split(u',', Qt::SkipEmptyParts)) {
        if (!tag.trimmed().isEmpty())
            c.tags.append(tag.trimmed());
    }
    const QList<Assertion> before = m_model->caseAt(row).assertions;
    QList<Assertion> assertions;
    for (int r = 0; r < m_assertions->rowCount(); ++r) {
        Assertion a = r < before.size() ? before.at(r) : Assertion{};
        const auto *type = qobject_cast<const QComboBox *>(m_assertions->cellWidget(r, TypeColumn));
        a.type = type ? type->currentText() : a.type;
        const QString text = cell(m_assertions, r, ValueColumn);
        // Untouched text keeps its value as it was ("42" the string stays a string).
        if (r >= before.size() || text != valueText(before.at(r).value) || a.type != before.at(r).type) {
            const QString trimmed = text.trimmed();
            const bool looksJson = trimmed.startsWith(u'[') || trimmed.startsWith(u'{');
            if (trimmed.isEmpty()) {
                a.value = nullptr;
            } else if (needsJson(a.type) || (looksJson && !takesText(a.type))) {
                const auto parsed = Json::parse(text.toUtf8(), tr("value"));
                if (!parsed.ok()) {
                    m_formError =
                        tr("Assertion %1 (%2): the value is not valid JSON: %3").arg(r + 1).arg(a.type, parsed.error());
                    return std::nullopt;
                }
                a.value = parsed.value();
            } else if (!takesText(a.type)) {
                const auto parsed = Json::parse(text.toUtf8(), tr("value"));
                a.value = parsed.ok() ? parsed.value() : nlohmann::json(text.toStdString());
            } else {
                a.value = text.toStdString();
            }
        }
        bool ok = true;
        const QString threshold = cell(m_assertions, r, ThresholdColumn).trimmed();
        a.threshold = threshold.isEmpty() ? std::nullopt : std::optional<double>(threshold.toDouble(&ok));
        if (!ok) {
            m_formError = tr("Assertion %1: the threshold \"%2\" is not a number").arg(r + 1).arg(threshold);
            return std::nullopt;
        }
        const QString weight = cell(m_assertions, r, WeightColumn).trimmed();
        a.weight = weight.isEmpty() ? 1.0 : weight.toDouble(&ok);
        if (!ok || a.weight < 0) {
            m_formError = tr("Assertion %1: the weight \"%2\" is not a number of at least 0").arg(r + 1).arg(weight);
            return std::nullopt;
        }
        assertions.append(std::move(a));
    }
    c.assertions = assertions;
    return c;
}

bool SuiteEditor::commit()
{
    return commitField(tr("case"));
}

bool SuiteEditor::commitField(const QString &field, int rowAfter)
{
    if (m_loading)
        return true;
    const int row = m_formRow;
    if (row < 0 || row >= m_model->rowCount())
        return true;
    m_formError.clear();
    const std::optional<SuiteCase> edited = caseFromForm();
    if (!edited) {
        updateProblem();
        return false;
    }
    if (suiteCaseToJson(*edited) == suiteCaseToJson(m_model->caseAt(row))) {
        updateProblem();
        return true;
    }
    Suite after = m_model->suite();
    after.cases[row] = *edited;
    pushSuite(tr("Edit %1 of %2").arg(field, edited->id), after, rowAfter < 0 ? row : rowAfter);
    return true;
}

QString SuiteEditor::saveProblem()
{
    if (!commit())
        return m_formError;
    return m_model->firstProblem();
}

void SuiteEditor::pushSuite(const QString &text, const Suite &after, int rowAfter)
{
    m_undo->push(new SuiteEditCommand(text, m_model->suite(), m_formRow, after, rowAfter,
                                      [this](const Suite &suite, int row) { applySuite(suite, row); }));
}

void SuiteEditor::applySuite(const Suite &suite, int row)
{
    // Not an edit of the form: nothing is committed while the suite and selection change.
    m_formRow = -1;
    m_loading = true;
    const Suite &current = m_model->suite();
    if (current.cases.size() == suite.cases.size() && current.name == suite.name) {
        // Same rows: change only those that differ, so the list keeps its place.
        for (int r = 0; r < suite.cases.size(); ++r) {
            if (suiteCaseToJson(current.cases.at(r)) != suiteCaseToJson(suite.cases.at(r)))
                m_model->setCase(r, suite.cases.at(r));
        }
    } else {
        m_model->setSuite(suite);
    }
    selectCase(row);
    m_loading = false;
    loadForm();
}

void SuiteEditor::addCase()
{
    if (!commit())
        return;
    Suite after = m_model->suite();
    SuiteCase c;
    c.id = m_model->freshId();
    const int row = currentRow() + 1;
    after.cases.insert(row, c);
    pushSuite(tr("Add case %1").arg(c.id), after, row);
    m_id->setFocus();
    m_id->selectAll();
}

QString SuiteEditor::appendCase(const SuiteCase &suiteCase)
{
    commit(); // a half-typed field stays as typed; the new case goes after it either way
    Suite after = m_model->suite();
    SuiteCase added = suiteCase;
    for (int n = 2; after.findCase(added.id); ++n)
        added.id = QStringLiteral("%1-%2").arg(suiteCase.id).arg(n);
    after.cases.append(added);
    pushSuite(tr("Add case %1").arg(added.id), after, static_cast<int>(after.cases.size()) - 1);
    return added.id;
}

void SuiteEditor::duplicateCase()
{
    const int row = currentRow();
    if (row < 0 || !commit())
        return;
    Suite after = m_model->suite();
    SuiteCase copy = after.cases.at(row);
    copy.id = m_model->freshId(copy.id);
    after.cases.insert(row + 1, copy);
    pushSuite(tr("Duplicate case %1").arg(after.cases.at(row).id), after, row + 1);
}

void SuiteEditor::removeCase()
{
    const int row = currentRow();
    if (row < 0)
        return;
    Suite after = m_model->suite();
    const QString id = after.cases.at(row).id;
    after.cases.removeAt(row);
    pushSuite(tr("Remove case %1").arg(id), after, std::min(row, static_cast<int>(after.cases.size()) - 1));
}

void SuiteEditor::moveCase(int delta)
{
    const int row = currentRow();
    const int to = row + delta;
    if (row < 0 || to < 0 || to >= m_model->rowCount() || !commit())
        return;
    Suite after = m_model->suite();
    after.cases.move(row, to);
    pushSuite(tr("Move case %1").arg(after.cases.at(to).id), after, to);
}

void SuiteEditor::switchInputKind(int kind)
{
    m_input->setCurrentIndex(kind);
    if (m_loading)
        return;
    // The text carries over: a prompt becomes one user message, and back.
    m_loading = true;
    if (kind == 1 && m_messages->rowCount() == 0) {
        m_messages->insertRow(0);
        m_messages->setItem(0, 0, new QTableWidgetItem(QStringLiteral("user")));
        m_messages->setItem(0, 1, new QTableWidgetItem(m_prompt->toPlainText()));
    } else if (kind == 0 && m_prompt->toPlainText().isEmpty()) {
        for (int r = m_messages->rowCount() - 1; r >= 0; --r) {
            const QTableWidgetItem *role = m_messages->item(r, 0);
            if (role && role->text() == u"user" && m_messages->item(r, 1)) {
                m_prompt->setPlainText(m_messages->item(r, 1)->text());
                break;
            }
        }
    }
    m_loading = false;
    commitField(tr("input kind"));
}

void SuiteEditor::updateProblem()
{
    const int row = currentRow();
    QString problem = m_formError;
    if (problem.isEmpty() && row >= 0)
        problem = m_model->problemAt(row);
    if (problem.isEmpty() && m_model->rowCount() > 0 && !m_model->firstProblem().isEmpty())
        problem = m_model->firstProblem();
    m_problem->setText(problem);
    m_problem->setVisible(!problem.isEmpty());
}

void SuiteEditor::updateButtons()
{
    const int row = currentRow();
    m_duplicate->setEnabled(row >= 0);
    m_remove->setEnabled(row >= 0);
    m_up->setEnabled(row > 0);
    m_down->setEnabled(row >= 0 && row + 1 < m_model->rowCount());
}

} // namespace Slopscope
