#include "AddTargetDialog.h"
#include "MainWindow.h"
#include "StreamPaneGrid.h"
#include "TargetListWidget.h"
#include "engine/LocalDiscovery.h"
#include "engine/ProviderPresets.h"
#include "metrics/PriceCatalogue.h"

#include <QAction>
#include <QComboBox>
#include <QCoreApplication>
#include <QLabel>
#include <QLineEdit>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

using namespace Slopscope;

namespace {

// Answers every request on loopback with one JSON body, as a local server's model list would.
class ModelListServer final : public QTcpServer
{
public:
    explicit ModelListServer(QByteArray body)
        : m_body(std::move(body))
    {
        connect(this, &QTcpServer::newConnection, this, [this] {
            while (QTcpSocket *socket = nextPendingConnection()) {
                connect(socket, &QTcpSocket::readyRead, socket, [this, socket] {
                    if (!socket->readAll().contains("\r\n\r\n"))
                        return; // the whole request head first
                    socket->write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n"
                                  "Content-Length: " +
                                  QByteArray::number(m_body.size()) + "\r\n\r\n" + m_body);
                    socket->disconnectFromHost();
                });
                connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
            }
        });
    }

private:
    QByteArray m_body;
};

PriceCatalogue testCatalogue()
{
    const QByteArray table = R"({
        "vllm/qwen3": {"litellm_provider": "vllm", "mode": "chat",
                       "input_cost_per_token": 1e-7, "output_cost_per_token": 4e-7},
        "gpt-4o": {"litellm_provider": "openai", "mode": "chat",
                   "input_cost_per_token": 2.5e-6, "output_cost_per_token": 1e-5}})";
    auto c = PriceCatalogue::fromJson(table, QStringLiteral("test table"),
                                      CatalogueInfo{QStringLiteral("test"), QStringLiteral("abc"),
                                                    QStringLiteral("2026-07-18")});
    Q_ASSERT(c.ok());
    return c.value();
}

int findSource(const QComboBox *box, const QString &prefix)
{
    for (int i = 0; i < box->count(); ++i) {
        if (box->itemText(i).startsWith(prefix))
            return i;
    }
    return -1;
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

// A free loopback port: listen, note it, close.
quint16 closedPort()
{
    QTcpServer s;
    if (!s.listen(QHostAddress::LocalHost))
        return 1;
    return s.serverPort();
}

} // namespace

class tst_AddTargetDialog final : public QObject
{
    Q_OBJECT

private slots:
    void discoveredServerOffersItsModels()
    {
        ModelListServer server(R"({"object":"list","data":[{"id":"qwen3"},{"id":"<img src=x>"}]})");
        QVERIFY(server.listen(QHostAddress::LocalHost));
        const PriceCatalogue catalogue = testCatalogue();
        AddTargetDialog dialog(Workspace{}, &catalogue);
        dialog.discovery()->setTimeoutMs(2000);
        dialog.discovery()->setProbes({LocalDiscovery::Probe{*ProviderPresets::find(QStringLiteral("vllm")),
                                                             server.serverPort()},
                                       LocalDiscovery::Probe{*ProviderPresets::find(QStringLiteral("ollama")),
                                                             closedPort()}});
        QSignalSpy finished(dialog.discovery(), &LocalDiscovery::finished);
        dialog.startDiscovery();
        QCOMPARE(dialog.discoveryStatus()->text(), QStringLiteral("Looking for local servers…"));
        QVERIFY(finished.wait(5000));
        QCOMPARE(dialog.discoveryStatus()->text(), QStringLiteral("Found 1 local server(s)."));

        // Listed once (the closed port is not), first, and chosen since the workspace had nothing.
        const QString port = QString::number(server.serverPort());
        const int row = findSource(dialog.sourceBox(), QStringLiteral("vLLM at localhost:") + port);
        QCOMPARE(row, 0);
        QCOMPARE(dialog.sourceBox()->currentIndex(), 0);
        QCOMPARE(findSource(dialog.sourceBox(), QStringLiteral("Ollama at")), -1);
        QCOMPARE(dialog.modelBox()->count(), 2);
        QCOMPARE(dialog.modelBox()->itemText(0), QStringLiteral("qwen3"));
        // A hostile name is an item's plain text, quoted in a plain-text label.
        QCOMPARE(dialog.modelBox()->itemText(1), QStringLiteral("<img src=x>"));

        // A model the catalogue knows: its prices and the catalogue's date.
        QCOMPARE(dialog.modelBox()->currentText(), QStringLiteral("qwen3"));
        QCOMPARE(dialog.inputPriceEdit()->text(), QStringLiteral("0.1"));
        QCOMPARE(dialog.outputPriceEdit()->text(), QStringLiteral("0.4"));
        QVERIFY2(dialog.priceNote()->text().contains(QStringLiteral("2026-07-18")),
                 qPrintable(dialog.priceNote()->text()));

        // One it does not know: prices unknown (empty), never 0.
        screenshot(&dialog, "add-target-dialog.png");
        dialog.modelBox()->setCurrentIndex(1);
        QVERIFY(dialog.inputPriceEdit()->text().isEmpty());
        QVERIFY(dialog.outputPriceEdit()->text().isEmpty());
        QCOMPARE(dialog.priceNote()->textFormat(), Qt::PlainText);
        QVERIFY(dialog.priceNote()->text().contains(QStringLiteral("“<img src=x>” is not in the price catalogue")));
        QCOMPARE(dialog.labelEdit()->text(), QStringLiteral("<img src=x>"));
        QCOMPARE(dialog.idEdit()->text(), QStringLiteral("vllm--img-src-x-"));

        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QVERIFY(dialog.newProvider().has_value());
        QCOMPARE(dialog.newProvider()->id, QStringLiteral("vllm"));
        QCOMPARE(dialog.newProvider()->baseUrl, QStringLiteral("http://localhost:%1/v1").arg(port));
        QCOMPARE(dialog.target().model, QStringLiteral("<img src=x>"));
        QVERIFY(!dialog.target().price.inputPerMTok.has_value());
        QVERIFY(!dialog.target().params.temperature.has_value());
    }

    void typedModelAndParametersAreKept()
    {
        const PriceCatalogue catalogue = testCatalogue();
        AddTargetDialog dialog(Workspace{}, &catalogue);
        const int openai = findSource(dialog.sourceBox(), QStringLiteral("OpenAI (preset)"));
        QVERIFY(openai >= 0);
        dialog.sourceBox()->setCurrentIndex(openai);
        // The preset's known models come from the catalogue, no network needed.
        QVERIFY(dialog.modelBox()->findText(QStringLiteral("gpt-4o")) >= 0);
        dialog.modelBox()->lineEdit()->clear();
        QTest::keyClicks(dialog.modelBox()->lineEdit(), QStringLiteral("gpt-4o"));
        QCOMPARE(dialog.inputPriceEdit()->text(), QStringLiteral("2.5"));
        QCOMPARE(dialog.outputPriceEdit()->text(), QStringLiteral("10"));
        // The user's price wins; blank parameters stay "provider default".
        dialog.outputPriceEdit()->setText(QStringLiteral("8"));
        QTest::keyClicks(dialog.temperatureEdit(), QStringLiteral("0.5"));
        dialog.reasoningBox()->setCurrentIndex(dialog.reasoningBox()->findData(QStringLiteral("low")));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const TargetConfig &t = dialog.target();
        QCOMPARE(t.id, QStringLiteral("openai-gpt-4o"));
        QCOMPARE(t.providerId, QStringLiteral("openai"));
        QCOMPARE(t.price.inputPerMTok.value(), 2.5);
        QCOMPARE(t.price.outputPerMTok.value(), 8.0);
        QCOMPARE(t.params.temperature.value(), 0.5);
        QVERIFY(!t.params.maxTokens.has_value());
        QCOMPARE(t.params.reasoningEffort, QStringLiteral("low"));
        QCOMPARE(QColor(t.color), QColor(Workspace::paletteColor(0)));
    }

    void noServerFoundIsSaid()
    {
        AddTargetDialog dialog(Workspace{}, nullptr);
        dialog.discovery()->setTimeoutMs(2000);
        dialog.discovery()->setProbes(
            {LocalDiscovery::Probe{*ProviderPresets::find(QStringLiteral("lmstudio")), closedPort()}});
        QSignalSpy finished(dialog.discovery(), &LocalDiscovery::finished);
        dialog.startDiscovery();
        QVERIFY(finished.wait(5000));
        QCOMPARE(dialog.discoveryStatus()->text(), QStringLiteral("No local server answered on its default port."));
        QCOMPARE(dialog.sourceBox()->count(), ProviderPresets::all().size());
        QVERIFY(dialog.sourceBox()->currentText().startsWith(ProviderPresets::all().first().displayName));
        QVERIFY(dialog.priceNote()->text().contains(QStringLiteral("No price catalogue")));
    }

    void presetBesideAWorkspaceProviderOfTheSameId()
    {
        Workspace ws;
        ProviderConfig mine;
        mine.id = QStringLiteral("openai");
        mine.baseUrl = QStringLiteral("https://proxy.example/v1");
        ws.providers.append(mine);
        const PriceCatalogue catalogue = testCatalogue();
        AddTargetDialog dialog(ws, &catalogue);
        dialog.sourceBox()->setCurrentIndex(findSource(dialog.sourceBox(), QStringLiteral("OpenAI (preset)")));
        dialog.modelBox()->setEditText(QStringLiteral("gpt-4o"));
        // Still priced as OpenAI's model although the new provider needs another id.
        QCOMPARE(dialog.inputPriceEdit()->text(), QStringLiteral("2.5"));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(dialog.newProvider()->id, QStringLiteral("openai-2"));
        QCOMPARE(dialog.newProvider()->baseUrl, QStringLiteral("https://api.openai.com/v1"));
        QCOMPARE(dialog.target().providerId, QStringLiteral("openai-2"));
        QCOMPARE(dialog.target().id, QStringLiteral("openai-2-gpt-4o"));
    }

    void addTargetIsOnCtrlTAndTheLineupsMenu()
    {
        MainWindow window;
        const auto *add = window.findChild<QAction *>(QStringLiteral("addTargetAction"));
        QVERIFY(add);
        const QKeySequence ctrlT(Qt::CTRL | Qt::Key_T);
        QCOMPARE(add->shortcut(), ctrlT);
        int onCtrlT = 0;
        const QList<QAction *> actions = window.findChildren<QAction *>();
        for (const QAction *a : actions)
            onCtrlT += a->shortcuts().contains(ctrlT) ? 1 : 0;
        QCOMPARE(onCtrlT, 1);
        QCOMPARE(window.targetList()->contextMenuPolicy(), Qt::ActionsContextMenu);
        QVERIFY(window.targetList()->actions().contains(add));
        QVERIFY(window.targetList()->actions().contains(
            window.findChild<QAction *>(QStringLiteral("removeTargetAction"))));
    }

    void refusesDuplicateIdAndEmptyModel()
    {
        Workspace ws = Workspace::demo();
        QVERIFY(!ws.targets.isEmpty());
        AddTargetDialog dialog(ws, nullptr);
        QCOMPARE(dialog.sourceBox()->currentIndex(), 0); // the workspace's first provider
        QVERIFY(dialog.sourceBox()->currentText().contains(QStringLiteral("in this workspace")));
        QCOMPARE(QColor(dialog.color()), QColor(Workspace::paletteColor(ws.targets.size())));

        dialog.modelBox()->setEditText(QString());
        dialog.accept();
        QVERIFY(dialog.result() != QDialog::Accepted);
        QCOMPARE(dialog.errorLabel()->text(), QStringLiteral("Choose or type a model."));

        dialog.modelBox()->setEditText(QStringLiteral("some-model"));
        dialog.idEdit()->setText(ws.targets.first().id);
        dialog.accept();
        QVERIFY(dialog.result() != QDialog::Accepted);
        QVERIFY(!dialog.errorLabel()->isHidden());
        QCOMPARE(dialog.errorLabel()->text(), QStringLiteral("A target with the id “%1” already exists: choose another id.")
                                                  .arg(ws.targets.first().id));
    }

    void acceptingAddsTheTargetToTheLineup()
    {
        MainWindow window;
        const Workspace demo = Workspace::demo();
        window.setWorkspace(demo);
        TargetListWidget *list = window.targetList();
        list->topLevelItem(0)->setCheckState(TargetListWidget::LabelColumn, Qt::Unchecked);

        AddTargetDialog *dialog = window.showAddTarget();
        QVERIFY(dialog);
        QVERIFY(window.findChild<AddTargetDialog *>() == dialog);
        const int groq = findSource(dialog->sourceBox(), QStringLiteral("Groq (preset)"));
        QVERIFY(groq >= 0);
        dialog->sourceBox()->setCurrentIndex(groq);
        dialog->modelBox()->setEditText(QStringLiteral("my-model"));
        dialog->setColor(QStringLiteral("#123456"));
        // The bundled catalogue was loaded for the dialog; it does not know this model.
        QVERIFY2(dialog->priceNote()->text().contains(QStringLiteral("is not in the price catalogue")),
                 qPrintable(dialog->priceNote()->text()));
        dialog->accept();

        QCOMPARE(window.workspace().targets.size(), demo.targets.size() + 1);
        const TargetConfig *added = window.workspace().target(QStringLiteral("groq-my-model"));
        QVERIFY(added);
        QVERIFY(window.workspace().provider(QStringLiteral("groq")));
        QCOMPARE(list->topLevelItemCount(), demo.targets.size() + 1);
        const QTreeWidgetItem *row = list->topLevelItem(list->topLevelItemCount() - 1);
        QCOMPARE(row->data(TargetListWidget::LabelColumn, Qt::UserRole).toString(), QStringLiteral("groq-my-model"));
        QCOMPARE(row->checkState(TargetListWidget::LabelColumn), Qt::Checked);
        const QImage swatch = row->icon(TargetListWidget::LabelColumn).pixmap(14, 14).toImage();
        QCOMPARE(swatch.pixelColor(7, 7).name(), QStringLiteral("#123456"));
        QCOMPARE(row->text(TargetListWidget::PriceColumn), QStringLiteral("price unknown"));
        // The user's unchecked target stays unchecked; the new one gets its live pane.
        QCOMPARE(list->topLevelItem(0)->checkState(TargetListWidget::LabelColumn), Qt::Unchecked);
        QVERIFY(window.streamPanes()->pane(QStringLiteral("groq-my-model")));
        QVERIFY(list->checkedTargetIds().contains(QStringLiteral("groq-my-model")));
        screenshot(&window, "main-window-added-target.png");

        // The same id again is refused without changing anything; removing takes it out.
        QVERIFY(!window.addTarget(*added).ok());
        QCOMPARE(window.workspace().targets.size(), demo.targets.size() + 1);
        QVERIFY(window.removeTarget(QStringLiteral("groq-my-model")).ok());
        QCOMPARE(list->topLevelItemCount(), demo.targets.size());
        QVERIFY(!window.streamPanes()->pane(QStringLiteral("groq-my-model")));

        // Both edits undo and redo, lineup and panes with them.
        auto *undo = window.findChild<QAction *>(QStringLiteral("undoTargetAction"));
        auto *redo = window.findChild<QAction *>(QStringLiteral("redoTargetAction"));
        QVERIFY(undo && redo);
        QCOMPARE(undo->shortcut(), QKeySequence(QKeySequence::Undo));
        QVERIFY(undo->isEnabled());
        // The entries name the edit they take back.
        QCOMPARE(undo->text(), QStringLiteral("&Undo Remove groq-my-model"));
        undo->trigger();
        QVERIFY2(undo->text().startsWith(QStringLiteral("&Undo Add ")), qPrintable(undo->text()));
        QCOMPARE(redo->text(), QStringLiteral("Re&do Remove groq-my-model"));
        QVERIFY(window.workspace().target(QStringLiteral("groq-my-model")));
        QVERIFY(window.streamPanes()->pane(QStringLiteral("groq-my-model")));
        QCOMPARE(list->topLevelItemCount(), demo.targets.size() + 1);
        undo->trigger();
        QVERIFY(!window.workspace().target(QStringLiteral("groq-my-model")));
        QVERIFY(!window.workspace().provider(QStringLiteral("groq"))); // the provider it brought, too
        QVERIFY(!undo->isEnabled());
        QCOMPARE(undo->text(), QStringLiteral("&Undo"));
        redo->trigger();
        QVERIFY(window.workspace().target(QStringLiteral("groq-my-model")));
        QVERIFY(window.workspace().provider(QStringLiteral("groq")));

        // Another workspace: the edits of the last one cannot be undone into it.
        window.setWorkspace(demo);
        QVERIFY(!undo->isEnabled());
        QVERIFY(!redo->isEnabled());
    }

    void removeTargetFromTheLineupIsUndoable()
    {
        MainWindow window;
        const Workspace demo = Workspace::demo();
        window.setWorkspace(demo);
        TargetListWidget *list = window.targetList();
        auto *remove = window.findChild<QAction *>(QStringLiteral("removeTargetAction"));
        QVERIFY(remove);
        remove->trigger(); // nothing selected: nothing removed
        QCOMPARE(window.workspace().targets.size(), demo.targets.size());
        list->setCurrentItem(list->topLevelItem(1));
        remove->trigger();
        QCOMPARE(window.workspace().targets.size(), demo.targets.size() - 1);
        QVERIFY(!window.workspace().target(demo.targets.at(1).id));
        window.findChild<QAction *>(QStringLiteral("undoTargetAction"))->trigger();
        QCOMPARE(window.workspace().targets.at(1).id, demo.targets.at(1).id); // back in its place
        QCOMPARE(list->topLevelItem(1)->data(TargetListWidget::LabelColumn, Qt::UserRole).toString(),
                 demo.targets.at(1).id);
    }
};

QTEST_MAIN(tst_AddTargetDialog)
#include "tst_addtargetdialog.moc"
