#include "quality/VariantTransforms.h"

// The arithmetic behind metadata.answer (a changed number recomputes the expected answer): + - * /
// and parentheses over decimal numbers, depth-capped, nothing else.

#include <QString>

#include <cmath>
#include <optional>

namespace Slopscope {

namespace {

class Expression final
{
public:
    explicit Expression(const QString &text)
        : m_text(text)
    {}

    std::optional<double> parse()
    {
        const auto v = sum(0);
        skip();
        if (!v || m_pos != m_text.size() || !std::isfinite(*v))
            return std::nullopt;
        return v;
    }

private:
    void skip()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
    }

    bool eat(QChar c)
    {
        skip();
        if (m_pos < m_text.size() && m_text.at(m_pos) == c) {
            ++m_pos;
            return true;
        }
        return false;
    }

    std::optional<double> sum(int depth)
    {
        auto left = product(depth);
        while (left) {
            if (eat(u'+')) {
                const auto right = product(depth);
                left = right ? std::optional<double>(*left + *right) : std::nullopt;
            } else if (eat(u'-')) {
                const auto right = product(depth);
                left = right ? std::optional<double>(*left - *right) : std::nullopt;
            } else {
                break;
            }
        }
        return left;
    }

    std::optional<double> product(int depth)
    {
        auto left = unary(depth);
        while (left) {
            if (eat(u'*')) {
                const auto right = unary(depth);
                left = right ? std::optional<double>(*left * *right) : std::nullopt;
            } else if (eat(u'/')) {
                const auto right = unary(depth);
                left = right && *right != 0 ? std::optional<double>(*left / *right) : std::nullopt;
            } else {
                break;
            }
        }
        return left;
    }

    std::optional<double> unary(int depth)
    {
        if (depth > 32)
            return std::nullopt;
        if (eat(u'-')) {
            const auto v = unary(depth + 1);
            return v ? std::optional<double>(-*v) : std::nullopt;
        }
        if (eat(u'(')) {
            const auto v = sum(depth + 1);
            if (!eat(u')'))
                return std::nullopt;
            return v;
        }
        skip();
        const qsizetype start = m_pos;
        while (m_pos < m_text.size() && (m_text.at(m_pos).isDigit() || m_text.at(m_pos) == u'.'))
            ++m_pos;
        bool ok = false;
        const double v = m_text.mid(start, m_pos - start).toDouble(&ok);
        return ok ? std::optional<double>(v) : std::nullopt;
    }

    QString m_text;
    qsizetype m_pos = 0;
};

} // namespace

std::optional<double> VariantTransforms::evaluate(const QString &expression)
{
    Expression e(expression);
    return e.parse();
}

} // namespace Slopscope
