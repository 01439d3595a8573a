#include "engine/AssistantTurn.h"

#include <QTest>

using namespace Slopscope;

namespace {
// moc cannot read u-prefixed raw strings; narrow ones through this literal instead.
QString operator""_j(const char *text, std::size_t size)
{
    return QString::fromUtf8(text, qsizetype(size));
}
} // namespace

class tst_AssistantTurn : public QObject
{
    Q_OBJECT

private slots:
    void keepsProviderIds()
    {
        StreamResult r;
        r.text = QStringLiteral("Let me check.");
        r.toolCalls = {{u"toolu_01"_qs, u"get_weather"_qs, R"({"city":"Paris"})"_j}};
        const ChatMessage m = assistantTurnFrom(r);
        QCOMPARE(m.role, u"assistant"_qs);
        QCOMPARE(m.content, u"Let me check."_qs);
        QCOMPARE(m.toolCalls.size(), 1);
        QCOMPARE(m.toolCalls[0], (ChatToolCall{u"toolu_01"_qs, u"get_weather"_qs, R"({"city":"Paris"})"_j}));
        QVERIFY(m.toolCallId.isEmpty());
    }

    // Gemini and Ollama send no ids: stable ones are made up, in call order.
    void makesUpStableIds()
    {
        StreamResult r;
        r.toolCalls = {{QString(), u"a"_qs, u"{}"_qs}, {QString(), u"b"_qs, u"{\"x\":1}"_qs}};
        const ChatMessage m = assistantTurnFrom(r);
        QCOMPARE(m.content, QString());
        QCOMPARE(m.toolCalls.size(), 2);
        QCOMPARE(m.toolCalls[0].id, u"call_1"_qs);
        QCOMPARE(m.toolCalls[1].id, u"call_2"_qs);
        QCOMPARE(m.toolCalls[1].arguments, u"{\"x\":1}"_qs);
        QCOMPARE(assistantTurnFrom(r), m);
    }

    // A made-up id never repeats one the provider sent.
    void avoidsCollisions()
    {
        StreamResult r;
        r.toolCalls = {{QString(), u"a"_qs, u"{}"_qs}, {u"call_1"_qs, u"b"_qs, u"{}"_qs}};
        const ChatMessage m = assistantTurnFrom(r);
        QCOMPARE(m.toolCalls[1].id, u"call_1"_qs);
        QVERIFY(m.toolCalls[0].id != u"call_1"_qs);
        QVERIFY(!m.toolCalls[0].id.isEmpty());
    }

    // Across the answers of one conversation the made-up ids go on counting, so a second
    // answer's call never takes the first one's id.
    void madeUpIdsGoOnAcrossAConversation()
    {
        StreamResult first;
        first.toolCalls = {{QString(), u"a"_qs, u"{}"_qs}, {QString(), u"b"_qs, u"{}"_qs}};
        int madeUp = 0;
        const ChatMessage one = assistantTurnFrom(first, &madeUp);
        QCOMPARE(one.toolCalls[0].id, u"call_1"_qs);
        QCOMPARE(one.toolCalls[1].id, u"call_2"_qs);
        QCOMPARE(madeUp, 2);
        StreamResult second;
        second.toolCalls = {{QString(), u"a"_qs, u"{}"_qs}, {u"call_3"_qs, u"b"_qs, u"{}"_qs}};
        const ChatMessage two = assistantTurnFrom(second, &madeUp);
        QCOMPARE(two.toolCalls[0].id, u"call_4"_qs); // call_3 is the provider's own
        QCOMPARE(two.toolCalls[1].id, u"call_3"_qs);
        QCOMPARE(madeUp, 4);
    }

    void emptyArgumentsBecomeObject()
    {
        StreamResult r;
        r.toolCalls = {{u"c"_qs, u"now"_qs, QString()}};
        QCOMPARE(assistantTurnFrom(r).toolCalls[0].arguments, u"{}"_qs);
    }

    void textOnly()
    {
        StreamResult r;
        r.text = QStringLiteral("42");
        const ChatMessage m = assistantTurnFrom(r);
        QCOMPARE(m.content, u"42"_qs);
        QVERIFY(m.toolCalls.isEmpty());
    }
};

QTEST_GUILESS_MAIN(tst_AssistantTurn)
#include "tst_assistantturn.moc"
