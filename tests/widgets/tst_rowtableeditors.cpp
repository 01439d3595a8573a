// The suite editor's row tables (messages, variables, assertions) share RowTableEditor: which user
// actions count as an edit, what a new row holds and where editing starts.
#include "AssertionsEditor.h"
#include "MessagesEditor.h"
#include "VarsEditor.h"

#include <QComboBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTest>

using namespace Slopscope;

namespace {

QPushButton *button(QWidget *editor, const QString &text)
{
    const auto buttons = editor->findChildren<QPushButton *>();
    for (QPushButton *b : buttons) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}

} // namespace

class TestRowTableEditors final : public QObject
{
    Q_OBJECT

private slots:
    void loadingIsNotAnEdit();
    void addedMessageCountsOnceFilledIn();
    void addedVariableStartsAtItsName();
    void addedAssertionIsAnEditAndStartsAtItsValue();
    void removingIsAnEdit();
};

void TestRowTableEditors::loadingIsNotAnEdit()
{
    MessagesEditor messages(QStringLiteral("Messages"));
    VarsEditor vars(QStringLiteral("Variables"));
    AssertionsEditor assertions(QStringLiteral("Assertions"));
    QSignalSpy messagesEdited(&messages, &MessagesEditor::edited);
    QSignalSpy varsEdited(&vars, &VarsEditor::edited);
    QSignalSpy assertionsEdited(&assertions, &AssertionsEditor::edited);

    messages.setMessages({ChatMessage{QStringLiteral("user"), QStringLiteral("Hi")}});
    vars.setVars({{QStringLiteral("city"), QStringLiteral("Paris")}});
    Assertion a;
    a.type = QStringLiteral("regex");
    a.value = "^4";
    assertions.setAssertions({a});

    QCOMPARE(messages.table()->rowCount(), 1);
    QCOMPARE(vars.table()->rowCount(), 1);
    QCOMPARE(assertions.table()->rowCount(), 1);
    QCOMPARE(messagesEdited.count(), 0);
    QCOMPARE(varsEdited.count(), 0);
    QCOMPARE(assertionsEdited.count(), 0);
}

void TestRowTableEditors::addedMessageCountsOnceFilledIn()
{
    MessagesEditor editor(QStringLiteral("Messages"));
    QSignalSpy edited(&editor, &MessagesEditor::edited);
    QPushButton *add = button(&editor, QStringLiteral("Add message"));
    QVERIFY(add);

    add->click();
    QCOMPARE(editor.table()->rowCount(), 1);
    QCOMPARE(editor.table()->item(0, 0)->text(), QStringLiteral("user"));
    QCOMPARE(editor.table()->currentColumn(), 1); // straight to the content
    QCOMPARE(edited.count(), 0);

    editor.table()->item(0, 1)->setText(QStringLiteral("What is 2 + 2?"));
    QCOMPARE(edited.count(), 1);
    QCOMPARE(editor.messages().value(0).content, QStringLiteral("What is 2 + 2?"));
}

void TestRowTableEditors::addedVariableStartsAtItsName()
{
    VarsEditor editor(QStringLiteral("Variables"));
    QSignalSpy edited(&editor, &VarsEditor::edited);
    button(&editor, QStringLiteral("Add variable"))->click();
    QCOMPARE(editor.table()->rowCount(), 1);
    QCOMPARE(editor.table()->currentColumn(), 0);
    QCOMPARE(edited.count(), 0);
    QVERIFY(editor.vars().value().isEmpty()); // an empty row is not a variable yet
}

void TestRowTableEditors::addedAssertionIsAnEditAndStartsAtItsValue()
{
    AssertionsEditor editor(QStringLiteral("Assertions"));
    QSignalSpy edited(&editor, &AssertionsEditor::edited);
    button(&editor, QStringLiteral("Add assertion"))->click();
    QCOMPARE(editor.table()->rowCount(), 1);
    QCOMPARE(editor.table()->currentColumn(), int(AssertionsEditor::ValueColumn));
    QCOMPARE(edited.count(), 1); // a "contains" row is a complete assertion already

    auto *type = qobject_cast<QComboBox *>(editor.table()->cellWidget(0, AssertionsEditor::TypeColumn));
    QVERIFY(type);
    QCOMPARE(type->currentText(), QStringLiteral("contains"));
    type->setCurrentText(QStringLiteral("icontains"));
    QCOMPARE(edited.count(), 2); // the type's combo box is a cell widget: itemChanged misses it
}

void TestRowTableEditors::removingIsAnEdit()
{
    VarsEditor editor(QStringLiteral("Variables"));
    editor.setVars({{QStringLiteral("a"), QStringLiteral("1")}, {QStringLiteral("b"), QStringLiteral("2")}});
    QSignalSpy edited(&editor, &VarsEditor::edited);
    QPushButton *remove = button(&editor, QStringLiteral("Remove variable"));
    editor.table()->setCurrentCell(-1, -1);
    remove->click();
    QCOMPARE(edited.count(), 0); // nothing selected, nothing removed
    QCOMPARE(editor.table()->rowCount(), 2);

    editor.table()->setCurrentCell(0, 0);
    remove->click();
    QCOMPARE(edited.count(), 1);
    QCOMPARE(editor.vars().value().keys(), QStringList{QStringLiteral("b")});
}

QTEST_MAIN(TestRowTableEditors)
#include "tst_rowtableeditors.moc"
