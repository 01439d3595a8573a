#include "quality/CsvImporter.h"

#include "core/Utf8.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

namespace Slopscope {

namespace {

// Through Q_DECLARE_TR_FUNCTIONS, lupdate files these strings under the context the code
// looks them up in (a translate() wrapper called tr() misled it into the namespace's).
struct CsvImporterTr
{
    Q_DECLARE_TR_FUNCTIONS(CsvImporter)
};

Error errorAt(const QString &source, int line, int column, const QString &message)
{
    return Error{column > 0 ? QStringLiteral("%1:%2:%3: %4").arg(source).arg(line).arg(column).arg(message)
                            : QStringLiteral("%1:%2: %3").arg(source).arg(line).arg(message)};
}

} // namespace

Result<QList<CsvImporter::Record>> CsvImporter::parseRecords(const QByteArray &bytes, const QString &sourceName)
{
    if (Status utf8 = Utf8::check(bytes, sourceName); !utf8)
        return Error{utf8.error()};
    QString text = QString::fromUtf8(bytes);
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);

    QList<Record> records;
    Record record;
    QString field;
    int line = 1;
    int column = 0;
    bool inQuotes = false;
    bool wasQuoted = false; // the current field was quoted and its closing quote has been seen
    bool fieldStarted = false;
    int quoteLine = 0;
    int quoteColumn = 0;

    auto endField = [&] {
        record.fields.append(field);
        field.clear();
        wasQuoted = false;
        fieldStarted = false;
    };
    auto endRecord = [&] {
        endField();
        // A blank line is no record.
        if (!(record.fields.size() == 1 && record.fields.first().isEmpty()))
            records.append(record);
        record = Record{};
    };

    const qsizetype n = text.size();
    for (qsizetype i = 0; i < n; ++i) {
        const QChar c = text.at(i);
        ++column;
        if (record.line == 0)
            record.line = line;
        if (inQuotes) {
            if (c == u'"') {
                if (i + 1 < n && text.at(i + 1) == u'"') {
                    field += u'"';
                    ++i;
                    ++column;
                } else {
                    inQuotes = false;
                    wasQuoted = true;
                }
            } else {
                if (c == u'\n' || (c == u'\r' && !(i + 1 < n && text.at(i + 1) == u'\n'))) {
                    ++line;
                    column = 0;
                }
                field += c;
            }
            continue;
        }
        if (c == u',') {
            endField();
            continue;
        }
        if (c == u'\r' || c == u'\n') {
            if (c == u'\r' && i + 1 < n && text.at(i + 1) == u'\n')
                ++i;
            endRecord();
            ++line;
            column = 0;
            continue;
        }
        if (wasQuoted)
            return errorAt(
                sourceName, line, column,
                CsvImporterTr::tr("unexpected character after a closing quote (a quote inside a quoted field is "
                                  "written as two quotes)"));
        if (c == u'"') {
            if (fieldStarted)
                return errorAt(
                    sourceName, line, column,
                    CsvImporterTr::tr("a quote inside an unquoted field (quote the whole field and double the quote)"));
            inQuotes = true;
            fieldStarted = true;
            quoteLine = line;
            quoteColumn = column;
            continue;
        }
        fieldStarted = true;
        field += c;
    }
    if (inQuotes)
        return errorAt(sourceName, quoteLine, quoteColumn,
                       CsvImporterTr::tr("the quoted field opened here is never closed"));
    if (fieldStarted || !record.fields.isEmpty())
        endRecord();
    return records;
}

Result<Suite> CsvImporter::fromCsv(const QByteArray &bytes, const QString &sourceName)
{
    auto parsed = parseRecords(bytes, sourceName);
    if (!parsed)
        return Error{parsed.error()};
    const QList<Record> &records = parsed.value();
    if (records.isEmpty())
        return Error{CsvImporterTr::tr("%1: the file is empty (a header row with a \"prompt\" column is required)")
                         .arg(sourceName)};

    const Record &header = records.first();
    int promptColumn = -1;
    int expectedColumn = -1;
    int tagsColumn = -1;
    int idColumn = -1;
    QHash<int, QString> varColumns;
    QSet<QString> seen;
    for (int i = 0; i < header.fields.size(); ++i) {
        const QString name = header.fields.at(i).trimmed();
        const QString key = name.toLower();
        if (name.isEmpty())
            return errorAt(sourceName, header.line, 0, CsvImporterTr::tr("column %1 has no name").arg(i + 1));
        if (seen.contains(key))
            return errorAt(sourceName, header.line, 0, CsvImporterTr::tr("the column \"%1\" appears twice").arg(name));
        seen.insert(key);
        if (key == u"prompt")
            promptColumn = i;
        else if (key == u"expected")
            expectedColumn = i;
        else if (key == u"tags")
            tagsColumn = i;
        else if (key == u"id")
            idColumn = i;
        else
            varColumns.insert(i, name);
    }
    if (promptColumn < 0)
        return errorAt(sourceName, header.line, 0,
                       CsvImporterTr::tr("no \"prompt\" column (the header has: %1)")
                           .arg(header.fields.join(QStringLiteral(", "))));

    Suite suite;
    suite.name = QFileInfo(sourceName).completeBaseName();
    suite.description = CsvImporterTr::tr("Imported from %1").arg(QFileInfo(sourceName).fileName());
    QSet<QString> ids;
    static const QRegularExpression tagSeparator(QStringLiteral("[;,]"));
    for (qsizetype r = 1; r < records.size(); ++r) {
        const Record &row = records.at(r);
        if (row.fields.size() != header.fields.size())
            return errorAt(sourceName, row.line, 0,
                           CsvImporterTr::tr("%1 field(s), but the header has %2")
                               .arg(row.fields.size())
                               .arg(header.fields.size()));
        SuiteCase c;
        c.id = idColumn >= 0 ? row.fields.at(idColumn).trimmed() : QStringLiteral("row-%1").arg(r);
        if (c.id.isEmpty())
            return errorAt(sourceName, row.line, 0, CsvImporterTr::tr("id: the id is empty"));
        if (ids.contains(c.id))
            return errorAt(sourceName, row.line, 0, CsvImporterTr::tr("id: duplicate case id \"%1\"").arg(c.id));
        ids.insert(c.id);
        for (auto it = varColumns.cbegin(); it != varColumns.cend(); ++it)
            c.vars.insert(it.value(), row.fields.at(it.key()));
        c.prompt = row.fields.at(promptColumn);
        if (c.prompt.trimmed().isEmpty())
            return errorAt(sourceName, row.line, 0, CsvImporterTr::tr("prompt: the prompt is empty"));
        QStringList missing;
        renderTemplate(c.prompt, c.vars, &missing);
        if (!missing.isEmpty())
            return errorAt(
                sourceName, row.line, 0,
                CsvImporterTr::tr("prompt: unknown variable {{%1}} (no column of that name)").arg(missing.first()));
        if (expectedColumn >= 0) {
            const QString expected = row.fields.at(expectedColumn).trimmed();
            if (!expected.isEmpty()) {
                c.reference = expected;
                Assertion a;
                a.type = QStringLiteral("icontains");
                a.value = expected.toStdString();
                c.assertions.append(a);
            }
        }
        if (tagsColumn >= 0) {
            const QStringList tags = row.fields.at(tagsColumn).split(tagSeparator);
            for (const QString &t : tags) {
                if (!t.trimmed().isEmpty())
                    c.tags.append(t.trimmed());
            }
        }
        c.metadata["line"] = row.line;
        suite.cases.append(std::move(c));
    }
    if (suite.cases.isEmpty())
        return errorAt(sourceName, header.line, 0, CsvImporterTr::tr("the file has a header but no cases"));
    return suite;
}

Result<Suite> CsvImporter::fromFile(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return Error{CsvImporterTr::tr("Cannot open %1: %2").arg(path, file.errorString())};
    if (file.size() > Suite::kMaxFileBytes)
        return Error{CsvImporterTr::tr("%1: the file is too large (the limit is %2 MiB)")
                         .arg(path)
                         .arg(Suite::kMaxFileBytes >> 20)};
    return fromCsv(file.readAll(), path);
}

} // namespace Slopscope
