// The canary key in the GUI (RELIABILITY S-1 and S-3): a key entered in Settings ▸ Keys while the
// keychain is unavailable (kept for this session) is used by a run of the real MainWindow, offscreen,
// against a provider that answers 401 quoting the key back, and one on plain HTTP to a remote host
// (refused before sending). The errors must show (status bar, result cells, panes, dialogs) and
// none may contain the key; then every file the GUI wrote under its temporary HOME (its QSettings
// included, with the key still set for the session) is searched for it.
#include "RevealSecret.h"
#include "SecretScan.h"

#include "AppearanceSettingsPage.h"
#include "AppTheme.h"
#include "core/Workspace.h"
#include "engine/FakeKeyStore.h"
#include "engine/KeyringSecrets.h"
#include "FakeProvider.h"
#include "KeyEntryDialog.h"
#include "KeysSettingsPage.h"
#include "MainWindow.h"
#include "quality/Suite.h"
#include "run/RunSession.h"
#include "SettingsDialog.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QApplication>
#include <QDirIterator>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <QTimer>
#include <QUuid>

#include <memory>

using namespace Slopscope;
using namespace Slopscope::Test;

namespace {

const QString kKeyName = QStringLiteral("SLOPSCOPE_T_CANARY_GUI");

ProviderConfig providerAt(const QString &id, const QString &baseUrl)
{
    ProviderConfig p;
    p.id = id;
    p.dialect = Dialect::OpenAIChat;
    p.baseUrl = baseUrl;
    p.apiKeyEnv = kKeyName;
    p.maxRetries = 0;
    return p;
}

TargetConfig targetOf(const QString &id, const QString &providerId, const QString &color)
{
    TargetConfig t;
    t.id = id;
    t.label = id;
    t.providerId = providerId;
    t.model = QStringLiteral("m");
    t.color = color;
    return t;
}

void collectModel(const QAbstractItemModel *model, const QModelIndex &parent, QStringList &texts)
{
    for (int r = 0; r < model->rowCount(parent); ++r) {
        for (int c = 0; c < model->columnCount(parent); ++c) {
            const QModelIndex index = model->index(r, c, parent);
            for (int role : {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::StatusTipRole), int(Qt::WhatsThisRole),
                             int(Qt::AccessibleTextRole)})
                texts.append(index.data(role).toString());
            for (int role = Qt::UserRole; role < Qt::UserRole + 32; ++role) {
                const QVariant v = index.data(role);
                if (v.canConvert<QString>())
                    texts.append(v.toString());
            }
            if (c == 0 && model->hasChildren(index))
                collectModel(model, index, texts);
        }
    }
    for (int c = 0; c < model->columnCount(parent); ++c)
        texts.append(model->headerData(c, Qt::Horizontal).toString());
}

// Everything the window and its children show or would show on hover.
QStringList shownTexts(const QWidget &root)
{
    QStringList texts{root.windowTitle()};
    QList<const QWidget *> widgets{&root};
    for (const QWidget *w : root.findChildren<QWidget *>())
        widgets.append(w);
    for (const QWidget *w : std::as_const(widgets)) {
        texts << w->windowTitle() << w->toolTip() << w->statusTip() << w->accessibleName()
              << w->accessibleDescription();
        if (const auto *label = qobject_cast<const QLabel *>(w))
            texts.append(label->text());
        if (const auto *edit = qobject_cast<const QLineEdit *>(w))
            texts.append(edit->text());
        if (const auto *text = qobject_cast<const QTextEdit *>(w))
            texts << text->toPlainText() << text->toHtml();
        if (const auto *plain = qobject_cast<const QPlainTextEdit *>(w))
            texts.append(plain->toPlainText());
        if (const auto *view = qobject_cast<const QAbstractItemView *>(w); view && view->model())
            collectModel(view->model(), {}, texts);
    }
    if (const auto *main = qobject_cast<const QMainWindow *>(&root))
        texts.append(main->statusBar()->currentMessage());
    return texts;
}

} // namespace

class TestCanaryGui final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        // Every file the GUI writes lands under this HOME; QSettings in its test-mode folder there.
        qputenv("HOME", QFile::encodeName(m_root.path()));
        for (const char *var : {"XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME"})
            qputenv(var, QFile::encodeName(m_root.filePath(QString::fromLatin1(var).toLower())));
        QStandardPaths::setTestModeEnabled(true);
        // The app's own names, so QSettings() here is the file the app writes.
        QCoreApplication::setOrganizationName(QStringLiteral("Slopscope"));
        QCoreApplication::setApplicationName(QStringLiteral("Slopscope"));
        qunsetenv(kKeyName.toLatin1().constData());
    }

    void errorsAndSettingsHoldNoKey()
    {
        const QString uuid = QUuid::createUuid().toString(QUuid::WithoutBraces);
        const QString canary = u"sk-CANARY-" + uuid;

        // A provider that quotes the key it was sent, as some do in their 401s (unmasked here).
        FakeProvider echo;
        QVERIFY(echo.listen());
        echo.setScript([](const RecordedRequest &request, int) {
            const QByteArray sent = request.header("authorization").mid(7);
            return FakeResponse::error(401, "{\"error\":{\"message\":\"Incorrect API key provided: " + sent +
                                                "\",\"code\":\"invalid_api_key\"}}");
        });

        Workspace ws;
        ws.name = QStringLiteral("canary");
        ws.providers = {providerAt(QStringLiteral("echo"), echo.baseUrl() + u"/v1"),
                        providerAt(QStringLiteral("plain"), QStringLiteral("http://10.0.0.5/v1"))};
        ws.targets = {targetOf(QStringLiteral("echo-t"), QStringLiteral("echo"), QStringLiteral("#0072B2")),
                      targetOf(QStringLiteral("plain-t"), QStringLiteral("plain"), QStringLiteral("#D55E00"))};
        const auto suite =
            Suite::fromJson(R"({"name": "s", "cases": [{"id": "c1", "prompt": "Hi"}]})", QStringLiteral("<test>"));
        QVERIFY(suite.ok());

        // Any dialog that comes up is read (its text is searched too) and dismissed.
        QStringList dialogTexts;
        QTimer dismiss;
        connect(&dismiss, &QTimer::timeout, this, [&dialogTexts] {
            if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
                dialogTexts << box->text() << box->informativeText() << box->detailedText();
                box->reject();
            }
        });
        dismiss.start(20);

        FakeKeyStore store;
        store.setFailure(FakeKeyStore::Operation::Write, KeyStoreStatus::NoService);
        auto owned = std::make_unique<MainWindow>();
        MainWindow &window = *owned;
        window.setUnsavedChangesPrompt([] { return MainWindow::UnsavedChoice::Discard; });
        window.useKeyStore(&store);
        window.setWorkspace(ws);
        window.addSuite(suite.value());
        window.resize(1400, 900);
        window.show();

        // The key, typed into Settings ▸ Keys; the keychain cannot take it: this session only.
        window.showSettings(SettingsDialog::Page::Keys);
        QPointer<SettingsDialog> dialog = window.settingsDialog();
        QVERIFY(dialog);
        KeysSettingsPage *page = dialog->keysPage();
        page->selectKey(kKeyName);
        QTRY_VERIFY(page->setKeyButton()->isEnabled());
        QTest::mouseClick(page->setKeyButton(), Qt::LeftButton);
        QPointer<KeyEntryDialog> entry = page->entryDialog();
        QVERIFY(entry);
        QTest::keyClicks(entry->field(), canary);
        entry->accept();
        QTRY_COMPARE(window.secrets()->origin(kKeyName), KeyringSecrets::Origin::Session);
        QCOMPARE(revealed(window.secrets()->secret(kKeyName)), std::optional<QString>(canary));
        // A preference changed in the same session: the app's own settings file is written too.
        dialog->appearancePage()->button(AppTheme::Choice::Light)->click();
        const QStringList settingsTexts = shownTexts(*dialog);
        dialog->close();
        // Both hosts confirmed for the key (S-11), so the run asks nothing: what is tested here is
        // what the failures show.
        window.secrets()->hostBindings().allow(kKeyName, QStringLiteral("127.0.0.1"));
        window.secrets()->hostBindings().allow(kKeyName, QStringLiteral("10.0.0.5"));

        QVERIFY(window.startRun());
        QTRY_COMPARE_WITH_TIMEOUT(window.session()->done(), 2, 20'000);
        QTRY_VERIFY(!window.session()->isRunning());
        // The last repaint and status message.
        QTest::qWait(100);
        QCOMPARE(echo.requestCount(), 1); // the key really went to the echoing provider

        // Each result cell selected in turn, so its detail view shows that cell's error as well.
        QStringList detailTexts;
        for (auto *table : window.findChildren<QTableView *>()) {
            if (!table->isVisible() || !table->model())
                continue;
            for (int r = 0; r < table->model()->rowCount(); ++r) {
                for (int c = 0; c < table->model()->columnCount(); ++c) {
                    table->setCurrentIndex(table->model()->index(r, c));
                    QCoreApplication::processEvents();
                    detailTexts += shownTexts(window);
                }
            }
        }
        QStringList errors;
        for (const CellResult &cell : window.session()->results())
            errors.append(cell.job.error);
        const QStringList shown = shownTexts(window) + detailTexts + dialogTexts + settingsTexts + errors;
        const QString all = shown.join(u'\n');
        // The controls: both failures are on screen, so their texts were searched.
        QVERIFY2(all.contains(u"HTTP 401"), qPrintable(errors.join(u" | ")));
        QVERIFY2(all.contains(u"Incorrect API key provided"), qPrintable(errors.join(u" | ")));
        QVERIFY2(all.contains(u"plain HTTP"), qPrintable(errors.join(u" | ")));
        if (const QString shot = qEnvironmentVariable("SLOPSCOPE_TEST_SCREENSHOT"); !shot.isEmpty())
            QVERIFY(window.grab().save(shot));
        for (const QString &needle : {canary, uuid})
            QVERIFY2(!all.contains(needle), "the key is shown");

        window.close();
        owned.reset(); // what it saves on the way out is searched too
        QSettings().sync();
        // The settings the GUI wrote (the key's confirmed hosts among them) are there to search.
        bool settingsWritten = false;
        bool appSettingsWritten = false;
        QStringList written;
        QDirIterator it(m_root.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile f(it.next());
            written.append(f.fileName());
            appSettingsWritten = appSettingsWritten || f.fileName().endsWith(u"/Slopscope/Slopscope.conf");
            settingsWritten = settingsWritten || (f.fileName().endsWith(u".conf") && f.open(QIODevice::ReadOnly) &&
                                                  f.readAll().contains(kKeyName.toUtf8()));
        }
        qInfo("written: %s", qPrintable(written.join(u", ")));
        QVERIFY2(settingsWritten, qPrintable(u"no QSettings file names the key, the scan below would prove nothing: " +
                                             written.join(u", ")));
        const SecretScan scan = scanForSecrets(m_root.path(), {canary, uuid});
        QVERIFY2(appSettingsWritten, qPrintable(written.join(u", ")));
        QVERIFY(scan.filesScanned >= 2);
        QVERIFY2(scan.hits.isEmpty(), qPrintable(scan.hits.join(u'\n')));
    }

private:
    QTemporaryDir m_root;
};

QTEST_MAIN(TestCanaryGui)
#include "tst_canarygui.moc"
