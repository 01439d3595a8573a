#pragma once

#include <QString>

namespace Slopscope {

// Escaping of untrusted text (model output, case ids, target labels) for each export format.
class ReportEscape final
{
public:
    // Characters that would hide or reorder what a reader sees, or that XML 1.0 forbids, shown as
    // visible "[U+XXXX]" text: the bidi embeddings, overrides and isolates (U+202A–U+202E,
    // U+2066–U+2069), C0 controls other than tab, LF and CR, DEL, C1 controls, U+FFFE, U+FFFF and
    // unpaired surrogates.
    static QString visibleControls(const QString &text);

    // Text content or attribute value of (X)HTML, XML and SVG: visibleControls, then & < > " '.
    static QString html(const QString &text);

    // One line of Markdown (a table cell, a heading): line breaks become spaces and every character
    // that could start markup (links, emphasis, raw HTML, entities, table pipes) is
    // backslash-escaped, so the text renders literally.
    static QString markdownInline(const QString &text);
    // A fenced code block holding `text` literally: the fence is longer than any backtick run in it.
    static QString markdownCodeBlock(const QString &text);

    // One CSV field: a leading = + - @ tab or CR gets a single quote in front (spreadsheets would
    // run it as a formula), then RFC 4180 quoting when it holds a comma, quote, CR or LF.
    static QString csvField(const QString &text);
};

} // namespace Slopscope
