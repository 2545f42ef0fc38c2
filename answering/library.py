"""Answers in a library of documents: each answer names its document, and a question that does
not single out one document is answered by each document that answers it differently.

An official's library holds every year's resolution, the HĐND's and the UBND's, several
provinces'. "Tỷ lệ … năm 2025 là bao nhiêu?" asked of it has one answer per document: blending
them, or silently picking one, misleads. So:

- the documents the question may use (its scope) are answered one by one, each from its own
  passages only and with its own lookups, never mixed;
- the candidates are the documents of the best-ranked passages (at most MAX_DOCUMENTS, each with
  a passage within CANDIDATE_RANKS of the top);
- when the candidates that answer state different things, the answer gives each, introduced by the
  document's name ("Theo Kế hoạch 45/KH-UBND của UBND tỉnh Tuyên Quang: …") and cited;
- when one document answers, or all say the same, its answer comes first and is named once the
  library holds more than one document.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from core.types import Answer, Citation, DocumentInfo, Passage
from core.vn import NUMBER_RE, issuer_abbreviated

MAX_DOCUMENTS = 3  # documents an ambiguous answer lists (issue 12: "up to 3")
# A document is a candidate when one of its passages ranks within this many of the top passage.
# Tuned on the library gold (eval/gold_library.jsonl): see README "A library of documents".
CANDIDATE_RANKS = 3
TITLE_CHARS = 80  # a document without a number is named by its title, cut at a word within this

_MARKER_RE = re.compile(r"\[(\d+)\]")
_ATTRIBUTION = "Theo {name}:"


def document_name(info: DocumentInfo, fallback: str) -> str:
    """How an answer names a document: 'Kế hoạch 45/KH-UBND của UBND tỉnh Tuyên Quang'; without a
    number, its title (cut at a word) and its issuer; the file name when the header says nothing."""
    issuer = issuer_abbreviated(info.issuer)
    if info.number:
        head = " ".join(p for p in (info.doc_type, info.number) if p)
        return f"{head} của {issuer}" if issuer else head
    title = info.title
    if len(title) > TITLE_CHARS:
        title = title[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:-–") + "…"
    if title and issuer:
        return f"{title} ({issuer})"
    return title or fallback


def attributed(answer: Answer, name: str) -> Answer:
    """The answer introduced by its document's name, on a line of its own."""
    return replace(answer, answer=f"{_ATTRIBUTION.format(name=name)}\n{answer.answer}")


def _figures(text: str) -> frozenset[str]:
    """The numbers an answer states, its citation markers and target numbers "(25)" aside."""
    text = _MARKER_RE.sub(" ", text)
    text = re.sub(r"^\s*\(\d+\)", " ", text, flags=re.M)
    return frozenset(NUMBER_RE.findall(text))


def _differ(a: Answer, b: Answer) -> bool:
    fa, fb = _figures(a.answer), _figures(b.answer)
    if fa or fb:
        return fa != fb
    return " ".join(a.answer.split()) != " ".join(b.answer.split())


def _renumber(answer: Answer, offset: int) -> tuple[str, list[Citation]]:
    text = _MARKER_RE.sub(lambda m: f"[{int(m.group(1)) + offset}]", answer.answer)
    return text, [replace(c, n=c.n + offset) for c in answer.citations]


@dataclass
class LibraryAnswerer:
    """Answers a question document by document. ``answer_in(question, passages, doc)`` is the
    single-document answerer (the targets table, then the extractive answerer), reading only
    ``doc``'s passages and lookups."""

    answer_in: Callable[[str, list[Passage], str], Answer]
    retrieve: Callable[[str, str], list[Passage]]  # (question, doc) -> that document's passages

    @staticmethod
    def candidates(passages: list[Passage], named: frozenset[str] | None = None) -> list[str]:
        """Documents of the best-ranked passages, best first (at most MAX_DOCUMENTS). Documents the
        question names are all candidates when they are few enough to list ("UBND thành phố Cần
        Thơ" names its two plans), whatever their passages' rank."""
        docs: list[str] = []
        for p in passages[:CANDIDATE_RANKS]:
            if p.chunk.doc_id not in docs:
                docs.append(p.chunk.doc_id)
        if named and len(named) <= MAX_DOCUMENTS:
            ranked = [p.chunk.doc_id for p in passages]
            docs = sorted(named, key=lambda d: (ranked.index(d) if d in ranked else len(ranked), d))
        return docs[:MAX_DOCUMENTS]

    def answer(self, question: str, passages: list[Passage], library_size: int,
               named: frozenset[str] | None = None) -> Answer | None:
        """The answer over several documents; None when no passage was found. ``named``: the
        documents the question itself names (None: it names none)."""
        docs = self.candidates(passages, named)
        if not docs:
            return None
        answers: list[tuple[str, Answer]] = []
        refusal: Answer | None = None  # the best-ranked document's, when none answers
        for doc in docs:
            own = [p for p in passages if p.chunk.doc_id == doc] or self.retrieve(question, doc)
            passages = passages + [p for p in own if p not in passages]
            ans = self.answer_in(question, own, doc)
            if ans.found:
                answers.append((doc, ans))
            elif refusal is None:
                refusal = ans
        if not answers:
            return refusal
        names = {p.chunk.doc_id: document_name(p.chunk.info, p.chunk.doc_id) for p in passages}
        distinct = [answers[0]]
        for doc, ans in answers[1:]:
            if all(_differ(ans, other) for _d, other in distinct):
                distinct.append((doc, ans))
        if len(distinct) == 1:
            doc, ans = distinct[0]
            return attributed(ans, names[doc]) if library_size > 1 else ans
        return self._each(question, [(names[d], a) for d, a in distinct])

    @staticmethod
    def _each(question: str, answers: list[tuple[str, Answer]]) -> Answer:
        """One paragraph per document, each introduced by its name, citations numbered in order."""
        parts, citations = [], []
        for name, ans in answers:
            text, cites = _renumber(ans, len(citations))
            citations.extend(cites)
            parts.append(f"- {_ATTRIBUTION.format(name=name)} {text}")
        head = f"Các văn bản nêu khác nhau ({len(answers)} văn bản):"
        return Answer(question=question, answer="\n".join([head, *parts]), found=True, citations=citations)
