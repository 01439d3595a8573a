#include "report/ReportCsv.h"

#include "report/ReportEscape.h"
#include "report/ReportJson.h"

namespace Slopscope {

namespace {

QString cellText(const nlohmann::ordered_json &value)
{
    if (value.is_null())
        return {};
    if (value.is_string())
        return QString::fromStdString(value.get<std::string>());
    if (value.is_boolean())
        return value.get<bool>() ? QStringLiteral("true") : QStringLiteral("false");
    if (value.is_number_integer())
        return QString::number(value.get<qint64>());
    if (value.is_number_unsigned())
        return QString::number(value.get<quint64>());
    if (value.is_number_float())
        return QString::number(value.get<double>(), 'g', 12);
    return QString::fromStdString(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

} // namespace

QStringList ReportCsv::columns()
{
    // The JSONL fields, in their order (ReportJson::cellJson).
    QStringList out;
    const nlohmann::ordered_json fields = ReportJson::cellJson(QString(), CellResult{});
    for (const auto &item : fields.items())
        out.append(QString::fromStdString(item.key()));
    return out;
}

QByteArray ReportCsv::csv(const ReportData &data)
{
    const QStringList header = columns();
    QString out;
    QStringList row;
    for (const QString &name : header)
        row.append(ReportEscape::csvField(name));
    out += row.join(u',') + QStringLiteral("\r\n");
    for (const CellResult &cell : data.cells) {
        const nlohmann::ordered_json j = ReportJson::cellJson(data.runId, cell);
        row.clear();
        for (const QString &name : header)
            row.append(ReportEscape::csvField(cellText(j.at(name.toStdString()))));
        out += row.join(u',') + QStringLiteral("\r\n");
    }
    return out.toUtf8();
}

} // namespace Slopscope
