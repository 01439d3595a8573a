#pragma once

#include "core/Result.h"
#include "quality/Suite.h"

#include <QWidget>

#include <optional>

class QPlainTextEdit;
class QSpinBox;

namespace Slopscope {

class AssertionsEditor;
class JsonObjectEdit;

// The suite's description, and what every case starts from: the system
// prompt, the request params (JSON), the assertions graded on every answer, and the time budget
// of cases without their own.
class SuiteDefaultsForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SuiteDefaultsForm)

public:
    explicit SuiteDefaultsForm(QWidget *parent = nullptr);
    ~SuiteDefaultsForm() override;

    // `sameSuite`: an undo step, not another document, so text not yet taken is kept.
    void load(const Suite &suite, bool sameSuite = false);
    // `base` with the form's fields taken in (its cases untouched); the first field that cannot
    // be read says why.
    [[nodiscard]] Result<Suite> read(Suite base) const;

    [[nodiscard]] QPlainTextEdit *descriptionEdit() const { return m_description; }
    [[nodiscard]] QPlainTextEdit *systemEdit() const { return m_system; }
    [[nodiscard]] JsonObjectEdit *paramsEdit() const { return m_params; }
    [[nodiscard]] AssertionsEditor *assertionsEditor() const { return m_assertions; }
    [[nodiscard]] QSpinBox *timeBudgetBox() const { return m_timeBudget; }

signals:
    // One field was left changed, with its undo text.
    void edited(const QString &undoText);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fieldEdited(const QString &field);

    QPlainTextEdit *m_description = nullptr;
    QPlainTextEdit *m_system = nullptr;
    JsonObjectEdit *m_params = nullptr;
    AssertionsEditor *m_assertions = nullptr;
    QSpinBox *m_timeBudget = nullptr;
    std::optional<qint64> m_loadedBudget;
    bool m_loading = false;
};

} // namespace Slopscope
