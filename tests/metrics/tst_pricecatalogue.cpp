#include "metrics/PriceCatalogue.h"

#include <QTest>

using namespace Slopscope;

class TestPriceCatalogue final : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void bundledTableLoadsWithItsDate();
    void specialKeysAreSkipped();
    void cerebrasFlatPrice();
    void claudeCachePricesAndLongPromptTier();
    void geminiReasoningPrice();
    void entryWithoutPriceIsUnknownNotFree();
    void zeroPriceIsFree();
    void lookupByProviderAndModel_data();
    void lookupByProviderAndModel();
    void tieredPricingRanges();
    void partialLongPromptTierKeepsLowerFields();
    void overridesWinPerField();
    void overridesFromJson();
    void badOverridesChangeNothing_data();
    void badOverridesChangeNothing();
    void syntheticTable();
    void invalidTableIsAnError();
    void sidecarNeedsAllFields();

private:
    PriceCatalogue m_bundled;
};

namespace {

bool near(const std::optional<double> &actual, double expected)
{
    return actual.has_value() && qAbs(*actual - expected) <= 1e-9 * qMax(1.0, qAbs(expected));
}

} // namespace

void TestPriceCatalogue::initTestCase()
{
    auto loaded = PriceCatalogue::loadBundled();
    QVERIFY2(loaded.ok(), qPrintable(loaded.error()));
    m_bundled = std::move(loaded).value();
}

void TestPriceCatalogue::bundledTableLoadsWithItsDate()
{
    // 2,968 top-level keys minus sample_spec and fallback_generalizations (resources/prices/README.md).
    QCOMPARE(m_bundled.size(), qsizetype(2966));
    QCOMPARE(m_bundled.info().commit, QStringLiteral("00035b69f416be24e2e323c13198d9b7d2d1bdf9"));
    QCOMPARE(m_bundled.info().date, QStringLiteral("2026-07-18"));
    QVERIFY(m_bundled.info().source.startsWith(QStringLiteral("LiteLLM ")));
    QCOMPARE(m_bundled.info().version(), QStringLiteral("LiteLLM 00035b69 (2026-07-18)"));
}

void TestPriceCatalogue::specialKeysAreSkipped()
{
    QVERIFY(!m_bundled.entry(QStringLiteral("sample_spec")));
    QVERIFY(!m_bundled.entry(QStringLiteral("fallback_generalizations")));
    QVERIFY(m_bundled.findKey(QStringLiteral("openai"), QStringLiteral("sample_spec")).isEmpty());
}

void TestPriceCatalogue::cerebrasFlatPrice()
{
    const CatalogueEntry *e = m_bundled.entry(QStringLiteral("cerebras/gpt-oss-120b"));
    QVERIFY(e);
    QCOMPARE(e->provider, QStringLiteral("cerebras"));
    QCOMPARE(e->mode, QStringLiteral("chat"));
    QVERIFY(!e->schedule.tiered());
    const Price p = e->schedule.at(std::nullopt);
    QVERIFY(near(p.inputPerMTok, 0.35));
    QVERIFY(near(p.outputPerMTok, 0.75));
    QVERIFY(!p.cachedInputPerMTok);
    QVERIFY(!p.cacheWritePerMTok);
    QVERIFY(!p.reasoningPerMTok);
    // No tier: a huge prompt pays the same.
    QVERIFY(near(e->schedule.at(500'000).inputPerMTok, 0.35));
}

void TestPriceCatalogue::claudeCachePricesAndLongPromptTier()
{
    const CatalogueEntry *e = m_bundled.entry(QStringLiteral("claude-sonnet-4-20250514"));
    QVERIFY(e);
    QVERIFY(e->schedule.tiered());
    const Price base = e->schedule.at(std::nullopt);
    QVERIFY(near(base.inputPerMTok, 3.0));
    QVERIFY(near(base.outputPerMTok, 15.0));
    QVERIFY(near(base.cachedInputPerMTok, 0.30));
    QVERIFY(near(base.cacheWritePerMTok, 3.75)); // the 5-minute write; the 1-hour price is not read
    // "above 200k" means more than 200,000 prompt tokens.
    const Price at200k = e->schedule.at(200'000);
    QVERIFY(near(at200k.inputPerMTok, 3.0));
    QVERIFY(near(at200k.outputPerMTok, 15.0));
    const Price above = e->schedule.at(200'001);
    QVERIFY(near(above.inputPerMTok, 6.0));
    QVERIFY(near(above.outputPerMTok, 22.5));
    QVERIFY(near(above.cachedInputPerMTok, 0.60));
    QVERIFY(near(above.cacheWritePerMTok, 7.5));
}

void TestPriceCatalogue::geminiReasoningPrice()
{
    const QString key = m_bundled.findKey(QStringLiteral("gemini"), QStringLiteral("gemini-2.5-flash"));
    QCOMPARE(key, QStringLiteral("gemini/gemini-2.5-flash"));
    const auto schedule = m_bundled.scheduleForKey(key);
    QVERIFY(schedule);
    const Price p = schedule->at(1000);
    QVERIFY(near(p.inputPerMTok, 0.30));
    QVERIFY(near(p.outputPerMTok, 2.50));
    QVERIFY(near(p.reasoningPerMTok, 2.50));
    QVERIFY(near(p.cachedInputPerMTok, 0.03));
    QVERIFY(!p.cacheWritePerMTok);
}

void TestPriceCatalogue::entryWithoutPriceIsUnknownNotFree()
{
    for (const char *key : {"heroku/claude-4-sonnet", "github_copilot/gpt-4o"}) {
        const CatalogueEntry *e = m_bundled.entry(QString::fromLatin1(key));
        QVERIFY2(e, key);
        QVERIFY2(!e->schedule.hasAnyPrice(), key);
        const Price p = e->schedule.at(1000);
        QVERIFY(!p.inputPerMTok);
        QVERIFY(!p.outputPerMTok);
    }
}

void TestPriceCatalogue::zeroPriceIsFree()
{
    const CatalogueEntry *e = m_bundled.entry(QStringLiteral("ollama/llama3.1"));
    QVERIFY(e);
    QVERIFY(e->schedule.hasAnyPrice());
    const Price p = e->schedule.at(1000);
    QCOMPARE(p.inputPerMTok, std::optional<double>(0.0));
    QCOMPARE(p.outputPerMTok, std::optional<double>(0.0));
}

void TestPriceCatalogue::lookupByProviderAndModel_data()
{
    QTest::addColumn<QString>("provider");
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("key");

    const auto row = [](const char *name, const char *provider, const char *model, const char *key) {
        QTest::newRow(name) << QString::fromLatin1(provider) << QString::fromLatin1(model) << QString::fromLatin1(key);
    };
    row("prefixed provider", "cerebras", "gpt-oss-120b", "cerebras/gpt-oss-120b");
    row("provider id case", "Cerebras", "gpt-oss-120b", "cerebras/gpt-oss-120b");
    row("multi-segment model", "groq", "openai/gpt-oss-120b", "groq/openai/gpt-oss-120b");
    row("openai bare", "openai", "gpt-4o", "gpt-4o");
    row("openai prefixed model", "openai", "openai/gpt-4o", "gpt-4o");
    row("anthropic bare", "anthropic", "claude-sonnet-4-20250514", "claude-sonnet-4-20250514");
    row("vertex family", "vertex_ai", "gemini-2.5-pro", "gemini-2.5-pro");
    row("google alias", "google", "gemini-2.5-flash", "gemini/gemini-2.5-flash");
    row("model with its prefix", "gemini", "gemini/gemini-2.5-flash", "gemini/gemini-2.5-flash");
    row("other provider's bare entry", "cerebras", "claude-sonnet-4-20250514", "");
    row("unknown model", "cerebras", "no-such-model", "");
    row("unknown provider", "my-proxy", "gpt-4o", "");
    row("empty model", "openai", "", "");
}

void TestPriceCatalogue::lookupByProviderAndModel()
{
    QFETCH(QString, provider);
    QFETCH(QString, model);
    QFETCH(QString, key);
    QCOMPARE(m_bundled.findKey(provider, model), key);
    const PriceSchedule resolved = m_bundled.resolve(provider, model);
    QCOMPARE(resolved.catalogueKey, key);
}

void TestPriceCatalogue::tieredPricingRanges()
{
    const CatalogueEntry *e = m_bundled.entry(QStringLiteral("dashscope/qwen3-coder-plus"));
    QVERIFY(e);
    QCOMPARE(e->schedule.ranges.size(), 4);
    const PriceSchedule &s = e->schedule;
    QVERIFY(near(s.at(0).inputPerMTok, 1.0));
    QVERIFY(near(s.at(1000).inputPerMTok, 1.0));
    QVERIFY(near(s.at(1000).outputPerMTok, 5.0));
    QVERIFY(near(s.at(1000).cachedInputPerMTok, 0.1));
    QVERIFY(near(s.at(32'000).inputPerMTok, 1.0)); // the upper bound belongs to the lower range
    QVERIFY(near(s.at(32'001).inputPerMTok, 1.8));
    QVERIFY(near(s.at(32'001).outputPerMTok, 9.0));
    QVERIFY(near(s.at(300'000).inputPerMTok, 6.0));
    QVERIFY(near(s.at(300'000).outputPerMTok, 60.0));
    QVERIFY(near(s.at(2'000'000).inputPerMTok, 6.0)); // beyond the last range: the last range
    QVERIFY(near(s.at(std::nullopt).inputPerMTok, 1.0));
}

void TestPriceCatalogue::partialLongPromptTierKeepsLowerFields()
{
    // gemini-2.5-pro (Vertex) lists a cache-write price only for long prompts.
    const CatalogueEntry *e = m_bundled.entry(QStringLiteral("gemini-2.5-pro"));
    QVERIFY(e);
    QVERIFY(!e->schedule.at(1000).cacheWritePerMTok);
    QVERIFY(near(e->schedule.at(250'000).cacheWritePerMTok, 0.25));
    QVERIFY(near(e->schedule.at(250'000).inputPerMTok, 2.5));
    QVERIFY(near(e->schedule.at(1000).inputPerMTok, 1.25));
}

void TestPriceCatalogue::overridesWinPerField()
{
    PriceCatalogue c = m_bundled;
    Price userInput;
    userInput.inputPerMTok = 0.5;
    c.setOverride(QStringLiteral("cerebras/gpt-oss-120b"), userInput);

    PriceSchedule s = c.resolve(QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b"));
    QVERIFY(near(s.at(1000).inputPerMTok, 0.5));   // user override
    QVERIFY(near(s.at(1000).outputPerMTok, 0.75)); // catalogue

    // The target's own price wins over the catalogue override, field by field.
    Price target;
    target.inputPerMTok = 0.4;
    target.outputPerMTok = 1.0;
    s = c.resolve(QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b"), target);
    QVERIFY(near(s.at(1000).inputPerMTok, 0.4));
    QVERIFY(near(s.at(1000).outputPerMTok, 1.0));
    QVERIFY(!s.at(1000).cachedInputPerMTok);

    // A user's price is flat: it wins over the long-prompt tier too; untouched fields keep the tier.
    Price cheaperInput;
    cheaperInput.inputPerMTok = 2.0;
    s = m_bundled.resolve(QStringLiteral("anthropic"), QStringLiteral("claude-sonnet-4-20250514"), cheaperInput);
    QVERIFY(near(s.at(250'000).inputPerMTok, 2.0));
    QVERIFY(near(s.at(250'000).outputPerMTok, 22.5));

    // A model the table does not know gets only the user's price; other fields stay unknown.
    Price own;
    own.outputPerMTok = 0.9;
    s = c.resolve(QStringLiteral("my-proxy"), QStringLiteral("house-model"), own);
    QVERIFY(s.catalogueKey.isEmpty());
    QVERIFY(near(s.at(10).outputPerMTok, 0.9));
    QVERIFY(!s.at(10).inputPerMTok);

    // The bundled catalogue itself is unchanged by a copy's overrides.
    QVERIFY(
        near(m_bundled.resolve(QStringLiteral("cerebras"), QStringLiteral("gpt-oss-120b")).at(1).inputPerMTok, 0.35));
}

void TestPriceCatalogue::overridesFromJson()
{
    PriceCatalogue c = m_bundled;
    const QByteArray json = R"({
        "cerebras/gpt-oss-120b": {"cached_input_per_mtok": 0.1, "reasoning_per_mtok": 0.8},
        "house/model-x": {"input_per_mtok": 1, "output_per_mtok": 2, "cache_write_per_mtok": null}
    })";
    const Status st = c.loadOverrides(json, QStringLiteral("prices.json"));
    QVERIFY2(st.ok(), qPrintable(st.error()));
    const auto cerebras = c.scheduleForKey(QStringLiteral("cerebras/gpt-oss-120b"));
    QVERIFY(cerebras);
    QVERIFY(near(cerebras->at(1).cachedInputPerMTok, 0.1));
    QVERIFY(near(cerebras->at(1).reasoningPerMTok, 0.8));
    QVERIFY(near(cerebras->at(1).inputPerMTok, 0.35));
    // An override-only key is found by its exact name and by provider/model.
    QCOMPARE(c.findKey(QStringLiteral("house"), QStringLiteral("model-x")), QStringLiteral("house/model-x"));
    QCOMPARE(c.findKey(QString(), QStringLiteral("house/model-x")), QStringLiteral("house/model-x"));
    const auto house = c.scheduleForKey(QStringLiteral("house/model-x"));
    QVERIFY(house);
    QVERIFY(near(house->at(1).outputPerMTok, 2.0));
    QVERIFY(!house->at(1).cacheWritePerMTok);
    QVERIFY(!m_bundled.scheduleForKey(QStringLiteral("house/model-x")));
}

void TestPriceCatalogue::badOverridesChangeNothing_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    QTest::newRow("typo") << QByteArray(R"({"a/b": {"input_per_mtok": 1}, "c/d": {"inptu_per_mtok": 1}})")
                          << QStringLiteral("p.json: c/d.inptu_per_mtok: unknown price field");
    QTest::newRow("negative") << QByteArray(R"({"a/b": {"input_per_mtok": 1}, "c/d": {"output_per_mtok": -1}})")
                              << QStringLiteral("p.json: c/d.output_per_mtok: a price cannot be negative");
    QTest::newRow("string") << QByteArray(R"({"a/b": {"input_per_mtok": "1"}})")
                            << QStringLiteral("p.json: a/b.input_per_mtok: expected a number");
    QTest::newRow("not an object") << QByteArray(R"({"a/b": 3})") << QStringLiteral("p.json: a/b: expected an object");
    QTest::newRow("array") << QByteArray("[]") << QStringLiteral("p.json: expected an object of model keys");
    QTest::newRow("broken JSON") << QByteArray("{\"a/b\": {") << QStringLiteral("p.json:1:");
}

void TestPriceCatalogue::badOverridesChangeNothing()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    PriceCatalogue c = m_bundled;
    const Status st = c.loadOverrides(json, QStringLiteral("p.json"));
    QVERIFY(!st.ok());
    QVERIFY2(st.error().startsWith(expected), qPrintable(st.error()));
    QVERIFY(!c.scheduleForKey(QStringLiteral("a/b")));
}

void TestPriceCatalogue::syntheticTable()
{
    const QByteArray table = R"({
        "sample_spec": {"input_cost_per_token": 0.0, "mode": "one of: chat, embedding"},
        "p/flat": {"input_cost_per_token": 2e-06, "output_cost_per_token": 8, "litellm_provider": "p", "mode": "chat",
                   "input_cost_per_token_priority": 9e-06, "cache_creation_input_token_cost_above_1hr": 5e-06,
                   "output_cost_per_token_batches": 1e-06},
        "p/long": {"input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06,
                   "input_cost_per_token_above_128k_tokens": 2e-06,
                   "input_cost_per_token_above_256k_tokens": 4e-06,
                   "output_cost_per_token_above_256k_tokens": 8e-06,
                   "input_cost_per_token_above_200k_tokens_priority": 1.0},
        "p/odd": {"input_cost_per_token": -1e-06, "output_cost_per_token": "cheap"},
        "p/image": {"output_cost_per_image": 0.04, "mode": "image_generation"},
        "p/ranges": {"tiered_pricing": [{"range": [1000, 1e300], "input_cost_per_token": 9e-06},
                                        {"range": ["a", 5]}, {"input_cost_per_token": 1e-06},
                                        {"range": [0, 1000], "input_cost_per_token": 1e-06}]},
        "not-a-model": [1, 2],
        "fallback_generalizations": {"claude": ".*"}
    })";
    CatalogueInfo info;
    info.source = QStringLiteral("Test table");
    auto r = PriceCatalogue::fromJson(table, QStringLiteral("t.json"), info);
    QVERIFY2(r.ok(), qPrintable(r.error()));
    const PriceCatalogue &c = r.value();
    QCOMPARE(c.size(), qsizetype(5));
    QCOMPARE(c.info().version(), QStringLiteral("Test"));

    const auto flat = c.scheduleForKey(QStringLiteral("p/flat"));
    QVERIFY(flat);
    QVERIFY(!flat->tiered());                      // priority, 1-hour and batch prices are not tiers
    QVERIFY(near(flat->at(1).inputPerMTok, 2.0));  // 2e-06 per token
    QVERIFY(near(flat->at(1).outputPerMTok, 8e6)); // an integer per-token price is read as a number
    QVERIFY(!flat->at(1).cacheWritePerMTok);

    const auto longPrompt = c.scheduleForKey(QStringLiteral("p/long"));
    QVERIFY(longPrompt);
    QCOMPARE(longPrompt->thresholds.size(), 2);
    QCOMPARE(longPrompt->thresholds.at(0).aboveTokens, qint64(128'000));
    QCOMPARE(longPrompt->thresholds.at(1).aboveTokens, qint64(256'000));
    QVERIFY(near(longPrompt->at(128'000).inputPerMTok, 1.0));
    QVERIFY(near(longPrompt->at(128'001).inputPerMTok, 2.0));
    QVERIFY(near(longPrompt->at(128'001).outputPerMTok, 2.0)); // no 128k output price: the base one
    QVERIFY(near(longPrompt->at(256'001).inputPerMTok, 4.0));
    QVERIFY(near(longPrompt->at(256'001).outputPerMTok, 8.0));

    const auto odd = c.scheduleForKey(QStringLiteral("p/odd"));
    QVERIFY(odd);
    QVERIFY(!odd->hasAnyPrice()); // a negative or non-numeric price is unknown, not a number

    QVERIFY(!c.scheduleForKey(QStringLiteral("p/image"))->hasAnyPrice());

    // Only well-formed ranges are kept, sorted; an absurd bound is not a range.
    const auto ranges = c.scheduleForKey(QStringLiteral("p/ranges"));
    QVERIFY(ranges);
    QCOMPARE(ranges->ranges.size(), 1);
    QVERIFY(near(ranges->at(5000).inputPerMTok, 1.0));
    QVERIFY(!c.entry(QStringLiteral("not-a-model")));
    QVERIFY(!c.entry(QStringLiteral("sample_spec")));
}

void TestPriceCatalogue::invalidTableIsAnError()
{
    auto broken = PriceCatalogue::fromJson("{\n  \"a\": {\"input_cost_per_token\": }\n}", QStringLiteral("t.json"));
    QVERIFY(!broken.ok());
    QVERIFY2(broken.error().startsWith(QStringLiteral("t.json:2:")), qPrintable(broken.error()));
    auto array = PriceCatalogue::fromJson("[]", QStringLiteral("t.json"));
    QVERIFY(!array.ok());
    QVERIFY2(array.error().contains(QStringLiteral("expected a JSON object")), qPrintable(array.error()));
}

void TestPriceCatalogue::sidecarNeedsAllFields()
{
    auto ok = PriceCatalogue::parseInfo(R"({"source": "S", "commit": "c", "date": "2026-01-02"})", QStringLiteral("s"));
    QVERIFY(ok.ok());
    QCOMPARE(ok.value().version(), QStringLiteral("S c (2026-01-02)"));
    auto missing = PriceCatalogue::parseInfo(R"({"source": "S", "commit": "c"})", QStringLiteral("s.json"));
    QVERIFY(!missing.ok());
    QCOMPARE(missing.error(), QStringLiteral("s.json: \"date\" must be a non-empty string"));
}

QTEST_GUILESS_MAIN(TestPriceCatalogue)
#include "tst_pricecatalogue.moc"
