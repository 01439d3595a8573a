#pragma once

#include "routing/RoutingPolicy.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QListWidget;
class QStackedWidget;
class QTableWidget;

namespace Slopscope {

// Edits one routing policy of any kind: a cascade's stages (target, validator, threshold), a
// by-tag map with its default, or best-of-N candidates with their judge. Targets are chosen from
// the run's lineup; ids the lineup lacks (a policy loaded from a file) are kept and offered too.
class RoutingPolicyEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RoutingPolicyEditor)

public:
    explicit RoutingPolicyEditor(QWidget *parent = nullptr);

    // What the combo boxes offer: the lineup, the validators with recorded verdicts, the suite's tags.
    void setChoices(const QStringList &targets, const QStringList &recordedValidators, const QStringList &tags);
    void setPolicy(const RoutingPolicy &policy);
    // The policy as edited; not validated (RoutingPolicy::validate says what is wrong).
    [[nodiscard]] RoutingPolicy policy() const;

    // For tests and the dialog: the cascade's stage table, the by-tag rules, the candidates.
    [[nodiscard]] QTableWidget *stageTable() const { return m_stages; }
    [[nodiscard]] QTableWidget *ruleTable() const { return m_rules; }
    [[nodiscard]] QListWidget *candidateList() const { return m_candidates; }
    [[nodiscard]] QComboBox *kindBox() const { return m_kind; }
    void addStage();
    void addRule();

private:
    QComboBox *targetBox(const QString &current) const;
    QComboBox *validatorBox(const QString &current) const;
    void setStages(const QList<CascadeStage> &stages);
    void setRules(const QList<TagRule> &rules);
    void setCandidates(const QStringList &candidates);
    void refreshStageRows();
    static void fillTargets(QComboBox *box, const QStringList &targets, const QString &current);

    QStringList m_targets;
    QStringList m_recordedValidators;
    QStringList m_tags;
    QLineEdit *m_name = nullptr;
    QLineEdit *m_description = nullptr;
    QComboBox *m_kind = nullptr;
    QStackedWidget *m_pages = nullptr;
    QTableWidget *m_stages = nullptr;
    QTableWidget *m_rules = nullptr;
    QComboBox *m_default = nullptr;
    QListWidget *m_candidates = nullptr;
    QComboBox *m_judge = nullptr;
};

} // namespace Slopscope
