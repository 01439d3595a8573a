#include "quality/Redactor.h"

#include <QTest>

using namespace Slopscope;

class TestRedactor final : public QObject
{
    Q_OBJECT

private slots:
    void redacts_data();
    void redacts();
    void leavesOrdinaryTextAlone_data();
    void leavesOrdinaryTextAlone();
    void counts();
};

namespace {

// Key-shaped test input is put together at run time so that secret scanners do not flag this
// file; none of it is a real credential.
QString keyLike(const char *prefix, const char *body)
{
    return QString::fromLatin1(prefix) + QString::fromLatin1(body);
}

} // namespace

void TestRedactor::redacts_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("expected");
    QTest::newRow("email") << "mail bob.smith+tag@mail.example.co.uk now"
                           << "mail [EMAIL] now";
    QTest::newRow("openai key") << QString(u"key " + keyLike("sk-", "abcdefghijklmnopqrstuvwx1234") + u" ok")
                                << "key [KEY] ok";
    QTest::newRow("project key") << keyLike("sk-proj-", "Ab3dEf6hIj9kLm2nOp5qRs8t") << "[KEY]";
    QTest::newRow("anthropic key") << QString(u"use " + keyLike("sk-ant-api03-", "AbCdEfGhIjKlMnOpQrStUv_wx-yz"))
                                   << "use [KEY]";
    QTest::newRow("aws key") << QString(keyLike("AKIA", "IOSFODNN7EXAMPLE") + u" is the id") << "[KEY] is the id";
    QTest::newRow("github token") << keyLike("ghp_", "abcdefghijklmnopqrstuvwxyz0123456789") << "[KEY]";
    QTest::newRow("slack token") << keyLike("xoxb-", "123456789012-abcdefghij") << "[KEY]";
    QTest::newRow("google key") << keyLike("AIza", "SyA-1234567890abcdefghijklmnopqrstu") << "[KEY]";
    QTest::newRow("jwt") << "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N"
                         << "token [KEY]";
    QTest::newRow("bearer") << "curl -H 'Authorization: Bearer abc.def-123'"
                            << "curl -H 'Authorization: Bearer [KEY]'";
    QTest::newRow("bearer alone") << "send Bearer 9f8e7d6c5b4a now"
                                  << "send Bearer [KEY] now";
    QTest::newRow("assigned") << "api_key = \"hunter2hunter2\""
                              << "api_key = \"[KEY]\"";
    QTest::newRow("password") << "password: correcthorse"
                              << "password: [KEY]";
    QTest::newRow("hex") << "sha 0123456789abcdef0123456789abcdef01234567 end"
                         << "sha [KEY] end";
    QTest::newRow("base64") << "secret dGhpcyBpcyBhIHNlY3JldCB0b2tlbiB3aXRoIDEyMw== x"
                            << "secret [KEY] x";
    QTest::newRow("phone intl") << "Call +49 30 1234567 today"
                                << "Call [PHONE] today";
    QTest::newRow("phone uk") << "Ring 020 7946 0958."
                              << "Ring [PHONE].";
    QTest::newRow("phone us parens") << "at (555) 123-4567 or"
                                     << "at [PHONE] or";
    QTest::newRow("phone us dashes") << "1-800-555-0199"
                                     << "[PHONE]";
    QTest::newRow("phone dotted") << "tel 555.123.4567"
                                  << "tel [PHONE]";
    QTest::newRow("phone french") << "Tel. +33 1 23 45 67 89"
                                  << "Tel. [PHONE]";
    QTest::newRow("phone then number") << "Call +49 30 1234567 2 times"
                                       << "Call [PHONE] 2 times";
}

void TestRedactor::redacts()
{
    QFETCH(QString, text);
    QFETCH(QString, expected);
    QCOMPARE(Redactor::redact(text), expected);
}

void TestRedactor::leavesOrdinaryTextAlone_data()
{
    QTest::addColumn<QString>("text");
    QTest::newRow("arithmetic") << "What is 17 multiplied by 23? And 1234567 + 89?";
    QTest::newRow("thousands") << "The city has 1,234,567 people and 12.5% growth.";
    QTest::newRow("date") << "Due 2024-01-15, moved to 15.01.2025 or 01/15/2025.";
    QTest::newRow("ip") << "Server at 192.168.100.200 port 8080";
    QTest::newRow("version") << "Qt 6.4.2 and gcc 12.2.0";
    QTest::newRow("decimal") << "pi is 3.14159265358979";
    QTest::newRow("bearer word") << "He was the Bearer of bad news; Bearer tokens expire.";
    QTest::newRow("long word") << "Pneumonoultramicroscopicsilicovolcanoconiosis is a word.";
    QTest::newRow("path") << "/usr/share/doc/libyaml-cpp-dev/changelog";
    QTest::newRow("uuid") << "id 123e4567-e89b-12d3-a456-426614174000";
    QTest::newRow("at sign") << "Meet @ noon, see @alice";
    QTest::newRow("number list") << "The scores were 10 20 30 40 50 and 100 200 300.";
    QTest::newRow("code") << "def is_even(n):\n    return n % 2 == 0";
}

void TestRedactor::leavesOrdinaryTextAlone()
{
    QFETCH(QString, text);
    Redactor::Counts counts;
    QCOMPARE(Redactor::redact(text, &counts), text);
    QCOMPARE(counts.total(), 0);
}

void TestRedactor::counts()
{
    Redactor::Counts counts;
    Redactor::redact(QString(u"a@b.io and c@d.io, +1 415 555 2671, " + keyLike("sk-", "aaaaaaaaaaaaaaaaaaaa1")),
                     &counts);
    QCOMPARE(counts.emails, 2);
    QCOMPARE(counts.phones, 1);
    QCOMPARE(counts.keys, 1);
    Redactor::redact(QStringLiteral("x@y.org"), &counts); // adds up
    QCOMPARE(counts.emails, 3);
    QCOMPARE(counts.total(), 5);
}

QTEST_GUILESS_MAIN(TestRedactor)
#include "tst_redactor.moc"
