#include "JsonObjectEdit.h"

#include "core/Json.h"

#include <QEvent>
#include <QLabel>
#include <QPlainTextEdit>
#include <QVBoxLayout>

namespace Slopscope {

namespace {

QString objectText(const nlohmann::json &object)
{
    if (!object.is_object() || object.empty())
        return {};
    return Json::toQString(object.dump(2));
}

} // namespace

JsonObjectEdit::JsonObjectEdit(const QString &what, const QString &example, QWidget *parent)
    : QWidget(parent)
    , m_what(what)
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    m_text = new QPlainTextEdit(this);
    m_text->setAccessibleName(what);
    m_text->setPlaceholderText(tr("A JSON object, e.g. %1; empty for none").arg(example));
    m_text->setTabChangesFocus(true); // Tab moves on, as in every other field of the form
    m_text->setMinimumHeight(60);
    m_text->setMaximumHeight(110);
    m_text->installEventFilter(this);
    layout->addWidget(m_text);
    m_error = new QLabel(this);
    m_error->setTextFormat(Qt::PlainText); // it quotes what the user typed
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #c62828;"));
    m_error->hide();
    layout->addWidget(m_error);
    connect(m_text, &QPlainTextEdit::textChanged, this, &JsonObjectEdit::check);
    setFocusProxy(m_text);
    // Its height is the text box's and the message's: spare room in the form is not its own.
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);
}

JsonObjectEdit::~JsonObjectEdit() = default;

void JsonObjectEdit::setObject(const nlohmann::json &object, bool keepPending)
{
    const nlohmann::json loaded = object.is_object() ? object : nlohmann::json::object();
    if (keepPending && loaded == m_loaded && !this->object().ok())
        return;
    m_loaded = loaded;
    m_loadedText = objectText(m_loaded);
    const QSignalBlocker blocker(m_text);
    m_text->setPlainText(m_loadedText);
    check();
}

Result<nlohmann::json> JsonObjectEdit::object() const
{
    const QString text = m_text->toPlainText();
    if (text == m_loadedText)
        return m_loaded;
    if (text.trimmed().isEmpty())
        return nlohmann::json::object();
    const auto parsed = Json::parse(text.toUtf8(), m_what);
    if (!parsed.ok())
        return Error{parsed.error()}; // "Metadata:1:12: ..." already names the field and the place
    if (!parsed.value().is_object())
        return Error{
            tr("%1 must be a JSON object ({...}), not a %2").arg(m_what, Json::toQString(parsed.value().type_name()))};
    return parsed.value();
}

void JsonObjectEdit::check()
{
    const auto result = object();
    m_error->setText(result.error());
    m_error->setVisible(!result.ok());
    // Marked where the eye is, and told to a screen reader.
    m_text->setStyleSheet(result.ok() ? QString() : QStringLiteral("QPlainTextEdit { border: 2px solid #c62828; }"));
    m_text->setAccessibleDescription(result.error());
}

bool JsonObjectEdit::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_text && event->type() == QEvent::FocusOut)
        emit editingFinished();
    return QWidget::eventFilter(watched, event);
}

} // namespace Slopscope
