#pragma once

#include "core/Workspace.h"

#include <QTreeWidget>

namespace Slopscope {

// The lineup: one row per target with its colour swatch, provider, model and price.
// Checked rows take part in the next run.
class TargetListWidget final : public QTreeWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetListWidget)

public:
    enum Column { LabelColumn, ProviderColumn, ModelColumn, PriceColumn, ColumnCount };

    explicit TargetListWidget(QWidget *parent = nullptr);

    void setWorkspace(const Workspace &workspace);
    [[nodiscard]] QStringList checkedTargetIds() const;
};

} // namespace Slopscope
