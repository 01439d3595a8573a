#include "TargetEditCommand.h"

namespace Slopscope {

TargetEditCommand::TargetEditCommand(const QString &text, Workspace before, Workspace after, Apply apply)
    : QUndoCommand(text)
    , m_before(std::move(before))
    , m_after(std::move(after))
    , m_apply(std::move(apply))
{}

void TargetEditCommand::undo()
{
    m_apply(m_before);
}

void TargetEditCommand::redo()
{
    m_apply(m_after);
}

} // namespace Slopscope
