#pragma once

#include "core/Workspace.h"
#include "quality/Suite.h"
#include "run/RunSpec.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace StoreTest {

// The run run_crash_helper records and tst_runcrash resumes: the demo's simulated targets asked for
// answers long enough (150 words at the personas' speeds) that a kill lands mid-stream.
inline Slopscope::RunSpec crashRunSpec()
{
    using namespace Slopscope;
    QJsonArray cases;
    for (int i = 0; i < 6; ++i) {
        cases.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("essay%1").arg(i)},
                                 {QStringLiteral("prompt"), QStringLiteral("Write 150 words on topic %1.").arg(i)}});
    }
    const QJsonObject suite{{QStringLiteral("name"), QStringLiteral("essays")}, {QStringLiteral("cases"), cases}};
    auto parsed = Suite::fromJson(QJsonDocument(suite).toJson(), QStringLiteral("essays"));
    if (!parsed)
        qFatal("%s", qPrintable(parsed.error()));
    RunSpec spec;
    spec.workspace = Workspace::demo();
    spec.suite = parsed.value();
    spec.targetIds = {QStringLiteral("qwen3-coder"), QStringLiteral("local-llama")};
    for (const auto &c : std::as_const(spec.suite.cases))
        spec.caseIds.append(c.id);
    return spec;
}

// The quick-compare exchange run_crash_helper --quick records: one long answer per target.
inline const QString kCrashQuickPrompt = QStringLiteral("Write 150 words on topic 7.");
inline QStringList crashQuickTargets()
{
    return {QStringLiteral("qwen3-coder"), QStringLiteral("local-llama"), QStringLiteral("sonnet"),
            QStringLiteral("gpt-oss-groq")};
}

} // namespace StoreTest
