// Settings ▸ Providers, issue #7: providers added from a preset or blank, removed (asking while
// targets use them), their dialect, key name, headers, secret headers, CA file and timeouts
// (in seconds) edited, validated inline, applied undoably and written to the workspace file;
// and no secret value ever reaching the file, the log or the screen.
#include "core/Workspace.h"
#include "core/WorkspaceWriter.h"
#include "engine/FakeKeyStore.h"
#include "engine/KeyringSecrets.h"
#include "HeaderTableEditor.h"
#include "KeysSettingsPage.h"
#include "MainWindow.h"
#include "ProviderSettingsForm.h"
#include "ProvidersSettingsPage.h"
#include "SettingsDialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>
#include <QTreeWidgetItemIterator>
#include <QUndoStack>

using namespace Slopscope;

namespace {

Workspace workspace();
void retype(QLineEdit *edit, const QString &text);
void screenshot(QWidget *widget, const char *name);
QStringList shownTexts(const QWidget *root);
QString testData(const QString &name)
{
    return QStringLiteral(SLOPSCOPE_TEST_DATA "/engine/") + name;
}

// Every message logged while it lives, to show a secret never reaches the log.
QStringList *g_log = nullptr;
void collect(QtMsgType, const QMessageLogContext &, const QString &message)
{
    if (g_log)
        g_log->append(message);
}

} // namespace

class TestProviderEditing final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        qunsetenv("ANTHROPIC_API_KEY"); // the Keys page would say "environment"
    }

    void presetsAndBlankAreAdded()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        dialog.showPage(SettingsDialog::Page::Providers);
        ProvidersSettingsPage *page = dialog.providersPage();
        QStringList offered;
        for (const QAction *action : page->presetMenu()->actions()) {
            if (!action->isSeparator())
                offered.append(action->text());
        }
        for (const char *name : {"OpenAI", "Anthropic", "Google Gemini", "Ollama"})
            QVERIFY2(offered.contains(QString::fromLatin1(name)), name);
        QVERIFY(offered.constLast().contains(QStringLiteral("OpenAI-compatible")));

        QCOMPARE(page->addProvider(QStringLiteral("anthropic")), u"anthropic"_qs);
        const ProviderConfig *anthropic = page->workspace().provider(QStringLiteral("anthropic"));
        QVERIFY(anthropic);
        QCOMPARE(anthropic->dialect, Dialect::Anthropic);
        QCOMPARE(anthropic->baseUrl, u"https://api.anthropic.com"_qs);
        QCOMPARE(anthropic->apiKeyEnv, u"ANTHROPIC_API_KEY"_qs);
        QCOMPARE(page->providerForm()->idEdit()->text(), u"anthropic"_qs);
        QCOMPARE(page->providerForm()->dialectChoice()->currentData().toInt(), static_cast<int>(Dialect::Anthropic));
        QVERIFY(page->problem().isEmpty());
        // The same preset again gets a free id, not a duplicate.
        QCOMPARE(page->addProvider(QStringLiteral("anthropic")), u"anthropic-2"_qs);
        QCOMPARE(page->tree()->topLevelItem(0)->childCount(), 4);
        QCOMPARE(page->tree()->currentItem()->text(0), u"anthropic-2"_qs);

        // Blank, from the menu: invalid until it has an address, and the OK button says so.
        page->presetMenu()->actions().constLast()->trigger();
        QCOMPARE(page->workspace().providers.constLast().id, u"custom"_qs);
        QVERIFY(page->problem().contains(QStringLiteral("providers[4].base_url")));
        QVERIFY(page->providerForm()->urlProblem()->isVisibleTo(page->providerForm()));
        QVERIFY(!dialog.okButton()->isEnabled());
        screenshot(&dialog, "providers-blank-added.png");
        retype(page->providerForm()->baseUrlEdit(), QStringLiteral("http://gpu-box.lan:8000/v1"));
        QVERIFY2(page->problem().isEmpty(), qPrintable(page->problem()));
        QVERIFY(!page->providerForm()->urlProblem()->isVisibleTo(page->providerForm()));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.applyButton()->isEnabled());
    }

    // A provider added on the Providers page has its key listed on the Keys page before Apply.
    void anAddedProvidersKeyIsListedOnTheKeysPage()
    {
        FakeKeyStore store;
        KeyringSecrets secrets(&store);
        SettingsDialog dialog(&secrets, workspace(), nullptr, nullptr);
        KeysSettingsPage *keys = dialog.keysPage();
        QCOMPARE(keys->table()->topLevelItemCount(), 1); // SLOPSCOPE_T_EDIT_KEY
        dialog.showPage(SettingsDialog::Page::Providers);
        dialog.providersPage()->addProvider(QStringLiteral("anthropic"));
        dialog.providersPage()->providerForm()->secretHeadersEditor()->addRow(QStringLiteral("X-Org"),
                                                                              QStringLiteral("SLOPSCOPE_T_ORG"));
        dialog.showPage(SettingsDialog::Page::Keys);
        QStringList listed;
        for (int i = 0; i < keys->table()->topLevelItemCount(); ++i)
            listed.append(keys->table()->topLevelItem(i)->text(KeysSettingsPage::NameColumn));
        QCOMPARE(listed, (QStringList{u"ANTHROPIC_API_KEY"_qs, u"SLOPSCOPE_T_EDIT_KEY"_qs, u"SLOPSCOPE_T_ORG"_qs}));
        QCOMPARE(keys->table()->topLevelItem(0)->text(KeysSettingsPage::ProvidersColumn), u"anthropic"_qs);
        QTRY_VERIFY(!keys->isChecking());
        QCOMPARE(keys->sourceText(QStringLiteral("ANTHROPIC_API_KEY")), u"missing"_qs);
        QVERIFY(!keys->findChild<QLabel *>(QStringLiteral("noKeysLabel"))->isVisibleTo(keys));
    }

    void duplicateIdIsRefusedAndARenameCarriesTheTargets()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        ProviderSettingsForm *form = page->providerForm();
        retype(form->idEdit(), QStringLiteral("sim"));
        QVERIFY2(page->problem().contains(QStringLiteral("duplicate provider id \"sim\"")),
                 qPrintable(page->problem()));
        QVERIFY(form->idProblem()->isVisibleTo(form));
        QVERIFY(form->idProblem()->text().contains(QStringLiteral("already")));
        QVERIFY(!dialog.okButton()->isEnabled());
        retype(form->idEdit(), QString());
        QVERIFY(page->problem().contains(QStringLiteral("needs an id")));
        retype(form->idEdit(), QStringLiteral("oai"));
        QVERIFY(page->problem().isEmpty());
        QVERIFY(!form->idProblem()->isVisibleTo(form));
        // The target on it follows; the simulator's target, which briefly shared "sim", does not.
        QCOMPARE(page->workspace().target(QStringLiteral("gpt"))->providerId, u"oai"_qs);
        QCOMPARE(page->workspace().target(QStringLiteral("fake"))->providerId, u"sim"_qs);
        QCOMPARE(page->tree()->topLevelItem(0)->child(0)->text(0), u"oai"_qs);
    }

    void removalAsksWhileTargetsUseTheProvider()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        dialog.showPage(SettingsDialog::Page::Providers);
        ProvidersSettingsPage *page = dialog.providersPage();
        QStringList asked;
        bool answer = false;
        page->setRemovalPrompt([&](const QString &provider, const QString &reason) {
            asked.append(provider + u'|' + reason);
            return answer;
        });
        // Unused: removed without asking.
        page->addProvider(QStringLiteral("ollama"));
        QVERIFY(page->removeProviderButton()->isEnabled());
        page->removeProviderButton()->click();
        QVERIFY(asked.isEmpty());
        QVERIFY(!page->workspace().provider(QStringLiteral("ollama")));

        // Used by a target: refused with the reason when the answer is no…
        page->selectProvider(QStringLiteral("openai"));
        page->removeProviderButton()->click();
        QCOMPARE(asked.size(), 1);
        QVERIFY2(asked.constFirst().contains(QStringLiteral("used by 1 target(s): GPT")), qPrintable(asked.first()));
        QVERIFY(page->workspace().provider(QStringLiteral("openai")));
        QVERIFY(page->workspace().target(QStringLiteral("gpt")));
        QVERIFY(page->notice()->isVisibleTo(&dialog));
        QVERIFY(page->notice()->text().startsWith(QStringLiteral("Not removed.")));
        QVERIFY(!page->isModified());
        screenshot(&dialog, "providers-remove-refused.png");

        // …and removed with its targets when it is yes.
        answer = true;
        page->removeProviderButton()->click();
        QVERIFY(!page->workspace().provider(QStringLiteral("openai")));
        QVERIFY(!page->workspace().target(QStringLiteral("gpt")));
        QVERIFY(page->workspace().target(QStringLiteral("fake")));
        QCOMPARE(page->tree()->topLevelItem(0)->childCount(), 1);
        QCOMPARE(page->tree()->topLevelItem(1)->childCount(), 1);
        QVERIFY(page->problem().isEmpty());
        // Selecting a target leaves nothing to remove.
        page->selectTarget(QStringLiteral("fake"));
        QVERIFY(!page->removeProviderButton()->isEnabled());
    }

    void headersAreValidatedInline_data()
    {
        QTest::addColumn<QString>("plainName");
        QTest::addColumn<QString>("plainValue");
        QTest::addColumn<QString>("secretName");
        QTest::addColumn<QString>("secretEntry");
        QTest::addColumn<QString>("problem"); // empty: valid
        QTest::newRow("valid") << u"X-Team"_qs << u"evals"_qs << u"X-Portkey-Api-Key"_qs << u"PORTKEY_KEY"_qs
                               << QString();
        QTest::newRow("space in a name") << u"X Team"_qs << u"evals"_qs << QString() << QString()
                                         << u"\"X Team\" is not a header name"_qs;
        QTest::newRow("colon in a secret's name")
            << QString() << QString() << u"X-Key:"_qs << u"K"_qs << u"\"X-Key:\" is not a header name"_qs;
        QTest::newRow("plain and secret")
            << u"x-api-key"_qs << u"v"_qs << u"X-Api-Key"_qs << u"K"_qs << u"is both a plain and a secret header"_qs;
        QTest::newRow("secret without an entry")
            << QString() << QString() << u"X-Key"_qs << QString() << u"name the keychain entry"_qs;
        QTest::newRow("value without a name")
            << QString() << u"orphan"_qs << QString() << QString() << u"row 1 has no header name"_qs;
    }

    void headersAreValidatedInline()
    {
        QFETCH(QString, plainName);
        QFETCH(QString, plainValue);
        QFETCH(QString, secretName);
        QFETCH(QString, secretEntry);
        QFETCH(QString, problem);
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        ProviderSettingsForm *form = page->providerForm();
        if (!plainName.isEmpty() || !plainValue.isEmpty())
            form->headersEditor()->addRow(plainName, plainValue);
        if (!secretName.isEmpty())
            form->secretHeadersEditor()->addRow(secretName, secretEntry);
        if (problem.isEmpty()) {
            QVERIFY2(page->problem().isEmpty(), qPrintable(page->problem()));
            QVERIFY(!form->headersProblem()->isVisibleTo(form));
            QVERIFY(dialog.okButton()->isEnabled());
            const ProviderConfig &p = *page->workspace().provider(QStringLiteral("openai"));
            QCOMPARE(p.headers.value(plainName), plainValue);
            QCOMPARE(p.secretHeaders.value(secretName), secretEntry);
            return;
        }
        QVERIFY2(page->problem().contains(problem), qPrintable(page->problem()));
        QVERIFY(form->headersProblem()->isVisibleTo(form));
        QVERIFY2(form->headersProblem()->text().contains(problem), qPrintable(form->headersProblem()->text()));
        QVERIFY(!dialog.okButton()->isEnabled());
        // Removing the offending rows makes it valid again.
        for (HeaderTableEditor *editor : {form->headersEditor(), form->secretHeadersEditor()}) {
            while (editor->table()->rowCount() > 0) {
                editor->table()->setCurrentCell(0, 0);
                editor->removeButton()->click();
            }
        }
        QVERIFY2(page->problem().isEmpty(), qPrintable(page->problem()));
        QVERIFY(dialog.okButton()->isEnabled());
    }

    // Typing in the table's cells is what a user does: the edit reaches the workspace.
    void headerCellsAreEditedByKeyboard()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        dialog.showPage(SettingsDialog::Page::Providers);
        dialog.show();
        dialog.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        HeaderTableEditor *headers = page->providerForm()->headersEditor();
        headers->addButton()->click();
        QTableWidget *table = headers->table();
        QCOMPARE(table->rowCount(), 1);
        // The new row's name is being edited: typing goes straight into it.
        QWidget *editor = QApplication::focusWidget();
        QVERIFY(qobject_cast<QLineEdit *>(editor));
        QVERIFY(table->isAncestorOf(editor));
        QTest::keyClicks(editor, QStringLiteral("X-Team"));
        QTest::keyClick(editor, Qt::Key_Return);
        // The delegate commits on Return through a queued call.
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(table));
        QVERIFY(page->workspace().provider(QStringLiteral("openai"))->headers.contains(QStringLiteral("X-Team")));
        QTest::keyClick(table, Qt::Key_Right);
        QTest::keyClick(table, Qt::Key_F2);
        editor = QApplication::focusWidget();
        QVERIFY(table->isAncestorOf(editor));
        QTest::keyClicks(editor, QStringLiteral("evals"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(table));
        QCOMPARE(page->workspace().provider(QStringLiteral("openai"))->headers,
                 (QHash<QString, QString>{{u"X-Team"_qs, u"evals"_qs}}));
    }

    void caFileIsCheckedWhenChosen()
    {
        QTemporaryDir dir;
        const QString notPem = dir.filePath(u"notes.txt"_qs);
        QFile file(notPem);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("just some text\n");
        file.close();

        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        dialog.showPage(SettingsDialog::Page::Providers);
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        ProviderSettingsForm *form = page->providerForm();
        QVERIFY(!form->caStatus()->isVisibleTo(form));

        retype(form->caFileEdit(), notPem);
        screenshot(form, "providers-ca-refused-form.png");
        QVERIFY(form->caStatus()->isVisibleTo(form));
        QVERIFY2(form->caStatus()->text().contains(QStringLiteral("holds no PEM certificate")),
                 qPrintable(form->caStatus()->text()));
        QVERIFY(page->problem().contains(QStringLiteral("ca_file")));
        QVERIFY(!dialog.okButton()->isEnabled());

        retype(form->caFileEdit(), dir.filePath(u"missing.pem"_qs));
        QVERIFY2(form->caStatus()->text().contains(QStringLiteral("cannot read")),
                 qPrintable(form->caStatus()->text()));
        QVERIFY(!dialog.okButton()->isEnabled());

        retype(form->caFileEdit(), QStringLiteral("relative.pem"));
        QVERIFY(form->caStatus()->text().contains(QStringLiteral("full path")));

        // Browse… picks a real CA: trusted, named, and the form is valid again.
        form->setFilePrompt([](QWidget *) { return testData(QStringLiteral("test-ca-cert.pem")); });
        form->caBrowseButton()->click();
        QVERIFY2(form->caStatus()->text().startsWith(QStringLiteral("Trusted: 1 certificate")),
                 qPrintable(form->caStatus()->text()));
        QVERIFY(form->caStatus()->text().contains(QStringLiteral("Slopscope Test CA")));
        QVERIFY2(page->problem().isEmpty(), qPrintable(page->problem()));
        const ProviderConfig &p = *page->workspace().provider(QStringLiteral("openai"));
        QCOMPARE(p.caFile, testData(QStringLiteral("test-ca-cert.pem")));
        QVERIFY(p.caCertificates.contains("BEGIN CERTIFICATE"));
        screenshot(&dialog, "providers-ca-file.png");

        // Cleared: only the system's authorities.
        retype(form->caFileEdit(), QString());
        QVERIFY(!form->caStatus()->isVisibleTo(form));
        QVERIFY(page->workspace().provider(QStringLiteral("openai"))->caFile.isEmpty());
        QVERIFY(page->problem().isEmpty());
    }

    void timeoutsAreSecondsAndStoredAsMilliseconds()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        ProviderSettingsForm *form = page->providerForm();
        QCOMPARE(form->timeoutSpin(0)->value(), 10.0); // connect: 10,000 ms
        QVERIFY(form->timeoutSpin(0)->suffix().contains(u's'));
        QCOMPARE(form->timeoutSpin(0)->decimals(), 3);
        QCOMPARE(form->timeoutSpin(5)->value(), 1200.0);
        form->timeoutSpin(0)->setValue(2.5);
        form->timeoutSpin(3)->setValue(0.25);
        const Timeouts &t = page->workspace().provider(QStringLiteral("openai"))->timeouts;
        QCOMPARE(t.connectMs, 2500);
        QCOMPARE(t.idleMs, 250);
        QCOMPARE(t.totalMs, Timeouts{}.totalMs);
        // Typed with the keyboard, decimals included.
        QDoubleSpinBox *total = form->timeoutSpin(5);
        total->setFocus();
        total->selectAll();
        QTest::keyClicks(total, QLocale().toString(90.125, 'f', 3));
        QCOMPARE(page->workspace().provider(QStringLiteral("openai"))->timeouts.totalMs, 90'125);
    }

    // Everything the page edits is written to the file and read back the same, after one undoable Apply.
    void editsRoundTripThroughTheWorkspaceFile()
    {
        QTemporaryDir dir;
        FakeKeyStore store;
        MainWindow window;
        window.useKeyStore(&store);
        window.setWorkspace(workspace(), QString());
        window.showSettings(SettingsDialog::Page::Providers);
        SettingsDialog *dialog = window.settingsDialog();
        ProvidersSettingsPage *page = dialog->providersPage();
        const QString added = page->addProvider(QStringLiteral("gemini"));
        ProviderSettingsForm *form = page->providerForm();
        form->dialectChoice()->setCurrentIndex(form->dialectChoice()->findData(static_cast<int>(Dialect::OpenAIChat)));
        retype(form->baseUrlEdit(), QStringLiteral("https://gateway.example.test/v1beta/openai"));
        retype(form->apiKeyNameEdit(), QStringLiteral("GATEWAY_KEY"));
        form->headersEditor()->addRow(QStringLiteral("X-Team"), QStringLiteral("evals"));
        form->secretHeadersEditor()->addRow(QStringLiteral("X-Gateway-Token"), QStringLiteral("GATEWAY_TOKEN"));
        retype(form->caFileEdit(), testData(QStringLiteral("test-ca-cert.pem")));
        form->timeoutSpin(1)->setValue(45.5);
        QVERIFY2(page->problem().isEmpty(), qPrintable(page->problem()));
        screenshot(dialog, "providers-filled-dialog.png");
        screenshot(form, "providers-filled-form.png"); // the whole form, past the scroll area
        // And the old provider goes, with its target.
        page->setRemovalPrompt([](const QString &, const QString &) { return true; });
        page->selectProvider(QStringLiteral("openai"));
        page->removeProviderButton()->click();
        dialog->applyButton()->click();
        QCOMPARE(window.targetEdits()->count(), 1);
        QVERIFY(!window.workspace().provider(QStringLiteral("openai")));

        const QString path = dir.filePath(u"ws.json"_qs);
        QVERIFY(window.saveWorkspaceTo(path).ok());
        auto back = Workspace::fromFile(path);
        QVERIFY2(back.ok(), qPrintable(back.error()));
        QVERIFY(!back.value().provider(QStringLiteral("openai")));
        QVERIFY(!back.value().target(QStringLiteral("gpt")));
        const ProviderConfig *p = back.value().provider(added);
        QVERIFY(p);
        QCOMPARE(p->dialect, Dialect::OpenAIChat);
        QCOMPARE(p->baseUrl, u"https://gateway.example.test/v1beta/openai"_qs);
        QCOMPARE(p->apiKeyEnv, u"GATEWAY_KEY"_qs);
        QCOMPARE(p->headers, (QHash<QString, QString>{{u"X-Team"_qs, u"evals"_qs}}));
        QCOMPARE(p->secretHeaders, (QHash<QString, QString>{{u"X-Gateway-Token"_qs, u"GATEWAY_TOKEN"_qs}}));
        QCOMPARE(p->caFile, testData(QStringLiteral("test-ca-cert.pem")));
        QVERIFY(!p->caCertificates.isEmpty());
        QCOMPARE(p->timeouts.firstByteMs, 45'500);

        // Undo brings back the provider and its target.
        window.targetEdits()->undo();
        QVERIFY(window.workspace().provider(QStringLiteral("openai")));
        QVERIFY(window.workspace().target(QStringLiteral("gpt")));
        QVERIFY(!window.workspace().provider(added));
    }

    // A secret header's value lives in the keychain (or the environment) under its entry's name:
    // it is never written to the workspace file, logged, or shown in the dialog.
    void noSecretReachesTheFileTheLogOrTheScreen()
    {
        const QString canary = QStringLiteral("canary-7f3e9a51-do-not-leak");
        const QString envCanary = QStringLiteral("env-canary-0c41d2-do-not-leak");
        qputenv("SLOPSCOPE_T_ENV_TOKEN", envCanary.toUtf8());
        QStringList log;
        g_log = &log;
        const QtMessageHandler previous = qInstallMessageHandler(collect);

        QTemporaryDir dir;
        FakeKeyStore store;
        store.seed(QStringLiteral("SLOPSCOPE_T_PORTKEY"), canary);
        store.seed(QStringLiteral("SLOPSCOPE_T_EDIT_KEY"), canary);
        MainWindow window;
        window.useKeyStore(&store);
        window.setWorkspace(workspace(), QString());
        window.showSettings(SettingsDialog::Page::Providers);
        SettingsDialog *dialog = window.settingsDialog();
        ProvidersSettingsPage *page = dialog->providersPage();
        page->selectProvider(QStringLiteral("openai"));
        ProviderSettingsForm *form = page->providerForm();
        form->secretHeadersEditor()->addRow(QStringLiteral("X-Portkey-Api-Key"), QStringLiteral("SLOPSCOPE_T_PORTKEY"));
        form->secretHeadersEditor()->addRow(QStringLiteral("X-Env-Token"), QStringLiteral("SLOPSCOPE_T_ENV_TOKEN"));
        QVERIFY2(page->problem().isEmpty(), qPrintable(page->problem()));
        QVERIFY(dialog->applyWorkspace());
        // The keychain is asked (as the Keys page does) so a value could be at hand to leak.
        dialog->showPage(SettingsDialog::Page::Keys);
        QTRY_VERIFY(!dialog->keysPage()->isChecking());
        dialog->showPage(SettingsDialog::Page::Providers);
        page->selectProvider(QStringLiteral("openai"));

        const QString path = dir.filePath(u"ws.json"_qs);
        QVERIFY(window.saveWorkspaceTo(path).ok());
        QFile saved(path);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray bytes = saved.readAll();
        QVERIFY(bytes.contains("\"X-Portkey-Api-Key\""));
        QVERIFY(bytes.contains("\"secret\": \"SLOPSCOPE_T_PORTKEY\""));
        QVERIFY(!bytes.contains(canary.toUtf8()));
        QVERIFY(!bytes.contains(envCanary.toUtf8()));

        for (SettingsDialog::Page shown : {SettingsDialog::Page::Providers, SettingsDialog::Page::Keys}) {
            dialog->showPage(shown);
            const QStringList texts = shownTexts(dialog);
            QVERIFY(texts.join(u'\n').contains(QStringLiteral("SLOPSCOPE_T_PORTKEY"))); // the name is shown…
            for (const QString &text : texts) {
                QVERIFY2(!text.contains(canary), qPrintable(text)); // …never the value
                QVERIFY2(!text.contains(envCanary), qPrintable(text));
            }
        }
        qInstallMessageHandler(previous);
        g_log = nullptr;
        qunsetenv("SLOPSCOPE_T_ENV_TOKEN");
        for (const QString &line : std::as_const(log)) {
            QVERIFY(!line.contains(canary));
            QVERIFY(!line.contains(envCanary));
        }
    }

    // Tab walks the form top to bottom, the way it reads.
    void tabOrderFollowsTheForm()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        dialog.showPage(SettingsDialog::Page::Providers);
        dialog.show();
        dialog.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        ProviderSettingsForm *form = page->providerForm();
        QList<QWidget *> expected;
        expected << form->idEdit() << form->dialectChoice() << form->baseUrlEdit() << form->apiKeyNameEdit()
                 << form->concurrencySpin() << form->retriesSpin() << form->proxyChoice() << form->insecureKeyCheck()
                 << form->headersEditor()->table() << form->headersEditor()->addButton();
        form->idEdit()->setFocus();
        QCOMPARE(QApplication::focusWidget(), static_cast<QWidget *>(form->idEdit()));
        for (qsizetype i = 1; i < expected.size(); ++i) {
            QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
            QCOMPARE(QApplication::focusWidget(), expected.at(i));
        }
    }
};

namespace {

// One real provider, one answered by the embedded simulator, and a target on each.
Workspace workspace()
{
    auto ws = Workspace::fromJson(R"({"name": "edits", "providers": [
        {"id": "openai", "dialect": "openai-chat", "base_url": "https://api.example.test/v1",
         "api_key_env": "SLOPSCOPE_T_EDIT_KEY"},
        {"id": "sim", "dialect": "anthropic", "base_url": "{simulator}/anthropic"}],
      "targets": [
        {"id": "gpt", "label": "GPT", "provider": "openai", "model": "gpt-4o"},
        {"id": "fake", "provider": "sim", "model": "fake-model", "price": {"input_per_mtok": 1}}]})",
                                  QStringLiteral("edits.json"));
    Q_ASSERT(ws.ok());
    return ws.value();
}

void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

// With SLOPSCOPE_TEST_SCREENSHOTS=<dir>, saves what a test shows there (for looking, not asserting).
void screenshot(QWidget *widget, const char *name)
{
    const QString dir = qEnvironmentVariable("SLOPSCOPE_TEST_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    widget->show();
    QCoreApplication::processEvents();
    widget->grab().save(dir + u'/' + QString::fromLatin1(name));
}

// Every text a widget under `root` shows: labels, fields, tables, trees, buttons, window titles.
QStringList shownTexts(const QWidget *root)
{
    QStringList texts{root->windowTitle()};
    for (const QLabel *label : root->findChildren<QLabel *>())
        texts.append(label->text());
    for (const QLineEdit *edit : root->findChildren<QLineEdit *>())
        texts.append(edit->text());
    for (const QAbstractButton *button : root->findChildren<QAbstractButton *>())
        texts.append(button->text());
    for (const QTableWidget *table : root->findChildren<QTableWidget *>()) {
        for (int r = 0; r < table->rowCount(); ++r) {
            for (int c = 0; c < table->columnCount(); ++c)
                texts.append(table->item(r, c) ? table->item(r, c)->text() : QString());
        }
    }
    for (const QTreeWidget *tree : root->findChildren<QTreeWidget *>()) {
        for (QTreeWidgetItemIterator it(const_cast<QTreeWidget *>(tree)); *it; ++it) {
            for (int c = 0; c < tree->columnCount(); ++c)
                texts.append((*it)->text(c) + u' ' + (*it)->toolTip(c));
        }
    }
    return texts;
}

} // namespace

QTEST_MAIN(TestProviderEditing)
#include "tst_providerediting.moc"
