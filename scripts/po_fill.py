#!/usr/bin/env python3
"""Fill or correct entries of our .po catalogues from a JSON file, clearing their fuzzy flag.

    scripts/po_fill.py translations.json

The JSON maps a language to entries: {"it": {"msgid": "text", "ctx\\u0004msgid": "text",
"plural msgid": ["one", "other"]}}. Used for small batches of new strings; larger batches are
translated in the .po files directly.
"""

import json
import re
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "retorno" / "locale"


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def unquote(lines: list[str]) -> str:
    parts = [json.loads(line[line.index('"') :]) for line in lines]
    return "".join(parts)


def fill(language: str, entries: dict) -> int:
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    changed = 0
    for i, block in enumerate(blocks):
        lines = block.split("\n")
        fields: dict[str, list[str]] = {}
        current = None
        for line in lines:
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) ", line)
            if match:
                current = match.group(1)
                fields[current] = [line]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" not in fields:
            continue
        msgid = unquote(fields["msgid"])
        key = msgid
        if "msgctxt" in fields:
            key = unquote(fields["msgctxt"]) + "\u0004" + msgid
        if key not in entries or not msgid:
            continue
        value = entries[key]
        head = [line for line in lines if line.startswith("#") and not line.startswith("#|")]
        head = [re.sub(r",\s*fuzzy", "", h) if h.startswith("#,") else h for h in head]
        head = [h for h in head if h.strip() not in ("#,", "#, fuzzy")]
        body = []
        if "msgctxt" in fields:
            body += fields["msgctxt"]
        body += fields["msgid"]
        if "msgid_plural" in fields:
            body += fields["msgid_plural"]
            forms = sorted(k for k in fields if k.startswith("msgstr["))
            values = value if isinstance(value, list) else [value]
            for n, form in enumerate(forms):
                body.append(f"{form} {quote(values[min(n, len(values) - 1)])}")
        else:
            body.append(f"msgstr {quote(value)}")
        blocks[i] = "\n".join(head + body)
        changed += 1
    path.write_text("\n\n".join(blocks), encoding="utf-8")
    return changed


if __name__ == "__main__":
    data = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    for language, entries in data.items():
        print(language, fill(language, entries))
