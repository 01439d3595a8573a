// RELIABILITY B-3: every importer is bounded, as the suite loader is. A file over the suite limit
// is refused from its size with the path in the message, and nothing is read or imported.
#include "quality/CsvImporter.h"
#include "quality/JsonlImporter.h"
#include "quality/PromptfooImporter.h"
#include "quality/Suite.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace Slopscope;

namespace {

// The error of an import, or an empty string when it succeeded.
using ImportError = std::function<QString(const QString &path)>;

template<typename R>
QString errorOf(const R &result)
{
    return result.ok() ? QString() : result.error();
}

} // namespace

Q_DECLARE_METATYPE(ImportError)

class TestImportLimits final : public QObject
{
    Q_OBJECT

private slots:
    void overTheLimitIsRefusedUnread_data();
    void overTheLimitIsRefusedUnread();
};

void TestImportLimits::overTheLimitIsRefusedUnread_data()
{
    QTest::addColumn<QString>("fileName");
    QTest::addColumn<QByteArray>("validStart");
    QTest::addColumn<ImportError>("import");
    QTest::newRow("jsonl") << QStringLiteral("big.jsonl") << QByteArray("{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}\n")
                           << ImportError([](const QString &path) {
                                  return errorOf(JsonlImporter::fromFile(path, JsonlImporter::Options{}));
                              });
    QTest::newRow("csv") << QStringLiteral("big.csv") << QByteArray("prompt\nhi\n")
                         << ImportError([](const QString &path) { return errorOf(CsvImporter::fromFile(path)); });
    QTest::newRow("promptfoo") << QStringLiteral("big.yaml") << QByteArray("prompts: ['hi']\n")
                               << ImportError(
                                      [](const QString &path) { return errorOf(PromptfooImporter::fromFile(path)); });
}

void TestImportLimits::overTheLimitIsRefusedUnread()
{
    QFETCH(QString, fileName);
    QFETCH(QByteArray, validStart);
    QFETCH(ImportError, import);
    QTemporaryDir dir;
    const QString path = dir.filePath(fileName);
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly));
    QVERIFY(file.write(validStart) == validStart.size());
    file.close();
    // The same file under the limit imports, so the refusal below is the size and nothing else.
    QCOMPARE(import(path), QString());
    // Sparse past the limit: a valid start followed by zero bytes, one byte too many.
    QVERIFY(file.open(QIODevice::ReadWrite));
    QVERIFY(file.resize(Suite::kMaxFileBytes + 1));
    file.close();
    const QString error = import(path);
    QCOMPARE(error, path + QStringLiteral(": the file is too large (the limit is 64 MiB)"));
}

QTEST_GUILESS_MAIN(TestImportLimits)
#include "tst_importlimits.moc"
