#!/usr/bin/env python3
"""Move messages between Qt .ts files and plain JSON, so translators can work in any editor.

    ts_fill.py export slopscope_de.ts > todo.json     # unfinished messages only
    ts_fill.py import slopscope_de.ts done.json       # fill them in, checked
    ts_fill.py check translations/*.ts                # exit 1 on unfinished or broken messages
    ts_fill.py join todo.json part*.json > done.json  # parts hold {"id": index in todo, "t": ...}
    ts_fill.py verify LUPDATE SOURCE_ROOT translations/*.ts
        # the test: extracts the sources afresh, and fails if a .ts misses, leaves unfinished
        # or breaks a message the code uses, or still carries one it no longer uses

Each JSON item is {"context", "source", "numerus", "translation"}; "translation" is a string, or
a list of plural forms (%n) for numerus messages: two for de/fr/es, one for ja/zh_CN.
`import` refuses a translation whose placeholders (%1, %L2, %n) or keyboard accelerator (&X)
differ from the source's, so a wrong translation fails here rather than in the running app.
Run `cmake --build <dir> --target update_translations` afterwards to restore lupdate's layout.
"""

import json
import re
import sys
import xml.etree.ElementTree as ET

PLACEHOLDER = re.compile(r"%L?(\d+|n)")
ACCELERATOR = re.compile(r"&(?!&)\S")


def plural_count(language):
    return 1 if language.split("_")[0] in ("ja", "zh", "ko") else 2


def load(path):
    tree = ET.parse(path)
    return tree, tree.getroot()


def messages(root):
    for context in root.iter("context"):
        name = context.findtext("name", "")
        for message in context.iter("message"):
            yield name, message


def text_of(translation):
    forms = translation.findall("numerusform")
    if forms:
        return [form.text or "" for form in forms]
    return translation.text or ""


def problems(source, translated):
    found = []
    texts = translated if isinstance(translated, list) else [translated]
    want = sorted(set(PLACEHOLDER.findall(source)))
    for text in texts:
        if not text.strip():
            found.append("empty translation")
            continue
        have = sorted(set(PLACEHOLDER.findall(text)))
        # A plural form may leave %n out ("one file"), but no other placeholder may change.
        if [p for p in want if p != "n"] != [p for p in have if p != "n"] or \
                ("n" in have and "n" not in want):
            found.append(f"placeholders {have} differ from the source's {want}")
        if bool(ACCELERATOR.search(source)) != bool(ACCELERATOR.search(text)):
            found.append("keyboard accelerator (&) added or lost")
    return found


def write(tree, path):
    ET.indent(tree, space="    ")
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="unicode")
        out.write("\n")


def export(path):
    _, root = load(path)
    todo = []
    for context, message in messages(root):
        translation = message.find("translation")
        if translation.get("type") != "unfinished":
            continue
        item = {"context": context, "source": message.findtext("source"),
                "numerus": message.get("numerus") == "yes"}
        comment = message.findtext("comment")
        if comment:
            item["comment"] = comment
        todo.append(item)
    json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def import_(path, json_path):
    tree, root = load(path)
    forms_wanted = plural_count(root.get("language", ""))
    with open(json_path, encoding="utf-8") as f:
        done = json.load(f)
    by_key = {(d.get("context"), d["source"]): d["translation"] for d in done}
    by_source = {d["source"]: d["translation"] for d in done}
    filled, failures = 0, 0
    for context, message in messages(root):
        source = message.findtext("source")
        translated = by_key.get((context, source), by_source.get(source))
        if translated is None:
            continue
        numerus = message.get("numerus") == "yes"
        if numerus and isinstance(translated, str):
            translated = [translated] * forms_wanted
        if numerus and len(translated) != forms_wanted:
            print(f"{context}: {source!r}: needs {forms_wanted} plural form(s)", file=sys.stderr)
            failures += 1
            continue
        if not numerus and isinstance(translated, list):
            translated = translated[0]
        issues = problems(source, translated)
        if issues:
            print(f"{context}: {source!r}: {'; '.join(issues)}", file=sys.stderr)
            failures += 1
            continue
        translation = message.find("translation")
        for child in list(translation):
            translation.remove(child)
        if numerus:
            translation.text = None
            for form in translated:
                ET.SubElement(translation, "numerusform").text = form
        else:
            translation.text = translated
        translation.attrib.pop("type", None)
        filled += 1
    write(tree, path)
    print(f"{path}: {filled} message(s) filled, {failures} refused", file=sys.stderr)
    return 1 if failures else 0


def check(paths):
    bad = 0
    for path in paths:
        _, root = load(path)
        counts = {"unfinished": 0, "vanished": 0, "obsolete": 0, "broken": 0}
        for context, message in messages(root):
            translation = message.find("translation")
            kind = translation.get("type")
            if kind in counts:
                counts[kind] += 1
                continue
            issues = problems(message.findtext("source"), text_of(translation))
            if issues:
                counts["broken"] += 1
                print(f"{path}: {context}: {message.findtext('source')!r}: {'; '.join(issues)}")
        total = sum(counts.values())
        print(f"{path}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        bad += total
    return 1 if bad else 0


def join(todo_path, part_paths):
    with open(todo_path, encoding="utf-8") as f:
        todo = json.load(f)
    done, seen = [], set()
    for part_path in part_paths:
        with open(part_path, encoding="utf-8") as f:
            for item in json.load(f):
                index = item["id"]
                if not 0 <= index < len(todo) or index in seen:
                    print(f"{part_path}: id {index} is out of range or repeated", file=sys.stderr)
                    return 1
                seen.add(index)
                done.append(dict(todo[index], translation=item["t"]))
    missing = [i for i in range(len(todo)) if i not in seen]
    if missing:
        print(f"{len(missing)} message(s) not translated yet, e.g. ids {missing[:10]}", file=sys.stderr)
    json.dump(done, sys.stdout, ensure_ascii=False, indent=1)
    print()
    return 0


def verify(lupdate, root, paths):
    import os
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        fresh = os.path.join(tmp, "fresh_de.ts")
        dirs = [os.path.join(root, d) for d in ("models", "widgets", "app")]
        subprocess.run([lupdate, "-silent", "-no-obsolete", "-locations", "none", *dirs, "-ts", fresh],
                       check=True, stdout=subprocess.DEVNULL)
        _, root_el = load(fresh)
        used = {(c, m.findtext("source")) for c, m in messages(root_el)}
    if not used:
        print("lupdate found no message at all", file=sys.stderr)
        return 1
    bad = 0
    for path in paths:
        _, ts = load(path)
        present = {}
        for context, message in messages(ts):
            present[(context, message.findtext("source"))] = message
        missing = sorted(used - present.keys())
        unused = sorted(present.keys() - used)
        unfinished, broken = [], []
        for key in sorted(used & present.keys()):
            translation = present[key].find("translation")
            if translation.get("type") in ("unfinished", "vanished", "obsolete"):
                unfinished.append(key)
            elif problems(key[1], text_of(translation)):
                broken.append(key)
        for label, keys in (("missing (run update_translations)", missing), ("unused", unused),
                            ("unfinished", unfinished), ("broken", broken)):
            for context, source in keys[:5]:
                print(f"{path}: {label}: {context}: {source!r}")
            if len(keys) > 5:
                print(f"{path}: ... and {len(keys) - 5} more {label}")
        count = len(missing) + len(unused) + len(unfinished) + len(broken)
        print(f"{path}: {len(used)} messages used, {count} problem(s)")
        bad += count
    return 1 if bad else 0


def main(argv):
    if len(argv) >= 3 and argv[1] == "export":
        return export(argv[2])
    if len(argv) == 4 and argv[1] == "import":
        return import_(argv[2], argv[3])
    if len(argv) >= 4 and argv[1] == "join":
        return join(argv[2], argv[3:])
    if len(argv) >= 5 and argv[1] == "verify":
        return verify(argv[2], argv[3], argv[4:])
    if len(argv) >= 3 and argv[1] == "check":
        return check(argv[2:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
