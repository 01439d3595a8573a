#pragma once

#include "quality/Suite.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QTabWidget;
class QTableWidget;
class QUndoStack;

namespace Slopscope {

class CaseForm;
class EscapedLineEdit;
class SuiteCaseModel;
class SuiteDefaultsForm;
class VariantsEditor;

// The Suite panel: the cases of one suite in a list (add, duplicate, remove, move) and, in tabs,
// the selected case, its variants and the suite's defaults. Every change goes through the undo
// stack as one command (a row operation, or one field committed when it loses focus), so Undo
// gives back exactly the suite before it. The forms edit copies, so fields they do not show are
// kept. What the suite parser would refuse is shown above the tabs and blocks saving.
class SuiteEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SuiteEditor)

public:
    enum Tab { CaseTab, VariantsTab, DefaultsTab };

    explicit SuiteEditor(QWidget *parent = nullptr);
    ~SuiteEditor() override;

    // A new document: the undo history is cleared and the first case selected.
    void setSuite(const Suite &suite);
    [[nodiscard]] const Suite &suite() const;
    [[nodiscard]] SuiteCaseModel *model() const { return m_model; }
    [[nodiscard]] QUndoStack *undoStack() const { return m_undo; }

    [[nodiscard]] int currentRow() const;
    void selectCase(int row);

    // Takes what is typed in the forms into the suite (one undo command each when it changed).
    // False when a form holds something the suite cannot (an assertion value or metadata that
    // is not JSON); the text stays where it was typed.
    bool commit();
    // Commits, then says why the suite cannot be saved or run; empty when it can.
    [[nodiscard]] QString saveProblem();

    void addCase();
    // Appends a case made elsewhere (Quick Compare's "Save as suite case") as one undoable edit,
    // its id made unique in this suite; returns the id it got.
    QString appendCase(const SuiteCase &suiteCase);
    void duplicateCase();
    void removeCase();
    void moveCase(int delta);

    // The forms and their fields, for tests and accessibility checks.
    [[nodiscard]] QTabWidget *tabs() const { return m_tabs; }
    [[nodiscard]] CaseForm *caseForm() const { return m_caseForm; }
    [[nodiscard]] VariantsEditor *variantsEditor() const { return m_variants; }
    [[nodiscard]] SuiteDefaultsForm *defaultsForm() const { return m_defaults; }
    [[nodiscard]] QListView *caseList() const { return m_list; }
    [[nodiscard]] QLineEdit *idEdit() const;
    [[nodiscard]] QPlainTextEdit *promptEdit() const;
    [[nodiscard]] QComboBox *inputKindBox() const;
    [[nodiscard]] QTableWidget *messagesTable() const;
    [[nodiscard]] QTableWidget *varsTable() const;
    [[nodiscard]] QTableWidget *assertionsTable() const;
    [[nodiscard]] QLabel *problemLabel() const { return m_problem; }

signals:
    // The suite changed (an edit, undo or redo, or setSuite).
    void suiteChanged();

private:
    QWidget *createCaseList();
    QWidget *createTabs();
    // `keepPending`: an undo step of the same document, where JSON text the suite could not
    // take yet stays in its field rather than being replaced.
    void loadForm(bool keepPending = false);
    // Commits the case forms; the row to select afterwards defaults to the same.
    bool commitCase(const QString &undoText, int rowAfter = -1);
    bool commitDefaults(const QString &undoText);
    void pushSuite(const QString &text, const Suite &after, int rowAfter);
    void applySuite(const Suite &suite, int row);
    void updateProblem();
    void updateButtons();

    SuiteCaseModel *m_model = nullptr; // child
    QUndoStack *m_undo = nullptr;      // child
    QListView *m_list = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    EscapedLineEdit *m_name = nullptr;
    QLabel *m_problem = nullptr;
    QTabWidget *m_tabs = nullptr;
    CaseForm *m_caseForm = nullptr;
    VariantsEditor *m_variants = nullptr;
    SuiteDefaultsForm *m_defaults = nullptr;
    QString m_caseError;     // why the case forms cannot be taken in
    QString m_defaultsError; // why the defaults form cannot
    int m_formRow = -1;      // the case the forms show
    int m_shownRow = -1;     // the same, kept while an undo step applies
    QString m_shownId;
    bool m_loading = false; // the forms are being filled from the suite: not an edit
};

} // namespace Slopscope
