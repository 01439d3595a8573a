#pragma once

#include "core/Workspace.h"
#include "quality/Suite.h"
#include "run/CellResult.h"

// Hand-made results for the results models' tests: what RunSession would emit.
namespace ViewsFixture {

inline Slopscope::TargetConfig target(const QString &id, const QString &color = QStringLiteral("#0072B2"))
{
    Slopscope::TargetConfig t;
    t.id = id;
    t.label = id.toUpper();
    t.color = color;
    return t;
}

inline Slopscope::CellResult cell(const QString &targetId, const QString &caseId, double score, bool pass,
                                  const QString &answer = QStringLiteral("An answer"), int repeat = 0,
                                  const QString &variantId = {})
{
    Slopscope::CellResult c;
    c.job.jobId = targetId + u'/' + caseId + u'/' + variantId + u'/' + QString::number(repeat);
    c.job.targetId = targetId;
    c.job.state = Slopscope::JobState::Completed;
    c.job.result.text = answer;
    c.caseId = caseId;
    c.variantId = variantId;
    c.repeat = repeat;
    c.grade.pass = pass;
    c.grade.score = score;
    Slopscope::Grade g;
    g.type = QStringLiteral("contains");
    g.pass = pass;
    g.score = score;
    g.reason = pass ? QStringLiteral("found it") : QStringLiteral("missing \"Paris\"");
    c.grade.grades.append(g);
    return c;
}

inline Slopscope::CellResult failedCell(const QString &targetId, const QString &caseId, const QString &error)
{
    Slopscope::CellResult c = cell(targetId, caseId, 0.0, false, QString());
    c.job.state = Slopscope::JobState::Failed;
    c.job.error = error;
    c.grade.grades.clear();
    return c;
}

inline Slopscope::Suite suite()
{
    Slopscope::Suite s;
    s.name = QStringLiteral("fixture");
    const char *ids[] = {"alpha", "beta", "gamma"};
    const char *tags[] = {"geo", "math", "geo"};
    for (int i = 0; i < 3; ++i) {
        Slopscope::SuiteCase c;
        c.id = QString::fromLatin1(ids[i]);
        c.prompt = QStringLiteral("Question %1").arg(i);
        c.reference = QStringLiteral("Reference answer %1").arg(i);
        c.tags = {QString::fromLatin1(tags[i])};
        Slopscope::CaseVariant v;
        v.id = QStringLiteral("para");
        v.kind = QStringLiteral("paraphrase");
        v.prompt = QStringLiteral("Reworded %1").arg(i);
        c.variants.append(v);
        s.cases.append(c);
    }
    return s;
}

} // namespace ViewsFixture
