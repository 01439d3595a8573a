// MainWindow's Suite panel and suite files: new, open, save, recent, drag and drop.
#include "MainWindow.h"

#include "core/Version.h"
#include "quality/SuiteWriter.h"
#include "run/RunSession.h"
#include "SuiteEditor.h"
#include "views/ViewText.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QComboBox>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStatusBar>
#include <QUndoStack>

namespace Slopscope {

namespace {

const auto kRecentSuitesKey = QStringLiteral("suites/recent");

// A name as the title shows it: invisible characters made visible (ViewText::visibleName), and
// Qt's "[*]" placeholder doubled, which Qt shows as a literal "[*]" rather than taking it for the
// place of the modified mark.
QString titleText(const QString &name)
{
    return ViewText::visibleName(name).replace(QLatin1StringView("[*]"), QLatin1StringView("[*][*]"));
}

// Where a file name can be saved to: not the bundled suites inside the executable.
bool isWritablePath(const QString &path)
{
    return !path.isEmpty() && !path.startsWith(u':');
}

// The local suite file a drag carries, if any: JSON is what Suite::fromFile reads.
QString droppedSuite(const QMimeData *mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl &url : mime->urls()) {
        if (url.isLocalFile() && url.toLocalFile().endsWith(QStringLiteral(".json"), Qt::CaseInsensitive))
            return url.toLocalFile();
    }
    return {};
}

} // namespace

void MainWindow::createSuiteDock()
{
    m_suiteDock = new QDockWidget(tr("Suite"), this);
    m_suiteDock->setObjectName(QStringLiteral("suiteDock"));
    m_suiteEditor = new SuiteEditor(m_suiteDock);
    m_suiteDock->setWidget(m_suiteEditor);
    addDockWidget(Qt::LeftDockWidgetArea, m_suiteDock);
    // Tabbed with the lineup: both want the left column's height, and the lineup stays in front.
    tabifyDockWidget(m_targetsDock, m_suiteDock);
    m_targetsDock->raise();
    setAcceptDrops(true);

    connect(m_suiteEditor, &SuiteEditor::suiteChanged, this, &MainWindow::onSuiteEdited);
    connect(m_suiteEditor->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    connect(qApp, &QApplication::focusChanged, this, [this](QWidget *, QWidget *now) { routeUndoShortcuts(now); });
}

void MainWindow::createSuiteActions(QMenu *file, QMenu *edit)
{
    const auto add = [this](QMenu *menu, const QString &text, const QKeySequence &key, const QString &name, auto slot) {
        QAction *action = menu->addAction(text, this, slot);
        action->setShortcut(key);
        action->setObjectName(name);
        return action;
    };
    add(file, tr("&New Suite"), QKeySequence::New, QStringLiteral("newSuiteAction"), [this] { newSuite(); });
    add(file, tr("&Open Suite…"), QKeySequence::Open, QStringLiteral("openSuiteAction"), [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open Suite"), QString(),
                                                          tr("Slopscope suites (*.json);;All files (*)"));
        if (!path.isEmpty())
            openSuiteInteractively(path);
    });
    m_recentMenu = file->addMenu(tr("Open &Recent Suite"));
    m_recentMenu->setObjectName(QStringLiteral("recentSuitesMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    add(file, tr("&Save Suite"), QKeySequence::Save, QStringLiteral("saveSuiteAction"), [this] { saveSuite(); });
    add(file, tr("Save Suite &As…"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S),
        QStringLiteral("saveSuiteAsAction"), [this] { saveSuiteAs(); });
    file->addSeparator();

    // The run bar exists by now; the panel follows its choice.
    connect(m_suiteBox, &QComboBox::currentIndexChanged, this, &MainWindow::onSuiteChosen);

    QUndoStack *stack = m_suiteEditor->undoStack();
    QAction *undo = stack->createUndoAction(edit, tr("&Undo"));
    undo->setObjectName(QStringLiteral("undoSuiteAction"));
    QAction *redo = stack->createRedoAction(edit, tr("&Redo"));
    redo->setObjectName(QStringLiteral("redoSuiteAction"));
    edit->addAction(undo);
    edit->addAction(redo);
    edit->addSeparator();
    add(edit, tr("&Add Case"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N), QStringLiteral("addCaseAction"), [this] {
        showSuiteEditor();
        m_suiteEditor->addCase();
    });
    add(edit, tr("D&uplicate Case"), QKeySequence(Qt::CTRL | Qt::Key_D), QStringLiteral("duplicateCaseAction"),
        [this] { m_suiteEditor->duplicateCase(); });
    add(edit, tr("Re&move Case"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Delete),
        QStringLiteral("removeCaseAction"), [this] { m_suiteEditor->removeCase(); });
    add(edit, tr("Move Case U&p"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Up), QStringLiteral("moveCaseUpAction"),
        [this] { m_suiteEditor->moveCase(-1); });
    add(edit, tr("Move Case Do&wn"), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Down),
        QStringLiteral("moveCaseDownAction"), [this] { m_suiteEditor->moveCase(1); });
    routeUndoShortcuts(nullptr);
}

void MainWindow::routeUndoShortcuts(QWidget *focus)
{
    // One key for two histories: two actions on Ctrl+Z would be an ambiguous shortcut that does
    // nothing, so the key goes to the history of what the user is working in.
    auto *undoSuite = findChild<QAction *>(QStringLiteral("undoSuiteAction"));
    auto *redoSuite = findChild<QAction *>(QStringLiteral("redoSuiteAction"));
    auto *undoTarget = findChild<QAction *>(QStringLiteral("undoTargetAction"));
    auto *redoTarget = findChild<QAction *>(QStringLiteral("redoTargetAction"));
    if (!undoSuite || !redoSuite)
        return;
    const bool inSuite = focus && m_suiteDock->isAncestorOf(focus);
    const bool suiteKeys = inSuite || !undoTarget;
    undoSuite->setShortcut(suiteKeys ? QKeySequence(QKeySequence::Undo) : QKeySequence());
    redoSuite->setShortcut(suiteKeys ? QKeySequence(QKeySequence::Redo) : QKeySequence());
    if (undoTarget && redoTarget) {
        undoTarget->setShortcut(suiteKeys ? QKeySequence() : QKeySequence(QKeySequence::Undo));
        redoTarget->setShortcut(suiteKeys ? QKeySequence() : QKeySequence(QKeySequence::Redo));
    }
}

void MainWindow::loadBundledSuites()
{
    const QDir dir(QStringLiteral(":/slopscope/demo/suites"));
    for (const QString &file : dir.entryList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        auto suite = Suite::fromFile(dir.filePath(file));
        if (suite)
            addSuite(suite.value(), dir.filePath(file));
        else
            statusBar()->showMessage(suite.error(), 10'000);
    }
    if (m_suiteBox->count() > 0)
        m_suiteBox->setCurrentIndex(0);
}

void MainWindow::addSuite(const Suite &suite, const QString &path)
{
    m_suites.append(suite);
    m_suitePaths.append(path);
    {
        const QSignalBlocker blocker(m_suiteBox);
        m_suiteBox->addItem(tr("%1 (%n case(s))", nullptr, static_cast<int>(suite.cases.size()))
                                .arg(ViewText::visibleName(suite.name)));
        m_suiteBox->setCurrentIndex(m_suiteBox->count() - 1);
    }
    showSuite(m_suiteBox->count() - 1);
    updateRunActions();
}

QString MainWindow::suitePath() const
{
    return m_suitePaths.value(m_editorIndex);
}

void MainWindow::showSuite(int index)
{
    if (index < 0 || index >= m_suites.size())
        return;
    m_editorIndex = index;
    m_suiteEditor->setSuite(m_suites.at(index));
    updateTitle();
}

void MainWindow::onSuiteChosen(int index)
{
    if (index == m_editorIndex)
        return;
    if (!maybeSaveSuite()) {
        const QSignalBlocker blocker(m_suiteBox);
        m_suiteBox->setCurrentIndex(m_editorIndex);
        return;
    }
    showSuite(index);
}

void MainWindow::onSuiteEdited()
{
    if (m_editorIndex < 0 || m_editorIndex >= m_suiteBox->count())
        return;
    const Suite &suite = m_suiteEditor->suite();
    m_suiteBox->setItemText(
        m_editorIndex,
        tr("%1 (%n case(s))", nullptr, static_cast<int>(suite.cases.size())).arg(ViewText::visibleName(suite.name)));
    updateTitle();
}

void MainWindow::updateTitle()
{
    QString workspace = titleText(m_workspace.name.isEmpty() ? tr("no workspace") : m_workspace.name);
    if (isWorkspaceModified())
        workspace += u'*'; // Qt's [*] marks the suite; the workspace has its own

    const QString version = QString::fromLatin1(kVersion);
    if (!m_suiteEditor || m_editorIndex < 0) {
        setWindowTitle(tr("%1 — Slopscope %2").arg(workspace, version));
        return;
    }
    const QString path = suitePath();
    const QString suite = titleText(isWritablePath(path)                    ? QFileInfo(path).fileName()
                                    : m_suiteEditor->suite().name.isEmpty() ? tr("Untitled suite")
                                                                            : m_suiteEditor->suite().name);
    // [*] is where Qt puts the modified marker.
    setWindowTitle(tr("%1[*] — %2 — Slopscope %3").arg(suite, workspace, version));
    setWindowModified(!m_suiteEditor->undoStack()->isClean());
}

void MainWindow::showSuiteEditor()
{
    m_suiteDock->show();
    m_suiteDock->raise();
    m_suiteEditor->setFocus(Qt::OtherFocusReason);
}

void MainWindow::newSuite()
{
    if (!maybeSaveSuite())
        return;
    Suite suite;
    suite.name = tr("Untitled suite");
    SuiteCase first;
    first.id = QStringLiteral("case-1");
    suite.cases.append(first);
    addSuite(suite);
    showSuiteEditor();
    m_suiteEditor->promptEdit()->setFocus(Qt::OtherFocusReason);
}

Status MainWindow::openSuiteFile(const QString &path)
{
    auto loaded = Suite::fromFile(path);
    if (!loaded)
        return Error{loaded.error()};
    const QString absolute = QFileInfo(path).absoluteFilePath();
    rememberRecentSuite(absolute);
    const qsizetype known = m_suitePaths.indexOf(absolute);
    if (known >= 0) {
        // Already in the list: the file's current contents replace the entry.
        m_suites[known] = loaded.value();
        m_editorIndex = -1;
        m_suiteBox->setCurrentIndex(static_cast<int>(known));
        showSuite(static_cast<int>(known));
        onSuiteEdited();
    } else {
        addSuite(loaded.value(), absolute);
    }
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(absolute)), 5000);
    return {};
}

void MainWindow::openSuiteInteractively(const QString &path)
{
    if (!maybeSaveSuite())
        return;
    if (const Status opened = openSuiteFile(path); !opened.ok()) {
        statusBar()->showMessage(opened.error(), 15'000);
        QMessageBox::warning(this, tr("Cannot open suite"), opened.error());
    }
}

Status MainWindow::saveSuiteTo(const QString &path)
{
    if (const QString problem = m_suiteEditor->saveProblem(); !problem.isEmpty()) {
        showSuiteEditor();
        return Error{tr("The suite cannot be saved yet: %1").arg(problem)};
    }
    const Suite suite = m_suiteEditor->suite();
    if (const Status saved = Slopscope::saveSuite(suite, path); !saved.ok())
        return saved;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    m_suites[m_editorIndex] = suite;
    m_suitePaths[m_editorIndex] = absolute;
    m_suiteEditor->undoStack()->setClean();
    rememberRecentSuite(absolute);
    updateTitle();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(absolute)), 5000);
    return {};
}

bool MainWindow::saveSuite()
{
    const QString path = suitePath();
    if (!isWritablePath(path))
        return saveSuiteAs();
    const Status saved = saveSuiteTo(path);
    if (!saved.ok())
        QMessageBox::warning(this, tr("Cannot save the suite"), saved.error());
    return saved.ok();
}

bool MainWindow::saveSuiteAs()
{
    // Said before the dialog: choosing a name for a suite that cannot be saved is wasted effort.
    if (const QString problem = m_suiteEditor->saveProblem(); !problem.isEmpty()) {
        showSuiteEditor();
        QMessageBox::warning(this, tr("Cannot save the suite"), tr("The suite cannot be saved yet: %1").arg(problem));
        return false;
    }
    const QString current = suitePath();
    const QString suggested = isWritablePath(current) ? current : m_suiteEditor->suite().name + QStringLiteral(".json");
    const QString path =
        QFileDialog::getSaveFileName(this, tr("Save Suite As"), suggested, tr("Slopscope suites (*.json)"));
    if (path.isEmpty())
        return false;
    const Status saved = saveSuiteTo(path);
    if (!saved.ok())
        QMessageBox::warning(this, tr("Cannot save the suite"), saved.error());
    return saved.ok();
}

bool MainWindow::maybeSaveSuite()
{
    if (!m_suiteEditor || m_editorIndex < 0)
        return true;
    // Text the suite cannot take yet (metadata that is not JSON) is a change too: asking keeps it
    // from being dropped with the suite.
    if (m_suiteEditor->commit() && m_suiteEditor->undoStack()->isClean())
        return true;
    UnsavedChoice choice = UnsavedChoice::Cancel;
    if (m_unsavedPrompt) {
        choice = m_unsavedPrompt();
    } else {
        const auto button = QMessageBox::question(
            this, tr("Unsaved suite"),
            tr("The suite \"%1\" has changes that are not saved. Save them?").arg(m_suiteEditor->suite().name),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        choice = button == QMessageBox::Save      ? UnsavedChoice::Save
                 : button == QMessageBox::Discard ? UnsavedChoice::Discard
                                                  : UnsavedChoice::Cancel;
    }
    switch (choice) {
    case UnsavedChoice::Save:
        return saveSuite();
    case UnsavedChoice::Discard:
        return true;
    case UnsavedChoice::Cancel:
        break;
    }
    return false;
}

QStringList MainWindow::recentSuites()
{
    return QSettings().value(kRecentSuitesKey).toStringList();
}

void MainWindow::rememberRecentSuite(const QString &path)
{
    QStringList recent = recentSuites();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecentSuites)
        recent.removeLast();
    QSettings().setValue(kRecentSuitesKey, recent);
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentSuites();
    for (int i = 0; i < recent.size(); ++i) {
        const QString &path = recent.at(i);
        // &1…&8: each entry has its own key in the open menu.
        QAction *action = m_recentMenu->addAction(tr("&%1 %2").arg(i + 1).arg(QDir::toNativeSeparators(path)), this,
                                                  [this, path] { openRecentSuite(path); });
        action->setData(path);
    }
    if (recent.isEmpty())
        m_recentMenu->addAction(tr("No recent suites"))->setEnabled(false);
}

void MainWindow::openRecentSuite(const QString &path)
{
    if (!QFileInfo::exists(path)) {
        QStringList recent = recentSuites();
        recent.removeAll(path);
        QSettings().setValue(kRecentSuitesKey, recent);
        statusBar()->showMessage(
            tr("%1 no longer exists; it was removed from the recent suites.").arg(QDir::toNativeSeparators(path)),
            10'000);
        return;
    }
    openSuiteInteractively(path);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!maybeSaveSuite() || !maybeSaveWorkspace()) {
        event->ignore();
        return;
    }
    QMainWindow::closeEvent(event);
}

void MainWindow::dragEnterEvent(QDragEnterEvent *event)
{
    if (!droppedSuite(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent *event)
{
    const QString path = droppedSuite(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    openSuiteInteractively(path);
}

} // namespace Slopscope
