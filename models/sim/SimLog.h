#pragma once

#include "core/Result.h"
#include "sim/SimRecord.h"

#include <QFile>
#include <QString>

namespace Slopscope {

// The ground-truth log: one JSON line per request (SimRecord::toJson without the text),
// appended and flushed as each request ends.
class SimLog final
{
public:
    SimLog() = default;
    SimLog(const SimLog &) = delete;
    SimLog &operator=(const SimLog &) = delete;

    Status open(const QString &path);
    void close();
    [[nodiscard]] bool isOpen() const { return m_file.isOpen(); }
    void write(const SimRecord &record);

private:
    QFile m_file;
};

} // namespace Slopscope
