#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace Slopscope {

// An error travelling as a value: a translated, user-facing message.
struct Error
{
    QString message;
};

// An expected-style result (std::expected is C++23): either a value or an Error.
// No exception crosses a signal or a module boundary; callers check ok() first.
template <typename T> class Result final
{
public:
    Result(T value)
        : m_state(std::move(value))
    {} // NOLINT(google-explicit-constructor)
    Result(Error error)
        : m_state(std::move(error))
    {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return std::holds_alternative<T>(m_state); }
    explicit operator bool() const { return ok(); }

    [[nodiscard]] const T &value() const & { return std::get<T>(m_state); }
    [[nodiscard]] T &value() & { return std::get<T>(m_state); }
    [[nodiscard]] T &&value() && { return std::get<T>(std::move(m_state)); }
    // Empty when ok(), so it is safe to pass to diagnostics unconditionally.
    [[nodiscard]] QString error() const { return ok() ? QString() : std::get<Error>(m_state).message; }

private:
    std::variant<T, Error> m_state;
};

// Result<void> equivalent.
class Status final
{
public:
    Status() = default;
    Status(Error error)
        : m_error(std::move(error.message))
    {} // NOLINT(google-explicit-constructor)

    [[nodiscard]] bool ok() const { return !m_error.has_value(); }
    explicit operator bool() const { return ok(); }
    [[nodiscard]] QString error() const { return m_error.value_or(QString()); }

private:
    std::optional<QString> m_error;
};

} // namespace Slopscope
