#include "core/Workspace.h"
#include "MainWindow.h"
#include "Translations.h"
#include "views/LeaderboardModel.h"

#include <QAction>
#include <QApplication>
#include <QMenu>
#include <QMenuBar>
#include <QSettings>
#include <QStandardPaths>
#include <QTest>
#include <QTranslator>

using namespace Slopscope;

namespace {

// What a user reads first: the window title, the top-level menus and the Run button.
QStringList visibleTexts(const MainWindow &window)
{
    QStringList texts{window.windowTitle()};
    const QList<QAction *> menus = window.menuBar()->actions();
    for (const QAction *menu : menus)
        texts << menu->text();
    const auto *run = window.findChild<QAction *>(QStringLiteral("runAction"));
    texts << (run ? run->text() : QString());
    return texts;
}

// Installs one language for the lifetime of the object.
class ScopedTranslator final
{
public:
    explicit ScopedTranslator(const QString &code)
    {
        m_loaded = m_translator.load(QStringLiteral(":/i18n/slopscope_%1.qm").arg(code));
        if (m_loaded)
            QCoreApplication::installTranslator(&m_translator);
    }
    ~ScopedTranslator() { QCoreApplication::removeTranslator(&m_translator); }
    Q_DISABLE_COPY_MOVE(ScopedTranslator)
    [[nodiscard]] bool loaded() const { return m_loaded; }

private:
    QTranslator m_translator;
    bool m_loaded = false;
};

const QStringList kLanguages{QStringLiteral("de"), QStringLiteral("es"), QStringLiteral("fr"), QStringLiteral("ja"),
                             QStringLiteral("zh_CN")};

} // namespace

class TestTranslations final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void everyLanguageIsEmbedded();
    void theMainWindowIsTranslated_data();
    void theMainWindowIsTranslated();
    void engineAndModelTextIsTranslated_data();
    void engineAndModelTextIsTranslated();
    void theLanguageChoiceIsKept();
    void anExplicitLanguageSetsTheNumberFormat();
};

void TestTranslations::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings().clear();
}

void TestTranslations::everyLanguageIsEmbedded()
{
    QStringList expected{QStringLiteral("en")};
    expected << kLanguages;
    QCOMPARE(Translations::available(), expected);
    QCOMPARE(Translations::nativeName(QStringLiteral("de")), QStringLiteral("Deutsch"));
    QCOMPARE(Translations::nativeName(QStringLiteral("ja")), QStringLiteral("日本語"));
}

void TestTranslations::theMainWindowIsTranslated_data()
{
    QTest::addColumn<QString>("code");
    for (const QString &code : kLanguages)
        QTest::newRow(qPrintable(code)) << code;
}

void TestTranslations::theMainWindowIsTranslated()
{
    QFETCH(QString, code);
    const QStringList english = visibleTexts(MainWindow());
    QVERIFY(english.size() >= 6);
    QVERIFY(!english.last().isEmpty()); // the Run button was found

    const ScopedTranslator translator(code);
    QVERIFY(translator.loaded());
    const QStringList translated = visibleTexts(MainWindow());
    QCOMPARE(translated.size(), english.size());
    for (qsizetype i = 0; i < english.size(); ++i) {
        QVERIFY2(!translated.at(i).isEmpty(), qPrintable(english.at(i)));
        QVERIFY2(translated.at(i) != english.at(i),
                 qPrintable(QStringLiteral("%1 is not translated").arg(english.at(i))));
    }
}

void TestTranslations::engineAndModelTextIsTranslated_data()
{
    theMainWindowIsTranslated_data();
}

// Besides Q_OBJECT windows the code names contexts two ways: a Q_OBJECT class inside the
// namespace (the leaderboard model) and a file's Q_DECLARE_TR_FUNCTIONS helper (the workspace
// loader). Each must find its translation at run time, not only in the .ts file.
void TestTranslations::engineAndModelTextIsTranslated()
{
    QFETCH(QString, code);
    LeaderboardModel model;
    const QString missing = QStringLiteral("/nonexistent/slopscope-workspace.json");
    const QString englishHeader = model.headerData(LeaderboardModel::QualityColumn, Qt::Horizontal).toString();
    const QString englishError = Workspace::fromFile(missing).error();
    QVERIFY(englishError.contains(missing));

    const ScopedTranslator translator(code);
    QVERIFY(translator.loaded());
    const QString header = model.headerData(LeaderboardModel::QualityColumn, Qt::Horizontal).toString();
    QVERIFY2(header != englishHeader, qPrintable(header));
    const QString error = Workspace::fromFile(missing).error();
    QVERIFY2(error != englishError, qPrintable(error));
    QVERIFY(error.contains(missing));
}

void TestTranslations::theLanguageChoiceIsKept()
{
    QCOMPARE(Translations::chosen(), QString());
    Translations::choose(QStringLiteral("fr"));
    QCOMPARE(Translations::chosen(), QStringLiteral("fr"));
    {
        MainWindow window;
        QAction *french = nullptr;
        const QList<QAction *> actions = window.findChildren<QAction *>();
        for (QAction *action : actions) {
            if (action->isCheckable() && action->data().toString() == u"fr")
                french = action;
        }
        QVERIFY(french);
        QVERIFY(french->isChecked());
    }
    Translations::choose(QString());
    QCOMPARE(Translations::chosen(), QString());
}

// Last: it installs translators for the rest of the process.
void TestTranslations::anExplicitLanguageSetsTheNumberFormat()
{
    QCOMPARE(Translations::install(*qApp, QStringLiteral("de")), QStringLiteral("de"));
    QCOMPARE(QLocale().toString(1234.5, 'f', 1), QStringLiteral("1.234,5"));
    QCOMPARE(QCoreApplication::translate("Slopscope::MainWindow", "&File") == u"&File", false);
    QLocale::setDefault(QLocale::c());
}

QTEST_MAIN(TestTranslations)
#include "tst_translations.moc"
