#include "HeaderTableEditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

namespace {

QString cellText(const QTableWidget *table, int row, int column)
{
    const QTableWidgetItem *item = table->item(row, column);
    return item ? item->text().trimmed() : QString();
}

} // namespace

HeaderTableEditor::HeaderTableEditor(const QString &nameTitle, const QString &valueTitle, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, 2, this);
    m_table->setHorizontalHeaderLabels({nameTitle, valueTitle});
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Interactive);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setColumnWidth(0, 200);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    // Tab leaves the table for the buttons instead of walking every cell.
    m_table->setTabKeyNavigation(false);
    // Room for a few rows: most providers have none or two, and a taller table pushes the rest
    // of the form out of sight.
    const int rowHeight = m_table->verticalHeader()->defaultSectionSize();
    const int frame = 2 * m_table->frameWidth();
    m_table->setMinimumHeight(m_table->horizontalHeader()->sizeHint().height() + 2 * rowHeight + frame);
    m_table->setMaximumHeight(m_table->horizontalHeader()->sizeHint().height() + 4 * rowHeight + frame);
    layout->addWidget(m_table);

    auto *buttons = new QHBoxLayout;
    m_add = new QPushButton(tr("Add"), this);
    m_remove = new QPushButton(tr("Remove"), this);
    buttons->addWidget(m_add);
    buttons->addWidget(m_remove);
    buttons->addStretch(1);
    layout->addLayout(buttons);

    connect(m_add, &QPushButton::clicked, this, [this] { addRow(); });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row < 0)
            return;
        m_table->removeRow(row);
        updateButtons();
        emit edited();
    });
    connect(m_table, &QTableWidget::itemChanged, this, [this] {
        if (!m_loading)
            emit edited();
    });
    connect(m_table, &QTableWidget::currentCellChanged, this, &HeaderTableEditor::updateButtons);
    updateButtons();
}

HeaderTableEditor::~HeaderTableEditor() = default;

void HeaderTableEditor::setHeaders(const QHash<QString, QString> &headers)
{
    m_loading = true;
    m_table->setRowCount(0);
    QStringList names = headers.keys();
    std::sort(names.begin(), names.end(),
              [](const QString &a, const QString &b) { return a.compare(b, Qt::CaseInsensitive) < 0; });
    for (const QString &name : std::as_const(names)) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        m_table->setItem(row, 0, new QTableWidgetItem(name));
        m_table->setItem(row, 1, new QTableWidgetItem(headers.value(name)));
    }
    m_loading = false;
    updateButtons();
}

QHash<QString, QString> HeaderTableEditor::headers() const
{
    QHash<QString, QString> out;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name = cellText(m_table, row, 0);
        if (!name.isEmpty())
            out.insert(name, cellText(m_table, row, 1));
    }
    return out;
}

QString HeaderTableEditor::inputProblem() const
{
    QStringList seen;
    for (int row = 0; row < m_table->rowCount(); ++row) {
        const QString name = cellText(m_table, row, 0);
        if (name.isEmpty()) {
            if (!cellText(m_table, row, 1).isEmpty())
                return tr("row %1 has no header name").arg(row + 1);
            continue;
        }
        // Header names are case-insensitive: two rows would both be sent.
        for (const QString &other : std::as_const(seen)) {
            if (other.compare(name, Qt::CaseInsensitive) == 0)
                return tr("\"%1\" is listed twice").arg(name);
        }
        seen.append(name);
    }
    return {};
}

void HeaderTableEditor::addRow(const QString &name, const QString &value)
{
    m_loading = true;
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(name));
    m_table->setItem(row, 1, new QTableWidgetItem(value));
    m_loading = false;
    m_table->setCurrentCell(row, 0);
    if (name.isEmpty() && isVisible()) {
        m_table->setFocus();
        m_table->editItem(m_table->item(row, 0));
    }
    updateButtons();
    emit edited();
}

void HeaderTableEditor::updateButtons()
{
    m_remove->setEnabled(m_table->currentRow() >= 0);
}

} // namespace Slopscope
