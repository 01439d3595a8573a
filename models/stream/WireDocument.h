#pragma once

#include "stream/WireValue.h"

#include <QByteArray>

#include <string>
#include <vector>

namespace Slopscope {

// One parsed JSON document of provider traffic: an object or array, read once, looked at through
// WireValue views (which stay valid while the document lives; it can be neither copied nor
// moved). It replaces QJsonDocument on the decoders' hot path: one pass, no UTF-16 conversion,
// strings kept as offsets into the input until asked for, members looked up in place. Every
// token of every stream goes through here, so this is where the client spends its CPU.
//
// It reads what Qt's parser reads, so a change of parser changes no result: RFC 8259 JSON plus
// Qt's leniencies (raw control characters in strings, an unknown escape "\x" read as "x", "1."),
// one leading UTF-8 BOM, at most 1024 levels of nesting, and on duplicate keys the last one
// wins. A bare scalar, trailing garbage, NaN/Infinity or a number out of double range make the
// document invalid. Lone UTF-16 surrogates in \u escapes become U+FFFD (text stays valid UTF-8).
class WireDocument final
{
public:
    // The bytes are shared, not copied (QByteArray's implicit sharing).
    explicit WireDocument(const QByteArray &bytes);
    WireDocument(const WireDocument &) = delete;
    WireDocument &operator=(const WireDocument &) = delete;

    [[nodiscard]] bool isValid() const { return m_root >= 0; }
    // The object or array; an undefined value when the text was not a valid document.
    [[nodiscard]] WireValue root() const { return isValid() ? WireValue(this, m_root) : WireValue(); }

    static constexpr int kMaxDepth = 1024;

private:
    friend class WireValue;
    class Parser;

    enum class Type : quint8 { Null, False, True, Number, String, Array, Object };
    // 24 bytes a value: a hostile 64 MiB body of "[1,1,1,…" costs about 12 times its size.
    struct Span
    {
        qint32 begin;
        qint32 size;
    };
    union Payload {
        Span span;      // String: its UTF-8 text; Array/Object: children m_children[begin, +size)
        double number;  // Number, unless exactInteger
        qint64 integer; // Number written as an integer that fits in 64 bits
    };
    struct Node
    {
        Type type = Type::Null;
        bool textUnescaped = false; // String: the text lives in m_unescaped, not in m_source
        bool keyUnescaped = false;
        bool exactInteger = false;
        qint32 keyBegin = -1; // a member of an object: its key, UTF-8
        qint32 keySize = 0;
        Payload payload{};
    };

    [[nodiscard]] const char *textData(const Node &node) const;
    [[nodiscard]] const char *keyData(const Node &node) const;

    QByteArray m_source;
    std::string m_unescaped; // strings and keys that had escapes, decoded
    std::vector<Node> m_nodes;
    std::vector<qint32> m_children; // each container's children, contiguous
    qint32 m_root = -1;
};

} // namespace Slopscope
