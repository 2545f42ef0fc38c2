"""Turning a gold file written by reading a document into the committed form.

``python -m eval gold --raw RAW.jsonl --doc DOC.txt --out eval/gold_dev/<doc stem>.jsonl``

A writer reads a document and writes one line per question, with the passage in clear:

    {"id": "x12-03", "question": "...", "expect": ["..."], "quote": "<the passage, copied>",
     "category": "deadline", "answerable": true}

This checks every line against the document (the quote is in it; each expected fact is in the
quote, or, for an item marked ``"spread": true``, somewhere in the document; a question of the
``no_diacritics`` category has none; an unanswerable item has no quote and no facts; ids are
unique) and writes the committed form: the quote replaced by its fingerprint
(``eval.metrics.fingerprint``), so the document's text never enters the project. Every problem
is printed with its line; nothing is written while one remains.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from eval.metrics import fingerprint, has_fact, norm

CATEGORIES = frozenset({
    # what is asked
    "amount", "share", "count", "date", "deadline", "time", "period", "agency", "person", "place",
    "list", "definition", "purpose", "yesno", "metadata", "effective", "replaces", "two_part",
    "target", "result", "task", "table", "table_max", "table_min", "table_total", "table_count",
    # how it is asked
    "no_diacritics", "unanswerable",
})
OPTIONAL_KEYS = {"list", "spread", "kind", "note"}
MAX_QUOTE_CHARS = 1200  # a passage, not a page


def has_diacritics(text: str) -> bool:
    return any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", text)) or "đ" in text.lower()


def check(items: list[dict], doc_name: str, doc_text: str) -> list[str]:
    """Problems of a raw gold file, one line each (empty when it is ready)."""
    problems: list[str] = []
    seen: set[str] = set()
    whole = norm(doc_text)
    for n, item in enumerate(items, 1):
        where = f"line {n} ({item.get('id')})"
        for key, kind in (("id", str), ("question", str), ("expect", list), ("category", str),
                          ("answerable", bool)):
            if not isinstance(item.get(key), kind):
                problems.append(f"{where}: {key} must be a {kind.__name__}")
        if problems and problems[-1].startswith(where):
            continue
        unknown = set(item) - {"id", "doc", "question", "expect", "quote", "category", "answerable"} - OPTIONAL_KEYS
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if item["id"] in seen:
            problems.append(f"{where}: id used twice")
        seen.add(item["id"])
        if item.get("doc") not in (None, doc_name):
            problems.append(f"{where}: doc {item.get('doc')!r} is not {doc_name!r}")
        if item["category"] not in CATEGORIES:
            problems.append(f"{where}: category {item['category']!r} not in {sorted(CATEGORIES)}")
        if item["category"] == "no_diacritics" and has_diacritics(item["question"]):
            problems.append(f"{where}: a no_diacritics question has diacritics")
        quote = item.get("quote") or ""
        if not item["answerable"]:
            if item["expect"] or quote:
                problems.append(f"{where}: an unanswerable item has no expect and no quote")
            continue
        if not item["expect"] or not all(isinstance(e, str) and e.strip() for e in item["expect"]):
            problems.append(f"{where}: answerable without expect strings")
            continue
        if not quote.strip():
            problems.append(f"{where}: answerable without a quote")
            continue
        if len(quote) > MAX_QUOTE_CHARS:
            problems.append(f"{where}: quote is {len(quote)} characters (at most {MAX_QUOTE_CHARS})")
        if norm(quote) not in whole:
            problems.append(f"{where}: quote not found in the document (copy it exactly): {quote[:80]!r}")
        for fact in item["expect"]:
            where_fact = doc_text if item.get("spread") else quote
            if not has_fact(where_fact, fact):
                problems.append(f"{where}: expected {fact!r} is not in the "
                                f"{'document' if item.get('spread') else 'quote'}")
    return problems


def committed(item: dict, doc_name: str) -> dict:
    """The committed line: the quote as a fingerprint, writer-only keys dropped."""
    out = {"id": item["id"], "doc": doc_name, "question": item["question"], "expect": item["expect"]}
    if item["answerable"]:
        out["source"] = fingerprint(item["quote"])
    out["category"] = item["category"]
    out["answerable"] = item["answerable"]
    if item.get("list"):
        out["list"] = True
    return out


def convert(raw: Path, doc: Path, out: Path | None) -> int:
    items = [json.loads(line) for line in raw.read_text(encoding="utf-8").splitlines() if line.strip()]
    text = unicodedata.normalize("NFC", doc.read_text(encoding="utf-8"))
    problems = check(items, doc.name, text)
    for p in problems:
        print(f"{raw.name}: {p}")
    answerable = sum(1 for i in items if i.get("answerable"))
    print(f"{raw.name}: {len(items)} items ({answerable} answerable, {len(items) - answerable} not), "
          f"{len(problems)} problems")
    if problems:
        return 1
    if out is not None:
        out.write_text("".join(json.dumps(committed(i, doc.name), ensure_ascii=False) + "\n" for i in items),
                       encoding="utf-8")
        print(f"wrote {out}")
    return 0
