#pragma once

#include "core/Workspace.h"

#include <QHash>
#include <QPointer>
#include <QScrollArea>

class QGridLayout;
class QLabel;

namespace Slopscope {

class StreamPane;

// The live view: one StreamPane per target in a grid of up to four columns, the case being run
// shown on top. Up to twelve panes fit the view; more scroll.
class StreamPaneGrid final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StreamPaneGrid)

public:
    explicit StreamPaneGrid(QWidget *parent = nullptr);

    void setTargets(const QList<TargetConfig> &targets);
    void setCaseTitle(const QString &title);
    [[nodiscard]] StreamPane *pane(const QString &targetId) const;
    [[nodiscard]] qsizetype paneCount() const { return m_panes.size(); }
    [[nodiscard]] int columnCount() const { return m_columns; }
    void clearAll();

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void relayout();

    QPointer<QLabel> m_caseTitle;
    QPointer<QScrollArea> m_scroll;
    QPointer<QWidget> m_canvas;
    QPointer<QGridLayout> m_grid;
    QList<QPointer<StreamPane>> m_order;
    QHash<QString, QPointer<StreamPane>> m_panes;
    int m_columns = 1;
};

} // namespace Slopscope
