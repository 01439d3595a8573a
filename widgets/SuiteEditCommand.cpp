#include "SuiteEditCommand.h"

namespace Slopscope {

SuiteEditCommand::SuiteEditCommand(const QString &text, Suite before, int rowBefore, Suite after, int rowAfter,
                                   Apply apply)
    : QUndoCommand(text)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_rowBefore(rowBefore)
    , m_rowAfter(rowAfter)
    , m_apply(std::move(apply))
{}

void SuiteEditCommand::undo()
{
    m_apply(m_before, m_rowBefore);
}

void SuiteEditCommand::redo()
{
    m_apply(m_after, m_rowAfter);
}

} // namespace Slopscope
