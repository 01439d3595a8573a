#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>

namespace Slopscope {

// The simulator's tokenizer: deterministic and lossless, used both to cut answers into streamed
// pieces and to count usage, so "usage equals what was sent" holds by construction.
//
// A token is optional leading whitespace followed by one of: a run of letters (at most
// kMaxLetters code points; longer words continue in a new token), a run of digits (at most
// kMaxDigits), or one other character. Trailing whitespace is a token of its own.
// Concatenating the pieces gives back the input bytes exactly; no piece splits a UTF-8 sequence.
class SimTokenizer final
{
public:
    static constexpr int kMaxLetters = 10;
    static constexpr int kMaxDigits = 3;

    static QList<QByteArray> split(QByteArrayView utf8);
    static int count(QByteArrayView utf8);
};

} // namespace Slopscope
