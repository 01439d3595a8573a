#include "quality/CodeBlock.h"

#include <QTest>

using namespace Slopscope;

namespace {
const QStringList kPython = CodeBlock::languagesOf(QStringLiteral("python3"));
} // namespace

class TestCodeBlock final : public QObject
{
    Q_OBJECT

private slots:
    void picksTheBlockToRun_data();
    void picksTheBlockToRun();
    void parsesEveryBlockInOrder();
    void unterminatedFenceRunsToTheEnd();
    void interpreterLanguages();
};

void TestCodeBlock::picksTheBlockToRun_data()
{
    QTest::addColumn<QString>("answer");
    QTest::addColumn<bool>("found");
    QTest::addColumn<QString>("code");

    QTest::newRow("plain python") << QStringLiteral("Sure:\n```python\ndef f():\n    return 1\n```\nDone.") << true
                                  << QStringLiteral("def f():\n    return 1");
    QTest::newRow("python after a shell block")
        << QStringLiteral("Install:\n```bash\npip install x\n```\nCode:\n```py\nx = 1\n```\n") << true
        << QStringLiteral("x = 1");
    QTest::newRow("language in any case, braces")
        << QStringLiteral("```sh\nls\n```\n```{.Python}\ny = 2\n```") << true << QStringLiteral("y = 2");
    QTest::newRow("info string with attributes")
        << QStringLiteral("```python title=\"a.py\"\nz = 3\n```") << true << QStringLiteral("z = 3");
    QTest::newRow("no language: first block")
        << QStringLiteral("```\nfirst = 1\n```\n```\nsecond = 2\n```") << true << QStringLiteral("first = 1");
    QTest::newRow("other languages only: the first")
        << QStringLiteral("```js\nlet a = 1;\n```\n```rust\nfn main() {}\n```") << true << QStringLiteral("let a = 1;");
    QTest::newRow("CRLF") << QStringLiteral("Code:\r\n```python\r\na = 1\r\nb = 2\r\n```\r\n") << true
                          << QStringLiteral("a = 1\nb = 2");
    QTest::newRow("lone CR") << QStringLiteral("```python\ra = 1\r```") << true << QStringLiteral("a = 1");
    QTest::newRow("tilde fence holds backticks")
        << QStringLiteral("~~~python\ns = '```'\n```\nt = 1\n~~~") << true << QStringLiteral("s = '```'\n```\nt = 1");
    QTest::newRow("longer fence holds a shorter one") << QStringLiteral("````python\ndoc = \"\"\"\n```\n\"\"\"\n````")
                                                      << true << QStringLiteral("doc = \"\"\"\n```\n\"\"\"");
    QTest::newRow("closing fence may be longer, with trailing spaces")
        << QStringLiteral("```python\nq = 1\n`````   \nafter") << true << QStringLiteral("q = 1");
    QTest::newRow("a fence with text after it does not close")
        << QStringLiteral("```python\nq = 1\n``` not a close\nr = 2\n```") << true
        << QStringLiteral("q = 1\n``` not a close\nr = 2");
    QTest::newRow("indented fence: indentation removed")
        << QStringLiteral("1. Step one:\n   ```python\n   def g():\n       return 2\n  x = 1\n   ```\n") << true
        << QStringLiteral("def g():\n    return 2\nx = 1");
    QTest::newRow("fence in a nested list item")
        << QStringLiteral("- a\n    - b\n      ```python\n      v = 5\n      ```") << true << QStringLiteral("v = 5");
    QTest::newRow("inline triple backticks are no fence")
        << QStringLiteral("```python``` blocks, e.g.\n```x``` here.") << false << QString();
    QTest::newRow("two backticks are no fence") << QStringLiteral("``\nx\n``") << false << QString();
    QTest::newRow("no block") << QStringLiteral("def f(): return 1") << false << QString();
    QTest::newRow("empty answer") << QString() << false << QString();
    QTest::newRow("empty block") << QStringLiteral("```python\n```") << true << QString();
}

void TestCodeBlock::picksTheBlockToRun()
{
    QFETCH(QString, answer);
    QFETCH(bool, found);
    QFETCH(QString, code);
    const auto block = CodeBlock::pick(answer, kPython);
    QCOMPARE(block.has_value(), found);
    if (found)
        QCOMPARE(block->code, code);
}

void TestCodeBlock::parsesEveryBlockInOrder()
{
    const auto blocks =
        CodeBlock::parse(QStringLiteral("a\n```Python3\none\n```\nb\n~~~\ntwo\n~~~\n```js\nthree\n```"));
    QCOMPARE(blocks.size(), 3);
    QCOMPARE(blocks.at(0).language, QStringLiteral("python3"));
    QCOMPARE(blocks.at(0).code, QStringLiteral("one"));
    QCOMPARE(blocks.at(1).language, QString());
    QCOMPARE(blocks.at(1).code, QStringLiteral("two"));
    QCOMPARE(blocks.at(2).language, QStringLiteral("js"));
    for (const auto &b : blocks)
        QVERIFY(b.closed);
}

void TestCodeBlock::unterminatedFenceRunsToTheEnd()
{
    // A model cut off by max_tokens leaves its fence open: the code up to the end still counts.
    const auto block = CodeBlock::pick(QStringLiteral("Here:\n```python\ndef f():\n    return 1\n"), kPython);
    QVERIFY(block);
    QVERIFY(!block->closed);
    QCOMPARE(block->code, QStringLiteral("def f():\n    return 1"));
    // A tilde fence is not closed by backticks, nor a backtick fence by a shorter run.
    const auto open = CodeBlock::parse(QStringLiteral("~~~\nx\n```\n"));
    QCOMPARE(open.size(), 1);
    QVERIFY(!open.first().closed);
    QCOMPARE(open.first().code, QStringLiteral("x\n```"));
}

void TestCodeBlock::interpreterLanguages()
{
    QVERIFY(CodeBlock::languagesOf(QStringLiteral("python3")).contains(QStringLiteral("py")));
    QVERIFY(CodeBlock::languagesOf(QStringLiteral("/usr/bin/python3.11")).contains(QStringLiteral("python")));
    QVERIFY(CodeBlock::languagesOf(QStringLiteral("node")).contains(QStringLiteral("javascript")));
    QVERIFY(CodeBlock::languagesOf(QStringLiteral("cobc")).isEmpty());
    // A node interpreter picks the js block over an earlier python one.
    const auto block = CodeBlock::pick(QStringLiteral("```python\np = 1\n```\n```javascript\nj = 1\n```"),
                                       CodeBlock::languagesOf(QStringLiteral("node")));
    QVERIFY(block);
    QCOMPARE(block->code, QStringLiteral("j = 1"));
}

QTEST_GUILESS_MAIN(TestCodeBlock)
#include "tst_codeblock.moc"
