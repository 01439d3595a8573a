#pragma once

#include <QDialog>

class QLineEdit;

namespace Slopscope {

// Asks for one API key, hidden as it is typed. The value is handed out once by takeValue(),
// which empties the field, so the key does not linger in a widget after it is saved.
class KeyEntryDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(KeyEntryDialog)

public:
    KeyEntryDialog(const QString &name, const QString &usedBy, QWidget *parent = nullptr);
    ~KeyEntryDialog() override;

    [[nodiscard]] QString name() const { return m_name; }
    [[nodiscard]] QLineEdit *field() const { return m_field; }
    // The entered key, trimmed; the field is cleared.
    [[nodiscard]] QString takeValue();

private:
    QString m_name;
    QLineEdit *m_field = nullptr; // child
};

} // namespace Slopscope
