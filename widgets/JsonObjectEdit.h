#pragma once

#include "core/Result.h"

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;
class QPlainTextEdit;

namespace Slopscope {

// A JSON object typed as text (a case's metadata, the suite's params). What is typed is checked
// as it is typed and the reason shown under the field; the text is never replaced while it is
// wrong, so nothing the user wrote is lost. An empty field is the empty object.
class JsonObjectEdit final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonObjectEdit)

public:
    // `what` names the field in messages ("Metadata"); `example` is shown while it is empty.
    JsonObjectEdit(const QString &what, const QString &example, QWidget *parent = nullptr);
    ~JsonObjectEdit() override;

    // With `keepPending`, text that cannot be taken yet stays when the object is the one it was
    // typed over (an undo of some other field must not wipe it).
    void setObject(const nlohmann::json &object, bool keepPending = false);
    // The object as typed; an error saying what is wrong (and where) otherwise. Untouched text
    // gives back exactly the object set, whatever its formatting.
    [[nodiscard]] Result<nlohmann::json> object() const;
    [[nodiscard]] QPlainTextEdit *textEdit() const { return m_text; }
    [[nodiscard]] QLabel *errorLabel() const { return m_error; }

signals:
    // The field lost the focus: the moment to take what was typed.
    void editingFinished();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void check();

    QString m_what;
    QPlainTextEdit *m_text = nullptr;
    QLabel *m_error = nullptr;
    nlohmann::json m_loaded = nlohmann::json::object();
    QString m_loadedText;
};

} // namespace Slopscope
