// The Settings dialog: the Keys page over a FakeKeyStore (which key names, where each comes from,
// Set Key, Remove, an unavailable keychain) and the Appearance page (theme applied and kept).
#include "RevealSecret.h"
#include "ScopedEnv.h"

#include "AppearanceSettingsPage.h"
#include "AppTheme.h"
#include "core/Workspace.h"
#include "engine/FakeKeyStore.h"
#include "engine/KeyringSecrets.h"
#include "KeyEntryDialog.h"
#include "KeysSettingsPage.h"
#include "MainWindow.h"
#include "QuadrantChart.h"
#include "quality/Suite.h"
#include "run/RunSession.h"
#include "SettingsDialog.h"
#include "StreamPane.h"

#include <QAction>
#include <QApplication>
#include <QChart>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>
#include <QUuid>

using namespace Slopscope;
using Slopscope::Test::ScopedEnv;

namespace {

QString canary()
{
    return u"sk-CANARY-" + QUuid::createUuid().toString(QUuid::WithoutBraces);
}

ProviderConfig provider(const QString &id, const QString &keyName, bool simulated = false)
{
    ProviderConfig p;
    p.id = id;
    p.baseUrl = simulated ? QStringLiteral("{simulator}/v1") : QStringLiteral("https://api.example.test/v1");
    p.apiKeyEnv = keyName;
    return p;
}

// One provider on 127.0.0.1 at a port nobody listens on (a run that starts fails fast, after its
// key was looked up) and one target of it.
Workspace unreachableWorkspace(const QString &providerId, quint16 port)
{
    Workspace ws;
    ws.name = providerId;
    ProviderConfig p = provider(providerId, QStringLiteral("SLOPSCOPE_T_LOCAL"));
    p.baseUrl = QStringLiteral("http://127.0.0.1:%1/v1").arg(port);
    p.maxRetries = 0;
    ws.providers = {p};
    TargetConfig t;
    t.id = QStringLiteral("t");
    t.label = QStringLiteral("T");
    t.providerId = providerId;
    t.model = QStringLiteral("m");
    t.color = QStringLiteral("#0072B2");
    ws.targets = {t};
    return ws;
}

// Two real providers share one key, a third has its own, a simulated one has a key name of its
// own that must not be listed, and a local one has none.
Workspace workspace()
{
    Workspace ws;
    ws.name = QStringLiteral("Keys");
    ws.providers = {provider(QStringLiteral("openai"), QStringLiteral("SLOPSCOPE_T_OPENAI")),
                    provider(QStringLiteral("openai-eu"), QStringLiteral("SLOPSCOPE_T_OPENAI")),
                    provider(QStringLiteral("anthropic"), QStringLiteral("SLOPSCOPE_T_ANTHROPIC")),
                    provider(QStringLiteral("sim"), QStringLiteral("SLOPSCOPE_T_SIM"), true),
                    provider(QStringLiteral("ollama"), QString())};
    return ws;
}

QStringList listedNames(const KeysSettingsPage &page)
{
    QStringList names;
    for (int i = 0; i < page.table()->topLevelItemCount(); ++i)
        names.append(page.table()->topLevelItem(i)->text(KeysSettingsPage::NameColumn));
    return names;
}

// Every text the dialog shows: labels, line edits, table cells, window titles.
QStringList shownTexts(const QWidget &root)
{
    QStringList texts{root.windowTitle()};
    for (const QLabel *label : root.findChildren<QLabel *>())
        texts.append(label->text());
    for (const QLineEdit *edit : root.findChildren<QLineEdit *>())
        texts.append(edit->text());
    for (const QTreeWidget *tree : root.findChildren<QTreeWidget *>()) {
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            for (int c = 0; c < tree->columnCount(); ++c) {
                texts.append(tree->topLevelItem(i)->text(c));
                texts.append(tree->topLevelItem(i)->toolTip(c));
            }
        }
    }
    for (const QWidget *widget : root.findChildren<QWidget *>())
        texts.append(widget->toolTip());
    return texts;
}

bool settled(const KeysSettingsPage &page)
{
    return QTest::qWaitFor([&page] { return !page.isChecking(); }, 5000);
}

// Clicks Set Key for `name`, types `value` into the entry dialog and saves.
void enterKey(KeysSettingsPage &page, const QString &name, const QString &value)
{
    page.selectKey(name);
    QVERIFY(page.setKeyButton()->isEnabled());
    QTest::mouseClick(page.setKeyButton(), Qt::LeftButton);
    QPointer<KeyEntryDialog> entry = page.entryDialog();
    QVERIFY(entry);
    QCOMPARE(entry->field()->echoMode(), QLineEdit::Password);
    QTest::keyClicks(entry->field(), value);
    QVERIFY(entry->field()->text() == value);
    QLineEdit *field = entry->field();
    entry->accept();
    QVERIFY(!entry || field->text().isEmpty()); // cleared the moment it was taken
}

} // namespace

class TestSettingsDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        for (const char *name : {"SLOPSCOPE_T_OPENAI", "SLOPSCOPE_T_ANTHROPIC", "SLOPSCOPE_T_SIM"})
            qunsetenv(name);
    }

    void listsRealProvidersKeysWithTheirOrigin()
    {
        FakeKeyStore store;
        store.seed(QStringLiteral("SLOPSCOPE_T_ANTHROPIC"), canary());
        const ScopedEnv env("SLOPSCOPE_T_OPENAI", canary().toUtf8());
        store.setHolding(true); // a keychain that has not answered yet
        KeyringSecrets secrets(&store);
        SettingsDialog dialog(&secrets, workspace());
        KeysSettingsPage &page = *dialog.keysPage();

        QCOMPARE(listedNames(page),
                 (QStringList{QStringLiteral("SLOPSCOPE_T_ANTHROPIC"), QStringLiteral("SLOPSCOPE_T_OPENAI")}));
        QCOMPARE(page.table()->topLevelItem(1)->text(KeysSettingsPage::ProvidersColumn),
                 QStringLiteral("openai, openai-eu"));
        // The dialog is usable while the keychain is silent: it says it is checking.
        QVERIFY(page.isChecking());
        QTRY_COMPARE(page.sourceText(QStringLiteral("SLOPSCOPE_T_ANTHROPIC")), QStringLiteral("checking…"));
        QVERIFY(!page.setKeyButton()->isEnabled());

        store.release();
        QVERIFY(settled(page));
        QCOMPARE(page.sourceText(QStringLiteral("SLOPSCOPE_T_ANTHROPIC")), QStringLiteral("keychain"));
        QCOMPARE(page.sourceText(QStringLiteral("SLOPSCOPE_T_OPENAI")), QStringLiteral("environment"));
        QCOMPARE(page.table()->topLevelItem(0)->text(KeysSettingsPage::SourceColumn), QStringLiteral("keychain"));
        // The environment's key was not asked of the keychain; the simulated provider's not at all.
        QCOMPARE(store.calls(FakeKeyStore::Operation::Read), 1);

        page.selectKey(QStringLiteral("SLOPSCOPE_T_OPENAI"));
        QVERIFY(!page.noteLabel()->isHidden());
        QVERIFY(page.noteLabel()->text().contains(QStringLiteral("environment")));
        page.selectKey(QStringLiteral("SLOPSCOPE_T_ANTHROPIC"));
        QVERIFY(page.noteLabel()->isHidden());
    }

    void missingAndUnanswerableKeys()
    {
        FakeKeyStore store;
        store.setFailure(FakeKeyStore::Operation::Read, KeyStoreStatus::Locked);
        KeyringSecrets secrets(&store);
        KeysSettingsPage page(&secrets, workspace());
        QVERIFY(settled(page));
        QCOMPARE(page.sourceText(QStringLiteral("SLOPSCOPE_T_OPENAI")),
                 QStringLiteral("unknown: keychain unavailable"));
        // The keychain's own words are under the table for the selected key.
        page.selectKey(QStringLiteral("SLOPSCOPE_T_OPENAI"));
        QVERIFY(!page.noteLabel()->isHidden());
        QVERIFY2(page.noteLabel()->text().contains(KeyStore::describe(KeyStoreStatus::Locked, {})),
                 qPrintable(page.noteLabel()->text()));

        store.setFailure(FakeKeyStore::Operation::Read, KeyStoreStatus::Ok);
        page.refresh();
        QVERIFY(settled(page));
        QCOMPARE(page.sourceText(QStringLiteral("SLOPSCOPE_T_OPENAI")), QStringLiteral("missing"));
        QVERIFY(page.noteLabel()->isHidden());
    }

    void setKeyStoresItAndShowsItNowhere()
    {
        FakeKeyStore store;
        KeyringSecrets secrets(&store);
        SettingsDialog dialog(&secrets, workspace());
        dialog.show();
        KeysSettingsPage &page = *dialog.keysPage();
        QVERIFY(settled(page));

        const QString key = canary();
        enterKey(page, QStringLiteral("SLOPSCOPE_T_OPENAI"), key);
        QTRY_COMPARE(revealed(store.contents().value(QStringLiteral("SLOPSCOPE_T_OPENAI"))), key);
        QVERIFY(settled(page));
        QCOMPARE(page.sourceText(QStringLiteral("SLOPSCOPE_T_OPENAI")), QStringLiteral("keychain"));
        QCOMPARE(revealed(secrets.secret(QStringLiteral("SLOPSCOPE_T_OPENAI"))), key); // runs can use it now
        QVERIFY(page.messageLabel()->text().contains(QStringLiteral("saved in the system keychain")));
        QTRY_VERIFY(!page.entryDialog());

        const QStringList texts = shownTexts(dialog);
        QVERIFY(!texts.isEmpty());
        for (const QString &text : texts)
            QVERIFY2(!text.contains(key) && !text.contains(QStringLiteral("CANARY")), qPrintable(text));
    }

    void cancelledEntryStoresNothing()
    {
        FakeKeyStore store;
        KeyringSecrets secrets(&store);
        KeysSettingsPage page(&secrets, workspace());
        QVERIFY(settled(page));
        QTest::mouseClick(page.setKeyButton(), Qt::LeftButton);
        QPointer<KeyEntryDialog> entry = page.entryDialog();
        QVERIFY(entry);
        QLineEdit *field = entry->field();
        QTest::keyClicks(field, canary());
        entry->reject();
        QVERIFY(!entry || field->text().isEmpty());
        QTest::qWait(50);
        QCOMPARE(store.calls(FakeKeyStore::Operation::Write), 0);
        QVERIFY(store.contents().isEmpty());
    }

    void unavailableKeychainKeepsTheKeyForThisSession()
    {
        FakeKeyStore store;
        store.setFailure(FakeKeyStore::Operation::Write, KeyStoreStatus::NoService);
        KeyringSecrets secrets(&store);
        KeysSettingsPage page(&secrets, workspace());
        QVERIFY(settled(page));

        const QString key = canary();
        enterKey(page, QStringLiteral("SLOPSCOPE_T_ANTHROPIC"), key);
        QTRY_COMPARE(page.sourceText(QStringLiteral("SLOPSCOPE_T_ANTHROPIC")), QStringLiteral("this session only"));
        QVERIFY(store.contents().isEmpty());
        QCOMPARE(revealed(secrets.secret(QStringLiteral("SLOPSCOPE_T_ANTHROPIC"))), key);
        const QString message = page.messageLabel()->text();
        QVERIFY2(message.contains(QStringLiteral("this session only")), qPrintable(message));
        QVERIFY(!message.contains(key));
        QVERIFY(page.noteLabel()->text().contains(QStringLiteral("this session only")));
        QVERIFY(page.noteLabel()->text().contains(KeyStore::describe(KeyStoreStatus::NoService, {})));
    }

    void removeAsksThenRemoves()
    {
        FakeKeyStore store;
        store.seed(QStringLiteral("SLOPSCOPE_T_OPENAI"), canary());
        KeyringSecrets secrets(&store);
        KeysSettingsPage page(&secrets, workspace());
        QVERIFY(settled(page));
        page.selectKey(QStringLiteral("SLOPSCOPE_T_OPENAI"));
        QVERIFY(page.removeButton()->isEnabled());
        page.selectKey(QStringLiteral("SLOPSCOPE_T_ANTHROPIC"));
        QVERIFY(!page.removeButton()->isEnabled()); // nothing stored to remove

        page.selectKey(QStringLiteral("SLOPSCOPE_T_OPENAI"));
        // Cancel keeps it.
        QTest::mouseClick(page.removeButton(), Qt::LeftButton);
        QPointer<QMessageBox> box = page.findChild<QMessageBox *>(QStringLiteral("removeKeyConfirmation"));
        QVERIFY(box);
        box->button(QMessageBox::Cancel)->click();
        QTRY_VERIFY(!box);
        QVERIFY(store.contents().contains(QStringLiteral("SLOPSCOPE_T_OPENAI")));
        QCOMPARE(store.calls(FakeKeyStore::Operation::Remove), 0);

        QTest::mouseClick(page.removeButton(), Qt::LeftButton);
        box = page.findChild<QMessageBox *>(QStringLiteral("removeKeyConfirmation"));
        QVERIFY(box);
        box->button(QMessageBox::Yes)->click();
        QTRY_VERIFY(!store.contents().contains(QStringLiteral("SLOPSCOPE_T_OPENAI")));
        QTRY_COMPARE(page.sourceText(QStringLiteral("SLOPSCOPE_T_OPENAI")), QStringLiteral("missing"));
        QVERIFY(!secrets.secret(QStringLiteral("SLOPSCOPE_T_OPENAI")));
        QVERIFY(!page.removeButton()->isEnabled());
    }

    void onlySimulatedProvidersNeedNoKey()
    {
        FakeKeyStore store;
        KeyringSecrets secrets(&store);
        Workspace ws;
        ws.providers = {provider(QStringLiteral("sim"), QStringLiteral("SLOPSCOPE_T_SIM"), true)};
        KeysSettingsPage page(&secrets, ws);
        QCOMPARE(page.table()->topLevelItemCount(), 0);
        QVERIFY(page.findChild<QLabel *>(QStringLiteral("noKeysLabel"))->isVisibleTo(&page));
        QVERIFY(!page.setKeyButton()->isEnabled());
        QTest::qWait(20);
        QCOMPARE(store.calls(FakeKeyStore::Operation::Read), 0);
    }

    void themeIsAppliedAndKept()
    {
        const QPalette original = QApplication::palette();
        const QColor originalWindow = original.color(QPalette::Window);
        const QString originalStyle = QApplication::style()->name();
        QVERIFY(!AppTheme::isDark(original)); // the offscreen platform is light
        QCOMPARE(AppTheme::saved(), AppTheme::Choice::System);

        AppearanceSettingsPage page;
        QVERIFY(page.button(AppTheme::Choice::System)->isChecked());
        page.button(AppTheme::Choice::Dark)->click();
        QVERIFY(AppTheme::isDark(QApplication::palette()));
        QVERIFY(qApp->palette().color(QPalette::Window).lightness() < 80);
        QCOMPARE(QApplication::style()->name().toLower(), QStringLiteral("fusion"));
        QCOMPARE(AppTheme::saved(), AppTheme::Choice::Dark);
        QCOMPARE(QSettings().value(QStringLiteral("appearance/theme")).toString(), QStringLiteral("dark"));
        // A page opened later shows the choice.
        AppearanceSettingsPage again;
        QVERIFY(again.button(AppTheme::Choice::Dark)->isChecked());

        page.button(AppTheme::Choice::Light)->click();
        QVERIFY(!AppTheme::isDark(QApplication::palette()));
        QCOMPARE(AppTheme::saved(), AppTheme::Choice::Light);

        page.button(AppTheme::Choice::System)->click();
        QCOMPARE(QApplication::palette().color(QPalette::Window), originalWindow);
        QCOMPARE(QApplication::style()->name(), originalStyle);
        QCOMPARE(AppTheme::saved(), AppTheme::Choice::System);
        QVERIFY(!QSettings().contains(QStringLiteral("appearance/theme")));
    }

    // Views with colours of their own follow the theme: the quadrant's chart theme and the pane's
    // state badge.
    void viewsFollowTheTheme()
    {
        QuadrantChart chart;
        StreamPane pane(QStringLiteral("t"), QStringLiteral("Target"), QStringLiteral("#3366cc"));
        pane.setState(StreamPane::State::Failed);
        QLabel *badge = nullptr;
        for (QLabel *label : pane.findChildren<QLabel *>()) {
            if (label->text() == pane.stateText())
                badge = label;
        }
        QVERIFY(badge);
        const QColor lightBadge = badge->palette().color(QPalette::WindowText);
        QCOMPARE(chart.chart()->theme(), QChart::ChartThemeLight);

        AppTheme::apply(AppTheme::Choice::Dark);
        QTRY_COMPARE(chart.chart()->theme(), QChart::ChartThemeDark);
        QVERIFY(chart.chart()->backgroundBrush().color().lightness() < 128);
        QVERIFY(!chart.chart()->legend()->isVisible());
        QVERIFY(badge->palette().color(QPalette::WindowText) != lightBadge);
        QVERIFY(badge->palette().color(QPalette::WindowText).lightness() > 128);

        AppTheme::apply(AppTheme::Choice::System);
        QTRY_COMPARE(chart.chart()->theme(), QChart::ChartThemeLight);
        QCOMPARE(badge->palette().color(QPalette::WindowText), lightBadge);
    }

    // Settings ▸ Preferences… has a shortcut and opens the dialog for the window's workspace.
    void preferencesFromTheMainWindow()
    {
        MainWindow window;
        window.setWorkspace(Workspace::demo()); // simulated only: the keychain is not asked
        QAction *preferences = nullptr;
        for (QAction *action : window.menuBar()->findChildren<QAction *>()) {
            if (action->text() == QStringLiteral("&Preferences…"))
                preferences = action;
        }
        QVERIFY(preferences);
        QVERIFY(!preferences->shortcut().isEmpty());
        QVERIFY(!window.settingsDialog());
        preferences->trigger();
        QPointer<SettingsDialog> dialog = window.settingsDialog();
        QVERIFY(dialog);
        QVERIFY(dialog->isVisible());
        QCOMPARE(dialog->keysPage()->table()->topLevelItemCount(), 0);
        // Opened again: a fresh dialog, the old one gone.
        window.showSettings(SettingsDialog::Page::Appearance);
        QVERIFY(window.settingsDialog() != dialog);
        QCOMPARE(window.settingsDialog()->pages()->currentWidget(),
                 static_cast<QWidget *>(window.settingsDialog()->appearancePage()));
        QTRY_VERIFY(!dialog);
    }

    // The window loads the keys its real providers use when a workspace is set, so a run finds a
    // key saved in an earlier session; a keychain that cannot answer is said in the status bar.
    void windowLoadsTheWorkspacesKeys()
    {
        FakeKeyStore store;
        const QString key = canary();
        store.seed(QStringLiteral("SLOPSCOPE_T_OPENAI"), key);
        MainWindow window;
        window.useKeyStore(&store);
        QCOMPARE(store.calls(FakeKeyStore::Operation::Read), 0);
        window.setWorkspace(workspace());
        QTRY_COMPARE(revealed(KeyringSecrets::currentSecret(QStringLiteral("SLOPSCOPE_T_OPENAI"))), key);
        QCOMPARE(store.calls(FakeKeyStore::Operation::Read), 2); // both real key names, not the simulated one
        QVERIFY(!KeyringSecrets::currentSecret(QStringLiteral("SLOPSCOPE_T_SIM")));

        MainWindow locked;
        FakeKeyStore lockedStore;
        lockedStore.setFailure(FakeKeyStore::Operation::Read, KeyStoreStatus::Locked);
        locked.useKeyStore(&lockedStore);
        locked.setWorkspace(workspace());
        QTRY_VERIFY(locked.statusBar()->currentMessage().contains(KeyStore::describe(KeyStoreStatus::Locked, {})));
        QVERIFY(!locked.statusBar()->currentMessage().contains(key));
    }

    // RELIABILITY S-11: a stored key that would go to a host it was never sent to needs a yes.
    void aNewHostForAStoredKeyIsConfirmed()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        FakeKeyStore store;
        store.seed(QStringLiteral("SLOPSCOPE_T_LOCAL"), canary());
        QTcpServer probe; // nobody listens: a run that starts fails fast
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const Workspace ws = unreachableWorkspace(QStringLiteral("moved"), port);
        const auto suite = Suite::fromJson(R"({"name": "s", "cases": [{"id": "c1", "prompt": "Hi"}]})", QStringLiteral("<test>"));
        QVERIFY(suite.ok());

        MainWindow window;
        window.useKeyStore(&store);
        window.secrets()->setHostBindingsFile(dir.filePath(QStringLiteral("hosts.ini")));
        window.secrets()->hostBindings().allow(QStringLiteral("SLOPSCOPE_T_LOCAL"), QStringLiteral("localhost"));
        window.setWorkspace(ws);
        window.addSuite(suite.value());
        QTRY_COMPARE(window.secrets()->origin(QStringLiteral("SLOPSCOPE_T_LOCAL")), KeyringSecrets::Origin::Keychain);

        auto answer = [](const QString &button, QString *text) {
            QTimer::singleShot(0, [button, text] {
                auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
                if (!box)
                    return;
                *text = box->text();
                for (QAbstractButton *b : box->buttons()) {
                    if (b->text().startsWith(button))
                        b->click();
                }
            });
        };
        // Declined: nothing starts, nothing is remembered.
        QString asked;
        answer(QStringLiteral("Cancel"), &asked);
        QVERIFY(!window.startRun());
        QVERIFY2(asked.contains(u"localhost"_qs) && asked.contains(u"127.0.0.1"_qs) && asked.contains(u"moved"_qs),
                 qPrintable(asked));
        QVERIFY(!window.session()->isRunning());
        QCOMPARE(window.session()->done(), 0);
        QVERIFY2(window.statusBar()->currentMessage().contains(u"not sent to 127.0.0.1"_qs),
                 qPrintable(window.statusBar()->currentMessage()));
        QCOMPARE(window.secrets()->hostBindings().hostsFor(QStringLiteral("SLOPSCOPE_T_LOCAL")), QStringList{u"localhost"_qs});

        // Accepted: the run goes, and the host is remembered (no question next time).
        asked.clear();
        answer(QStringLiteral("Send to"), &asked);
        QVERIFY(window.startRun());
        QVERIFY(!asked.isEmpty());
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->done(), 1, 15'000);
        QVERIFY2(!window.session()->results().first().job.error.contains(u"confirmed"_qs),
                 qPrintable(window.session()->results().first().job.error));
        QCOMPARE(window.secrets()->hostBindings().hostsFor(QStringLiteral("SLOPSCOPE_T_LOCAL")),
                 QStringList({u"localhost"_qs, u"127.0.0.1"_qs}));
    }

    // A Run pressed while the keychain is still answering waits for it: otherwise a real
    // provider's first requests go out with no key ("No API key for provider …").
    void runWaitsForTheKeychain()
    {
        FakeKeyStore store;
        store.seed(QStringLiteral("SLOPSCOPE_T_LOCAL"), canary());
        store.setHolding(true);
        QTcpServer probe; // a port nobody listens on: the request fails fast, after the key was found
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        const quint16 port = probe.serverPort();
        probe.close();
        const Workspace ws = unreachableWorkspace(QStringLiteral("local"), port);
        const auto suite = Suite::fromJson(R"({"name": "s", "cases": [{"id": "c1", "prompt": "Capital of France?"}]})",
                                           QStringLiteral("<test>"));
        QVERIFY(suite.ok());

        MainWindow window;
        window.useKeyStore(&store);
        window.setWorkspace(ws);
        window.addSuite(suite.value());
        QVERIFY(window.startRun());
        QVERIFY(!window.session()->isRunning());
        QVERIFY2(window.statusBar()->currentMessage().contains(u"Waiting for the keychain"),
                 qPrintable(window.statusBar()->currentMessage()));
        store.release();
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->done(), 1, 15'000);
        const QList<CellResult> cells = window.session()->results();
        QCOMPARE(cells.size(), 1);
        const QString error = cells.first().job.error;
        QVERIFY2(!error.contains(u"No API key"), qPrintable(error)); // the key was there when it was sent
        QVERIFY2(error.contains(QString::number(port)), qPrintable(error)); // refused by the empty port

        // Stop while waiting: nothing is started.
        FakeKeyStore slow;
        slow.seed(QStringLiteral("SLOPSCOPE_T_LOCAL"), canary());
        slow.setHolding(true);
        MainWindow stopped;
        stopped.useKeyStore(&slow);
        stopped.setWorkspace(ws);
        stopped.addSuite(suite.value());
        QVERIFY(stopped.startRun());
        QAction *stop = nullptr;
        for (QAction *a : stopped.findChildren<QAction *>()) {
            if (a->text() == u"&Stop")
                stop = a;
        }
        QVERIFY(stop && stop->isEnabled());
        stop->trigger();
        slow.release();
        QTest::qWait(200);
        QVERIFY(!stopped.session()->isRunning());
        QCOMPARE(stopped.session()->done(), 0);
    }

    void unknownSavedThemeFallsBackToSystem()
    {
        QSettings().setValue(QStringLiteral("appearance/theme"), QStringLiteral("sepia"));
        QCOMPARE(AppTheme::saved(), AppTheme::Choice::System);
        QSettings().remove(QStringLiteral("appearance/theme"));
    }
};

QTEST_MAIN(TestSettingsDialog)
#include "tst_settingsdialog.moc"
