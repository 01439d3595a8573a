#pragma once

#include "core/Result.h"
#include "quality/Suite.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace Slopscope {

// Reads a suite from CSV (RFC 4180: comma-separated, fields in double quotes may hold commas,
// newlines and doubled quotes; CRLF or LF). The first row names the columns, in any case:
//   prompt    the question (required); {{name}} is filled from the other columns
//   expected  the right answer: the reference, checked with an icontains assertion
//   tags      tags separated by ";" or ","
//   id        the case id (default "row-N", N counting data rows from 1)
// Any other column becomes a variable of that name. Errors name the file, line and column.
class CsvImporter final
{
public:
    struct Record
    {
        int line = 0; // where the record starts (quoted newlines make records span lines)
        QStringList fields;
    };

    static Result<Suite> fromCsv(const QByteArray &bytes, const QString &sourceName);
    static Result<Suite> fromFile(const QString &path);
    // The records of a CSV text, blank lines skipped; exposed for its own tests.
    static Result<QList<Record>> parseRecords(const QByteArray &bytes, const QString &sourceName);
};

} // namespace Slopscope
