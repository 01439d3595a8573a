// Streams from the Slopscope simulator with the official client libraries and checks that the
// text, finish reason and usage each library parses equal what the simulator says it sent
// (GET /sim/requests?tag=...). Usage: node check.mjs http://127.0.0.1:PORT
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { Ollama } from 'ollama';

const base = process.argv[2];
if (!base) {
  console.error('usage: node check.mjs http://127.0.0.1:PORT');
  process.exit(2);
}

let passed = 0;
let failed = 0;
function expectEqual(what, got, want) {
  if (JSON.stringify(got) === JSON.stringify(want)) {
    passed++;
    console.log(`ok   ${what}`);
  } else {
    failed++;
    console.log(`FAIL ${what}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}

async function truth(tag) {
  const response = await fetch(`${base}/sim/requests?tag=${encodeURIComponent(tag)}`);
  const records = await response.json();
  if (records.length !== 1) throw new Error(`${tag}: expected one record, got ${records.length}`);
  return records[0];
}

function headers(tag, extra = {}) {
  return { 'x-sim-tag': tag, 'x-sim-fault': 'none', 'x-sim-repeat': '0', ...extra };
}

async function openaiChat() {
  const tag = 'openai-chat';
  const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'sk-sim', maxRetries: 0 });
  const stream = await client.chat.completions.create(
    {
      model: 'sim-gpt-oss-120b-cerebras',
      messages: [{ role: 'user', content: 'What is the capital of France? Answer with the city name.' }],
      stream: true,
      stream_options: { include_usage: true },
    },
    { headers: headers(tag) },
  );
  let text = '';
  let finish = null;
  let usage = null;
  let model = null;
  for await (const chunk of stream) {
    model = chunk.model;
    if (chunk.choices.length > 0) {
      text += chunk.choices[0].delta?.content ?? '';
      if (chunk.choices[0].finish_reason) finish = chunk.choices[0].finish_reason;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  const t = await truth(tag);
  expectEqual(`${tag} text`, text, t.text);
  expectEqual(`${tag} finish_reason`, finish, t.finish_reason);
  expectEqual(`${tag} prompt_tokens`, usage?.prompt_tokens, t.input_tokens);
  expectEqual(`${tag} completion_tokens`, usage?.completion_tokens, t.output_tokens);
  expectEqual(`${tag} reasoning_tokens`, usage?.completion_tokens_details?.reasoning_tokens, t.reasoning_tokens);
  expectEqual(`${tag} model`, model, 'gpt-oss-120b');
}

async function openaiChatHelper() {
  // The SDK's own accumulator (ChatCompletionStream) over the same wire format.
  const tag = 'openai-chat-helper';
  const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'sk-sim', maxRetries: 0 });
  const runner = client.chat.completions.stream(
    {
      model: 'sim-o4-mini',
      messages: [{ role: 'user', content: 'Write a few lines about rivers.' }],
      stream_options: { include_usage: true },
    },
    { headers: headers(tag, { 'x-sim-tokens': '40' }) },
  );
  const completion = await runner.finalChatCompletion();
  const t = await truth(tag);
  expectEqual(`${tag} text`, completion.choices[0].message.content, t.text);
  expectEqual(`${tag} finish_reason`, completion.choices[0].finish_reason, t.finish_reason);
  expectEqual(`${tag} completion_tokens`, completion.usage?.completion_tokens, t.output_tokens);
}

async function openaiResponses() {
  const tag = 'openai-responses';
  const client = new OpenAI({ baseURL: `${base}/v1`, apiKey: 'sk-sim', maxRetries: 0 });
  const stream = await client.responses.create(
    { model: 'sim-o4-mini', instructions: 'Be brief.', input: 'Tell me about tea.', stream: true },
    { headers: headers(tag, { 'x-sim-tokens': '30' }) },
  );
  let text = '';
  let final = null;
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed' || event.type === 'response.incomplete') final = event.response;
  }
  const t = await truth(tag);
  expectEqual(`${tag} text`, text, t.text);
  expectEqual(`${tag} status`, final?.status, t.finish_reason === 'stop' ? 'completed' : 'incomplete');
  expectEqual(`${tag} input_tokens`, final?.usage?.input_tokens, t.input_tokens);
  expectEqual(`${tag} output_tokens`, final?.usage?.output_tokens, t.output_tokens);
  expectEqual(`${tag} reasoning_tokens`, final?.usage?.output_tokens_details?.reasoning_tokens, t.reasoning_tokens);
}

async function anthropicMessages(thinking) {
  const tag = thinking ? 'anthropic-thinking' : 'anthropic';
  const client = new Anthropic({ baseURL: base, apiKey: 'sk-ant-sim', maxRetries: 0 });
  const params = {
    model: 'sim-claude-sonnet-4',
    max_tokens: 2048,
    messages: [{ role: 'user', content: 'Who wrote the play Hamlet?' }],
  };
  if (thinking) params.thinking = { type: 'enabled', budget_tokens: 1024 };
  const stream = client.messages.stream(params, { headers: headers(tag) });
  let deltas = '';
  stream.on('text', (t) => {
    deltas += t;
  });
  const message = await stream.finalMessage();
  const text = message.content.filter((b) => b.type === 'text').map((b) => b.text).join('');
  const t = await truth(tag);
  expectEqual(`${tag} text`, text, t.text);
  expectEqual(`${tag} text events`, deltas, t.text);
  expectEqual(`${tag} stop_reason`, message.stop_reason, t.finish_reason === 'stop' ? 'end_turn' : 'max_tokens');
  expectEqual(`${tag} input_tokens`, message.usage.input_tokens, t.input_tokens);
  expectEqual(`${tag} output_tokens`, message.usage.output_tokens, t.output_tokens);
  if (thinking) {
    const block = message.content.find((b) => b.type === 'thinking');
    expectEqual(`${tag} thinking block with signature`, Boolean(block && block.thinking.length > 0 && block.signature.length > 0), true);
  }
}

async function gemini() {
  const tag = 'gemini';
  const ai = new GoogleGenAI({ apiKey: 'sim-key', httpOptions: { baseUrl: base, headers: headers(tag, { 'x-sim-tokens': '30' }) } });
  const stream = await ai.models.generateContentStream({ model: 'sim-gemini-2.5-flash', contents: 'Tell me about tea.' });
  let text = '';
  let last = null;
  for await (const chunk of stream) {
    for (const part of chunk.candidates?.[0]?.content?.parts ?? []) {
      if (!part.thought && typeof part.text === 'string') text += part.text;
    }
    last = chunk;
  }
  const t = await truth(tag);
  const usage = last?.usageMetadata ?? {};
  expectEqual(`${tag} text`, text, t.text);
  expectEqual(`${tag} finishReason`, last?.candidates?.[0]?.finishReason, t.finish_reason === 'stop' ? 'STOP' : 'MAX_TOKENS');
  expectEqual(`${tag} promptTokenCount`, usage.promptTokenCount, t.input_tokens);
  expectEqual(`${tag} candidates+thoughts`, (usage.candidatesTokenCount ?? 0) + (usage.thoughtsTokenCount ?? 0), t.output_tokens);
  expectEqual(`${tag} thoughtsTokenCount`, usage.thoughtsTokenCount ?? 0, t.reasoning_tokens);
}

async function ollama() {
  const tag = 'ollama';
  const client = new Ollama({ host: base, headers: headers(tag, { 'x-sim-tokens': '25' }) });
  const stream = await client.chat({
    model: 'sim-llama3.2',
    messages: [{ role: 'user', content: 'Tell me about <tea> & biscuits.' }],
    stream: true,
  });
  let text = '';
  let last = null;
  for await (const part of stream) {
    text += part.message?.content ?? '';
    if (part.done) last = part;
  }
  const t = await truth(tag);
  expectEqual(`${tag} text`, text, t.text);
  expectEqual(`${tag} done_reason`, last?.done_reason, t.finish_reason);
  expectEqual(`${tag} prompt_eval_count`, last?.prompt_eval_count, t.input_tokens);
  expectEqual(`${tag} eval_count`, last?.eval_count, t.output_tokens);
}

const checks = [openaiChat, openaiChatHelper, openaiResponses, () => anthropicMessages(false), () => anthropicMessages(true), gemini, ollama];
for (const check of checks) {
  try {
    await check();
  } catch (error) {
    failed++;
    console.log(`FAIL ${check.name || 'check'}: ${error?.stack ?? error}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
