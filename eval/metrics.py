"""Scoring of answers against the gold set: facts, citations, refusals, latency.

"Tight" is a correct answer short enough to read at a glance (at most TIGHT_CHARS characters),
unless the gold item asks for a list (``"list": true``), where correct is enough.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from core.vn import canonical_numbers

TIGHT_CHARS = 600  # longest answer that still counts as tight (list questions excepted)


def norm(text: str) -> str:
    """Casefold, NFC, one space, Vietnamese number formats unified ('17.800' = '17800', '7,3' = '7.3'),
    and a range written with or without spaces around its dash ('2025 - 2035' = '2025-2035')."""
    text = canonical_numbers(unicodedata.normalize("NFC", text).casefold())
    text = re.sub(r"(?<=\d)\s*[-–]\s*(?=\d)", "-", text)
    return " ".join(text.split())


# The line that names the answer's document in a library ("Theo Kế hoạch 182/KH-UBND của UBND tỉnh
# Đồng Nai:"): it says where the answer comes from, so it neither supplies a fact nor costs tightness.
ATTRIBUTION_RE = re.compile(r"^Theo [^\n]*:\n")


def answer_body(answer: str) -> str:
    """The answer without the line naming its document."""
    return ATTRIBUTION_RE.sub("", answer, count=1)


def has_fact(answer: str, fact: str) -> bool:
    return norm(fact) in norm(answer)


PART_RE = re.compile(r"(?<=[,;:.])\s+")  # where a gold passage splits into the clauses an answer may quote
PART_HASH_CHARS = 16  # 64 bits of sha1 per clause run: enough to tell a document's clauses apart


def _sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _part_hashes(q: str) -> list[str]:
    """Hashes of every run of consecutive clauses of a normalised passage, trailing punctuation off."""
    starts = [0] + [m.end() for m in PART_RE.finditer(q)]
    ends = [m.start() for m in PART_RE.finditer(q)] + [len(q)]
    runs = {q[a:b].rstrip(" ,;:.") for i, a in enumerate(starts) for b in ends[i:]}
    return sorted(_sha1(r)[:PART_HASH_CHARS] for r in runs if len(r) >= MIN_PART_CHARS)


def fingerprint(quote: str) -> dict[str, object]:
    """A gold passage named without its text (gold items about documents the project does not hold,
    the dev corpus): the sha1 and length of its normalised form, to find it inside a cited passage,
    and the hashes of its clause runs, to recognise a cited clause of it."""
    q = norm(quote)
    return {"quote_sha1": _sha1(q), "quote_len": len(q), "part_sha1": _part_hashes(q)}


def _holds(text: str, sha1: str, length: int) -> bool:
    """Whether ``text`` (normalised) holds a substring with this fingerprint."""
    for i in range(len(text) - length + 1):
        if hashlib.sha1(text[i:i + length].encode("utf-8")).hexdigest() == sha1:
            return True
    return False


MIN_PART_CHARS = 20  # a cited span this long inside the gold passage counts as citing it


def _hits(citation: dict, quotes: list[str], prints: list[dict] = ()) -> bool:
    """The citation holds the gold passage, or quotes a part of it (at least MIN_PART_CHARS)."""
    ctext, cquote = norm(citation.get("text", "")), norm(citation.get("quote", ""))
    for q in map(norm, quotes):
        if q in ctext or (len(cquote) >= MIN_PART_CHARS and cquote in q):
            return True
    part = _sha1(cquote.rstrip(" ,;:."))[:PART_HASH_CHARS] if len(cquote) >= MIN_PART_CHARS else None
    return any(_holds(ctext, p["quote_sha1"], int(p["quote_len"])) or part in p.get("part_sha1", ())
               for p in prints)


def hits_passage(text: str, quote: str, quotes: list[str], prints: list[dict]) -> bool:
    """Whether a passage (its whole ``text``, the ``quote`` answering from it) cites the gold passage."""
    return _hits({"text": text, "quote": quote}, quotes, prints)


def gold_quotes(item: dict) -> list[str]:
    src = item.get("source") or {}
    quotes = list(src.get("quotes") or [])
    if src.get("quote"):
        quotes.insert(0, src["quote"])
    return quotes


def gold_fingerprints(item: dict) -> list[dict]:
    """The item's gold passage fingerprint, plus one per document of an ambiguous library item
    (``"sources": {file name: fingerprint}``): citing any of them is a hit."""
    src = item.get("source") or {}
    prints = [src] if src.get("quote_sha1") else []
    return prints + [p for p in (item.get("sources") or {}).values() if p.get("quote_sha1") and p != src]


@dataclass
class Metrics:
    n: int = 0
    answerable: int = 0
    unanswerable: int = 0
    correct: int = 0
    tight: int = 0
    hit1: int = 0
    hit3: int = 0
    rr: float = 0.0
    refused_ok: int = 0
    false_refusals: int = 0
    latencies: list[float] = field(default_factory=list)
    per_category: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    misses: list[dict[str, Any]] = field(default_factory=list)
    modes: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # "llm" / "extractive" answers

    def add(self, item: dict, ans: dict) -> None:
        self.n += 1
        self.modes[str(ans.get("mode", "extractive"))] += 1
        self.latencies.append(float(ans.get("latency_ms", 0.0)))
        cat = item.get("category", "other")
        cites = ans.get("citations") or []
        if item.get("answerable", True):
            self.answerable += 1
            body = answer_body(ans.get("answer", ""))
            ok = bool(ans.get("found")) and all(has_fact(body, f) for f in item.get("expect", []))
            self.correct += ok
            self.tight += ok and (bool(item.get("list")) or len(body) <= TIGHT_CHARS)
            if not ans.get("found"):
                self.false_refusals += 1
            quotes, prints = gold_quotes(item), gold_fingerprints(item)
            rank = next((i + 1 for i, c in enumerate(cites) if _hits(c, quotes, prints)), None)
            self.hit1 += rank == 1
            self.hit3 += rank is not None and rank <= 3
            self.rr += 1.0 / rank if rank else 0.0
            cite_ok = rank is not None and rank <= 3
        else:
            self.unanswerable += 1
            ok = not ans.get("found")
            self.refused_ok += ok
            cite_ok = True
        self.per_category[cat][0] += ok
        self.per_category[cat][1] += 1
        if not ok or not cite_ok:
            self.misses.append({"id": item["id"], "category": cat, "question": item["question"],
                                "expect": item.get("expect", []), "answer": ans.get("answer", ""),
                                "found": ans.get("found"), "citation_ok": cite_ok, "mode": ans.get("mode"),
                                "warnings": ans.get("warnings", [])})

    def summary(self) -> dict[str, float]:
        def pct(a: int, b: int) -> float:
            return round(100.0 * a / b, 1) if b else 0.0

        lat = sorted(self.latencies) or [0.0]
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        return {
            "questions": self.n,
            "answer_accuracy": pct(self.correct, self.answerable),
            "answer_tight": pct(self.tight, self.answerable),
            "citation_hit_at_1": pct(self.hit1, self.answerable),
            "citation_hit_at_3": pct(self.hit3, self.answerable),
            "citation_mrr": round(self.rr / self.answerable, 3) if self.answerable else 0.0,
            "refusal_accuracy": pct(self.refused_ok, self.unanswerable),
            "false_refusal_rate": pct(self.false_refusals, self.answerable),
            "latency_p50_ms": round(statistics.median(lat), 1),
            "latency_p95_ms": round(p95, 1),
        }

    def row(self) -> dict[str, float | int | None]:
        """The per-document figures; None where the item kind is absent (no unanswerable items...)."""
        def pct(a: int, b: int) -> float | None:
            return round(100.0 * a / b, 1) if b else None

        return {
            "n": self.n,
            "answer_accuracy": pct(self.correct, self.answerable),
            "answer_tight": pct(self.tight, self.answerable),
            "citation_hit_at_3": pct(self.hit3, self.answerable),
            "refusal_accuracy": pct(self.refused_ok, self.unanswerable),
            "false_refusal_rate": pct(self.false_refusals, self.answerable),
        }


# --- the library evaluation: one index of many documents, questions asked unscoped ---------------

LIBRARY_KINDS = ("scoped", "missing_doc", "ambiguous")  # the rows of the library table


def library_kind(item: dict) -> str:
    """"missing_doc" (names a document the library lacks), "ambiguous" or "scoped"."""
    if item.get("expect_missing_doc"):
        return "missing_doc"
    return "ambiguous" if item.get("category") == "ambiguous" else "scoped"


def expected_docs(item: dict) -> set[str]:
    """The documents an answer may come from: the scoped item's own, each of an ambiguous
    item's, none for a document the library does not hold."""
    if library_kind(item) == "missing_doc":
        return set()
    if item.get("expect_docs"):
        return set(item["expect_docs"])
    return {str(item["doc"])} if item.get("doc") else set()


def first_cited_doc(ans: dict) -> str | None:
    cites = ans.get("citations") or []
    return str(cites[0].get("doc")) if cites else None


def ambiguity_handled(item: dict, ans: dict) -> bool:
    """Every expected document is cited and the answer holds each one's expected figures."""
    cited = {str(c.get("doc")) for c in ans.get("citations") or []}
    text = ans.get("answer", "")
    return bool(ans.get("found")) and all(
        doc in cited and all(has_fact(text, f) for f in facts) for doc, facts in item["expect_docs"].items())


@dataclass
class LibraryMetrics:
    """The library figures on top of the usual ones (``overall``, one ``Metrics`` per kind):

    - scoped accuracy: scoped items answered correctly AND first cited from their document
      (items naming a document the library lacks are counted apart);
    - wrong-document rate: answered items (``found``) whose first citation is from a document
      other than the expected one(s). An answer to an item whose document is not in the
      library always counts: whatever it cites, it is another document;
    - missing-document refusals: items naming a document the library lacks that are refused;
    - ambiguity handled: ambiguous items citing every expected document with each one's figures.
    """
    overall: Metrics = field(default_factory=Metrics)
    kinds: dict[str, Metrics] = field(default_factory=lambda: {k: Metrics() for k in LIBRARY_KINDS})
    counts: dict[str, list[int]] = field(default_factory=lambda: {  # kind -> [ok, of]
        "scoped": [0, 0], "wrong_document": [0, 0], "missing_doc": [0, 0], "ambiguous": [0, 0]})
    per_kind_wrong: dict[str, list[int]] = field(default_factory=lambda: {k: [0, 0] for k in LIBRARY_KINDS})
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, item: dict, ans: dict) -> None:
        kind = library_kind(item)
        self.overall.add(item, ans)
        self.kinds[kind].add(item, ans)
        first, docs = first_cited_doc(ans), expected_docs(item)
        reasons = []
        if ans.get("found") and first is not None:
            wrong = first not in docs
            for tally in (self.counts["wrong_document"], self.per_kind_wrong[kind]):
                tally[0] += wrong
                tally[1] += 1
            if wrong:
                reasons.append(f"first citation from {first}")
        if kind == "scoped":
            correct = bool(ans.get("found")) and all(has_fact(ans.get("answer", ""), f) for f in item["expect"])
            ok = correct and first == item.get("doc")
            if not ans.get("found"):
                reasons.append("refused")
            elif not correct:
                reasons.append("answer lacks " + ", ".join(f for f in item["expect"]
                                                            if not has_fact(ans.get("answer", ""), f)))
        elif kind == "missing_doc":
            ok = not ans.get("found")
            if not ok:
                reasons.append("answered instead of saying the document is not in the library")
        else:
            ok = ambiguity_handled(item, ans)
            if not ok:
                cited = {str(c.get("doc")) for c in ans.get("citations") or []}
                reasons.append("missing " + "; ".join(
                    f"{doc}: " + ("not cited" if doc not in cited else
                                  ", ".join(f for f in facts if not has_fact(ans.get("answer", ""), f)))
                    for doc, facts in item["expect_docs"].items()
                    if doc not in cited or not all(has_fact(ans.get("answer", ""), f) for f in facts)))
        self.counts[kind][0] += ok
        self.counts[kind][1] += 1
        if not ok or reasons:
            self.misses.append({"id": item["id"], "kind": kind, "question": item["question"],
                                "expected_docs": sorted(docs), "first_doc": first, "found": ans.get("found"),
                                "answer": ans.get("answer", ""), "why": "; ".join(r for r in reasons if r)})

    @staticmethod
    def _pct(tally: list[int]) -> float | None:
        return round(100.0 * tally[0] / tally[1], 1) if tally[1] else None

    def library_summary(self) -> dict[str, float | None]:
        return {"scoped_accuracy": self._pct(self.counts["scoped"]),
                "wrong_document_rate": self._pct(self.counts["wrong_document"]),
                "missing_doc_refusals": self._pct(self.counts["missing_doc"]),
                "ambiguity_handled": self._pct(self.counts["ambiguous"])}

    def summary(self) -> dict[str, float | None]:
        """The usual figures over every item, then the library figures."""
        return {**self.overall.summary(), **self.library_summary()}

    def kind_row(self, kind: str) -> dict[str, float | int | None]:
        """One row of the per-kind table: the usual per-document figures, the kind's own figure
        and its wrong-document rate."""
        return {**self.kinds[kind].row(), "kind_ok": self._pct(self.counts[kind]),
                "wrong_document_rate": self._pct(self.per_kind_wrong[kind])}
