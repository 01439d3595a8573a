#pragma once

// What every importer promises about a suite it returns (RELIABILITY.md B-1…B-4): cases with
// unique, non-empty ids, each one renderable into the chat messages that would be sent and graded
// without crashing; and, on failure, an error that names the file.

#include "FuzzKit.h"

#include "core/Result.h"
#include "quality/Suite.h"

#include <QSet>

namespace Slopscope::Fuzz {

inline void checkSuite(const Suite &suite)
{
    QSet<QString> ids;
    for (const SuiteCase &c : suite.cases) {
        require(!c.id.isEmpty(), "every case has an id");
        require(!ids.contains(c.id), "case ids are unique", c.id);
        ids.insert(c.id);
        require(suite.findCase(c.id) == &c, "findCase finds the case", c.id);
        // What a run does with each case: build the messages, the assertions and the reference.
        (void)suite.messagesFor(c);
        (void)suite.assertionsFor(c);
        (void)Suite::referenceFor(c);
        for (const CaseVariant &v : c.variants) {
            (void)suite.messagesFor(c, &v);
            (void)suite.assertionsFor(c, &v);
            (void)Suite::referenceFor(c, &v);
            (void)c.findVariant(v.id);
        }
    }
}

template <typename T> void checkError(const Result<T> &result, const QString &sourceName)
{
    if (result.ok())
        return;
    require(!result.error().isEmpty(), "a failed import says why");
    require(result.error().contains(sourceName), "the error names the file", result.error().left(300));
}

} // namespace Slopscope::Fuzz
