#pragma once

#include "core/Result.h"
#include "sim/SimPersona.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace Slopscope {

// The lineup of simulated models, loaded and validated as a whole.
class SimPersonas final
{
public:
    [[nodiscard]] const QList<SimPersona> &all() const { return m_personas; }
    [[nodiscard]] const SimPersona *find(const QString &modelId) const;
    [[nodiscard]] bool isEmpty() const { return m_personas.isEmpty(); }

    static Result<SimPersonas> fromJson(const QByteArray &bytes, const QString &sourceName);
    static Result<SimPersonas> fromFile(const QString &path);
    // The bundled lineup, :/slopscope/sim/personas.json.
    static Result<SimPersonas> defaults();
    static QString defaultPath();

private:
    QList<SimPersona> m_personas;
};

} // namespace Slopscope
