#pragma once

#include "EscapedLineEdit.h"

#include "core/Result.h"
#include "quality/Suite.h"

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QPushButton;

namespace Slopscope {

class AssertionsEditor;
class MessagesEditor;
class VarsEditor;

// A case's variants: the list (add, duplicate as a paraphrase, remove) and a form for the
// selected one (id, kind, prompt or messages, variable overrides, reference). It edits copies:
// what it does not show (a variant's own assertions) is carried over untouched.
class VariantsEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VariantsEditor)

public:
    explicit VariantsEditor(QWidget *parent = nullptr);
    ~VariantsEditor() override;

    // The case's variants; the selection stays on the same row where it can, so undo shows the
    // variant it changed. The case's prompt is what a new variant starts from.
    void setCase(const SuiteCase &suiteCase);
    // The variants with what the form holds for the selected one.
    [[nodiscard]] Result<QList<CaseVariant>> variants() const;

    [[nodiscard]] int currentVariant() const { return m_current; }
    void selectVariant(int row);
    void addVariant();
    void duplicateAsParaphrase();
    void removeVariant();

    [[nodiscard]] QListWidget *list() const { return m_list; }
    [[nodiscard]] QLineEdit *idEdit() const { return m_id; }
    [[nodiscard]] QComboBox *kindBox() const { return m_kind; }
    [[nodiscard]] QPlainTextEdit *promptEdit() const { return m_prompt; }
    [[nodiscard]] MessagesEditor *messagesEditor() const { return m_messages; }
    [[nodiscard]] VarsEditor *varsEditor() const { return m_vars; }
    [[nodiscard]] QPlainTextEdit *referenceEdit() const { return m_reference; }
    [[nodiscard]] QCheckBox *ownAssertionsBox() const { return m_ownAssertions; }
    [[nodiscard]] AssertionsEditor *assertionsEditor() const { return m_assertions; }

signals:
    // One edit, with its undo text ("Change kind of variant p1 of case alpha").
    void edited(const QString &undoText);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    [[nodiscard]] Result<CaseVariant> variantFromForm() const;
    // Takes the form into m_variants; false (and an edit signalled, so the reason shows) when
    // it cannot be read.
    bool keepForm();
    void fieldEdited(const QString &field);
    void insertVariant(int row, const CaseVariant &v, const QString &undoText);
    [[nodiscard]] QString freshId(const QString &base) const;
    void loadList();
    void loadForm();

    QList<CaseVariant> m_variants;
    QString m_caseId;
    QString m_casePrompt;
    QList<ChatMessage> m_caseMessages;
    QList<Assertion> m_caseAssertions;
    int m_current = -1;
    bool m_loading = false;
    QListWidget *m_list = nullptr;
    QPushButton *m_duplicate = nullptr;
    QPushButton *m_remove = nullptr;
    QWidget *m_form = nullptr;
    EscapedLineEdit *m_id = nullptr;
    QComboBox *m_kind = nullptr;
    QPlainTextEdit *m_prompt = nullptr;
    MessagesEditor *m_messages = nullptr;
    QLabel *m_promptLabel = nullptr;
    VarsEditor *m_vars = nullptr;
    QPlainTextEdit *m_reference = nullptr;
    QCheckBox *m_ownAssertions = nullptr;
    AssertionsEditor *m_assertions = nullptr;
};

} // namespace Slopscope
