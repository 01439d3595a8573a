#include "AssertionsEditor.h"

#include "core/Json.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

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
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("assertionsTable"));
    m_table->setHorizontalHeaderLabels({tr("Type"), tr("Value"), tr("Threshold"), tr("Weight")});
    m_table->verticalHeader()->setVisible(false);
    m_table->setAccessibleName(accessibleName);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setMinimumHeight(120);
    m_table->horizontalHeader()->setSectionResizeMode(TypeColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(ValueColumn, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(ThresholdColumn, QHeaderView::ResizeToContents);
    m_table->horizontalHeader()->setSectionResizeMode(WeightColumn, QHeaderView::ResizeToContents);
    layout->addWidget(m_table);
    setFocusProxy(m_table);

    auto *row = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add assertion"), this);
    auto *remove = new QPushButton(tr("Remove assertion"), this);
    // A row added or removed is one edit, like a cell changed.
    connect(add, &QPushButton::clicked, this, [this] {
        m_loading = true;
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        Assertion a;
        a.type = QStringLiteral("contains");
        setRow(r, a);
        m_loading = false;
        emit edited();
        m_table->setCurrentCell(r, ValueColumn);
    });
    connect(remove, &QPushButton::clicked, this, [this] {
        const int r = m_table->currentRow();
        if (r < 0)
            return;
        m_table->removeRow(r);
        emit edited();
    });
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_loading)
            emit edited();
    });
    row->addWidget(add);
    row->addWidget(remove);
    row->addStretch(1);
    layout->addLayout(row);
}

AssertionsEditor::~AssertionsEditor() = default;

void AssertionsEditor::setAssertions(const QList<Assertion> &assertions)
{
    m_loading = true;
    m_table->setRowCount(0);
    for (const Assertion &a : assertions) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        setRow(r, a);
    }
    m_loading = false;
}

void AssertionsEditor::setRow(int row, const Assertion &a)
{
    auto *type = new QComboBox(m_table);
    type->addItems(knownAssertionTypes());
    // promptfoo's other spellings and "not-" types stay as written.
    if (type->findText(a.type) < 0)
        type->addItem(a.type);
    type->setCurrentText(a.type);
    type->setAccessibleName(tr("Assertion type"));
    connect(type, &QComboBox::currentIndexChanged, this, [this] {
        if (!m_loading)
            emit edited();
    });
    m_table->setCellWidget(row, TypeColumn, type);
    m_table->setItem(row, ValueColumn, new QTableWidgetItem(valueText(a.value)));
    m_table->setItem(row, ThresholdColumn, new QTableWidgetItem(a.threshold ? numberText(*a.threshold) : QString()));
    m_table->setItem(row, WeightColumn, new QTableWidgetItem(numberText(a.weight)));
}

Result<QList<Assertion>> AssertionsEditor::assertions(const QList<Assertion> &before) const
{
    const auto cell = [this](int r, int column) {
        const QTableWidgetItem *item = m_table->item(r, column);
        return item ? item->text() : QString();
    };
    QList<Assertion> out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        Assertion a = r < before.size() ? before.at(r) : Assertion{};
        const auto *type = qobject_cast<const QComboBox *>(m_table->cellWidget(r, TypeColumn));
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
