#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <climits>

namespace Slopscope::Json {

// Parses a whole document. The error names the source (a file path or "<input>"), the line and the
// column, so a malformed file is found in one look.
Result<nlohmann::json> parse(const QByteArray &bytes, const QString &sourceName);

// 1-based line and column of a byte offset in text.
struct Position
{
    int line = 1;
    int column = 1;
};
Position positionOf(const QByteArray &text, qsizetype byteOffset);

inline QString toQString(const std::string &s)
{
    return QString::fromStdString(s);
}

// A typed reader over one object that records the first error with its field path,
// e.g. "providers[2].base_url: expected a string".
class ObjectReader final
{
public:
    ObjectReader(const nlohmann::json &object, QString path, QString *firstError);

    [[nodiscard]] bool has(const char *key) const;
    QString string(const char *key, bool required, const QString &fallback = {});
    double number(const char *key, bool required, double fallback = 0.0);
    int integer(const char *key, bool required, int fallback = 0, int min = INT_MIN, int max = INT_MAX);
    bool boolean(const char *key, bool required, bool fallback = false);
    const nlohmann::json *child(const char *key, nlohmann::json::value_t expected, bool required);
    QString fieldPath(const char *key) const;
    void fail(const QString &message);
    [[nodiscard]] bool failed() const { return !m_firstError->isEmpty(); }

private:
    const nlohmann::json &m_object;
    QString m_path;
    QString *m_firstError;
};

} // namespace Slopscope::Json
