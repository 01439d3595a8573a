#pragma once

#include "quality/Suite.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableWidget;
class QUndoStack;

namespace Slopscope {

class SuiteCaseModel;

// The Suite panel: the cases of one suite in a list (add, duplicate, remove, move) and an editor
// for the selected case. Every change goes through the undo stack as one command (a row
// operation, or one field committed when it loses focus), so Undo gives back exactly the suite
// before it. What the suite parser would refuse is shown under the form and blocks saving.
class SuiteEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SuiteEditor)

public:
    enum AssertionColumn { TypeColumn, ValueColumn, ThresholdColumn, WeightColumn, AssertionColumnCount };

    explicit SuiteEditor(QWidget *parent = nullptr);
    ~SuiteEditor() override;

    // A new document: the undo history is cleared and the first case selected.
    void setSuite(const Suite &suite);
    [[nodiscard]] const Suite &suite() const;
    [[nodiscard]] SuiteCaseModel *model() const { return m_model; }
    [[nodiscard]] QUndoStack *undoStack() const { return m_undo; }

    [[nodiscard]] int currentRow() const;
    void selectCase(int row);

    // Takes what is typed in the form into the suite (one undo command when it changed). False
    // when the form holds something the suite cannot (an assertion value that is not JSON).
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

    // The form's fields, for tests and accessibility checks.
    [[nodiscard]] QListView *caseList() const { return m_list; }
    [[nodiscard]] QLineEdit *idEdit() const { return m_id; }
    [[nodiscard]] QPlainTextEdit *promptEdit() const { return m_prompt; }
    [[nodiscard]] QComboBox *inputKindBox() const { return m_kind; }
    [[nodiscard]] QTableWidget *messagesTable() const { return m_messages; }
    [[nodiscard]] QTableWidget *varsTable() const { return m_vars; }
    [[nodiscard]] QTableWidget *assertionsTable() const { return m_assertions; }
    [[nodiscard]] QLabel *problemLabel() const { return m_problem; }

signals:
    // The suite changed (an edit, undo or redo, or setSuite).
    void suiteChanged();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *createCaseList();
    QWidget *createForm();
    QWidget *withRowButtons(QTableWidget *t, const QString &what, const QStringList &initial);
    void loadForm();
    void loadAssertions(const QList<Assertion> &assertions);
    void setAssertionRow(int row, const Assertion &a);
    // The case as the form shows it; nullopt (and m_formError set) when a field cannot be read.
    [[nodiscard]] std::optional<SuiteCase> caseFromForm();
    // Commits the form's case; the row to select afterwards defaults to the same.
    bool commitField(const QString &field, int rowAfter = -1);
    void pushSuite(const QString &text, const Suite &after, int rowAfter);
    void applySuite(const Suite &suite, int row);
    void switchInputKind(int kind);
    void updateProblem();
    void updateButtons();

    SuiteCaseModel *m_model = nullptr; // child
    QUndoStack *m_undo = nullptr;      // child
    QListView *m_list = nullptr;
    QPushButton *m_remove = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_up = nullptr;
    QPushButton *m_down = nullptr;
    QWidget *m_form = nullptr;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_id = nullptr;
    QLineEdit *m_description = nullptr;
    QComboBox *m_kind = nullptr;
    QStackedWidget *m_input = nullptr;
    QPlainTextEdit *m_prompt = nullptr;
    QTableWidget *m_messages = nullptr;
    QTableWidget *m_vars = nullptr;
    QPlainTextEdit *m_reference = nullptr;
    QLineEdit *m_tags = nullptr;
    QTableWidget *m_assertions = nullptr;
    QLabel *m_problem = nullptr;
    QString m_formError;
    int m_formRow = -1;     // the case the form shows
    bool m_loading = false; // the form is being filled from the suite: not an edit
};

} // namespace Slopscope
