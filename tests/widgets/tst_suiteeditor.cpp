#include "AssertionsEditor.h"
#include "CaseForm.h"
#include "core/Workspace.h"
#include "JsonObjectEdit.h"
#include "MainWindow.h"
#include "quality/SuiteWriter.h"
#include "run/RunSession.h"
#include "SuiteEditor.h"
#include "TargetListWidget.h"
#include "views/SuiteCaseModel.h"
#include "views/ViewText.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDockWidget>
#include <QDropEvent>
#include <QFile>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoCommand>
#include <QUndoStack>
#include <QWindow>

using namespace Slopscope;

namespace {

Suite twoCases()
{
    Suite s;
    s.name = QStringLiteral("Two");
    SuiteCase a;
    a.id = QStringLiteral("alpha");
    a.prompt = QStringLiteral("First question?");
    Assertion contains;
    contains.type = QStringLiteral("contains");
    contains.value = "one";
    a.assertions = {contains};
    SuiteCase b;
    b.id = QStringLiteral("beta");
    b.prompt = QStringLiteral("Second question about {{topic}}?");
    b.vars = {{QStringLiteral("topic"), QStringLiteral("owls")}};
    s.cases = {a, b};
    return s;
}

QString writeSuite(const QTemporaryDir &dir, const QString &name, const Suite &suite)
{
    const QString path = dir.filePath(name);
    const Status saved = saveSuite(suite, path);
    return saved.ok() ? path : QString();
}

QStringList ids(const SuiteEditor *editor)
{
    QStringList out;
    for (const SuiteCase &c : editor->suite().cases)
        out << c.id;
    return out;
}

// Types into a line edit and leaves it, as a user does (editingFinished commits).
void typeInto(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClicks(edit, text);
    QTest::keyClick(edit, Qt::Key_Return);
}

} // namespace

class TestSuiteEditor final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void modelPassesTheTester();
    void editPromptSaveReload();
    void addRemoveUndoRedo();
    void duplicateIdBlocksSaving();
    void invalidJsonAssertionIsShownAndBlocksSaving();
    void dropOpensTheSuite();
    void recentListKeepsAndDropsFiles();
    void malformedFileKeepsTheCurrentSuite();
    void unsavedChangesAskBeforeSwitching();
    void comboAndEditorAgree();
    void fieldsHaveAccessibleNames();
    void runSendsTheSuiteAsEdited();
    void ctrlZFollowsTheFocus();
    void undoMenuNamesTheFieldAndCase();
    void textNotYetTakenAsksBeforeSwitching();
    void screenshot();
    void invisibleCharactersInNamesAreShown();
    void windowTitleShowsNamesAsTheyAre();
    void nameAndIdFieldsShowInvisibleCharactersEscaped();
};

void TestSuiteEditor::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setOrganizationName(QStringLiteral("slopscope-tests"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_suiteeditor"));
}

void TestSuiteEditor::init()
{
    QSettings().remove(QStringLiteral("suites/recent"));
}

void TestSuiteEditor::modelPassesTheTester()
{
    SuiteCaseModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setSuite(twoCases());
    QCOMPARE(model.rowCount(), 2);
    SuiteCase c;
    c.id = QStringLiteral("gamma");
    c.prompt = QStringLiteral("Third?");
    model.insertCase(1, c);
    QCOMPARE(model.data(model.index(1)).toString(), QStringLiteral("gamma"));
    model.moveCase(0, 2);
    QCOMPARE(model.caseAt(2).id, QStringLiteral("alpha"));
    model.moveCase(2, 0);
    QCOMPARE(model.caseAt(0).id, QStringLiteral("alpha"));
    // An id made a duplicate marks the row, and the suite.
    c.id = QStringLiteral("alpha");
    model.setCase(1, c);
    QVERIFY(model.data(model.index(1), SuiteCaseModel::ProblemRole).toString().contains(QStringLiteral("duplicate")));
    QVERIFY(!model.firstProblem().isEmpty());
    model.removeCase(1);
    QVERIFY(model.firstProblem().isEmpty());
    QVERIFY(model.problemAt(0).isEmpty());
    // A description from a shared suite file is shown escaped, never as markup.
    SuiteCase hostile = model.caseAt(0);
    hostile.description = QStringLiteral("<img src=\"file:///etc/passwd\"><b>bold</b>");
    model.setCase(0, hostile);
    const QString tip = model.data(model.index(0), Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("&lt;img")) && !tip.contains(QStringLiteral("<img")), qPrintable(tip));
    // The parser's own checks reach the row: an unknown variable.
    SuiteCase broken = model.caseAt(0);
    broken.prompt = QStringLiteral("About {{nothing}}");
    model.setCase(0, broken);
    QVERIFY2(model.problemAt(0).contains(QStringLiteral("{{nothing}}")), qPrintable(model.problemAt(0)));
    QCOMPARE(model.freshId(), QStringLiteral("case-1"));
}

void TestSuiteEditor::editPromptSaveReload()
{
    QTemporaryDir dir;
    const QString path = writeSuite(dir, QStringLiteral("two.json"), twoCases());
    QVERIFY(!path.isEmpty());
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(window.openSuiteFile(path).ok(), "open");
    QCOMPARE(window.suitePath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(window.windowTitle().startsWith(QStringLiteral("two.json[*]")));
    QVERIFY(!window.isWindowModified());

    window.showSuiteEditor();
    SuiteEditor *editor = window.suiteEditor();
    editor->selectCase(1);
    QPlainTextEdit *prompt = editor->promptEdit();
    prompt->setFocus();
    prompt->selectAll();
    QTest::keyClicks(prompt, QStringLiteral("Where do {{topic}} sleep?"));
    editor->idEdit()->setFocus(); // leaving the field commits it
    QCOMPARE(editor->suite().cases.at(1).prompt, QStringLiteral("Where do {{topic}} sleep?"));
    QVERIFY(window.isWindowModified());
    QCOMPARE(editor->undoStack()->count(), 1);

    const Status saved = window.saveSuiteTo(path);
    QVERIFY2(saved.ok(), qPrintable(saved.error()));
    QVERIFY(!window.isWindowModified());
    const auto reloaded = Suite::fromFile(path);
    QVERIFY2(reloaded.ok(), qPrintable(reloaded.error()));
    QCOMPARE(reloaded.value().cases.at(1).prompt, QStringLiteral("Where do {{topic}} sleep?"));
    QCOMPARE(reloaded.value().cases.at(0).assertions.size(), 1); // the rest kept
}

void TestSuiteEditor::addRemoveUndoRedo()
{
    SuiteEditor editor;
    editor.setSuite(twoCases());
    editor.selectCase(0);
    editor.addCase();
    QCOMPARE(ids(&editor), (QStringList{QStringLiteral("alpha"), QStringLiteral("case-1"), QStringLiteral("beta")}));
    QCOMPARE(editor.currentRow(), 1);
    editor.selectCase(0);
    editor.removeCase();
    QCOMPARE(ids(&editor), (QStringList{QStringLiteral("case-1"), QStringLiteral("beta")}));
    editor.selectCase(1);
    editor.moveCase(-1);
    QCOMPARE(ids(&editor), (QStringList{QStringLiteral("beta"), QStringLiteral("case-1")}));

    QUndoStack *stack = editor.undoStack();
    QCOMPARE(stack->count(), 3);
    stack->undo(); // the move
    QCOMPARE(ids(&editor), (QStringList{QStringLiteral("case-1"), QStringLiteral("beta")}));
    stack->undo(); // the removal: alpha back in its place, with its assertion
    QCOMPARE(ids(&editor), (QStringList{QStringLiteral("alpha"), QStringLiteral("case-1"), QStringLiteral("beta")}));
    QCOMPARE(editor.suite().cases.at(0).assertions.size(), 1);
    stack->undo(); // the addition
    QCOMPARE(ids(&editor), (QStringList{QStringLiteral("alpha"), QStringLiteral("beta")}));
    QVERIFY(stack->isClean());
    stack->redo();
    stack->redo();
    QCOMPARE(ids(&editor), (QStringList{QStringLiteral("case-1"), QStringLiteral("beta")}));
    QCOMPARE(editor.caseList()->model()->rowCount(), 2);

    // A duplicate gets a fresh id and the same content.
    editor.selectCase(1);
    editor.duplicateCase();
    QCOMPARE(editor.suite().cases.at(2).id, QStringLiteral("beta-1"));
    QCOMPARE(editor.suite().cases.at(2).prompt, editor.suite().cases.at(1).prompt);
}

void TestSuiteEditor::duplicateIdBlocksSaving()
{
    QTemporaryDir dir;
    const QString path = writeSuite(dir, QStringLiteral("two.json"), twoCases());
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openSuiteFile(path).ok());
    window.showSuiteEditor();
    SuiteEditor *editor = window.suiteEditor();
    editor->selectCase(1);
    typeInto(editor->idEdit(), QStringLiteral("alpha"));
    QCOMPARE(editor->suite().cases.at(1).id, QStringLiteral("alpha"));
    QVERIFY(editor->problemLabel()->isVisible());
    QVERIFY2(editor->problemLabel()->text().contains(QStringLiteral("duplicate case id \"alpha\"")),
             qPrintable(editor->problemLabel()->text()));
    const QByteArray before = [&] {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }();
    const Status saved = window.saveSuiteTo(path);
    QVERIFY(!saved.ok());
    QVERIFY2(saved.error().contains(QStringLiteral("duplicate case id")), qPrintable(saved.error()));
    QFile f(path);
    QVERIFY(f.open(QIODevice::ReadOnly));
    QCOMPARE(f.readAll(), before); // the file untouched
    // Nor does a run start with it.
    window.setWorkspace(Workspace::demo());
    QVERIFY(!window.startRun());
    // An empty id is refused the same way.
    typeInto(editor->idEdit(), QString());
    editor->idEdit()->clear();
    editor->commit();
    QVERIFY2(editor->problemLabel()->text().contains(QStringLiteral("empty")),
             qPrintable(editor->problemLabel()->text()));
}

void TestSuiteEditor::invalidJsonAssertionIsShownAndBlocksSaving()
{
    SuiteEditor editor;
    editor.setSuite(twoCases());
    editor.selectCase(0);
    QTableWidget *table = editor.assertionsTable();
    QCOMPARE(table->rowCount(), 1);
    auto *type = qobject_cast<QComboBox *>(table->cellWidget(0, AssertionsEditor::TypeColumn));
    QVERIFY(type);
    type->setCurrentText(QStringLiteral("contains-any")); // needs a JSON list: "one" is not JSON
    QVERIFY2(editor.problemLabel()->text().contains(QStringLiteral("not valid JSON")),
             qPrintable(editor.problemLabel()->text()));
    QVERIFY(!editor.saveProblem().isEmpty());
    QCOMPARE(editor.suite().cases.at(0).assertions.at(0).type, QStringLiteral("contains")); // not taken
    table->item(0, AssertionsEditor::ValueColumn)->setText(QStringLiteral("[\"one\", \"uno\"]"));
    QVERIFY2(editor.saveProblem().isEmpty(), qPrintable(editor.saveProblem()));
    const Assertion &a = editor.suite().cases.at(0).assertions.at(0);
    QCOMPARE(a.type, QStringLiteral("contains-any"));
    QVERIFY(a.value == nlohmann::json::array({"one", "uno"}));
    // Threshold and weight are numbers or refused.
    table->item(0, AssertionsEditor::WeightColumn)->setText(QStringLiteral("heavy"));
    QVERIFY(editor.saveProblem().contains(QStringLiteral("heavy")));
    table->item(0, AssertionsEditor::WeightColumn)->setText(QStringLiteral("2"));
    table->item(0, AssertionsEditor::ThresholdColumn)->setText(QStringLiteral("0.5"));
    QVERIFY(editor.saveProblem().isEmpty());
    QCOMPARE(editor.suite().cases.at(0).assertions.at(0).weight, 2.0);
    QVERIFY(editor.suite().cases.at(0).assertions.at(0).threshold == std::optional<double>(0.5));
}

void TestSuiteEditor::dropOpensTheSuite()
{
    QTemporaryDir dir;
    Suite dropped = twoCases();
    dropped.name = QStringLiteral("Dropped");
    const QString path = writeSuite(dir, QStringLiteral("dropped.json"), dropped);
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QMimeData mime;
    mime.setUrls({QUrl::fromLocalFile(path)});
    QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    QVERIFY(enter.isAccepted());
    QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &drop);
    QCOMPARE(window.suiteEditor()->suite().name, QStringLiteral("Dropped"));
    QCOMPARE(window.suitePath(), QFileInfo(path).absoluteFilePath());
    QVERIFY(window.findChild<QComboBox *>(QStringLiteral("suiteBox"))->currentText().startsWith(u"Dropped"));

    // Something else is not taken.
    QMimeData text;
    text.setUrls({QUrl::fromLocalFile(dir.filePath(QStringLiteral("notes.txt")))});
    QDragEnterEvent other(QPoint(10, 10), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
    other.setAccepted(false);
    QApplication::sendEvent(&window, &other);
    QVERIFY(!other.isAccepted());
}

void TestSuiteEditor::recentListKeepsAndDropsFiles()
{
    QTemporaryDir dir;
    const QString first = writeSuite(dir, QStringLiteral("first.json"), twoCases());
    const QString second = writeSuite(dir, QStringLiteral("second.json"), twoCases());
    MainWindow window;
    QVERIFY(window.openSuiteFile(first).ok());
    QVERIFY(window.openSuiteFile(second).ok());
    QCOMPARE(MainWindow::recentSuites(),
             (QStringList{QFileInfo(second).absoluteFilePath(), QFileInfo(first).absoluteFilePath()}));
    QVERIFY(QFile::remove(first));
    window.openRecentSuite(QFileInfo(first).absoluteFilePath());
    QCOMPARE(MainWindow::recentSuites(), QStringList{QFileInfo(second).absoluteFilePath()});
    QVERIFY2(window.statusBar()->currentMessage().contains(QStringLiteral("no longer exists")),
             qPrintable(window.statusBar()->currentMessage()));
    // At most eight, newest first.
    for (int i = 0; i < 10; ++i)
        QVERIFY(window.openSuiteFile(writeSuite(dir, QStringLiteral("s%1.json").arg(i), twoCases())).ok());
    QCOMPARE(MainWindow::recentSuites().size(), MainWindow::kMaxRecentSuites);
    QVERIFY(MainWindow::recentSuites().first().endsWith(QStringLiteral("s9.json")));
}

void TestSuiteEditor::malformedFileKeepsTheCurrentSuite()
{
    QTemporaryDir dir;
    const QString good = writeSuite(dir, QStringLiteral("good.json"), twoCases());
    const QString bad = dir.filePath(QStringLiteral("bad.json"));
    QFile f(bad);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("{\n  \"name\": \"Bad\",\n  \"cases\": [\n    {\"id\": \"x\", \"prompt\": 42}\n  ]\n}\n");
    f.close();
    MainWindow window;
    QVERIFY(window.openSuiteFile(good).ok());
    const int entries = window.findChild<QComboBox *>(QStringLiteral("suiteBox"))->count();
    const Status opened = window.openSuiteFile(bad);
    QVERIFY(!opened.ok());
    // The parser's own words: file, line, column and field.
    QVERIFY2(opened.error().contains(QStringLiteral("bad.json:4:")), qPrintable(opened.error()));
    QVERIFY2(opened.error().contains(QStringLiteral("cases[0].prompt: expected a string")), qPrintable(opened.error()));
    QCOMPARE(window.suiteEditor()->suite().name, QStringLiteral("Two"));
    QCOMPARE(window.suitePath(), QFileInfo(good).absoluteFilePath());
    QCOMPARE(window.findChild<QComboBox *>(QStringLiteral("suiteBox"))->count(), entries);
    QVERIFY(!MainWindow::recentSuites().contains(QFileInfo(bad).absoluteFilePath()));
}

void TestSuiteEditor::unsavedChangesAskBeforeSwitching()
{
    QTemporaryDir dir;
    const QString path = writeSuite(dir, QStringLiteral("two.json"), twoCases());
    MainWindow window;
    QVERIFY(window.openSuiteFile(path).ok());
    auto *box = window.findChild<QComboBox *>(QStringLiteral("suiteBox"));
    const int edited = box->currentIndex();
    window.suiteEditor()->duplicateCase(); // a valid edit: Save can write it
    int asked = 0;
    MainWindow::UnsavedChoice answer = MainWindow::UnsavedChoice::Cancel;
    window.setUnsavedChangesPrompt([&] {
        ++asked;
        return answer;
    });
    // Cancel: the run bar and the panel stay on the edited suite.
    box->setCurrentIndex(0);
    QCOMPARE(asked, 1);
    QCOMPARE(box->currentIndex(), edited);
    QCOMPARE(window.suiteEditor()->suite().cases.size(), 3);
    // Closing is refused the same way.
    QVERIFY(!window.close());
    QCOMPARE(asked, 2);
    // Save writes the file, then the switch happens.
    answer = MainWindow::UnsavedChoice::Save;
    box->setCurrentIndex(0);
    QCOMPARE(asked, 3);
    QCOMPARE(Suite::fromFile(path).value().cases.size(), 3);
    QVERIFY(window.suitePath() != QFileInfo(path).absoluteFilePath());
    // Discard: an unsaved change is dropped.
    window.suiteEditor()->duplicateCase();
    const qsizetype cases = window.suiteEditor()->suite().cases.size();
    answer = MainWindow::UnsavedChoice::Discard;
    box->setCurrentIndex(edited);
    QCOMPARE(asked, 4);
    box->setCurrentIndex(0);
    QCOMPARE(window.suiteEditor()->suite().cases.size(), cases - 1);
}

void TestSuiteEditor::comboAndEditorAgree()
{
    MainWindow window;
    auto *box = window.findChild<QComboBox *>(QStringLiteral("suiteBox"));
    QVERIFY(box->count() >= 3); // the bundled suites
    for (int i = 0; i < box->count(); ++i) {
        box->setCurrentIndex(i);
        QVERIFY(box->currentText().startsWith(window.suiteEditor()->suite().name));
    }
    // A case added in the panel shows in the run bar's count at once.
    const QString before = box->currentText();
    window.suiteEditor()->addCase();
    QVERIFY(box->currentText() != before);
    // New Suite is one more entry, with one case to fill in.
    window.setUnsavedChangesPrompt([] { return MainWindow::UnsavedChoice::Discard; });
    const int entries = box->count();
    window.findChild<QAction *>(QStringLiteral("newSuiteAction"))->trigger();
    QCOMPARE(box->count(), entries + 1);
    QCOMPARE(window.suiteEditor()->suite().cases.size(), 1);
    QVERIFY(window.suitePath().isEmpty());
    // Every file and edit action has a key.
    for (const char *name :
         {"newSuiteAction", "openSuiteAction", "saveSuiteAction", "saveSuiteAsAction", "addCaseAction",
          "duplicateCaseAction", "removeCaseAction", "moveCaseUpAction", "moveCaseDownAction"}) {
        auto *action = window.findChild<QAction *>(QString::fromLatin1(name));
        QVERIFY2(action && !action->shortcut().isEmpty(), name);
    }
    QCOMPARE(window.findChild<QAction *>(QStringLiteral("openSuiteAction"))->shortcut(),
             QKeySequence(QKeySequence::Open));
}

void TestSuiteEditor::fieldsHaveAccessibleNames()
{
    SuiteEditor editor;
    editor.setSuite(twoCases());
    const QList<QWidget *> fields{editor.caseList(),       editor.idEdit(),        editor.promptEdit(),
                                  editor.inputKindBox(),   editor.messagesTable(), editor.varsTable(),
                                  editor.assertionsTable()};
    for (QWidget *w : fields)
        QVERIFY2(!w->accessibleName().isEmpty(), w->metaObject()->className());
    // The prompt/messages toggle carries the text over as one user message.
    editor.selectCase(0);
    editor.inputKindBox()->setCurrentIndex(1);
    QCOMPARE(editor.suite().cases.at(0).messages.size(), 1);
    QCOMPARE(editor.suite().cases.at(0).messages.at(0).content, QStringLiteral("First question?"));
    QVERIFY(editor.suite().cases.at(0).prompt.isEmpty());
    editor.undoStack()->undo();
    QCOMPARE(editor.suite().cases.at(0).prompt, QStringLiteral("First question?"));
    QCOMPARE(editor.inputKindBox()->currentIndex(), 0);
}

void TestSuiteEditor::runSendsTheSuiteAsEdited()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    SuiteEditor *editor = window.suiteEditor();
    const QString firstId = editor->suite().cases.at(0).id;
    editor->selectCase(0);
    editor->removeCase();
    const qsizetype cases = editor->suite().cases.size();
    QVERIFY(window.startRun());
    QCOMPARE(window.session()->spec().suite.cases.size(), cases);
    QVERIFY(!window.session()->spec().suite.findCase(firstId));
    window.session()->cancel();
    QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 30'000);
}

void TestSuiteEditor::ctrlZFollowsTheFocus()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    auto *undoSuite = window.findChild<QAction *>(QStringLiteral("undoSuiteAction"));
    auto *undoTarget = window.findChild<QAction *>(QStringLiteral("undoTargetAction"));
    QVERIFY(undoSuite && undoTarget);
    // Never both on the key: that would be an ambiguous shortcut doing nothing.
    QCOMPARE(undoTarget->shortcut(), QKeySequence(QKeySequence::Undo));
    QVERIFY(undoSuite->shortcut().isEmpty());
    window.showSuiteEditor();
    window.suiteEditor()->caseList()->setFocus();
    QTRY_COMPARE(undoSuite->shortcut(), QKeySequence(QKeySequence::Undo));
    QVERIFY(undoTarget->shortcut().isEmpty());
    // The key now undoes a suite edit.
    const qsizetype cases = window.suiteEditor()->suite().cases.size();
    window.suiteEditor()->removeCase();
    window.suiteEditor()->caseList()->setFocus();
    QTest::keySequence(window.suiteEditor()->caseList(), QKeySequence::Undo);
    QCOMPARE(window.suiteEditor()->suite().cases.size(), cases);
    window.targetList()->setFocus();
    QTRY_COMPARE(undoTarget->shortcut(), QKeySequence(QKeySequence::Undo));
    QVERIFY(undoSuite->shortcut().isEmpty());
}

void TestSuiteEditor::undoMenuNamesTheFieldAndCase()
{
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QApplication::setActiveWindow(&window);
    QVERIFY(QTest::qWaitForWindowActive(&window));
    window.showSuiteEditor();
    SuiteEditor *editor = window.suiteEditor();
    editor->selectCase(0);
    const QString id = editor->suite().cases.at(0).id;
    typeInto(editor->caseForm()->weightEdit(), QStringLiteral("3"));
    auto *undo = window.findChild<QAction *>(QStringLiteral("undoSuiteAction"));
    auto *redo = window.findChild<QAction *>(QStringLiteral("redoSuiteAction"));
    QCOMPARE(undo->text(), QStringLiteral("&Undo Change weight of case %1").arg(id));
    // The keys reach the suite's history from its fields: Ctrl+Z, then Ctrl+Shift+Z.
    editor->caseList()->setFocus();
    QTRY_COMPARE(undo->shortcut(), QKeySequence(QKeySequence::Undo));
    QTest::keySequence(editor->caseList(), QKeySequence::Undo);
    QCOMPARE(editor->suite().cases.at(0).weight, 1.0);
    QCOMPARE(redo->text(), QStringLiteral("&Redo Change weight of case %1").arg(id));
    QTest::keySequence(editor->caseList(), QKeySequence::Redo);
    QCOMPARE(editor->suite().cases.at(0).weight, 3.0);
}

void TestSuiteEditor::textNotYetTakenAsksBeforeSwitching()
{
    QTemporaryDir dir;
    const QString path = writeSuite(dir, QStringLiteral("two.json"), twoCases());
    MainWindow window;
    QVERIFY(window.openSuiteFile(path).ok());
    auto *box = window.findChild<QComboBox *>(QStringLiteral("suiteBox"));
    const int edited = box->currentIndex();
    // Metadata that is not JSON: nothing is in the undo stack, but the text is the user's.
    window.suiteEditor()->caseForm()->metadataEdit()->textEdit()->setPlainText(QStringLiteral("{oops"));
    QVERIFY(window.suiteEditor()->undoStack()->isClean());
    int asked = 0;
    window.setUnsavedChangesPrompt([&] {
        ++asked;
        return MainWindow::UnsavedChoice::Cancel;
    });
    box->setCurrentIndex(edited == 0 ? 1 : 0);
    QCOMPARE(asked, 1);
    QCOMPARE(box->currentIndex(), edited);
    QCOMPARE(window.suiteEditor()->caseForm()->metadataEdit()->textEdit()->toPlainText(), QStringLiteral("{oops"));
}

void TestSuiteEditor::screenshot()
{
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    window.showSuiteEditor();
    window.findChild<QDockWidget *>(QStringLiteral("resultsDock"))->hide(); // the whole height for the panel
    window.suiteEditor()->selectCase(2);
    QTest::qWait(50);
    const QString out = qEnvironmentVariable("SLOPSCOPE_SCREENSHOT_DIR");
    if (!out.isEmpty())
        QVERIFY(window.grab().save(out + QStringLiteral("/suite-editor.png")));
    QCOMPARE(window.suiteEditor()->currentRow(), 2);
    // The same window with a problem on show: a duplicate id, and the case in messages form.
    SuiteEditor *editor = window.suiteEditor();
    editor->inputKindBox()->setCurrentIndex(1);
    editor->idEdit()->setText(editor->suite().cases.at(0).id);
    editor->commit();
    QVERIFY(editor->problemLabel()->text().contains(QStringLiteral("duplicate")));
    if (!out.isEmpty())
        QVERIFY(window.grab().save(out + QStringLiteral("/suite-editor-problem.png")));
}

void TestSuiteEditor::invisibleCharactersInNamesAreShown()
{
    // RELIABILITY.md B-2: a name with an RTL override or a zero-width space must not read as
    // something else in the suite box or the case list.
    QTemporaryDir dir;
    Suite odd = twoCases();
    odd.name = u"Invoice \u202Efdp.exe"_qs;
    odd.cases[0].id = u"al\u200Bpha"_qs;
    const QString path = writeSuite(dir, QStringLiteral("odd.json"), odd);
    QVERIFY(!path.isEmpty());
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openSuiteFile(path).ok());
    window.showSuiteEditor();
    auto *box = window.findChild<QComboBox *>(QStringLiteral("suiteBox"));
    QVERIFY2(box->currentText().startsWith(u"Invoice <U+202E>fdp.exe (2 case"_qs), qPrintable(box->currentText()));
    QListView *list = window.suiteEditor()->caseList();
    QVERIFY(list);
    QCOMPARE(list->model()->index(0, 0).data().toString(), u"al<U+200B>pha"_qs);
    QCOMPARE(window.suiteEditor()->suite().cases.at(0).id, odd.cases[0].id); // the data is unchanged
    const QString out = qEnvironmentVariable("SLOPSCOPE_SCREENSHOT_DIR");
    if (!out.isEmpty())
        QVERIFY(window.grab().save(out + QStringLiteral("/suite-odd-names.png")));
}

// S-9: the window title is text too. A file name holding Qt's "[*]" placeholder keeps it (Qt
// would otherwise swallow it or put the modified mark there), and an RTL override is shown.
void TestSuiteEditor::windowTitleShowsNamesAsTheyAre()
{
    QTemporaryDir dir;
    const QString path = writeSuite(dir, u"odd[*]\u202Eemit.json"_qs, twoCases());
    QVERIFY(!path.isEmpty());
    MainWindow window;
    Workspace workspace = Workspace::demo();
    workspace.name = u"team[*]"_qs;
    window.setWorkspace(workspace);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openSuiteFile(path).ok());
    window.showSuiteEditor();
    QVERIFY(!window.isWindowModified());
    QVERIFY(window.windowHandle());
    const QString shown = window.windowHandle()->title(); // what the window manager is given
    QVERIFY2(shown.startsWith(u"odd[*]<U+202E>emit.json — team[*] — Slopscope"_qs), qPrintable(shown));

    // The modified mark still goes where it belongs, after the file name.
    window.suiteEditor()->undoStack()->push(new QUndoCommand(u"edit"_qs));
    QVERIFY(window.isWindowModified());
    QVERIFY2(window.windowHandle()->title().startsWith(u"odd[*]<U+202E>emit.json* — team[*]"_qs),
             qPrintable(window.windowHandle()->title()));
}

// B-2: in the editable Name and Id fields an RTL override would reorder the text being edited.
// They show it escaped, and what is committed is the real character again.
void TestSuiteEditor::nameAndIdFieldsShowInvisibleCharactersEscaped()
{
    QTemporaryDir dir;
    Suite odd = twoCases();
    odd.name = u"Invoice \u202Efdp.exe"_qs;
    odd.cases[0].id = u"al\u200Bpha"_qs;
    const QString path = writeSuite(dir, QStringLiteral("odd.json"), odd);
    QVERIFY(!path.isEmpty());
    MainWindow window;
    window.setWorkspace(Workspace::demo());
    window.resize(1400, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(window.openSuiteFile(path).ok());
    window.showSuiteEditor();
    SuiteEditor *editor = window.suiteEditor();
    auto *name = editor->findChild<QLineEdit *>(QStringLiteral("suiteName"));
    QVERIFY(name);
    QLineEdit *id = editor->idEdit();
    QCOMPARE(name->text(), u"Invoice \\u202Efdp.exe"_qs);
    QCOMPARE(id->text(), u"al\\u200Bpha"_qs);
    QCOMPARE(name->layoutDirection(), Qt::LeftToRight);

    // A typed escape commits the character; a literal backslash elsewhere stays one backslash.
    name->setFocus();
    name->selectAll();
    QTest::keyClicks(name, QStringLiteral("C:\\x \\u202Egnp.js"));
    QTest::keyClick(name, Qt::Key_Return);
    QCOMPARE(editor->suite().name, u"C:\\x \u202Egnp.js"_qs);
    QCOMPARE(name->text(), u"C:\\x \\u202Egnp.js"_qs);

    // The case id: its zero-width space survives an edit elsewhere in the field.
    id->setFocus();
    id->end(false);
    QTest::keyClicks(id, QStringLiteral("-2"));
    QTest::keyClick(id, Qt::Key_Return);
    QCOMPARE(editor->suite().cases.at(0).id, u"al\u200Bpha-2"_qs);
    QCOMPARE(editor->caseList()->model()->index(0, 0).data().toString(), u"al<U+200B>pha-2"_qs);

    // A raw control pasted in is escaped at once, before it can reorder anything.
    QGuiApplication::clipboard()->setText(u"x\u202Ey"_qs);
    if (QGuiApplication::clipboard()->text() == u"x\u202Ey"_qs) {
        id->end(false);
        QTest::keySequence(id, QKeySequence::Paste);
        QCOMPARE(id->text(), u"al\\u200Bpha-2x\\u202Ey"_qs);
        QCOMPARE(id->cursorPosition(), id->text().size());
        QTest::keyClick(id, Qt::Key_Return);
        QCOMPARE(editor->suite().cases.at(0).id, u"al\u200Bpha-2x\u202Ey"_qs);
    } else {
        qWarning("no clipboard on this platform: the paste is not checked");
    }
    for (const QLineEdit *field : {name, id}) // no raw control, bidi or zero-width character shown
        QCOMPARE(ViewText::visibleName(field->text()), field->text());
    const QString out = qEnvironmentVariable("SLOPSCOPE_SCREENSHOT_DIR");
    if (!out.isEmpty())
        QVERIFY(window.grab().save(out + QStringLiteral("/suite-escaped-fields.png")));
}

QTEST_MAIN(TestSuiteEditor)
#include "tst_suiteeditor.moc"
