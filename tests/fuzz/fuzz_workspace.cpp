// The workspace loader (Workspace::fromJson) on arbitrary bytes: no crash, an error naming the
// file, or a workspace whose ids are unique and whose targets all name a known provider.

#include "FuzzKit.h"

#include "core/Workspace.h"

#include <QSet>

#include <cstdint>

using namespace Slopscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString source = QStringLiteral("fuzz-workspace.json");
    const Result<Workspace> ws = Workspace::fromJson(bytes, source);
    if (!ws) {
        Fuzz::require(ws.error().contains(source), "the error names the file", ws.error().left(300));
        return 0;
    }
    QSet<QString> ids;
    for (const ProviderConfig &p : ws.value().providers) {
        Fuzz::require(!ids.contains(p.id), "provider ids are unique", p.id);
        ids.insert(p.id);
        Fuzz::require(ws.value().provider(p.id) == &p, "provider() finds the provider", p.id);
        Fuzz::require(dialectFromName(dialectName(p.dialect)) == p.dialect, "dialect names round-trip");
        (void)p.usesEmbeddedSimulator();
    }
    ids.clear();
    for (const TargetConfig &t : ws.value().targets) {
        Fuzz::require(!ids.contains(t.id), "target ids are unique", t.id);
        ids.insert(t.id);
        Fuzz::require(ws.value().provider(t.providerId) != nullptr, "every target names a known provider", t.id);
    }
    return 0;
}
