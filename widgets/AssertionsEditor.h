#pragma once

#include "RowTableEditor.h"
#include "core/Result.h"
#include "quality/Suite.h"

namespace Slopscope {

// A list of assertions as a table (type, value, threshold, weight) with Add and Remove under it:
// a case's assertions and the suite's default ones. Values that must be JSON are checked when
// read; text the user typed stays in the table until it can be taken.
class AssertionsEditor final : public RowTableEditor
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AssertionsEditor)

public:
    enum Column { TypeColumn, ValueColumn, ThresholdColumn, WeightColumn, ColumnCount };

    AssertionsEditor(const QString &accessibleName, QWidget *parent = nullptr);
    ~AssertionsEditor() override;

    void setAssertions(const QList<Assertion> &assertions);
    // The assertions as the table shows them. `before` is what was set: an untouched value
    // keeps its JSON type ("42" the string stays a string), and fields the table does not show
    // (provider, metric) are kept row by row.
    [[nodiscard]] Result<QList<Assertion>> assertions(const QList<Assertion> &before) const;

private:
    int fillNewRow(int row) override;
    void setRow(int row, const Assertion &a);
};

} // namespace Slopscope
