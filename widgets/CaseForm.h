#pragma once

#include "EscapedLineEdit.h"

#include "core/Result.h"
#include "quality/Suite.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;
class QStackedWidget;
class QTableWidget;

namespace Slopscope {

class AssertionsEditor;
class JsonObjectEdit;
class MessagesEditor;
class VarsEditor;

// The fields of one case (its variants have their own editor): id, description, prompt or
// messages, variables, reference, tags, weight, threshold, time budget, metadata, assertions.
// It reads into a copy of the case, so fields it does not show are kept as they were.
class CaseForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CaseForm)

public:
    explicit CaseForm(QWidget *parent = nullptr);
    ~CaseForm() override;

    // `sameCase`: the case shown already (an undo step), so text not yet taken is kept.
    void load(const SuiteCase &suiteCase, bool sameCase = false);
    // `base` with the form's fields taken in; the first field that cannot be read says why.
    [[nodiscard]] Result<SuiteCase> read(SuiteCase base) const;
    // Shown in the time budget field when the case has none of its own.
    void setDefaultTimeBudget(std::optional<qint64> ms);

    [[nodiscard]] QLineEdit *idEdit() const { return m_id; }
    [[nodiscard]] QLineEdit *descriptionEdit() const { return m_description; }
    [[nodiscard]] QPlainTextEdit *promptEdit() const { return m_prompt; }
    [[nodiscard]] QComboBox *inputKindBox() const { return m_kind; }
    [[nodiscard]] QTableWidget *messagesTable() const;
    [[nodiscard]] QTableWidget *varsTable() const;
    [[nodiscard]] QTableWidget *assertionsTable() const;
    [[nodiscard]] QLineEdit *tagsEdit() const { return m_tags; }
    [[nodiscard]] QLineEdit *weightEdit() const { return m_weight; }
    [[nodiscard]] QLineEdit *thresholdEdit() const { return m_threshold; }
    [[nodiscard]] QSpinBox *timeBudgetBox() const { return m_timeBudget; }
    [[nodiscard]] JsonObjectEdit *metadataEdit() const { return m_metadata; }

signals:
    // One field was left changed (or a row added or removed), with its undo text.
    void edited(const QString &undoText);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fieldEdited(const QString &field);
    void switchInputKind(int kind);
    // Marks a number field that cannot be read, with the reason as its tooltip.
    void checkNumber(QLineEdit *edit, bool optional);

    EscapedLineEdit *m_id = nullptr;
    EscapedLineEdit *m_description = nullptr;
    QComboBox *m_kind = nullptr;
    QStackedWidget *m_input = nullptr;
    QPlainTextEdit *m_prompt = nullptr;
    MessagesEditor *m_messages = nullptr;
    VarsEditor *m_vars = nullptr;
    QPlainTextEdit *m_reference = nullptr;
    QLineEdit *m_tags = nullptr;
    QLineEdit *m_weight = nullptr;
    QLineEdit *m_threshold = nullptr;
    QSpinBox *m_timeBudget = nullptr;
    JsonObjectEdit *m_metadata = nullptr;
    AssertionsEditor *m_assertions = nullptr;
    std::optional<qint64> m_loadedBudget; // beyond the spin box's range: kept unless changed
    bool m_loading = false;
};

} // namespace Slopscope
