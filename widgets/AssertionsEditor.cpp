#include "AssertionsEditor.h"

#include "core/Json.h"

#include <QComboBox>
#include <QHeaderView>
#include <QTableWidget>

namespace Slopscope {

namespace {

// Types whose value is a list or an object: their text must be JSON.
bool needsJson(const QString &type)
{
    static const QStringList types{QStringLiteral("contains-any"), QStringLiteral("contains-all"),
                                   QStringLiteral("icontains-any"), QStringLiteral("icontains-all"),
                                   QStringLiteral("json-schema")};
    return types.contains(type);
}

// Types compared with text: "42" stays the string "42".
bool takesText(const QString &type)
{
    static const QStringList types{
        QStringLiteral("equals"),       QStringLiteral("contains"),   QStringLiteral("icontains"),
        QStringLiteral("not-contains"), QStringLiteral("regex"),      QStringLiteral("starts-with"),
        QStringLiteral("ends-with"),    QStringLiteral("llm-rubric"), QStringLiteral("factuality")};
    return types.contains(type);
}

QString valueText(const nlohmann::json &value)
{
    if (value.is_null())
        return {};
    if (value.is_string())
        return Json::toQString(value.get<std::string>());
    return Json::toQString(value.dump());
}

QString numberText(double value)
{
    return QString::number(value, 'g', 12);
}

} // namespace

AssertionsEditor::AssertionsEditor(const QString &accessibleName, QWidget *parent)
    : RowTableEditor(accessibleName,
                     {{tr("Type"), tr("Value"), tr("Threshold"), tr("Weight")}, tr("Add assertion"),
                      tr("Remove assertion")},
                     Adding::IsAnEdit, parent)
{
    QTableWidget *t = table();
    t->setObjectName(QStringLiteral("assertionsTable"));
    t->setMinimumHeight(120);
    t->horizontalHeader()->setSectionResizeMode(TypeColumn, QHeaderView::ResizeToContents);
    t->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    t->horizontalHeader()->setSectionResizeMode(ThresholdColumn, QHeaderView::ResizeToContents);
    t->horizontalHeader()->setSectionResizeMode(WeightColumn, QHeaderView::ResizeToContents);
}

int AssertionsEditor::fillNewRow(int row)
{
    Assertion a;
    a.type = QStringLiteral("contains");
    setRow(row, a);
    return ValueColumn;
}

AssertionsEditor::~AssertionsEditor() = default;

void AssertionsEditor::setAssertions(const QList<Assertion> &assertions)
{
    const auto guard = loading();
    table()->setRowCount(0);
    for (const Assertion &a : assertions) {
        const int r = table()->rowCount();
        table()->insertRow(r);
        setRow(r, a);
    }
}

void AssertionsEditor::setRow(int row, const Assertion &a)
{
    auto *type = new QComboBox(table());
    type->addItems(knownAssertionTypes());
    // promptfoo's other spellings and "not-" types stay as written.
    if (type->findText(a.type) < 0)
        type->addItem(a.type);
    type->setCurrentText(a.type);
    type->setAccessibleName(tr("Assertion type"));
    connect(type, &QComboBox::currentIndexChanged, this, &AssertionsEditor::cellWidgetEdited);
    table()->setCellWidget(row, TypeColumn, type);
    table()->setItem(row, ValueColumn, new QTableWidgetItem(valueText(a.value)));
    table()->setItem(row, ThresholdColumn, new QTableWidgetItem(a.threshold ? numberText(*a.threshold) : QString()));
    table()->setItem(row, WeightColumn, new QTableWidgetItem(numberText(a.weight)));
}

Result<QList<Assertion>> AssertionsEditor::assertions(const QList<Assertion> &before) const
{
    const auto cell = [this](int r, int column) {
        const QTableWidgetItem *item = table()->item(r, column);
        return item ? item->text() : QString();
    };
    QList<Assertion> out;
    for (int r = 0; r < table()->rowCount(); ++r) {
        Assertion a = r < before.size() ? before.at(r) : Assertion{};
        const auto *type = qobject_cast<const QComboBox *>(table()->cellWidget(r, TypeColumn));
        a.type = type ? type->currentText() : a.type;
        const QString text = cell(r, ValueColumn);
        // Untouched text keeps its value as it was ("42" the string stays a string).
        if (r >= before.size() || text != valueText(before.at(r).value) || a.type != before.at(r).type) {
            const QString trimmed = text.trimmed();
            const bool looksJson = trimmed.startsWith(u'[') || trimmed.startsWith(u'{');
            if (trimmed.isEmpty()) {
                a.value = nullptr;
            } else if (needsJson(a.type) || (looksJson && !takesText(a.type))) {
                const auto parsed = Json::parse(text.toUtf8(), tr("value"));
                if (!parsed.ok())
                    return Error{tr("Assertion %1 (%2): the value is not valid JSON: %3")
                                     .arg(r + 1)
                                     .arg(a.type, parsed.error())};
                a.value = parsed.value();
            } else if (!takesText(a.type)) {
                const auto parsed = Json::parse(text.toUtf8(), tr("value"));
                a.value = parsed.ok() ? parsed.value() : nlohmann::json(text.toStdString());
            } else {
                a.value = text.toStdString();
            }
        }
        bool ok = true;
        const QString threshold = cell(r, ThresholdColumn).trimmed();
        a.threshold = threshold.isEmpty() ? std::nullopt : std::optional<double>(threshold.toDouble(&ok));
        if (!ok)
            return Error{tr("Assertion %1: the threshold \"%2\" is not a number").arg(r + 1).arg(threshold)};
        const QString weight = cell(r, WeightColumn).trimmed();
        a.weight = weight.isEmpty() ? 1.0 : weight.toDouble(&ok);
        if (!ok || a.weight < 0)
            return Error{tr("Assertion %1: the weight \"%2\" is not a number of at least 0").arg(r + 1).arg(weight)};
        out.append(std::move(a));
    }
    return out;
}

} // namespace Slopscope
