#pragma once

#include <QScopedValueRollback>
#include <QStringList>
#include <QWidget>

class QTableWidget;

namespace Slopscope {

// The frame the suite editor's row tables share: a table with hidden row numbers and whole-row
// selection, Add and Remove buttons under it, and one `edited()` for every change the user makes.
// Subclasses say what a new row holds and read the rows back.
class RowTableEditor : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RowTableEditor)

public:
    ~RowTableEditor() override;

    [[nodiscard]] QTableWidget *table() const { return m_table; }

signals:
    // A row removed or a cell changed; an added row too when the subclass says so.
    void edited();

protected:
    struct Texts
    {
        QStringList headers;
        QString add;
        QString remove;
    };
    enum class Adding { IsAnEdit, CountsOnceFilledIn };

    RowTableEditor(const QString &accessibleName, const Texts &texts, Adding adding, QWidget *parent);

    // Fills the row just inserted at `row` and returns the column to edit first.
    virtual int fillNewRow(int row) = 0;

    // While the returned guard lives, cell changes are the program's, not the user's.
    [[nodiscard]] QScopedValueRollback<bool> loading() { return QScopedValueRollback<bool>(m_loading, true); }
    [[nodiscard]] bool isLoading() const { return m_loading; }
    // A cell changed by a widget in it (a combo box), which itemChanged does not see.
    void cellWidgetEdited();

private:
    QTableWidget *m_table = nullptr; // child
    bool m_loading = false;
};

} // namespace Slopscope
