#include "VarsEditor.h"

#include <QHeaderView>
#include <QSet>
#include <QTableWidget>

#include <algorithm>

namespace Slopscope {

VarsEditor::VarsEditor(const QString &accessibleName, QWidget *parent)
    : RowTableEditor(accessibleName, {{tr("Name"), tr("Value")}, tr("Add variable"), tr("Remove variable")},
                     Adding::CountsOnceFilledIn, parent)
{
    table()->horizontalHeader()->setStretchLastSection(true);
    table()->setMinimumHeight(90);
}

int VarsEditor::fillNewRow(int row)
{
    table()->setItem(row, 0, new QTableWidgetItem(QString()));
    table()->setItem(row, 1, new QTableWidgetItem(QString()));
    return 0;
}

VarsEditor::~VarsEditor() = default;

void VarsEditor::setVars(const QHash<QString, QString> &vars)
{
    const auto guard = loading();
    table()->setRowCount(0);
    QStringList names = vars.keys();
    std::sort(names.begin(), names.end());
    for (const QString &name : std::as_const(names)) {
        const int r = table()->rowCount();
        table()->insertRow(r);
        table()->setItem(r, 0, new QTableWidgetItem(name));
        table()->setItem(r, 1, new QTableWidgetItem(vars.value(name)));
    }
}

Result<QHash<QString, QString>> VarsEditor::vars() const
{
    const auto cell = [this](int r, int column) {
        const QTableWidgetItem *item = table()->item(r, column);
        return item ? item->text() : QString();
    };
    QHash<QString, QString> out;
    for (int r = 0; r < table()->rowCount(); ++r) {
        const QString name = cell(r, 0).trimmed();
        const QString value = cell(r, 1);
        if (name.isEmpty()) {
            if (value.isEmpty())
                continue; // a row added and not filled in yet
            return Error{tr("Variable %1 has a value but no name").arg(r + 1)};
        }
        if (out.contains(name))
            return Error{tr("The variable \"%1\" is named twice").arg(name)};
        out.insert(name, value);
    }
    return out;
}

} // namespace Slopscope
