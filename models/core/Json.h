#pragma once

#include "core/Result.h"

#include <QByteArray>
#include <QString>

#include <nlohmann/json.hpp>

#include <climits>
#include <initializer_list>

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

inline std::string toStd(const QString &s)
{
    return s.toStdString();
}

// Rejects keys the format does not know: a misspelt "max_concurency" silently ignored would run
// with the default and nobody would notice. On failure `*error` names the key by its path.
bool onlyKnownKeys(const nlohmann::json &node, const QString &path, std::initializer_list<const char *> known,
                   QString *error);

// An error that starts "field.path: …" (as ObjectReader writes them), prefixed with the source
// name and the line and column of that field: the shape compilers use, so a click in a terminal
// or an IDE jumps to it. Messages without a field path get the source name only.
Error located(const QByteArray &bytes, const QString &sourceName, const QString &message);

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
