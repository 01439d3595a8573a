// Settings ▸ Providers: provider and target edits held to the loader's checks, applied to the
// window as one undoable change, and saved through File ▸ Save Workspace (As).
#include "core/Workspace.h"
#include "core/WorkspaceWriter.h"
#include "engine/FakeKeyStore.h"
#include "MainWindow.h"
#include "metrics/PriceCatalogue.h"
#include "ProviderSettingsForm.h"
#include "ProvidersSettingsPage.h"
#include "run/RunSession.h"
#include "SettingsDialog.h"
#include "TargetSettingsForm.h"

#include <QAction>
#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUndoStack>

using namespace Slopscope;

// moc loses its way in the workspace's raw string: the helpers are defined after the class.
namespace {

Workspace workspace();
PriceCatalogue catalogue();
void retype(QLineEdit *edit, const QString &text);

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

} // namespace

class TestProvidersSettings final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
    }

    void invalidBaseUrlShowsTheProblemAndDisablesOk()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        dialog.showPage(SettingsDialog::Page::Providers);
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        QLineEdit *url = page->providerForm()->baseUrlEdit();
        QVERIFY(!url->isReadOnly());
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(!dialog.applyButton()->isEnabled()); // nothing to apply yet

        retype(url, QStringLiteral("ftp://files.example.test"));
        QVERIFY(!page->problem().isEmpty());
        QVERIFY2(page->problem().contains(QStringLiteral("providers[0].base_url")), qPrintable(page->problem()));
        QVERIFY(page->problemLabel()->isVisibleTo(&dialog));
        QCOMPARE(page->problemLabel()->text(), page->problem());
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(!dialog.applyButton()->isEnabled());
        QVERIFY(!dialog.applyWorkspace());
        screenshot(&dialog, "providers-invalid-url.png");

        retype(url, QStringLiteral("https://other.example.test/v1"));
        QVERIFY(page->problem().isEmpty());
        QVERIFY(!page->problemLabel()->isVisibleTo(&dialog));
        QVERIFY(dialog.okButton()->isEnabled());
        QVERIFY(dialog.applyButton()->isEnabled());
        QCOMPARE(page->workspace().provider(QStringLiteral("openai"))->baseUrl, u"https://other.example.test/v1"_qs);
    }

    void proxyIsCheckedLikeTheLoader()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        ProviderSettingsForm *form = page->providerForm();
        form->proxyChoice()->setCurrentIndex(static_cast<int>(ProviderSettingsForm::Proxy::Url));
        QVERIFY(form->proxyUrlEdit()->isEnabled());
        QVERIFY(page->problem().contains(QStringLiteral("proxy"))); // chosen but blank
        retype(form->proxyUrlEdit(), QStringLiteral("http://user:pw@proxy.corp:3128"));
        QVERIFY2(page->problem().contains(QStringLiteral("credentials")), qPrintable(page->problem()));
        QVERIFY(!page->problem().contains(QStringLiteral("pw"))); // the secret is not echoed
        QVERIFY(!dialog.okButton()->isEnabled());
        retype(form->proxyUrlEdit(), QStringLiteral("http://proxy.corp:3128"));
        QVERIFY(page->problem().isEmpty());
        QCOMPARE(page->workspace().providers.at(0).proxy, u"http://proxy.corp:3128"_qs);
        form->proxyChoice()->setCurrentIndex(static_cast<int>(ProviderSettingsForm::Proxy::None));
        QCOMPARE(page->workspace().providers.at(0).proxy, u"none"_qs);
        QVERIFY(!form->proxyUrlEdit()->isEnabled());
    }

    void limitsAndTimeoutsAreEdited()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        ProviderSettingsForm *form = page->providerForm();
        form->concurrencySpin()->setValue(12);
        form->retriesSpin()->setValue(0);
        form->timeoutSpin(0)->setValue(2.5); // seconds
        form->timeoutSpin(5)->setValue(60);
        form->insecureKeyCheck()->setChecked(true);
        const ProviderConfig &p = *page->workspace().provider(QStringLiteral("openai"));
        QCOMPARE(p.maxConcurrency, 12);
        QCOMPARE(p.maxRetries, 0);
        QCOMPARE(p.timeouts.connectMs, 2500);
        QCOMPARE(p.timeouts.totalMs, 60'000);
        QCOMPARE(p.timeouts.idleMs, Timeouts{}.idleMs);
        QVERIFY(p.allowInsecureKey);
        QVERIFY(page->isModified());
        // Switching away and back shows the edited values, not the file's.
        page->selectTarget(QStringLiteral("gpt"));
        page->selectProvider(QStringLiteral("openai"));
        QCOMPARE(form->concurrencySpin()->value(), 12);
    }

    void simulatorUrlIsReadOnly()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("sim"));
        QLineEdit *url = page->providerForm()->baseUrlEdit();
        QVERIFY(url->isReadOnly());
        QVERIFY(!page->providerForm()->dialectChoice()->isEnabled());
        QCOMPARE(url->text(), u"{simulator}/anthropic"_qs);
        QTest::keyClicks(url, QStringLiteral("x"));
        QCOMPARE(page->workspace().provider(QStringLiteral("sim"))->baseUrl, u"{simulator}/anthropic"_qs);
        QVERIFY(!page->isModified());
        // A real provider's is editable again.
        page->selectProvider(QStringLiteral("openai"));
        QVERIFY(!url->isReadOnly());
        QVERIFY(page->providerForm()->dialectChoice()->isEnabled());
    }

    void priceOverrideIsMarkedAppliedAndWritten()
    {
        const PriceCatalogue prices = catalogue();
        SettingsDialog dialog(nullptr, workspace(), &prices, nullptr);
        dialog.showPage(SettingsDialog::Page::Providers);
        Workspace applied;
        int applies = 0;
        dialog.setWorkspaceApplier([&](const Workspace &w) {
            applied = w;
            ++applies;
            return Status{};
        });
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectTarget(QStringLiteral("gpt"));
        TargetSettingsForm *form = page->targetForm();
        QLineEdit *input = form->priceEdit(TargetSettingsForm::Input);
        // The catalogue's price and date are shown, and an empty field takes them.
        QVERIFY(input->text().isEmpty());
        QCOMPARE(input->placeholderText(), QLocale().toString(2.5, 'g', 8));
        QCOMPARE(form->priceEdit(TargetSettingsForm::Output)->placeholderText(), QLocale().toString(10.0, 'g', 8));
        QVERIFY2(form->catalogueNote()->text().contains(QStringLiteral("2026-07-18")),
                 qPrintable(form->catalogueNote()->text()));
        QCOMPARE(form->priceState(TargetSettingsForm::Input)->text(), u"from the catalogue"_qs);
        QCOMPARE(form->priceState(TargetSettingsForm::Reasoning)->text(), u"unknown"_qs);

        retype(input, QStringLiteral("-1"));
        QVERIFY2(page->problem().contains(QStringLiteral("targets[0].price.input_per_mtok")),
                 qPrintable(page->problem()));
        QVERIFY(!dialog.okButton()->isEnabled());
        retype(input, QStringLiteral("abc"));
        QVERIFY(page->problem().contains(QStringLiteral("not a number")));
        retype(input, QStringLiteral("3"));
        QVERIFY(page->problem().isEmpty());
        QVERIFY(form->priceState(TargetSettingsForm::Input)->text().startsWith(QStringLiteral("overrides")));
        QVERIFY(input->font().bold());
        QCOMPARE(form->priceState(TargetSettingsForm::Output)->text(), u"from the catalogue"_qs);

        retype(form->temperatureEdit(), QStringLiteral("3"));
        QVERIFY(page->problem().contains(QStringLiteral("temperature")));
        retype(form->temperatureEdit(), QStringLiteral("0.25"));
        form->maxTokensSpin()->setValue(256);
        form->reasoningEffortBox()->setCurrentText(QStringLiteral("high"));
        QVERIFY(page->problem().isEmpty());
        screenshot(&dialog, "providers-target-prices.png");

        dialog.applyButton()->click();
        QCOMPARE(applies, 1);
        QVERIFY(!page->isModified());
        QVERIFY(!dialog.applyButton()->isEnabled());
        const TargetConfig *t = applied.target(QStringLiteral("gpt"));
        QVERIFY(t);
        QCOMPARE(t->price.inputPerMTok, std::optional<double>(3.0));
        QVERIFY(!t->price.outputPerMTok); // still the catalogue's, not copied in

        // Written as an override, and only that.
        QTemporaryDir dir;
        const QString path = dir.filePath(u"ws.json"_qs);
        QVERIFY(saveWorkspace(applied, path).ok());
        auto back = Workspace::fromFile(path);
        QVERIFY2(back.ok(), qPrintable(back.error()));
        const TargetConfig *read = back.value().target(QStringLiteral("gpt"));
        QCOMPARE(read->price.inputPerMTok, std::optional<double>(3.0));
        QVERIFY(!read->price.outputPerMTok);
        QCOMPARE(read->params.temperature, std::optional<double>(0.25));
        QCOMPARE(read->params.maxTokens, std::optional<int>(256));
        QCOMPARE(read->params.reasoningEffort, u"high"_qs);

        // Clearing the field goes back to the catalogue.
        retype(input, QString());
        QVERIFY(!page->workspace().target(QStringLiteral("gpt"))->price.inputPerMTok);
        QCOMPARE(form->priceState(TargetSettingsForm::Input)->text(), u"from the catalogue"_qs);
    }

    void refusedApplyIsShownAndKept()
    {
        SettingsDialog dialog(nullptr, workspace(), nullptr, nullptr);
        dialog.setWorkspaceApplier([](const Workspace &) { return Status{Error{u"Stop the run first."_qs}}; });
        ProvidersSettingsPage *page = dialog.providersPage();
        page->selectProvider(QStringLiteral("openai"));
        page->providerForm()->concurrencySpin()->setValue(7);
        QVERIFY(!dialog.applyWorkspace());
        QCOMPARE(page->problemLabel()->text(), u"Stop the run first."_qs);
        QVERIFY(page->isModified()); // the edits stay for a later Apply
    }

    // Apply in the window's dialog is one change on the lineup's undo stack; undo restores it all.
    void applyInTheWindowIsOneUndoableChange()
    {
        FakeKeyStore store;
        MainWindow window;
        window.useKeyStore(&store);
        window.setWorkspace(workspace(), QString());
        window.showSettings(SettingsDialog::Page::Providers);
        SettingsDialog *dialog = window.settingsDialog();
        QVERIFY(dialog);
        ProvidersSettingsPage *page = dialog->providersPage();
        QCOMPARE(dialog->pages()->currentWidget(), static_cast<QWidget *>(page));
        page->selectProvider(QStringLiteral("openai"));
        retype(page->providerForm()->baseUrlEdit(), QStringLiteral("https://moved.example.test/v1"));
        page->providerForm()->concurrencySpin()->setValue(9);
        page->selectTarget(QStringLiteral("fake"));
        retype(page->targetForm()->priceEdit(TargetSettingsForm::Output), QStringLiteral("4"));
        QVERIFY(!window.isWorkspaceModified());
        dialog->applyButton()->click();

        QCOMPARE(window.targetEdits()->count(), 1);
        QVERIFY(window.isWorkspaceModified());
        QVERIFY(window.windowTitle().contains(QStringLiteral("edits*")));
        const ProviderConfig *p = window.workspace().provider(QStringLiteral("openai"));
        QCOMPARE(p->baseUrl, u"https://moved.example.test/v1"_qs);
        QCOMPARE(p->maxConcurrency, 9);
        QCOMPARE(window.workspace().target(QStringLiteral("fake"))->price.outputPerMTok, std::optional<double>(4.0));

        window.targetEdits()->undo();
        QCOMPARE(window.workspace().provider(QStringLiteral("openai"))->baseUrl, u"https://api.example.test/v1"_qs);
        QCOMPARE(window.workspace().provider(QStringLiteral("openai"))->maxConcurrency, 4);
        QVERIFY(!window.workspace().target(QStringLiteral("fake"))->price.outputPerMTok);
        QVERIFY(!window.isWorkspaceModified());
        QVERIFY(!window.windowTitle().contains(QStringLiteral("edits*")));
        window.targetEdits()->redo();
        QCOMPARE(window.workspace().provider(QStringLiteral("openai"))->maxConcurrency, 9);
    }

    // Edits made on a copy are not applied over a lineup that changed since the dialog opened.
    void aStaleCopyIsNotApplied()
    {
        FakeKeyStore store;
        MainWindow window;
        window.useKeyStore(&store);
        window.setWorkspace(workspace(), QString());
        window.showSettings(SettingsDialog::Page::Providers);
        SettingsDialog *dialog = window.settingsDialog();
        ProvidersSettingsPage *page = dialog->providersPage();
        QVERIFY(window.removeTarget(QStringLiteral("fake")).ok()); // meanwhile, in the window
        page->selectProvider(QStringLiteral("openai"));
        page->providerForm()->concurrencySpin()->setValue(2);
        QVERIFY(!dialog->applyWorkspace());
        QVERIFY(page->problemLabel()->text().contains(QStringLiteral("changed since")));
        QVERIFY(!window.workspace().target(QStringLiteral("fake"))); // the removal stands
        QCOMPARE(window.workspace().provider(QStringLiteral("openai"))->maxConcurrency, 4);
        QCOMPARE(window.targetEdits()->count(), 1);
    }

    // During a run the page says why it cannot be edited and the window refuses an edit.
    void editsWaitForTheRun()
    {
        MainWindow window;
        window.setWorkspace(Workspace::demo());
        window.show();
        window.showSettings(SettingsDialog::Page::Providers); // opened before the run: locked when it starts
        QVERIFY(window.settingsDialog()->providersPage()->lockNote()->isHidden());
        QVERIFY(window.startRun());
        QVERIFY(window.session()->isRunning());
        ProvidersSettingsPage *page = window.settingsDialog()->providersPage();
        QVERIFY(page->lockNote()->isVisibleTo(window.settingsDialog()));
        QVERIFY(!page->providerForm()->isEnabled());
        QVERIFY(!page->addProviderButton()->isEnabled());
        QVERIFY(!page->removeProviderButton()->isEnabled());
        Workspace next = window.workspace();
        next.providers.first().maxConcurrency = 1;
        const Status refused = window.editWorkspace(next, QStringLiteral("Edit"));
        QVERIFY(!refused.ok());
        QVERIFY(refused.error().contains(QStringLiteral("Stop the run")));
        QCOMPARE(window.targetEdits()->count(), 0);
        window.session()->cancel();
        QTRY_VERIFY_WITH_TIMEOUT(!window.session()->isRunning(), 30'000);
        // The open page unlocks when the run ends.
        QTRY_VERIFY(page->providerForm()->isEnabled());
        QVERIFY(!page->lockNote()->isVisibleTo(window.settingsDialog()));
        QVERIFY(page->addProviderButton()->isEnabled());
        QVERIFY(page->removeProviderButton()->isEnabled());
        QVERIFY(window.editWorkspace(next, QStringLiteral("Edit")).ok());
        QCOMPARE(window.workspace().providers.first().maxConcurrency, 1);
    }

    // Save Workspace As writes a file that loads back with the edit; Save then reuses the file;
    // closing with unsaved edits asks, and Cancel keeps the window.
    void saveWorkspaceAsWritesTheEdit()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"saved.json"_qs);
        MainWindow window;
        window.setWorkspace(Workspace::demo()); // the bundled demo: no file of its own
        int prompts = 0;
        window.setSaveFileNamePrompt([&](const QString &suggested) {
            ++prompts;
            return suggested.isEmpty() ? QString() : path;
        });
        Workspace next = window.workspace();
        next.providers.first().maxConcurrency = 3;
        next.targets.first().params.maxTokens = 111;
        QVERIFY(window.editWorkspace(next, QStringLiteral("Edit")).ok());
        QVERIFY(window.isWorkspaceModified());

        QAction *save = window.findChild<QAction *>(QStringLiteral("saveWorkspaceAction"));
        QVERIFY(save);
        QCOMPARE(save->shortcut(), QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_S));
        save->trigger(); // the demo has no file: Save asks for one
        QCOMPARE(prompts, 1);
        QCOMPARE(window.workspacePath(), path);
        QVERIFY(!window.isWorkspaceModified());
        auto back = Workspace::fromFile(path);
        QVERIFY2(back.ok(), qPrintable(back.error()));
        QCOMPARE(back.value().providers.first().maxConcurrency, 3);
        QCOMPARE(back.value().targets.first().params.maxTokens, std::optional<int>(111));
        QCOMPARE(back.value().targets.size(), Workspace::demo().targets.size());

        // The next Save goes to the same file without asking.
        next.providers.first().maxConcurrency = 5;
        QVERIFY(window.editWorkspace(next, QStringLiteral("Edit again")).ok());
        save->trigger();
        QCOMPARE(prompts, 1);
        QCOMPARE(Workspace::fromFile(path).value().providers.first().maxConcurrency, 5);

        // Unsaved edits: closing asks; Cancel keeps the window open, Discard lets it close.
        QVERIFY(window.removeTarget(next.targets.first().id).ok());
        int asked = 0;
        window.setUnsavedChangesPrompt([&] {
            ++asked;
            return MainWindow::UnsavedChoice::Cancel;
        });
        window.show();
        QVERIFY(!window.close());
        QCOMPARE(asked, 1);
        QVERIFY(window.isVisible());
        window.setUnsavedChangesPrompt([&] {
            ++asked;
            return MainWindow::UnsavedChoice::Discard;
        });
        QVERIFY(window.close());
        QCOMPARE(asked, 2);
        // Discarded: the file still has the saved lineup.
        QCOMPARE(Workspace::fromFile(path).value().targets.size(), Workspace::demo().targets.size());
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

// A one-model catalogue with a date, so placeholders and notes are known.
PriceCatalogue catalogue()
{
    CatalogueInfo info;
    info.date = QStringLiteral("2026-07-18");
    auto c = PriceCatalogue::fromJson(R"({"gpt-4o": {"litellm_provider": "openai", "mode": "chat",
        "input_cost_per_token": 2.5e-06, "output_cost_per_token": 1e-05}})",
                                      QStringLiteral("prices.json"), info);
    Q_ASSERT(c.ok());
    return c.value();
}

void retype(QLineEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

} // namespace

QTEST_MAIN(TestProvidersSettings)
#include "tst_providerssettings.moc"
