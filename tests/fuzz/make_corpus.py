#!/usr/bin/env python3
"""Regenerates the seed corpora in corpus/<target>/ from tests/data (the wire fixtures in
tests/data/wire and the importer files in tests/data/quality) and resources/demo; README.md
gives each seed's origin.
Seeds are kept small (at most MAX bytes): longer streams are cut at an event boundary.
Run from anywhere: python3 tests/fuzz/make_corpus.py"""
import json
import pathlib
import shutil

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
WIRE = ROOT / "tests/data/wire"
QUALITY = ROOT / "tests/data/quality"
MAX = 4096

# Control bytes (FuzzKit.h): parsers take [caps][split count][lengths...], decoders
# [response kind][split count][lengths...]. Response kinds (DecoderFuzz.h): 0 SSE, 1 NDJSON,
# 2 whole JSON, 3 no Content-Type, 4 HTTP 429 JSON, 5 HTTP 503 HTML, 6 SSE (odd casing), 7 200 HTML.
WHOLE = bytes([0])
BYTEWISE = bytes([1, 1])
CRLF_CUTS = bytes([2, 2, 1])
UTF8_CUTS = bytes([3, 3, 1, 2])


def cut(body: bytes, ndjson: bool) -> bytes:
    """At most MAX bytes, ending after a whole event (SSE) or line (NDJSON) where possible."""
    if len(body) <= MAX:
        return body
    head = body[:MAX]
    ends = [b"\n"] if ndjson else [b"\n\n", b"\r\n\r\n", b"\r\r"]
    best = max(head.rfind(e) + len(e) for e in ends)
    return head[:best] if best > len(ends[0]) else head


corpora: dict[str, dict[str, bytes]] = {}


def seed(target: str, name: str, data: bytes) -> None:
    corpora.setdefault(target, {})[name] = data


def wire(path: str) -> bytes:
    p = WIRE / path
    return cut(p.read_bytes(), p.suffix == ".ndjson")


# --- framing ---------------------------------------------------------------------------------
sse_files = ["anthropic/01_sdk_basic_no_trailing_newline.sse", "gemini/01_text_crlf.sse",
             "openai-chat/02_finish_length.sse", "openai-compat/openrouter_02_inband_error_with_usage.sse"]
for i, f in enumerate(sse_files):
    body = wire(f)
    seed("fuzz_sse_parser", pathlib.Path(f).stem, bytes([0]) + WHOLE + body)
    seed("fuzz_sse_parser", pathlib.Path(f).stem + "-cuts", bytes([0]) + [CRLF_CUTS, UTF8_CUTS][i % 2] + body)
seed("fuzz_sse_parser", "small-event-cap", bytes([2 + 4 * 20]) + CRLF_CUTS + wire("openai-chat/02_finish_length.sse")[:600])
seed("fuzz_sse_parser", "small-response-cap", bytes([3 + 4 * 30]) + BYTEWISE + wire("gemini/01_text_crlf.sse")[:400])
seed("fuzz_sse_parser", "framing-edge-cases", bytes([0]) + CRLF_CUTS +
     b"\xef\xbb\xbfdata:no space\r\rdata: a\r\ndata: b\r\n\r\n: comment\nid: 7\x00x\nid: 8\nretry: 1500\n"
     b"retry: 12a\nevent: ping\ndata\n\ndata: \xe2\x80\xa8 \xf0\x9f\x8c\x8d \xff\xfe\n\nevent: x\n\ndata: [DONE]\n\n"
     b"data: tail without end")

for f in ["ollama/01_chat_stream.ndjson", "ollama/02_chat_midstream_error.ndjson"]:
    body = wire(f)
    seed("fuzz_ndjson_parser", pathlib.Path(f).stem, bytes([0]) + WHOLE + body)
    seed("fuzz_ndjson_parser", pathlib.Path(f).stem + "-cuts", bytes([0]) + CRLF_CUTS + body)
seed("fuzz_ndjson_parser", "small-line-cap", bytes([2 + 4 * 40]) + UTF8_CUTS + wire("ollama/01_chat_stream.ndjson")[:500])
seed("fuzz_ndjson_parser", "edge-cases", bytes([0]) + BYTEWISE +
     b"\xef\xbb\xbf{\"a\":1}\r\n\r\n  \t\r\n{\"b\":\"\xf0\x9f\x8c\x8d\xc3\"}\n\r{\"c\":3}\r\r\n{\"unterminated\":true}")

# --- decoders: [response kind][splits] + body --------------------------------------------------
decoders = {
    "openai_chat": ["openai-chat/01_text_with_usage.sse", "openai-chat/02_finish_length.sse",
                    "openai-chat/04_tool_calls.sse", "openai-chat/05_refusal.sse",
                    "openai-chat/13_inband_error_after_partial_output.sse",
                    "openai-chat/09_tool_call_usage_null_2026.sse",
                    "openai-compat/cerebras_01_time_info.sse", "openai-compat/llamacpp_01_timings_include_usage.sse",
                    "openai-compat/openrouter_02_inband_error_with_usage.sse",
                    "openai-chat/11_http429_rate_limit_exceeded.json"],
    "openai_responses": ["openai-responses/01_text_logprobs_gpt4o_mini.sse",
                         "openai-responses/02_reasoning_function_call_gpt5.sse",
                         "openai-responses/03_error_event_after_partial_output.sse"],
    "anthropic": ["anthropic/01_sdk_basic_no_trailing_newline.sse", "anthropic/02_sdk_tool_use.sse",
                  "anthropic/04_thinking_signature_real.sse", "anthropic/06_midstream_overloaded_error.sse",
                  "anthropic/09_http429_rate_limit.json"],
    "gemini": ["gemini/01_text_crlf.sse", "gemini/02_text_thinking_tokens_crlf.sse",
               "gemini/03_function_call_thought_signature.sse", "gemini/04_http429_resource_exhausted.json"],
    "ollama": ["ollama/01_chat_stream.ndjson", "ollama/02_chat_midstream_error.ndjson",
               "ollama/03_chat_no_prompt_eval_count.ndjson", "ollama/04_http404_model_not_found.json"],
}
for dialect, files in decoders.items():
    target = "fuzz_decoder_" + dialect
    for i, f in enumerate(files):
        body = wire(f)
        stem = pathlib.Path(f).stem
        if f.endswith(".json"):
            seed(target, stem, bytes([4]) + WHOLE + body)
            continue
        kind = 1 if f.endswith(".ndjson") else 0
        seed(target, stem, bytes([kind]) + [WHOLE, CRLF_CUTS, UTF8_CUTS][i % 3] + body)
    # A non-streamed answer (the whole-JSON framing) built from the first answer's text.
    whole = {
        "openai_chat": {"id": "chatcmpl-1", "model": "m", "choices": [{"index": 0, "message": {
            "role": "assistant", "content": "Hi \\ud83c\\udf0d"}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}},
        "openai_responses": {"id": "resp_1", "status": "completed", "model": "m", "output": [
            {"type": "message", "content": [{"type": "output_text", "text": "Hi"}]}],
            "usage": {"input_tokens": 3, "output_tokens": 1}},
        "anthropic": {"id": "msg_1", "type": "message", "model": "m", "content": [{"type": "text", "text": "Hi"}],
                      "stop_reason": "end_turn", "usage": {"input_tokens": 3, "output_tokens": 1}},
        "gemini": {"candidates": [{"content": {"parts": [{"text": "Hi"}]}, "finishReason": "STOP"}],
                   "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 1}, "modelVersion": "m"},
        "ollama": {"model": "m", "message": {"role": "assistant", "content": "Hi"}, "done": True,
                   "done_reason": "stop", "prompt_eval_count": 3, "eval_count": 1},
    }[dialect]
    seed(target, "whole-json", bytes([2]) + WHOLE + json.dumps(whole).encode().replace(b"\\\\u", b"\\u"))
    seed(target, "html-error-page", bytes([5]) + WHOLE + b"<html><body>502 Bad Gateway</body></html>")
    # RELIABILITY.md B-12: a record nested past the parser's depth limit (malformed_response).
    deep = b"[" * 1500 + b"]" * 1500
    if dialect == "ollama":
        seed(target, "deep-nesting-line", bytes([1]) + WHOLE + b'{"message":{"content":"ok"},"done":false}\n' + deep
             + b'\n{"done":true}\n')
    else:
        seed(target, "deep-nesting-event", bytes([0]) + WHOLE + b"data: " + deep + b"\n\ndata: [DONE]\n\n")
    if dialect == "gemini":  # B-11: a candidate stopped by the safety filter
        seed(target, "safety-finish-reason", bytes([0]) + WHOLE
             + b'data: {"candidates":[{"content":{"parts":[{"text":"a"}]}}]}\r\n\r\n'
             + b'data: {"candidates":[{"finishReason":"SAFETY"}],"usageMetadata":{"promptTokenCount":5}}\r\n\r\n')
    if dialect == "openai_chat":  # B-8: an escaped surrogate pair split across two events
        seed(target, "split-surrogate-events", bytes([0]) + WHOLE
             + b'data: {"choices":[{"index":0,"delta":{"content":"a\\ud83d"}}]}\n\n'
             + b'data: {"choices":[{"index":0,"delta":{"content":"\\ude00b"}}]}\n\ndata:\n\ndata: [DONE]\n\n')

# --- user files ----------------------------------------------------------------------------------
for name in ["facts", "code", "benchmark"]:
    suite = json.loads((ROOT / f"resources/demo/suites/{name}.json").read_text())
    suite["cases"] = suite["cases"][:2]
    seed("fuzz_suite", f"demo-{name}-2cases", (json.dumps(suite, ensure_ascii=False, indent=1)[:MAX * 2]).encode())
seed("fuzz_suite", "defaults-messages-vars", json.dumps({
    "name": "s", "defaults": {"system": "Be brief.", "params": {"temperature": 0},
                              "assert": [{"type": "not-contains", "value": "sorry"}]},
    "cases": [{"id": "a", "messages": [{"role": "user", "content": "Capital of {{country}}?"}],
               "vars": {"country": "France"}, "reference": "Paris", "threshold": 0.5, "weight": 2,
               "assert": [{"type": "icontains", "value": "paris", "weight": 2, "metric": "m"},
                          {"type": "llm-rubric", "value": "is right", "threshold": 0.7, "provider": "judge"}],
               "variants": [{"id": "v1", "kind": "paraphrase", "prompt": "{{country}}'s capital?",
                             "vars": {"country": "Spain"}, "reference": "Madrid",
                             "assert": [{"type": "equals", "value": "Madrid"}]}]}]}, indent=1).encode())
seed("fuzz_suite", "utf16-bom", b"\xff\xfe{\x00}\x00")

for f in sorted((QUALITY / "csv").iterdir()):
    seed("fuzz_csv_importer", f.stem, f.read_bytes())
seed("fuzz_csv_importer", "quoted-crlf-bom", b'\xef\xbb\xbfid,prompt,expected,tags,city\r\n'
     b'a,"Where is {{city}}?\r\nAnswer ""briefly"".",France,geo;easy,Paris\r\nb,Hi,,,x\r\n')

for f in sorted((QUALITY / "jsonl").iterdir()):
    seed("fuzz_jsonl_importer", f.stem, bytes([0, 1]) + f.read_bytes()[:MAX])
    seed("fuzz_jsonl_importer", f.stem + "-sampled-shuffled", bytes([0x2E, 7]) + f.read_bytes()[:MAX])

pf = QUALITY / "promptfoo"
for f in sorted(pf.glob("*.yaml")):
    seed("fuzz_promptfoo_importer", f.stem, f.read_bytes())

ws = json.loads((ROOT / "resources/demo/workspace.json").read_text())
seed("fuzz_workspace", "demo-workspace", json.dumps(ws, indent=1).encode())
ws["providers"] = ws["providers"][:1]
ws["targets"] = [t for t in ws["targets"] if t.get("provider") == ws["providers"][0]["id"]][:1]
seed("fuzz_workspace", "one-provider", json.dumps(ws).encode())

for target, seeds in corpora.items():
    d = HERE / "corpus" / target
    if d.exists():
        shutil.rmtree(d)
    d.mkdir(parents=True)
    for name, data in seeds.items():
        (d / name).write_bytes(data)
    print(f"{target}: {len(seeds)} seeds, {sum(map(len, seeds.values()))} bytes")
