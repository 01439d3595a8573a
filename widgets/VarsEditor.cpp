#include "VarsEditor.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace Slopscope {

VarsEditor::VarsEditor(const QString &accessibleName, QWidget *parent)
    : QWidget(parent)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_table = new QTableWidget(0, 2, this);
    m_table->setHorizontalHeaderLabels({tr("Name"), tr("Value")});
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->setVisible(false);
    m_table->setAccessibleName(accessibleName);
    m_table->setMinimumHeight(90);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    layout->addWidget(m_table);
    setFocusProxy(m_table);

    auto *row = new QHBoxLayout;
    auto *add = new QPushButton(tr("Add variable"), this);
    auto *remove = new QPushButton(tr("Remove variable"), this);
    connect(add, &QPushButton::clicked, this, [this] {
        m_loading = true;
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_table->setItem(r, 0, new QTableWidgetItem(QString()));
        m_table->setItem(r, 1, new QTableWidgetItem(QString()));
        m_loading = false;
        m_table->setCurrentCell(r, 0);
        m_table->setFocus();
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

VarsEditor::~VarsEditor() = default;

void VarsEditor::setVars(const QHash<QString, QString> &vars)
{
    m_loading = true;
    m_table->setRowCount(0);
    QStringList names = vars.keys();
    std::sort(names.begin(), names.end());
    for (const QString &name : std::as_const(names)) {
        const int r = m_table->rowCount();
        m_table->insertRow(r);
        m_table->setItem(r, 0, new QTableWidgetItem(name));
        m_table->setItem(r, 1, new QTableWidgetItem(vars.value(name)));
    }
    m_loading = false;
}

Result<QHash<QString, QString>> VarsEditor::vars() const
{
    const auto cell = [this](int r, int column) {
        const QTableWidgetItem *item = m_table->item(r, column);
        return item ? item->text() : QString();
    };
    QHash<QString, QString> out;
    for (int r = 0; r < m_table->rowCount(); ++r) {
        const QString name = cell(r, 0).trimmed();
        const QString value = cell(r, 1);
        if (name.isEmpty()) {
            if (value.isEmpty())
                continue; // a row added and not filled in yet
            return Error{tr("Variable %1 has a value but no name").arg(r + 1)};
        }
        if (out.contains(name))
            return Error{tr("The variable \"%1\" is named twice").arg(name)};
        out.insert(name, value);
    }
    return out;
}

} // namespace Slopscope
