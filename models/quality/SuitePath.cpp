#include "quality/SuitePath.h"

namespace Slopscope {

QStringList SuitePath::toStringList() const
{
    QStringList names;
    for (const SuitePath *p = this; p; p = p->m_parent) {
        switch (p->m_kind) {
        case Kind::Root:
            break;
        case Kind::Key:
            names.prepend(QString::fromUtf8(p->m_key));
            break;
        case Kind::Index:
            names.prepend(QString::number(p->m_index));
            break;
        case Kind::Name:
            names.prepend(p->m_name);
            break;
        }
    }
    return names;
}

} // namespace Slopscope
