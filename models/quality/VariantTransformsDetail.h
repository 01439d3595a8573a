#pragma once

// The transforms that change a case's vars (VariantVarTransforms.cpp), for VariantTransforms.cpp;
// not an interface for anyone else.

#include "quality/Statistics.h"
#include "quality/Suite.h"

#include <optional>

namespace Slopscope::VariantDetail {

// Name-valued vars renamed; the reference and assertions follow. The variant's text is not set.
std::optional<CaseVariant> renameEntities(const SuiteCase &c, Stats::SeededRandom &rng);
// Numeric vars changed; metadata.answer recomputes the answer. The variant's text is not set.
std::optional<CaseVariant> changeNumbers(const SuiteCase &c, Stats::SeededRandom &rng);

} // namespace Slopscope::VariantDetail
