#pragma once

#include <QByteArrayView>
#include <QString>

namespace Slopscope {

class WireDocument;

// A read-only view of one value inside a WireDocument (which must outlive it). The names follow
// QJsonValue so decoders read the same; what QJsonValue::toArray() offered is here directly:
// size() and at() on an array (0 elements and undefined values on anything else). A
// default-constructed view, a missing member and an index out of range are all "undefined".
class WireValue final
{
public:
    WireValue() = default;

    [[nodiscard]] bool isUndefined() const { return m_document == nullptr; }
    [[nodiscard]] bool isNull() const;
    [[nodiscard]] bool isBool() const;
    [[nodiscard]] bool isDouble() const; // any number, as in QJsonValue
    [[nodiscard]] bool isString() const;
    [[nodiscard]] bool isArray() const;
    [[nodiscard]] bool isObject() const;

    [[nodiscard]] bool toBool() const;      // false unless a boolean true
    [[nodiscard]] double toDouble() const;  // 0 unless a number
    [[nodiscard]] qint64 toInteger() const; // exact for integer literals; else the double truncated
    [[nodiscard]] bool isExactInteger() const;
    [[nodiscard]] QString toString() const; // empty unless a string
    // The UTF-8 text of a string without making a QString; empty for anything else. Valid while
    // the document lives.
    [[nodiscard]] QByteArrayView utf8() const;

    // Arrays: element count and elements.
    [[nodiscard]] qsizetype size() const;
    [[nodiscard]] bool isEmpty() const { return size() == 0; }
    [[nodiscard]] WireValue at(qsizetype index) const;
    // Objects: the member named `key` (the last one if the key repeats).
    [[nodiscard]] WireValue member(QByteArrayView key) const;

    // Compact JSON text, object keys sorted as Qt's QJsonDocument writes them.
    [[nodiscard]] QByteArray toJson() const;

private:
    friend class WireDocument;
    WireValue(const WireDocument *document, qint32 index)
        : m_document(document)
        , m_index(index)
    {}
    void write(QByteArray &out) const;

    const WireDocument *m_document = nullptr;
    qint32 m_index = -1;
};

} // namespace Slopscope
