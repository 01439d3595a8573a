#include "views/SuiteCaseModel.h"

#include "views/ViewText.h"

#include "quality/SuiteWriter.h"

#include <QBrush>
#include <QColor>
#include <QHash>

#include <algorithm>

namespace Slopscope {

namespace {

// What the parser says of one case on its own, without the "file:line:col: cases[0]." prefix
// that would point into a document the user never sees.
QString caseProblem(const SuiteCase &c, const SuiteDefaults &defaults)
{
    nlohmann::json doc = nlohmann::json::object();
    doc["name"] = "case";
    // The defaults' system prompt may use the case's vars, so checks run with them.
    if (!defaults.system.isEmpty())
        doc["defaults"] = nlohmann::json{{"system", defaults.system.toStdString()}};
    doc["cases"] = nlohmann::json::array({suiteCaseToJson(c)});
    const std::string text = doc.dump();
    const auto parsed = Suite::fromJson(QByteArray(text.data(), static_cast<qsizetype>(text.size())), QString());
    if (parsed.ok())
        return {};
    const QString error = parsed.error();
    const QString marker = QStringLiteral("cases[0]");
    const qsizetype at = error.indexOf(marker);
    if (at < 0)
        return error;
    QString rest = error.mid(at + marker.size());
    if (rest.startsWith(u'.'))
        rest.remove(0, 1);
    else if (rest.startsWith(QStringLiteral(": ")))
        rest.remove(0, 2);
    return rest;
}

} // namespace

SuiteCaseModel::SuiteCaseModel(QObject *parent)
    : QAbstractListModel(parent)
{}

SuiteCaseModel::~SuiteCaseModel() = default;

int SuiteCaseModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_suite.cases.size());
}

QVariant SuiteCaseModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const SuiteCase &c = m_suite.cases.at(index.row());
    const QString problem = m_problems.value(index.row());
    switch (role) {
    case Qt::DisplayRole:
        return c.id.isEmpty() ? tr("(no id)") : ViewText::visibleName(c.id);
    case Qt::ToolTipRole:
        // Tooltips guess rich text; a suite file may be anyone's, so its words are escaped.
        return ViewText::html(problem.isEmpty() ? c.description : problem);
    case Qt::ForegroundRole:
        return problem.isEmpty() ? QVariant() : QVariant(QBrush(QColor(0xc6, 0x28, 0x28)));
    case CaseIdRole:
        return c.id;
    case ProblemRole:
        return problem;
    default:
        return {};
    }
}

void SuiteCaseModel::setSuite(const Suite &suite)
{
    beginResetModel();
    m_suite = suite;
    m_problems.clear();
    m_parserProblems.clear();
    for (const SuiteCase &c : std::as_const(m_suite.cases)) {
        m_problems.append(QString());
        m_parserProblems.append(caseProblem(c, m_suite.defaults));
    }
    endResetModel();
    revalidate();
    emit suiteChanged();
}

void SuiteCaseModel::setCase(int row, const SuiteCase &c)
{
    if (row < 0 || row >= rowCount())
        return;
    m_suite.cases[row] = c;
    m_parserProblems[row] = caseProblem(c, m_suite.defaults);
    const QModelIndex i = index(row);
    emit dataChanged(i, i);
    revalidate(); // an id change can make another row a duplicate, or not
    emit suiteChanged();
}

void SuiteCaseModel::insertCase(int row, const SuiteCase &c)
{
    row = std::clamp(row, 0, rowCount());
    beginInsertRows({}, row, row);
    m_suite.cases.insert(row, c);
    m_problems.insert(row, QString());
    m_parserProblems.insert(row, caseProblem(c, m_suite.defaults));
    endInsertRows();
    revalidate();
    emit suiteChanged();
}

void SuiteCaseModel::removeCase(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    beginRemoveRows({}, row, row);
    m_suite.cases.removeAt(row);
    m_problems.removeAt(row);
    m_parserProblems.removeAt(row);
    endRemoveRows();
    revalidate();
    emit suiteChanged();
}

void SuiteCaseModel::moveCase(int from, int to)
{
    if (from == to || from < 0 || to < 0 || from >= rowCount() || to >= rowCount())
        return;
    // beginMoveRows names the row the item goes before, in the old numbering.
    if (!beginMoveRows({}, from, from, {}, to > from ? to + 1 : to))
        return;
    m_suite.cases.move(from, to);
    m_problems.move(from, to);
    m_parserProblems.move(from, to);
    endMoveRows();
    emit suiteChanged();
}

QString SuiteCaseModel::problemAt(int row) const
{
    return m_problems.value(row);
}

QString SuiteCaseModel::firstProblem() const
{
    if (m_suite.cases.isEmpty())
        return tr("The suite has no cases.");
    if (m_suite.name.trimmed().isEmpty())
        return tr("The suite has no name.");
    for (int row = 0; row < m_problems.size(); ++row) {
        if (!m_problems.at(row).isEmpty())
            return tr("Case %1 (%2): %3").arg(row + 1).arg(m_suite.cases.at(row).id, m_problems.at(row));
    }
    return {};
}

QString SuiteCaseModel::freshId(const QString &base) const
{
    for (int n = 1;; ++n) {
        const QString id = QStringLiteral("%1-%2").arg(base).arg(n);
        if (!m_suite.findCase(id))
            return id;
    }
}

void SuiteCaseModel::revalidate()
{
    QHash<QString, int> seen;
    for (const SuiteCase &c : std::as_const(m_suite.cases))
        ++seen[c.id];
    for (int row = 0; row < m_suite.cases.size(); ++row) {
        const SuiteCase &c = m_suite.cases.at(row);
        QString problem;
        if (c.id.trimmed().isEmpty())
            problem = tr("the id is empty");
        else if (seen.value(c.id) > 1)
            problem = tr("duplicate case id \"%1\"").arg(c.id);
        else
            problem = m_parserProblems.at(row);
        if (problem != m_problems.at(row)) {
            m_problems[row] = problem;
            const QModelIndex i = index(row);
            emit dataChanged(i, i, {Qt::ToolTipRole, Qt::ForegroundRole, ProblemRole});
        }
    }
}

} // namespace Slopscope
