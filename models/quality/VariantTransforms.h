#pragma once

#include "quality/Suite.h"

#include <QList>
#include <QString>

#include <cstdint>
#include <optional>

namespace Slopscope {

// Deterministic rewordings of a case, for the brittleness index: the same question, asked a
// little differently, should get the same answer. Each transform gives one variant with a fixed
// id ("t:reorder", ...), so a suite that stores its variants reruns identically, and generating
// again never duplicates them. Transforms edit the text that gets answered (the prompt, or the
// last user message) and leave {{placeholders}} and code (``` blocks, `inline`) untouched.
enum class VariantTransform {
    ReorderOptions,   // t:reorder       listed options (A), 1., -, ...) in another order
    MarkdownToPlain,  // t:plain         markdown emphasis, headings, bullets and links removed
    PlainToMarkdown,  // t:markdown      plain text given headings, bold labels and bullets
    Casing,           // t:case          all lower case
    Whitespace,       // t:space         extra spaces, blank lines and trailing blanks
    Distractor,       // t:distractor    an irrelevant sentence (metadata.distractor_sentences, else built in)
    RenameEntities,   // t:rename        name-valued vars renamed (metadata.names, else built in)
    ChangeNumbers,    // t:numbers       numeric vars changed (metadata.answer recomputes the answer)
    MoveInstructions, // t:instructions  the instruction moved before/after the context
};

class VariantTransforms final
{
public:
    static QList<VariantTransform> all();
    static QString id(VariantTransform transform);   // "t:reorder"
    static QString kind(VariantTransform transform); // "reorder": CaseVariant::kind
    // From an id ("t:reorder") or a kind ("reorder").
    static std::optional<VariantTransform> fromName(const QString &name);

    // The case reworded by one transform, or nullopt when it does not apply (no listed options,
    // no name-valued vars, nothing to move, ...). The same case, transform and seed always give
    // the same variant; the seed is mixed with the case id, so cases draw independently.
    static std::optional<CaseVariant> apply(const SuiteCase &c, VariantTransform transform, std::uint64_t seed);

    // The suite with each case's new variants appended; variants whose id a case already has
    // (stored earlier, or written by hand) are kept as they are. `added` counts the new ones.
    static Suite generateVariants(const Suite &suite, const QList<VariantTransform> &transforms, std::uint64_t seed,
                                  qsizetype *added = nullptr);

    // Arithmetic over numbers with + - * / and parentheses, for metadata.answer; exposed for tests.
    static std::optional<double> evaluate(const QString &expression);
};

} // namespace Slopscope
