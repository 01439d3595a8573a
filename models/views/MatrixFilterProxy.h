#pragma once

#include <QSortFilterProxyModel>

namespace Slopscope {

// Filters the rows of a ResultMatrixModel: failed only (some answer in the row did not pass),
// by tag (the case's tags in the suite), canonical wording or variants. Sorting a column orders
// rows by their mean score there, unknown (no answer yet) last.
class MatrixFilterProxy final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MatrixFilterProxy)

public:
    enum class Wording { All, CanonicalOnly, VariantsOnly };
    Q_ENUM(Wording)

    explicit MatrixFilterProxy(QObject *parent = nullptr);
    ~MatrixFilterProxy() override;

    void setFailedOnly(bool failedOnly);
    [[nodiscard]] bool failedOnly() const { return m_failedOnly; }
    // Empty: every tag.
    void setTag(const QString &tag);
    [[nodiscard]] QString tag() const { return m_tag; }
    void setWording(Wording wording);
    [[nodiscard]] Wording wording() const { return m_wording; }

protected:
    [[nodiscard]] bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    [[nodiscard]] bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    void refilterRows();

    bool m_failedOnly = false;
    QString m_tag;
    Wording m_wording = Wording::All;
};

} // namespace Slopscope
