#pragma once

#include "core/Workspace.h"

#include <QUndoCommand>

#include <functional>

namespace Slopscope {

// One change of the lineup (a target added or removed) or of provider and target settings
// (Settings ▸ Providers), undoable. It keeps the whole workspace
// before and after: small, and undo then restores exactly, order and new provider included.
class TargetEditCommand final : public QUndoCommand
{
public:
    using Apply = std::function<void(const Workspace &)>;

    TargetEditCommand(const QString &text, Workspace before, Workspace after, Apply apply);

    void undo() override;
    void redo() override;

private:
    Workspace m_before;
    Workspace m_after;
    Apply m_apply;
};

} // namespace Slopscope
