#include "SuiteEditor.h"

#include "AssertionsEditor.h"
#include "CaseForm.h"
#include "DisconnectChildren.h"
#include "EscapedLineEdit.h"
#include "quality/SuiteWriter.h"
#include "SuiteDefaultsForm.h"
#include "SuiteEditCommand.h"
#include "VariantsEditor.h"
#include "views/SuiteCaseModel.h"

#include <QHBoxLayout>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollArea>
#include <QSplitter>
#include <QTabWidget>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

namespace {

// A tab page that scrolls down, never sideways: the dock is narrow and the forms wrap to fit.
// The stretch under the page keeps fields at their natural height instead of spreading them.
QScrollArea *inScrollArea(QWidget *page, QWidget *parent)
{
    auto *scroll = new QScrollArea(parent);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    auto *holder = new QWidget(scroll);
    auto *layout = new QVBoxLayout(holder);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(page);
    layout->addStretch(1);
    scroll->setWidget(holder);
    return scroll;
}

// The suite without its cases, to tell whether an undo step changed the rest.
nlohmann::json suiteHead(Suite suite)
{
    suite.cases.clear();
    return suiteToJson(suite);
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
    splitter->addWidget(createTabs());
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
                const QString id = m_model->caseAt(m_formRow).id;
                if (!commitCase(tr("Change case %1").arg(id), current.row())) {
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
    connect(m_caseForm, &CaseForm::edited, this, [this](const QString &text) { commitCase(text); });
    connect(m_variants, &VariantsEditor::edited, this, [this](const QString &text) { commitCase(text); });
    connect(m_defaults, &SuiteDefaultsForm::edited, this, &SuiteEditor::commitDefaults);
    setSuite(Suite{});
}

SuiteEditor::~SuiteEditor()
{
    // Fields lose the focus as they are destroyed (or the window closes): that is no edit to
    // commit, and this object is half gone by then.
    m_loading = true;
    disconnectChildrenFrom(this);
}

QWidget *SuiteEditor::createCaseList()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 4, 4, 0);
    m_name = new EscapedLineEdit(panel);
    m_name->setObjectName(QStringLiteral("suiteName"));
    m_name->setAccessibleName(tr("Suite name"));
    m_name->setPlaceholderText(tr("Suite name"));
    connect(m_name, &QLineEdit::editingFinished, this, [this] {
        if (m_loading || m_name->rawText() == m_model->suite().name)
            return;
        Suite after = m_model->suite();
        after.name = m_name->rawText();
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

QWidget *SuiteEditor::createTabs()
{
    auto *panel = new QWidget(this);
    auto *layout = new QVBoxLayout(panel);
    layout->setContentsMargins(4, 0, 4, 0);
    m_problem = new QLabel(panel);
    m_problem->setObjectName(QStringLiteral("suiteProblem"));
    m_problem->setWordWrap(true);
    m_problem->setTextFormat(Qt::PlainText); // it may quote the suite's own text
    m_problem->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_problem->setAccessibleName(tr("Problem"));
    layout->addWidget(m_problem);

    m_tabs = new QTabWidget(panel);
    m_tabs->setObjectName(QStringLiteral("suiteEditorTabs"));
    m_caseForm = new CaseForm;
    m_variants = new VariantsEditor;
    m_defaults = new SuiteDefaultsForm;
    m_tabs->addTab(inScrollArea(m_caseForm, m_tabs), tr("&Case"));
    m_tabs->addTab(inScrollArea(m_variants, m_tabs), tr("Varia&nts"));
    m_tabs->addTab(inScrollArea(m_defaults, m_tabs), tr("Suite de&faults"));
    layout->addWidget(m_tabs, 1);
    return panel;
}

QLineEdit *SuiteEditor::idEdit() const
{
    return m_caseForm->idEdit();
}

QPlainTextEdit *SuiteEditor::promptEdit() const
{
    return m_caseForm->promptEdit();
}

QComboBox *SuiteEditor::inputKindBox() const
{
    return m_caseForm->inputKindBox();
}

QTableWidget *SuiteEditor::messagesTable() const
{
    return m_caseForm->messagesTable();
}

QTableWidget *SuiteEditor::varsTable() const
{
    return m_caseForm->varsTable();
}

QTableWidget *SuiteEditor::assertionsTable() const
{
    return m_caseForm->assertionsTable();
}

void SuiteEditor::setSuite(const Suite &suite)
{
    m_caseError.clear();
    m_defaultsError.clear();
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

void SuiteEditor::loadForm(bool keepPending)
{
    const int row = currentRow();
    const bool has = row >= 0 && row < m_model->rowCount();
    const bool sameCase = keepPending && has && row == m_shownRow && m_model->caseAt(row).id == m_shownId;
    m_formRow = has ? row : -1;
    m_shownRow = m_formRow;
    m_shownId = has ? m_model->caseAt(row).id : QString();
    m_loading = true;
    m_caseError.clear();
    m_defaultsError.clear();
    const Suite &suite = m_model->suite();
    m_name->setRawText(suite.name);
    const SuiteCase c = has ? m_model->caseAt(row) : SuiteCase{};
    m_caseForm->setEnabled(has);
    m_caseForm->setDefaultTimeBudget(suite.defaults.timeBudgetMs);
    m_caseForm->load(c, sameCase);
    m_variants->setEnabled(has);
    m_variants->setCase(c);
    m_tabs->setTabText(VariantsTab,
                       c.variants.isEmpty() ? tr("Varia&nts") : tr("Varia&nts (%1)").arg(c.variants.size()));
    m_defaults->load(suite, keepPending);
    m_loading = false;
    // What is kept is still wrong: say so again.
    if (keepPending) {
        if (const auto read = m_caseForm->read(c); has && !read.ok())
            m_caseError = read.error();
        if (const auto d = m_defaults->read(suite); !d.ok())
            m_defaultsError = tr("Suite defaults: %1").arg(d.error());
    }
    updateProblem();
    updateButtons();
}

bool SuiteEditor::commit()
{
    const bool defaults = commitDefaults(tr("Change the suite defaults"));
    const int row = m_formRow;
    const QString id = row >= 0 && row < m_model->rowCount() ? m_model->caseAt(row).id : QString();
    return commitCase(tr("Change case %1").arg(id)) && defaults;
}

bool SuiteEditor::commitCase(const QString &undoText, int rowAfter)
{
    if (m_loading)
        return true;
    const int row = m_formRow;
    if (row < 0 || row >= m_model->rowCount())
        return true;
    m_caseError.clear();
    const SuiteCase before = m_model->caseAt(row);
    auto edited = m_caseForm->read(before);
    const auto variants = m_variants->variants();
    if (edited.ok() && !variants.ok())
        edited = Error{variants.error()};
    if (!edited.ok()) {
        m_caseError = edited.error();
        updateProblem();
        return false;
    }
    SuiteCase c = std::move(edited).value();
    c.variants = variants.value();
    if (suiteCaseToJson(c) == suiteCaseToJson(before)) {
        updateProblem();
        return true;
    }
    Suite after = m_model->suite();
    after.cases[row] = std::move(c);
    pushSuite(undoText, after, rowAfter < 0 ? row : rowAfter);
    return true;
}

bool SuiteEditor::commitDefaults(const QString &undoText)
{
    if (m_loading)
        return true;
    m_defaultsError.clear();
    const auto edited = m_defaults->read(m_model->suite());
    if (!edited.ok()) {
        m_defaultsError = tr("Suite defaults: %1").arg(edited.error());
        updateProblem();
        return false;
    }
    const Suite after = edited.value();
    if (suiteHead(after) == suiteHead(m_model->suite())) {
        updateProblem();
        return true;
    }
    pushSuite(undoText, after, currentRow());
    return true;
}

QString SuiteEditor::saveProblem()
{
    if (!commit())
        return m_caseError.isEmpty() ? m_defaultsError : m_caseError;
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
    if (current.cases.size() == suite.cases.size() && suiteHead(current) == suiteHead(suite)) {
        // Same rows: change only those that differ, so the list keeps its place.
        for (int r = 0; r < suite.cases.size(); ++r) {
            if (suiteCaseToJson(current.cases.at(r)) != suiteCaseToJson(suite.cases.at(r)))
                m_model->setCase(r, suite.cases.at(r));
        }
    } else {
        // The name or the defaults changed (the parser's checks of every case depend on them).
        m_model->setSuite(suite);
    }
    selectCase(row);
    m_loading = false;
    loadForm(true);
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
    m_tabs->setCurrentIndex(CaseTab);
    idEdit()->setFocus();
    idEdit()->selectAll();
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

void SuiteEditor::updateProblem()
{
    const int row = currentRow();
    QString problem = m_caseError.isEmpty() ? m_defaultsError : m_caseError;
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
