#pragma once

#include <QString>
#include <QStringList>

#include <cstddef>

namespace Slopscope {

// Where a value sits in a suite document ("cases", 3, "assert", 0, "value"), for the parser's
// error messages. Building one costs nothing: each level is a small value on the stack that points
// at its parent, and the names are spelt out only when an error reports them (toStringList()).
// A path must not outlive the one it was made from: keep them as locals and arguments.
class SuitePath final
{
public:
    SuitePath() = default; // the document itself

    [[nodiscard]] SuitePath operator/(const char *key) const
    {
        SuitePath child(this, Kind::Key);
        child.m_key = key;
        return child;
    }
    [[nodiscard]] SuitePath operator/(std::size_t index) const
    {
        SuitePath child(this, Kind::Index);
        child.m_index = index;
        return child;
    }
    // A name read from the document (an unknown key): only on the way to an error.
    [[nodiscard]] SuitePath operator/(const QString &name) const
    {
        SuitePath child(this, Kind::Name);
        child.m_name = name;
        return child;
    }

    // The names from the root down, indices as decimal numbers (what Json::locate reads).
    [[nodiscard]] QStringList toStringList() const;

private:
    enum class Kind : unsigned char { Root, Key, Index, Name };

    SuitePath(const SuitePath *parent, Kind kind)
        : m_parent(parent)
        , m_kind(kind)
    {}

    const SuitePath *m_parent = nullptr;
    const char *m_key = nullptr;
    std::size_t m_index = 0;
    QString m_name; // null (no allocation) unless Kind::Name
    Kind m_kind = Kind::Root;
};

} // namespace Slopscope
