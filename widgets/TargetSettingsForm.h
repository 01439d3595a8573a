#pragma once

#include "core/Workspace.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace Slopscope {

class PriceCatalogue;

// Settings ▸ Providers, the right-hand side for one target: its prices per million tokens and its
// parameters. An empty price field takes the catalogue's price, shown as the placeholder with the
// catalogue's date; a filled one overrides it and says so.
class TargetSettingsForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TargetSettingsForm)

public:
    enum PriceField { Input, Output, CachedInput, CacheWrite, Reasoning, PriceFieldCount };

    // `catalogue` is borrowed (may be null: no placeholders then) and must outlive the form.
    explicit TargetSettingsForm(const PriceCatalogue *catalogue, QWidget *parent = nullptr);
    ~TargetSettingsForm() override;

    void setTarget(const TargetConfig &target);
    [[nodiscard]] TargetConfig target() const { return m_target; }
    // Text the target cannot hold (a price or temperature that is not a number); empty when none.
    [[nodiscard]] QString inputProblem() const { return m_inputProblem; }

    [[nodiscard]] QLineEdit *priceEdit(PriceField field) const { return m_prices[field]; }
    // "overrides the catalogue (…)" / "from the catalogue" / "unknown" beside each price.
    [[nodiscard]] QLabel *priceState(PriceField field) const { return m_states[field]; }
    [[nodiscard]] QLabel *catalogueNote() const { return m_note; }
    [[nodiscard]] QLineEdit *temperatureEdit() const { return m_temperature; }
    [[nodiscard]] QSpinBox *maxTokensSpin() const { return m_maxTokens; }
    [[nodiscard]] QComboBox *reasoningEffortBox() const { return m_effort; }

signals:
    void edited();

private:
    void readFields();
    void updatePriceStates();

    const PriceCatalogue *m_catalogue = nullptr;
    TargetConfig m_target;
    Price m_cataloguePrice;
    QString m_inputProblem;
    bool m_loading = false;
    QLabel *m_title = nullptr; // children
    QLabel *m_note = nullptr;
    QLineEdit *m_prices[PriceFieldCount] = {};
    QLabel *m_states[PriceFieldCount] = {};
    QLineEdit *m_temperature = nullptr;
    QSpinBox *m_maxTokens = nullptr;
    QComboBox *m_effort = nullptr;
};

} // namespace Slopscope
