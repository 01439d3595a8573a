#pragma once

#include <QObject>

namespace Slopscope {

// For a form's destructor. Its child fields are destroyed after the destructor body has run,
// and a field that loses the focus on the way (editingFinished) would call back into the half-
// destroyed form: undefined behaviour, which UBSan reports. Cutting every connection from the
// children to the form first makes that impossible.
inline void disconnectChildrenFrom(QObject *form)
{
    const auto children = form->findChildren<QObject *>();
    for (QObject *child : children)
        child->disconnect(form);
}

} // namespace Slopscope
