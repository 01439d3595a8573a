#pragma once

#include "quality/Suite.h"

#include <QAbstractListModel>

namespace Slopscope {

// The cases of the suite being edited, one row each, with what is wrong with each case (an
// empty or duplicate id, or anything Suite::fromJson would refuse) so the list can mark it.
// The model holds the whole suite: the editor changes it only through setSuite/setCase and the
// row operations, each of which an undo command can replay.
class SuiteCaseModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SuiteCaseModel)

public:
    enum Role {
        CaseIdRole = Qt::UserRole,
        ProblemRole, // QString, empty when the case is fine
    };

    explicit SuiteCaseModel(QObject *parent = nullptr);
    ~SuiteCaseModel() override;

    [[nodiscard]] int rowCount(const QModelIndex &parent = {}) const override;
    [[nodiscard]] QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setSuite(const Suite &suite);
    [[nodiscard]] const Suite &suite() const { return m_suite; }
    [[nodiscard]] const SuiteCase &caseAt(int row) const { return m_suite.cases.at(row); }
    void setCase(int row, const SuiteCase &c);
    void insertCase(int row, const SuiteCase &c);
    void removeCase(int row);
    // Moves one case so that it ends up at `to` (both in 0..rowCount()-1).
    void moveCase(int from, int to);

    // What is wrong with a case, or empty.
    [[nodiscard]] QString problemAt(int row) const;
    // The first problem of any case, prefixed with its id; empty when the suite can be saved.
    [[nodiscard]] QString firstProblem() const;
    // An id no case has yet: "case-1", "case-2", ...
    [[nodiscard]] QString freshId(const QString &base = QStringLiteral("case")) const;

signals:
    // Any change of the suite's cases (also through setSuite).
    void suiteChanged();

private:
    void revalidate();

    Suite m_suite;
    QStringList m_problems; // per row
    // Per row, what the parser says of the case alone: kept, so that an edit parses only the
    // case it changed (ids are compared across rows by revalidate()).
    QStringList m_parserProblems;
};

} // namespace Slopscope
