// The suite editor's forms beyond the case basics: scoring fields, metadata, variants and the
// suite's defaults. Each edit is one undo step with a clear label, and survives save + reload.
#include "AssertionsEditor.h"
#include "CaseForm.h"
#include "JsonObjectEdit.h"
#include "MessagesEditor.h"
#include "quality/SuiteWriter.h"
#include "SuiteDefaultsForm.h"
#include "SuiteEditor.h"
#include "VariantsEditor.h"
#include "VarsEditor.h"
#include "views/ViewText.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace Slopscope;

namespace {

Suite sample()
{
    Suite s;
    s.name = QStringLiteral("Sample");
    SuiteCase a;
    a.id = QStringLiteral("alpha");
    a.prompt = QStringLiteral("What is {{x}} plus one?");
    a.vars = {{QStringLiteral("x"), QStringLiteral("1")}};
    a.reference = QStringLiteral("2");
    Assertion judge;
    judge.type = QStringLiteral("llm-rubric");
    judge.value = "says two";
    judge.provider = QStringLiteral("judge-target"); // not shown by the editor: must be kept
    a.assertions = {judge};
    CaseVariant asMessages;
    asMessages.id = QStringLiteral("chat");
    asMessages.kind = QStringLiteral("reorder");
    asMessages.messages = {{QStringLiteral("user"), QStringLiteral("One plus {{x}}?")}};
    Assertion own;
    own.type = QStringLiteral("contains");
    own.value = "2";
    asMessages.assertions = QList<Assertion>{own}; // not shown by the editor: must be kept
    a.variants = {asMessages};
    SuiteCase b;
    b.id = QStringLiteral("beta");
    b.prompt = QStringLiteral("Second?");
    s.cases = {a, b};
    return s;
}

std::string dumped(const Suite &s)
{
    return suiteToJson(s).dump();
}

// Saves through SuiteWriter and reads the file back, as the app does.
Suite saveAndReload(const Suite &suite)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("suite.json"));
    const Status saved = saveSuite(suite, path);
    if (!saved.ok()) {
        qWarning() << saved.error();
        return {};
    }
    const auto loaded = Suite::fromFile(path);
    if (!loaded.ok())
        qWarning() << loaded.error();
    return loaded.ok() ? loaded.value() : Suite{};
}

void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
}

// Types into a plain text field, then moves the focus on (leaving the field commits it).
void typeInto(QPlainTextEdit *edit, const QString &text, QWidget *next)
{
    edit->setFocus();
    QTRY_VERIFY(edit->hasFocus());
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
    next->setFocus();
    QTRY_VERIFY(next->hasFocus());
}

void setSpin(QSpinBox *box, int value)
{
    box->setFocus();
    box->setValue(value);
    QTest::keyClick(box, Qt::Key_Return);
}

} // namespace

class TestSuiteEditorFields final : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void caseScoringFieldsEditUndoRedoAndSave();
    void badNumbersAreRefusedAndKept();
    void metadataEditsAndBadJsonIsRefused();
    void undoKeepsTextNotYetTaken();
    void variantsEditUndoRedoAndSave();
    void variantFieldsEditOneStepEach();
    void variantOwnAssertionsEditUndoAndSave();
    void variantIdAndDescriptionShowInvisibleCharactersEscaped();
    void defaultsEditUndoRedoAndSave();
    void suiteDescriptionEditUndoAndSave();
    void fieldsTheEditorDoesNotShowAreKept();
    void messageFieldsBeyondTheTableAreKept();
    void labelsHaveBuddiesAndTabOrderFollowsTheForm();
    void screenshots();

private:
    std::unique_ptr<SuiteEditor> m_editor;
};

void TestSuiteEditorFields::init()
{
    m_editor = std::make_unique<SuiteEditor>();
    m_editor->resize(620, 900);
    m_editor->setSuite(sample());
    m_editor->show();
    QApplication::setActiveWindow(m_editor.get());
    QVERIFY(QTest::qWaitForWindowActive(m_editor.get()));
}

void TestSuiteEditorFields::cleanup()
{
    m_editor.reset();
}

void TestSuiteEditorFields::caseScoringFieldsEditUndoRedoAndSave()
{
    SuiteEditor &editor = *m_editor;
    CaseForm *form = editor.caseForm();
    QUndoStack *stack = editor.undoStack();
    const std::string original = dumped(editor.suite());

    typeInto(form->weightEdit(), QStringLiteral("2.5"));
    QCOMPARE(editor.suite().cases.at(0).weight, 2.5);
    QCOMPARE(stack->undoText(), QStringLiteral("Change weight of case alpha"));
    typeInto(form->thresholdEdit(), QStringLiteral("0.75"));
    QVERIFY(editor.suite().cases.at(0).threshold == std::optional<double>(0.75));
    QCOMPARE(stack->undoText(), QStringLiteral("Change threshold of case alpha"));
    // The time budget shows the suite's default when the case has none.
    QVERIFY(form->timeBudgetBox()->text().startsWith(QStringLiteral("suite default")));
    setSpin(form->timeBudgetBox(), 4000);
    QVERIFY(editor.suite().cases.at(0).timeBudgetMs == std::optional<qint64>(4000));
    QCOMPARE(stack->undoText(), QStringLiteral("Change time budget of case alpha"));
    typeInto(form->tagsEdit(), QStringLiteral("math, easy"));
    QCOMPARE(editor.suite().cases.at(0).tags, (QStringList{QStringLiteral("math"), QStringLiteral("easy")}));
    QCOMPARE(stack->count(), 4);
    const std::string edited = dumped(editor.suite());

    // Each undone in turn, the form following.
    stack->undo();
    QVERIFY(editor.suite().cases.at(0).tags.isEmpty());
    stack->undo();
    QVERIFY(!editor.suite().cases.at(0).timeBudgetMs);
    QCOMPARE(form->timeBudgetBox()->value(), 0);
    stack->undo();
    QVERIFY(!editor.suite().cases.at(0).threshold);
    QVERIFY(form->thresholdEdit()->text().isEmpty());
    stack->undo();
    QCOMPARE(editor.suite().cases.at(0).weight, 1.0);
    QCOMPARE(form->weightEdit()->text(), QStringLiteral("1"));
    QCOMPARE(dumped(editor.suite()), original);
    while (stack->canRedo())
        stack->redo();
    QCOMPARE(dumped(editor.suite()), edited);
    QCOMPARE(form->weightEdit()->text(), QStringLiteral("2.5"));

    // Clearing the budget goes back to the suite default.
    setSpin(form->timeBudgetBox(), 0);
    QVERIFY(!editor.suite().cases.at(0).timeBudgetMs);
    stack->undo();

    const Suite reloaded = saveAndReload(editor.suite());
    QCOMPARE(dumped(reloaded), edited);
    QCOMPARE(reloaded.cases.at(0).weight, 2.5);
    QVERIFY(reloaded.cases.at(0).timeBudgetMs == std::optional<qint64>(4000));
}

void TestSuiteEditorFields::badNumbersAreRefusedAndKept()
{
    SuiteEditor &editor = *m_editor;
    CaseForm *form = editor.caseForm();
    typeInto(form->weightEdit(), QStringLiteral("heavy"));
    QCOMPARE(editor.suite().cases.at(0).weight, 1.0);              // not taken
    QCOMPARE(form->weightEdit()->text(), QStringLiteral("heavy")); // nor lost
    QVERIFY2(editor.problemLabel()->text().contains(QStringLiteral("\"heavy\"")),
             qPrintable(editor.problemLabel()->text()));
    QVERIFY(!form->weightEdit()->accessibleDescription().isEmpty()); // marked on the field itself
    QVERIFY(!editor.saveProblem().isEmpty());
    QCOMPARE(editor.undoStack()->count(), 0);
    // A negative weight is refused too; a number clears the mark and the message.
    typeInto(form->weightEdit(), QStringLiteral("-1"));
    QVERIFY(!editor.saveProblem().isEmpty());
    typeInto(form->weightEdit(), QStringLiteral("3"));
    QVERIFY2(editor.saveProblem().isEmpty(), qPrintable(editor.saveProblem()));
    QVERIFY(form->weightEdit()->accessibleDescription().isEmpty());
    QCOMPARE(editor.suite().cases.at(0).weight, 3.0);
    typeInto(form->thresholdEdit(), QStringLiteral("high"));
    QVERIFY(editor.problemLabel()->text().contains(QStringLiteral("threshold")));
    QVERIFY(!editor.suite().cases.at(0).threshold);
    // The case with the wrong value keeps the selection: its text is not dropped by moving on.
    editor.selectCase(1);
    QCOMPARE(editor.currentRow(), 0);
    QCOMPARE(form->thresholdEdit()->text(), QStringLiteral("high"));
}

void TestSuiteEditorFields::metadataEditsAndBadJsonIsRefused()
{
    SuiteEditor &editor = *m_editor;
    CaseForm *form = editor.caseForm();
    JsonObjectEdit *metadata = form->metadataEdit();
    QUndoStack *stack = editor.undoStack();

    const QString bad = QStringLiteral("{\"source\": \"manual\",");
    typeInto(metadata->textEdit(), bad, form->idEdit());
    QCOMPARE(metadata->textEdit()->toPlainText(), bad); // the text stays as typed
    QVERIFY(metadata->errorLabel()->isVisible());
    QVERIFY2(metadata->errorLabel()->text().contains(QStringLiteral("Metadata:1:")),
             qPrintable(metadata->errorLabel()->text()));
    QVERIFY2(editor.problemLabel()->text().contains(QStringLiteral("Metadata")),
             qPrintable(editor.problemLabel()->text()));
    QVERIFY(editor.suite().cases.at(0).metadata.empty());
    QCOMPARE(stack->count(), 0);
    QVERIFY(!editor.saveProblem().isEmpty());
    QCOMPARE(metadata->textEdit()->toPlainText(), bad);

    // JSON, but not an object: refused with its own words.
    typeInto(metadata->textEdit(), QStringLiteral("[1, 2]"), form->idEdit());
    QVERIFY2(metadata->errorLabel()->text().contains(QStringLiteral("object")),
             qPrintable(metadata->errorLabel()->text()));
    QCOMPARE(stack->count(), 0);

    typeInto(metadata->textEdit(), QStringLiteral("{\"source\": \"manual\", \"level\": 3}"), form->idEdit());
    QVERIFY(!metadata->errorLabel()->isVisible());
    QVERIFY(editor.problemLabel()->text().isEmpty());
    const nlohmann::json expected = {{"source", "manual"}, {"level", 3}};
    QVERIFY(editor.suite().cases.at(0).metadata == expected);
    QCOMPARE(stack->undoText(), QStringLiteral("Change metadata of case alpha"));
    stack->undo();
    QVERIFY(editor.suite().cases.at(0).metadata.empty());
    QVERIFY(metadata->textEdit()->toPlainText().isEmpty());
    stack->redo();
    QVERIFY(editor.suite().cases.at(0).metadata == expected);
    QVERIFY(metadata->textEdit()->toPlainText().contains(QStringLiteral("\"level\": 3")));
    QVERIFY(saveAndReload(editor.suite()).cases.at(0).metadata == expected);
}

void TestSuiteEditorFields::undoKeepsTextNotYetTaken()
{
    SuiteEditor &editor = *m_editor;
    CaseForm *form = editor.caseForm();
    QUndoStack *stack = editor.undoStack();
    typeInto(form->weightEdit(), QStringLiteral("2"));
    editor.tabs()->setCurrentIndex(SuiteEditor::DefaultsTab);
    typeInto(editor.defaultsForm()->systemEdit(), QStringLiteral("Be brief."), editor.defaultsForm()->timeBudgetBox());
    QCOMPARE(stack->count(), 2);
    const QString bad = QStringLiteral("{\"level\": ");
    editor.tabs()->setCurrentIndex(SuiteEditor::CaseTab);
    typeInto(form->metadataEdit()->textEdit(), bad, form->idEdit());
    QPlainTextEdit *params = editor.defaultsForm()->paramsEdit()->textEdit();
    params->setPlainText(QStringLiteral("{\"temperature\""));
    // Undoing other fields gives them back and leaves the text being written alone.
    stack->undo();
    QVERIFY(editor.suite().defaults.system.isEmpty());
    stack->undo();
    QCOMPARE(editor.suite().cases.at(0).weight, 1.0);
    QCOMPARE(form->weightEdit()->text(), QStringLiteral("1"));
    QCOMPARE(form->metadataEdit()->textEdit()->toPlainText(), bad);
    QCOMPARE(params->toPlainText(), QStringLiteral("{\"temperature\""));
    QVERIFY2(editor.problemLabel()->text().contains(QStringLiteral("Metadata")),
             qPrintable(editor.problemLabel()->text()));
    stack->redo();
    QCOMPARE(form->metadataEdit()->textEdit()->toPlainText(), bad);
    QVERIFY(!editor.saveProblem().isEmpty());
    // Another document shows its own metadata and params, not the text typed for this one.
    editor.undoStack()->clear();
    editor.setSuite(sample());
    QVERIFY(form->metadataEdit()->textEdit()->toPlainText().isEmpty());
    QVERIFY(params->toPlainText().isEmpty());
}

void TestSuiteEditorFields::variantsEditUndoRedoAndSave()
{
    SuiteEditor &editor = *m_editor;
    VariantsEditor *variants = editor.variantsEditor();
    QUndoStack *stack = editor.undoStack();
    editor.tabs()->setCurrentIndex(SuiteEditor::VariantsTab);
    QCOMPARE(variants->list()->count(), 1);
    QCOMPARE(editor.tabs()->tabText(SuiteEditor::VariantsTab), QStringLiteral("Varia&nts (1)"));

    variants->addVariant();
    QCOMPARE(editor.suite().cases.at(0).variants.size(), 2);
    const CaseVariant added = editor.suite().cases.at(0).variants.at(1);
    QCOMPARE(added.id, QStringLiteral("v-1"));
    QCOMPARE(added.prompt, QStringLiteral("What is {{x}} plus one?")); // starts from the case
    QCOMPARE(stack->undoText(), QStringLiteral("Add variant v-1 to case alpha"));
    QCOMPARE(variants->currentVariant(), 1);

    variants->duplicateAsParaphrase();
    QCOMPARE(editor.suite().cases.at(0).variants.size(), 3);
    QCOMPARE(editor.suite().cases.at(0).variants.at(2).kind, QStringLiteral("paraphrase"));
    QCOMPARE(editor.suite().cases.at(0).variants.at(2).prompt, added.prompt);
    QCOMPARE(stack->undoText(), QStringLiteral("Duplicate v-1 as paraphrase paraphrase-1 in case alpha"));

    variants->selectVariant(0);
    variants->removeVariant();
    QCOMPARE(editor.suite().cases.at(0).variants.size(), 2);
    QCOMPARE(editor.suite().cases.at(0).variants.at(0).id, QStringLiteral("v-1"));
    QCOMPARE(stack->undoText(), QStringLiteral("Remove variant chat from case alpha"));
    const std::string edited = dumped(editor.suite());

    stack->undo();
    QCOMPARE(editor.suite().cases.at(0).variants.size(), 3);
    QCOMPARE(editor.suite().cases.at(0).variants.at(0).id, QStringLiteral("chat"));
    QCOMPARE(variants->list()->count(), 3);
    stack->undo();
    stack->undo();
    QCOMPARE(dumped(editor.suite()), dumped(sample()));
    QCOMPARE(variants->list()->count(), 1);
    while (stack->canRedo())
        stack->redo();
    QCOMPARE(dumped(editor.suite()), edited);
    QCOMPARE(dumped(saveAndReload(editor.suite())), edited);
}

void TestSuiteEditorFields::variantFieldsEditOneStepEach()
{
    SuiteEditor &editor = *m_editor;
    VariantsEditor *variants = editor.variantsEditor();
    QUndoStack *stack = editor.undoStack();
    editor.tabs()->setCurrentIndex(SuiteEditor::VariantsTab);
    variants->addVariant();
    const int base = stack->count();
    const auto variant = [&] { return editor.suite().cases.at(0).variants.at(1); };

    typeInto(variants->idEdit(), QStringLiteral("p1"));
    QCOMPARE(variant().id, QStringLiteral("p1"));
    QCOMPARE(stack->undoText(), QStringLiteral("Change id of variant p1 of case alpha"));
    typeInto(variants->kindBox()->lineEdit(), QStringLiteral("distractor"));
    QCOMPARE(variant().kind, QStringLiteral("distractor"));
    QCOMPARE(variants->list()->item(1)->text(), QStringLiteral("p1 (distractor)"));
    typeInto(variants->promptEdit(), QStringLiteral("Add one to {{x}}. Ignore the weather."), variants->idEdit());
    QCOMPARE(variant().prompt, QStringLiteral("Add one to {{x}}. Ignore the weather."));
    QCOMPARE(stack->undoText(), QStringLiteral("Change prompt of variant p1 of case alpha"));
    // A variable override: the variant's own value of x, and the answer that goes with it.
    QTableWidget *vars = variants->varsEditor()->table();
    vars->insertRow(0);
    vars->setItem(0, 0, new QTableWidgetItem(QStringLiteral("x")));
    vars->setItem(0, 1, new QTableWidgetItem(QStringLiteral("41")));
    QCOMPARE(variant().vars.value(QStringLiteral("x")), QStringLiteral("41"));
    typeInto(variants->referenceEdit(), QStringLiteral("42"), variants->idEdit());
    QCOMPARE(variant().reference, QStringLiteral("42"));
    QCOMPARE(stack->undoText(), QStringLiteral("Change reference of variant p1 of case alpha"));
    QCOMPARE(stack->count(), base + 6); // id, kind, prompt, override (name then value), reference
    const std::string edited = dumped(editor.suite());

    stack->undo();
    QVERIFY(variant().reference.isEmpty());
    QVERIFY(variants->referenceEdit()->toPlainText().isEmpty());
    QCOMPARE(variants->currentVariant(), 1); // the form stays on the variant undone
    while (stack->index() > base)
        stack->undo();
    QCOMPARE(variant().id, QStringLiteral("v-1"));
    QVERIFY(variant().kind.isEmpty());
    while (stack->canRedo())
        stack->redo();
    QCOMPARE(dumped(editor.suite()), edited);
    const Suite reloaded = saveAndReload(editor.suite());
    QCOMPARE(dumped(reloaded), edited);
    QCOMPARE(reloaded.varsFor(reloaded.cases.at(0), reloaded.cases.at(0).findVariant(QStringLiteral("p1")))
                 .value(QStringLiteral("x")),
             QStringLiteral("41"));

    // A value without a name is refused, not dropped.
    vars->insertRow(1);
    vars->setItem(1, 1, new QTableWidgetItem(QStringLiteral("orphan")));
    QVERIFY2(editor.problemLabel()->text().contains(QStringLiteral("no name")),
             qPrintable(editor.problemLabel()->text()));
    QCOMPARE(dumped(editor.suite()), edited);
}

// The suite's description is edited on the defaults tab, one undo step, and saved; the name
// (edited above the case list) is left as it is.
void TestSuiteEditorFields::suiteDescriptionEditUndoAndSave()
{
    SuiteEditor &editor = *m_editor;
    SuiteDefaultsForm *form = editor.defaultsForm();
    QUndoStack *stack = editor.undoStack();
    editor.tabs()->setCurrentIndex(SuiteEditor::DefaultsTab);
    const QString name = editor.suite().name;

    typeInto(form->descriptionEdit(), QStringLiteral("Real tickets, <b>anonymised</b>."), form->systemEdit());
    QCOMPARE(editor.suite().description, QStringLiteral("Real tickets, <b>anonymised</b>."));
    QCOMPARE(stack->undoText(), QStringLiteral("Change suite description"));
    QCOMPARE(stack->count(), 1);
    QCOMPARE(editor.suite().name, name);

    stack->undo();
    QVERIFY(editor.suite().description.isEmpty());
    QVERIFY(form->descriptionEdit()->toPlainText().isEmpty());
    stack->redo();
    QCOMPARE(form->descriptionEdit()->toPlainText(), QStringLiteral("Real tickets, <b>anonymised</b>."));
    const Suite reloaded = saveAndReload(editor.suite());
    QCOMPARE(reloaded.description, QStringLiteral("Real tickets, <b>anonymised</b>."));
    QCOMPARE(reloaded.name, name);
}

// A variant graded by checks of its own: shown and edited in its own table, switched off (graded
// as the case) and on again (starting from the case's checks), each one undo step, and saved.
// RELIABILITY B-2, as for the suite name and case id (tst_suiteeditor): a variant id and a case
// description holding a bidi override or a zero-width space show it escaped, and commit it back.
void TestSuiteEditorFields::variantIdAndDescriptionShowInvisibleCharactersEscaped()
{
    SuiteEditor &editor = *m_editor;
    VariantsEditor *variants = editor.variantsEditor();
    editor.tabs()->setCurrentIndex(SuiteEditor::VariantsTab);
    variants->addVariant();
    typeInto(variants->idEdit(), QStringLiteral("v\\u202Ex"));
    QCOMPARE(editor.suite().cases.at(0).variants.at(1).id, u"v\u202Ex"_qs);
    QCOMPARE(variants->idEdit()->text(), u"v\\u202Ex"_qs);
    QCOMPARE(variants->idEdit()->layoutDirection(), Qt::LeftToRight);
    QCOMPARE(variants->list()->item(1)->text(), u"v<U+202E>x"_qs); // the list as the case list
    // Selected again, the variant's id is shown escaped, never raw.
    variants->selectVariant(0);
    variants->selectVariant(1);
    QCOMPARE(variants->idEdit()->text(), u"v\\u202Ex"_qs);

    CaseForm *form = editor.caseForm();
    editor.tabs()->setCurrentIndex(SuiteEditor::CaseTab);
    typeInto(form->descriptionEdit(), QStringLiteral("Sum \\u200B of two"));
    QCOMPARE(editor.suite().cases.at(0).description, u"Sum \u200B of two"_qs);
    for (const QLineEdit *field : {variants->idEdit(), form->descriptionEdit()})
        QCOMPARE(ViewText::visibleName(field->text()), field->text());
}

void TestSuiteEditorFields::variantOwnAssertionsEditUndoAndSave()
{
    SuiteEditor &editor = *m_editor;
    VariantsEditor *variants = editor.variantsEditor();
    QUndoStack *stack = editor.undoStack();
    editor.tabs()->setCurrentIndex(SuiteEditor::VariantsTab);
    variants->selectVariant(0);
    QVERIFY(variants->ownAssertionsBox()->isChecked());
    QTableWidget *table = variants->assertionsEditor()->table();
    QCOMPARE(table->rowCount(), 1);
    QCOMPARE(table->item(0, AssertionsEditor::ValueColumn)->text(), QStringLiteral("2"));

    table->item(0, AssertionsEditor::ValueColumn)->setText(QStringLiteral("3"));
    const auto own = [&editor] { return editor.suite().cases.at(0).variants.at(0).assertions; };
    QVERIFY(own() && own()->size() == 1 && own()->at(0).value == "3");
    QCOMPARE(stack->undoText(), QStringLiteral("Change assertions of variant chat of case alpha"));

    variants->ownAssertionsBox()->setChecked(false);
    QVERIFY(!own());
    QVERIFY(!variants->assertionsEditor()->isEnabled());
    variants->ownAssertionsBox()->setChecked(true);
    QVERIFY(own() && own()->size() == 1);
    QCOMPARE(own()->at(0).type, QStringLiteral("llm-rubric")); // the case's, to start from
    QCOMPARE(own()->at(0).provider, QStringLiteral("judge-target"));
    QCOMPARE(stack->count(), 3);

    stack->undo();
    stack->undo();
    QVERIFY(variants->ownAssertionsBox()->isChecked());
    QCOMPARE(table->item(0, AssertionsEditor::ValueColumn)->text(), QStringLiteral("3"));
    const Suite reloaded = saveAndReload(editor.suite());
    const auto &saved = reloaded.cases.at(0).variants.at(0).assertions;
    QVERIFY(saved && saved->size() == 1 && saved->at(0).type == u"contains" && saved->at(0).value == "3");
    QVERIFY(!reloaded.cases.at(0).variants.at(0).messages.isEmpty()); // the rest kept
}

void TestSuiteEditorFields::defaultsEditUndoRedoAndSave()
{
    SuiteEditor &editor = *m_editor;
    SuiteDefaultsForm *defaults = editor.defaultsForm();
    QUndoStack *stack = editor.undoStack();
    editor.tabs()->setCurrentIndex(SuiteEditor::DefaultsTab);

    typeInto(defaults->systemEdit(), QStringLiteral("Answer with a number."), defaults->timeBudgetBox());
    QCOMPARE(editor.suite().defaults.system, QStringLiteral("Answer with a number."));
    QCOMPARE(stack->undoText(), QStringLiteral("Change default system prompt"));

    // Params must be a JSON object: refused, with the text kept and the reason under it.
    QPlainTextEdit *params = defaults->paramsEdit()->textEdit();
    typeInto(params, QStringLiteral("{\"temperature\": }"), defaults->systemEdit());
    QCOMPARE(params->toPlainText(), QStringLiteral("{\"temperature\": }"));
    QVERIFY(defaults->paramsEdit()->errorLabel()->isVisible());
    QVERIFY2(editor.problemLabel()->text().contains(QStringLiteral("Params")),
             qPrintable(editor.problemLabel()->text()));
    QVERIFY(editor.suite().defaults.params.empty());
    QVERIFY(!editor.saveProblem().isEmpty());
    QCOMPARE(stack->count(), 1);
    typeInto(params, QStringLiteral("{\"temperature\": 0}"), defaults->systemEdit());
    QVERIFY(editor.suite().defaults.params == nlohmann::json({{"temperature", 0}}));
    QCOMPARE(stack->undoText(), QStringLiteral("Change default params"));
    QVERIFY(editor.problemLabel()->text().isEmpty());

    // A default assertion, added and filled in.
    auto *addAssertion = defaults->assertionsEditor()->findChild<QPushButton *>();
    QVERIFY(addAssertion);
    QTest::mouseClick(addAssertion, Qt::LeftButton);
    QTableWidget *table = defaults->assertionsEditor()->table();
    QCOMPARE(table->rowCount(), 1);
    table->item(0, AssertionsEditor::ValueColumn)->setText(QStringLiteral("number"));
    QCOMPARE(editor.suite().defaults.assertions.size(), 1);
    QVERIFY(editor.suite().defaults.assertions.at(0).value == "number");
    QCOMPARE(stack->undoText(), QStringLiteral("Change default assertions"));

    setSpin(defaults->timeBudgetBox(), 30000);
    QVERIFY(editor.suite().defaults.timeBudgetMs == std::optional<qint64>(30000));
    QCOMPARE(stack->undoText(), QStringLiteral("Change default time budget"));
    // The case form says what "suite default" now means.
    QCOMPARE(editor.caseForm()->timeBudgetBox()->specialValueText(), QStringLiteral("suite default (30000 ms)"));
    const std::string edited = dumped(editor.suite());

    stack->undo();
    QVERIFY(!editor.suite().defaults.timeBudgetMs);
    QCOMPARE(defaults->timeBudgetBox()->value(), 0);
    while (stack->canUndo())
        stack->undo();
    QCOMPARE(dumped(editor.suite()), dumped(sample()));
    QVERIFY(defaults->systemEdit()->toPlainText().isEmpty());
    QCOMPARE(editor.caseForm()->idEdit()->text(), QStringLiteral("alpha")); // the case stays selected
    while (stack->canRedo())
        stack->redo();
    QCOMPARE(dumped(editor.suite()), edited);
    QCOMPARE(dumped(saveAndReload(editor.suite())), edited);
}

void TestSuiteEditorFields::fieldsTheEditorDoesNotShowAreKept()
{
    SuiteEditor &editor = *m_editor;
    typeInto(editor.caseForm()->weightEdit(), QStringLiteral("2"));
    editor.tabs()->setCurrentIndex(SuiteEditor::VariantsTab);
    editor.variantsEditor()->selectVariant(0);
    typeInto(editor.variantsEditor()->kindBox()->lineEdit(), QStringLiteral("reordered"));
    const SuiteCase &c = editor.suite().cases.at(0);
    QCOMPARE(c.assertions.at(0).provider, QStringLiteral("judge-target"));
    const CaseVariant &v = c.variants.at(0);
    QCOMPARE(v.kind, QStringLiteral("reordered"));
    QCOMPARE(v.messages.size(), 1); // a variant in messages form keeps them
    QVERIFY(v.prompt.isEmpty());
    QVERIFY(v.assertions && v.assertions->size() == 1);
    // It is edited as messages: the prompt field is not offered, where typing would be lost.
    QVERIFY(!editor.variantsEditor()->promptEdit()->isVisible());
    QVERIFY(editor.variantsEditor()->messagesEditor()->isVisible());
    QTableWidget *messages = editor.variantsEditor()->messagesEditor()->table();
    QCOMPARE(messages->rowCount(), 1);
    messages->item(0, 1)->setText(QStringLiteral("Add {{x}} and one."));
    QCOMPARE(editor.suite().cases.at(0).variants.at(0).messages.at(0).content, QStringLiteral("Add {{x}} and one."));
    QCOMPARE(editor.undoStack()->undoText(), QStringLiteral("Change messages of variant chat of case alpha"));
    QVERIFY(editor.suite().cases.at(0).variants.at(0).assertions); // still its own
    editor.undoStack()->undo();
    QCOMPARE(messages->item(0, 1)->text(), QStringLiteral("One plus {{x}}?"));
    editor.undoStack()->redo();
    const Suite reloaded = saveAndReload(editor.suite());
    QCOMPARE(dumped(reloaded), dumped(editor.suite()));
}

void TestSuiteEditorFields::messageFieldsBeyondTheTableAreKept()
{
    // What a message carries besides role and content (a tool result's call id) survives an
    // edit of another row: the form edits a copy of the messages.
    Suite s = sample();
    ChatMessage tool{QStringLiteral("tool"), QStringLiteral("4")};
    tool.toolCallId = QStringLiteral("call-1");
    tool.toolName = QStringLiteral("add");
    s.cases[1].prompt.clear();
    s.cases[1].messages = {{QStringLiteral("user"), QStringLiteral("Add 2 and 2")}, tool};
    m_editor->setSuite(s);
    m_editor->selectCase(1);
    QCOMPARE(m_editor->inputKindBox()->currentIndex(), 1);
    m_editor->messagesTable()->item(0, 1)->setText(QStringLiteral("Add two and two"));
    const QList<ChatMessage> &messages = m_editor->suite().cases.at(1).messages;
    QCOMPARE(messages.at(0).content, QStringLiteral("Add two and two"));
    QCOMPARE(messages.at(1).toolCallId, QStringLiteral("call-1"));
    QCOMPARE(messages.at(1).toolName, QStringLiteral("add"));
}

void TestSuiteEditorFields::labelsHaveBuddiesAndTabOrderFollowsTheForm()
{
    for (QWidget *form :
         {static_cast<QWidget *>(m_editor->caseForm()), static_cast<QWidget *>(m_editor->variantsEditor()),
          static_cast<QWidget *>(m_editor->defaultsForm())}) {
        QSet<QChar> keys;
        for (QLabel *label : form->findChildren<QLabel *>()) {
            const QString text = label->text();
            const qsizetype amp = text.indexOf(u'&');
            if (amp < 0 || amp + 1 >= text.size())
                continue;
            QVERIFY2(label->buddy(), qPrintable(text));
            // One key, one field, within a page.
            const QChar key = text.at(amp + 1).toLower();
            QVERIFY2(!keys.contains(key), qPrintable(text));
            keys.insert(key);
        }
        QVERIFY(keys.size() >= 4);
    }
    // Tab walks the scoring fields in the order they are shown.
    CaseForm *form = m_editor->caseForm();
    form->weightEdit()->setFocus();
    QTRY_VERIFY(form->weightEdit()->hasFocus());
    QTest::keyClick(form->weightEdit(), Qt::Key_Tab);
    QTRY_VERIFY(form->thresholdEdit()->hasFocus());
    QTest::keyClick(form->thresholdEdit(), Qt::Key_Tab);
    QTRY_VERIFY(form->timeBudgetBox()->hasFocus());
    QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
    QTRY_VERIFY(form->metadataEdit()->textEdit()->hasFocus());
    QTest::keyClick(form->metadataEdit()->textEdit(), Qt::Key_Tab);
    // ...and on into the assertions (the first row's type box comes first).
    QTRY_VERIFY(form->assertionsTable()->parentWidget()->isAncestorOf(QApplication::focusWidget()));
}

void TestSuiteEditorFields::screenshots()
{
    const QString out = qEnvironmentVariable("SLOPSCOPE_SCREENSHOT_DIR");
    m_editor->resize(400, 1500); // the dock's width; tall enough to show every field
    typeInto(m_editor->caseForm()->metadataEdit()->textEdit(), QStringLiteral("{\"source\": "),
             m_editor->caseForm()->idEdit());
    QVERIFY(m_editor->caseForm()->metadataEdit()->errorLabel()->isVisible());
    if (!out.isEmpty())
        QVERIFY(m_editor->grab().save(out + QStringLiteral("/suite-editor-case.png")));
    m_editor->caseForm()->metadataEdit()->setObject(nlohmann::json::object());
    m_editor->commit();
    m_editor->tabs()->setCurrentIndex(SuiteEditor::VariantsTab);
    m_editor->variantsEditor()->duplicateAsParaphrase();
    QCOMPARE(m_editor->suite().cases.at(0).variants.size(), 2);
    QTest::qWait(50);
    if (!out.isEmpty())
        QVERIFY(m_editor->grab().save(out + QStringLiteral("/suite-editor-variants.png")));
    m_editor->tabs()->setCurrentIndex(SuiteEditor::DefaultsTab);
    QTRY_VERIFY(m_editor->defaultsForm()->isVisible());
    QTest::qWait(50); // the page's layout settles before it is grabbed
    if (!out.isEmpty())
        QVERIFY(m_editor->grab().save(out + QStringLiteral("/suite-editor-defaults.png")));
}

QTEST_MAIN(TestSuiteEditorFields)
#include "tst_suiteeditorfields.moc"
