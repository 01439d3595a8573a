#pragma once

#include "core/Result.h"

#include <QHash>
#include <QWidget>

class QTableWidget;

namespace Slopscope {

// Template variables as a Name/Value table with Add and Remove under it: a case's vars and a
// variant's overrides.
class VarsEditor final : public QWidget
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
    [[nodiscard]] QTableWidget *table() const { return m_table; }

signals:
    void edited();

private:
    QTableWidget *m_table = nullptr;
    bool m_loading = false;
};

} // namespace Slopscope
