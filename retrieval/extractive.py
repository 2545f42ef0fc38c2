"""The default answerer: extractive, offline, clause-level, with exact citations.

Given the retrieved passages, it cuts each into candidate spans (a numbered target and
its parts, sentences, ';'-clauses), scores every span by IDF-weighted coverage of the
question's words and syllable bigrams (folded, so questions without diacritics work),
the passage's retrieval rank, period agreement (results year vs targets year) and, for
"bao nhiêu" questions, whether the span holds a figure. The best span is the answer;
weak evidence is refused with no figure. Nothing here knows this document's wording.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.chunker import clause_spans, sentence_spans
from retrieval.bm25 import BM25Index
from retrieval.query import ABBREVIATIONS, QueryInfo, analyse
from retrieval.textnorm import STOPWORDS, words
from retrieval.types import Answer, Citation, Passage

NOT_FOUND = "Văn bản không có thông tin để trả lời câu hỏi này."
_QUANTITY_HINTS = ("bao nhieu", "may ", "ty le", "muc ", "so luong", "con so", "chi tieu", "dat bao", "tang bao")
# Questions that cannot be answered by a span without a figure or a date.
_NEEDS_FIGURE = ("bao nhieu", "muc nao", "ngay nao", "khi nao", "nam nao", "thu may", "so hieu", "bao lau")
_NAME_RE = re.compile(r"\b([A-ZĐ]\w*(?:\s+[A-ZĐ]\w*)*)")
_LIST_HINTS = ("cac chi tieu", "nhung chi tieu", "gom nhung", "gom nhung gi", "liet ke", "nhung gi", "gom gi",
               "bao gom", "cac nhiem vu", "nhung nhiem vu", "nhom chi tieu", "cac muc tieu")
_TARGET_NO_RE = re.compile(r"chi tieu\s*(?:so|thu)?\s*\(?\s*(\d{1,3})\s*\)?")
_DIGIT_RE = re.compile(r"\d")
_PARTS_RE = re.compile(r";\s+|,?\s+trong đó:?\s+")


@dataclass
class Span:
    passage: Passage
    start: int  # document offsets
    end: int
    text: str
    score: float = 0.0
    coverage: float = 0.0


def _units(text: str) -> list[str]:
    ws = words(text)
    grams = [f"{a}_{b}" for a, b in zip(ws, ws[1:]) if not (a in STOPWORDS and b in STOPWORDS)]
    return list(dict.fromkeys([w for w in ws if w not in STOPWORDS] + grams))


def _spans_of(p: Passage) -> list[Span]:
    c = p.chunk
    local: list[tuple[int, int]] = [(0, len(c.text))]
    if c.kind == "target":
        parts = list(_PARTS_RE.finditer(c.text))
        if parts:
            pos = 0
            for m in parts:
                local.append((pos, m.start()))
                pos = m.end()
            local.append((pos, len(c.text)))
    elif c.kind in ("paragraph", "item", "footnote"):
        sents = sentence_spans(c.text)
        if len(sents) > 1:
            local.extend(sents)
        for s, e in sents:
            clauses = clause_spans(c.text[s:e], s)
            if len(clauses) > 1:
                local.extend(clauses)
    out = []
    for s, e in dict.fromkeys(local):
        seg = c.text[s:e]
        stripped = seg.rstrip(" ;,.")
        lead = len(seg) - len(seg.lstrip())
        if len(stripped.strip()) < 8:
            continue
        out.append(Span(p, c.start + s + lead, c.start + s + len(stripped), stripped.strip()))
    return out


class ExtractiveAnswerer:
    """question + passages -> Answer. ``min_coverage`` is the refusal threshold."""

    def __init__(self, bm25: BM25Index | None = None, min_coverage: float = 0.45, max_citations: int = 3):
        self.bm25 = bm25
        self.min_coverage = min_coverage
        self.max_citations = max_citations

    def _weights(self, text: str) -> dict[str, float]:
        """IDF weight of each question unit. A bigram the corpus never has is a paraphrase
        and is dropped; a word the corpus never has weighs as the rarest word: it must be covered."""
        out = {}
        for u in _units(text):
            if self.bm25 is None:
                out[u] = 1.0
            elif self.bm25.known(u):
                out[u] = self.bm25.idf(u) * (1.0 if "_" in u else 0.6)
            elif "_" not in u and len(u) > 1:
                out[u] = self.bm25.idf(u) * 0.6
        return out

    def score_spans(self, q: QueryInfo, passages: list[Passage]) -> list[Span]:
        # Coverage is measured for the question as typed and with abbreviations expanded; the better counts.
        variants = [self._weights(q.text), self._weights(q.search_text)]
        variants = [(w, sum(w.values()) or 1.0) for w in variants]
        wants_number = any(h in q.folded + " " for h in _QUANTITY_HINTS)
        spans: list[Span] = []
        for rank, p in enumerate(passages):
            section_units = set(_units(p.chunk.section + " " + (p.chunk.group or "")))
            for sp in _spans_of(p):
                span_units = set(_units(sp.text))
                sp.coverage = max(
                    (sum(w for u, w in weights.items() if u in span_units)
                     + 0.5 * sum(w for u, w in weights.items() if u not in span_units and u in section_units)) / total
                    for weights, total in variants)
                score = sp.coverage + 0.08 / (1 + rank)
                period = p.chunk.period
                if q.years:
                    if period and period in q.years:
                        score += 0.15
                    elif any(y in sp.text for y in q.years):
                        score += 0.1
                    elif period:
                        score -= 0.15
                elif period and q.wants_results and not q.wants_targets:
                    score += 0.1 if p.chunk.kind != "target" else -0.05
                if wants_number and _DIGIT_RE.search(sp.text):
                    score += 0.05
                # Prefer the tight span: a little penalty for length.
                score -= 0.0004 * max(0, len(sp.text) - 120)
                sp.score = score
                spans.append(sp)
        spans.sort(key=lambda s: -s.score)
        return spans

    def answer(self, question: str, passages: list[Passage], q: QueryInfo | None = None) -> Answer:
        q = q or analyse(question)
        by_number = self._target_by_number(q.folded)
        if by_number:
            return self._compose(question, by_number)
        spans = self.score_spans(q, passages) if passages and by_number is None else []
        if not spans:
            return Answer(question=question, answer=NOT_FOUND, found=False)
        best = spans[0]
        if (best.coverage < self.min_coverage or not self._years_ok(q, best) or self._unknown_name(q.text)
                or (any(h in q.folded for h in _NEEDS_FIGURE) and not _DIGIT_RE.search(best.text))):
            return Answer(question=question, answer=NOT_FOUND, found=False)
        if any(h in q.folded for h in _LIST_HINTS):
            listed = self._list_items(best)
            if listed:
                return self._compose(question, listed)
        chosen = [best]
        for sp in spans[1:]:
            if len(chosen) >= self.max_citations:
                break
            if sp.passage.chunk.id in {c.passage.chunk.id for c in chosen}:
                continue
            if sp.score >= 0.75 * best.score and sp.coverage >= self.min_coverage:
                chosen.append(sp)
        citations = [self._cite(i + 1, sp) for i, sp in enumerate(chosen)]
        text = f"{best.text} [1]"
        if len(chosen) > 1:
            text += " (xem thêm " + ", ".join(f"[{c.n}]" for c in citations[1:]) + ")"
        return Answer(question=question, answer=text, found=True, citations=citations)

    def _all_chunks(self):
        return self.bm25.chunks if self.bm25 is not None else []

    def _target_by_number(self, folded_q: str) -> list[Span] | None:
        """'chỉ tiêu số 25' / 'chỉ tiêu (16)': the target itself, [] when there is no such target."""
        m = _TARGET_NO_RE.search(folded_q)
        if not m:
            return None
        n = int(m.group(1))
        hits = [c for c in self._all_chunks() if c.kind == "target" and c.number == n]
        return [Span(Passage(c, 1.0), c.start, c.end, c.text) for c in hits[:1]]

    def _list_items(self, best: Span) -> list[Span]:
        """Every target of the best span's group, in document order (a list question)."""
        c = best.passage.chunk
        if c.kind == "footnote":
            return [Span(best.passage, c.start, c.end, c.text)]
        if c.kind != "target" or not c.group:
            return []
        group = [x for x in self._all_chunks() if x.kind == "target" and x.group == c.group and x.doc_id == c.doc_id]
        return [Span(Passage(x, best.passage.score), x.start, x.end, x.text) for x in group]

    def _unknown_name(self, question: str) -> bool:
        """A proper name or acronym the documents never mention ("Nghệ An", "CPI"): not answerable here."""
        if self.bm25 is None:
            return False
        for m in _NAME_RE.finditer(question):
            sentence_start = not question[:m.start()].strip() or question[:m.start()].rstrip()[-1] in ".?!:"
            if sentence_start and " " not in m.group(1) and not m.group(1).isupper():
                continue  # an ordinary capitalised first word
            ws = words(m.group(1))
            grams = [f"{a}_{b}" for a, b in zip(ws, ws[1:])] if len(ws) > 1 else ws
            if any(g not in ABBREVIATIONS and not self.bm25.known(g) for g in grams):
                return True
        return False

    def _compose(self, question: str, spans: list[Span]) -> Answer:
        citations = [self._cite(i + 1, sp) for i, sp in enumerate(spans)]
        if len(spans) == 1:
            text = f"{spans[0].text} [1]"
        else:
            text = "\n".join(f"- {sp.text} [{i + 1}]" for i, sp in enumerate(spans))
        return Answer(question=question, answer=text, found=True, citations=citations)

    @staticmethod
    def _years_ok(q: QueryInfo, sp: Span) -> bool:
        """A question about a year the passage neither covers nor mentions is not answered by it."""
        if not q.years:
            return True
        period = sp.passage.chunk.period
        return any(y == period or y in sp.passage.chunk.text for y in q.years)

    @staticmethod
    def _cite(n: int, sp: Span) -> Citation:
        c = sp.passage.chunk
        return Citation(n=n, doc=c.doc_id, section=c.section, text=c.text, quote=sp.text,
                        start=sp.start, end=sp.end, score=round(sp.passage.score, 4))
