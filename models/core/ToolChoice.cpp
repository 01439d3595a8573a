#include "core/ToolChoice.h"

#include <QCoreApplication>

namespace Slopscope {

namespace {

struct ToolChoiceTr
{
    Q_DECLARE_TR_FUNCTIONS(ToolChoice)
};

} // namespace

nlohmann::json ToolChoice::toJson() const
{
    switch (mode) {
    case Mode::Auto:
        return "auto";
    case Mode::None:
        return "none";
    case Mode::Required:
        return "required";
    case Mode::Function:
        return {{"name", name.toStdString()}};
    }
    return "auto";
}

std::optional<ToolChoice> ToolChoice::fromJson(const nlohmann::json &value, QString &error, QString &errorKey)
{
    errorKey.clear();
    ToolChoice out;
    if (value.is_string()) {
        const std::string &text = value.get_ref<const std::string &>();
        if (text == "auto")
            out.mode = Mode::Auto;
        else if (text == "none")
            out.mode = Mode::None;
        else if (text == "required")
            out.mode = Mode::Required;
        else {
            error = ToolChoiceTr::tr("expected \"auto\", \"none\", \"required\" or {\"name\": \"<tool>\"}, not \"%1\"")
                        .arg(QString::fromStdString(text));
            return std::nullopt;
        }
        return out;
    }
    if (!value.is_object()) {
        error = ToolChoiceTr::tr("expected \"auto\", \"none\", \"required\" or {\"name\": \"<tool>\"}");
        return std::nullopt;
    }
    for (auto it = value.cbegin(); it != value.cend(); ++it) {
        if (it.key() != "name") {
            errorKey = QString::fromStdString(it.key());
            error = ToolChoiceTr::tr("unknown field; a forced tool takes only \"name\"");
            return std::nullopt;
        }
    }
    errorKey = QStringLiteral("name");
    if (!value.contains("name") || !value.at("name").is_string()) {
        if (!value.contains("name"))
            errorKey.clear();
        error = ToolChoiceTr::tr("expected the name of an offered tool as a string");
        return std::nullopt;
    }
    out.mode = Mode::Function;
    out.name = QString::fromStdString(value.at("name").get<std::string>());
    if (out.name.trimmed().isEmpty()) {
        error = ToolChoiceTr::tr("the name is empty");
        return std::nullopt;
    }
    errorKey.clear();
    return out;
}

} // namespace Slopscope
