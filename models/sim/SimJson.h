#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

#include <nlohmann/json.hpp>

namespace Slopscope {

// Byte-exact JSON text in the house styles of each provider (see WIRE-PROTOCOLS.md and the
// recorded fixtures): key order is kept (ordered_json), spacing and escaping are chosen per style.
class SimJson final
{
public:
    using Value = nlohmann::ordered_json;

    enum class Style {
        Compact,       // {"a":1,"b":[1,2]}                 OpenAI, Anthropic, Ollama streams
        ColonSpace,    // {"a": 1,"b": [1,2]}               Gemini SSE chunks
        PythonCompact, // {"a": 1, "b": [1, 2]}             Anthropic's ping, judge verdicts
        Pretty2,       // 2-space indent, "key": value      OpenAI/Gemini whole bodies
        Pretty4,       // 4-space indent                    OpenAI error bodies
    };
    enum class Escape {
        Standard, // ", \, control characters; UTF-8 passes through
        GoHtml,   // also <, >, & and U+2028/U+2029 as \u00XX, like Go's encoding/json (Ollama, Groq)
    };

    static QByteArray dump(const Value &value, Style style, Escape escape = Escape::Standard);
    // Appends the escaped body of a JSON string (without quotes). The hot path of every token.
    static void appendEscaped(QByteArray &out, QByteArrayView utf8, Escape escape = Escape::Standard);
    static QByteArray quoted(QByteArrayView utf8, Escape escape = Escape::Standard);
};

// A pre-rendered event with holes: rendering a token is prefix + escaped piece + suffix, no JSON
// building per token. Built by dumping a document that holds marker strings or numbers and
// cutting the text at the markers (quotes included for string markers).
class SimJsonTemplate final
{
public:
    SimJsonTemplate() = default;
    // `markers` are the exact texts to cut at, in order of appearance, e.g. "\"@@piece@@\"".
    SimJsonTemplate(const QByteArray &rendered, const QList<QByteArray> &markers);

    [[nodiscard]] bool isValid() const { return !m_parts.isEmpty(); }
    [[nodiscard]] int holes() const { return static_cast<int>(m_parts.size()) - 1; }
    // Appends part0 + values[0] + part1 + ... ; values are raw bytes (already escaped/quoted).
    void render(QByteArray &out, std::initializer_list<QByteArrayView> values) const;

private:
    QList<QByteArray> m_parts;
};

// The marker strings every encoder's templates hold where a token's text (and OpenAI's
// obfuscation padding) goes.
inline const QByteArray kSimPieceMarker = QByteArrayLiteral("@@sim.piece@@");
inline const QByteArray kSimObfuscationMarker = QByteArrayLiteral("@@sim.obf@@");

} // namespace Slopscope
