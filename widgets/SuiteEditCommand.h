#pragma once

#include "quality/Suite.h"

#include <QUndoCommand>

#include <functional>

namespace Slopscope {

// One edit of the suite in the editor (a case added, removed, moved, or one field changed),
// undoable. Like TargetEditCommand it keeps the whole suite before and after: suites are small
// and copies share their strings, and undo then restores exactly. The row is the case to select
// afterwards.
class SuiteEditCommand final : public QUndoCommand
{
public:
    using Apply = std::function<void(const Suite &, int row)>;

    SuiteEditCommand(const QString &text, Suite before, int rowBefore, Suite after, int rowAfter, Apply apply);

    void undo() override;
    void redo() override;

private:
    Suite m_before;
    Suite m_after;
    int m_rowBefore;
    int m_rowAfter;
    Apply m_apply;
};

} // namespace Slopscope
