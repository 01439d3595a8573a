#pragma once

#include <QHash>
#include <QWidget>

class QPushButton;
class QTableWidget;

namespace Slopscope {

// A two-column name → text table with Add and Remove, for a provider's extra headers (name →
// value) and its secret headers (name → the keychain entry holding the value, never the value).
class HeaderTableEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeaderTableEditor)

public:
    HeaderTableEditor(const QString &nameTitle, const QString &valueTitle, QWidget *parent = nullptr);
    ~HeaderTableEditor() override;

    void setHeaders(const QHash<QString, QString> &headers);
    // Rows with a name; names trimmed. A later row with the same name wins (inputProblem says so).
    [[nodiscard]] QHash<QString, QString> headers() const;
    // What the rows hold that headers() cannot say: a value without a name, a name twice.
    [[nodiscard]] QString inputProblem() const;

    [[nodiscard]] QTableWidget *table() const { return m_table; }
    [[nodiscard]] QPushButton *addButton() const { return m_add; }
    [[nodiscard]] QPushButton *removeButton() const { return m_remove; }

    // Adds a row and starts editing its name.
    void addRow(const QString &name = {}, const QString &value = {});

signals:
    void edited();

private:
    void updateButtons();

    bool m_loading = false;
    QTableWidget *m_table = nullptr; // children
    QPushButton *m_add = nullptr;
    QPushButton *m_remove = nullptr;
};

} // namespace Slopscope
