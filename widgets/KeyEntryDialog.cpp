#include "KeyEntryDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace Slopscope {

KeyEntryDialog::KeyEntryDialog(const QString &name, const QString &usedBy, QWidget *parent)
    : QDialog(parent)
    , m_name(name)
{
    setObjectName(QStringLiteral("keyEntryDialog"));
    setWindowTitle(tr("Set %1").arg(name));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(this);
    intro->setTextFormat(Qt::PlainText);
    intro->setText(tr("Enter the key for %1 (used by %2). It is stored in the system keychain and never shown again.")
                       .arg(name, usedBy));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_field = new QLineEdit(this);
    m_field->setObjectName(QStringLiteral("keyField"));
    m_field->setEchoMode(QLineEdit::Password);
    // No completion, no undo history and no drag out: the key stays in this field only.
    m_field->setAttribute(Qt::WA_InputMethodEnabled, false);
    m_field->setDragEnabled(false);
    m_field->setAccessibleName(tr("API key"));
    m_field->setPlaceholderText(tr("Key"));
    layout->addWidget(m_field);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    QPushButton *save = buttons->button(QDialogButtonBox::Save);
    save->setEnabled(false);
    connect(m_field, &QLineEdit::textChanged, save,
            [save](const QString &text) { save->setEnabled(!text.trimmed().isEmpty()); });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // A cancelled entry leaves nothing behind either.
    connect(this, &QDialog::rejected, m_field, &QLineEdit::clear);
    layout->addWidget(buttons);
    resize(460, sizeHint().height());
}

KeyEntryDialog::~KeyEntryDialog()
{
    m_field->clear();
}

QString KeyEntryDialog::takeValue()
{
    QString value = m_field->text().trimmed();
    m_field->clear();
    return value;
}

} // namespace Slopscope
