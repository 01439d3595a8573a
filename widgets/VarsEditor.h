#pragma once

#include "RowTableEditor.h"
#include "core/Result.h"

#include <QHash>

namespace Slopscope {

// Template variables as a Name/Value table with Add and Remove under it: a case's vars and a
// variant's overrides.
class VarsEditor final : public RowTableEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(VarsEditor)

public:
    VarsEditor(const QString &accessibleName, QWidget *parent = nullptr);
    ~VarsEditor() override;

    void setVars(const QHash<QString, QString> &vars);
    // Empty rows are skipped; a value without a name, or a name twice, is an error rather than
    // something quietly dropped.
    [[nodiscard]] Result<QHash<QString, QString>> vars() const;

private:
    int fillNewRow(int row) override;
};

} // namespace Slopscope
