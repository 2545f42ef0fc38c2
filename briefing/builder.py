"""Build a trainer's briefing on a topic (or from a list of questions), deterministically, offline.

For a topic ("môi trường", "chuyển đổi số", "an sinh xã hội", or free text) the briefing holds:

1. the targets that concern it, with their values from the targets table: the whole group when
   the topic names one ("môi trường" -> "Về môi trường"), else the targets whose text covers it;
2. the reported results that relate: result clauses of the results part that cover the topic;
3. the tasks and solutions: clauses of the tasks part ("nhiệm vụ", "giải pháp") that cover it.

A clause "covers" the topic when most of the topic's words and syllable pairs are in it (accent
folded, so "moi truong" works) and speaks of the topic itself, not only of a longer term that
recurs in the text ("môi trường đầu tư kinh doanh" is not about the environment).
When nothing in a part covers the topic word for word, the retriever's best passages of that
part (dense + BM25) supply up to three points, so a topic worded unlike the text still gets its
nearest passages. Every point is a quote with its citation.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from briefing.export import documents_of, number_citations
from core.text import clause_spans, sentence_spans
from ingest.targets import RESULT_PART_WORDS, in_part
from answering.chain import Assistant
from answering.library import document_name
from core.text import content_words, fold, tagged_forms, topic_coverage, words
from core.types import (
    Briefing,
    BriefPoint,
    BriefSection,
    Chunk,
    Citation,
    DocumentInfo,
)

TASK_PART_WORDS = ("nhiem vu", "giai phap")
_LINKS = {"doi", "nham", "gan", "thong", "bang"}  # "đối với", "nhằm", "gắn với", "thông qua", "bằng"
# Phrases that frame a topic without naming it: "tài liệu sinh hoạt về …", "lĩnh vực …".
_FRAME_RE = re.compile(r"\b(?:tai lieu sinh hoat|tai lieu|chu de|linh vuc|nghi quyet|ve)\b")
MIN_COVERAGE = 0.6
MAX_POINTS = 10
FALLBACK_POINTS = 3


_LEAD_RE = re.compile(r"^(?:tài liệu sinh hoạt|tài liệu|chủ đề|lĩnh vực)\s*(?:về\s+)?", re.I)


def _topic(topic: str) -> list[str]:
    kept = _FRAME_RE.sub(" ", " ".join(content_words(topic)))
    return kept.split() or words(topic)


def _next_words(tw: list[str], text: str) -> list[str | None]:
    """The two words after each occurrence of the topic phrase ("dau tu kinh"); None where the
    phrase ends at punctuation or at the end, or goes on with a function word ("… đối với …")."""
    folded = fold(text)  # same length as the NFC text: offsets carry over
    out: list[str | None] = []
    for m in re.finditer(r"\b" + r"\W+".join(map(re.escape, tw)) + r"\b", folded):
        nxt = re.match(r"\s*(\w+)(?:\s+(\w+))?", text[m.end():])
        tagged = tagged_forms(nxt.group(0)) if nxt else []
        if not tagged or tagged[0][2] or tagged[0][0] in _LINKS:
            out.append(None)
        else:
            out.append(" ".join(f for f, _w, _s in tagged[:2]))
    return out


def _terms(tw: list[str], chunks: list[Chunk]) -> set[str]:
    """Continuations that make the topic a recurring term of its own: "môi trường" + "đầu tư kinh
    (doanh)" comes back in the text, so "môi trường đầu tư kinh doanh" is another subject."""
    if not 1 < len(tw) <= 3:
        return set()
    counts = Counter(w for c in chunks for w in _next_words(tw, c.text) if w and " " in w)
    return {w for w, n in counts.items() if n >= 2}


def _about(tw: list[str], text: str, terms: set[str]) -> bool:
    """The clause speaks of the topic itself at least once, not only of a longer term."""
    nexts = _next_words(tw, text)
    return not terms or not nexts or any(w not in terms for w in nexts)


def _clauses(chunk: Chunk) -> list[tuple[int, int]]:
    """(start, end) in the chunk's text of each sentence, or of each ';'-clause of a long sentence."""
    out = []
    for s, e in sentence_spans(chunk.text):
        sentence = chunk.text[s:e]
        pieces = clause_spans(sentence, s) if len(sentence) > 220 else [(s, e)]
        for cs, ce in pieces:
            piece = chunk.text[cs:ce].rstrip(" .;,")
            if piece:
                out.append((cs, cs + len(piece)))
    return out


def _citation(chunk: Chunk, s: int, e: int, score: float = 1.0) -> Citation:
    return Citation(n=0, doc=chunk.file, section=chunk.section, text=chunk.text, quote=chunk.text[s:e],
                    start=chunk.start + s, end=chunk.start + e, score=round(score, 4),
                    doc_id=chunk.doc_id, doc_title=chunk.info.short_name() or chunk.doc_title)


def _name_documents(sections: list[BriefSection], infos: dict[str, DocumentInfo]) -> None:
    """When the points come from more than one document, each point names its document, as
    answers name it ("Kế hoạch 45/KH-UBND của UBND tỉnh Tuyên Quang")."""
    docs = {c.doc_id or c.doc for s in sections for p in s.points for c in p.citations[:1]}
    if len(docs) < 2:
        return
    for s in sections:
        for p in s.points:
            if p.citations:
                doc = p.citations[0].doc_id or p.citations[0].doc
                p.doc = document_name(infos[doc], doc) if doc in infos else (p.citations[0].doc_title or doc)


class BriefingBuilder:
    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def _chunks(self, docs: list[str] | None) -> list[Chunk]:
        """The chunks of the documents (all when None), document by document in the order given."""
        chunks = self.assistant.retriever.bm25.chunks
        order = {d: i for i, d in enumerate(docs or [])}
        return sorted((c for c in chunks if docs is None or c.doc_id in order),
                      key=lambda c: (order.get(c.doc_id, 0), c.doc_id, c.start))

    def by_topic(self, topic: str, doc: str | Sequence[str] | None = None) -> Briefing:
        """A briefing on ``topic`` from one document, several (``doc``: ids, in the order to present
        them) or the whole library (None). When its points come from more than one document, each
        point names its document."""
        docs = [doc] if isinstance(doc, str) else list(dict.fromkeys(doc)) if doc else None
        topic = _LEAD_RE.sub("", " ".join(topic.split())) or topic.strip()
        tw = _topic(topic)
        table = self.assistant.table
        order = {d: i for i, d in enumerate(docs or [])}
        in_docs = sorted(table.select(doc=docs), key=lambda t: order.get(t.doc, 0))  # stable: table order within
        groups = [g for g in table.groups(docs) if set(tw) <= set(words(g))]
        if groups:
            targets = [t for t in in_docs if t.group in groups]
        else:
            targets = [t for t in in_docs if topic_coverage(tw, t.text) >= MIN_COVERAGE]
        by_id = self.assistant.retriever.bm25.by_id
        target_points = []
        for t in targets:
            chunk = by_id.get(t.chunk_id)
            cite = _citation(chunk, t.start - chunk.start, t.end - chunk.start) if chunk else None
            values = "; ".join(f"{m.label}: {m.display()}" if len(t.values) > 1 else m.display() for m in t.values)
            target_points.append(BriefPoint(text=t.text, citations=[cite] if cite else [], values=values))

        chunks = self._chunks(docs)
        # Only a topic the text never words this way falls back on the retriever's nearest passages.
        terms = _terms(tw, chunks)
        literal = any(topic_coverage(tw, c.text) >= MIN_COVERAGE for c in chunks)
        results = self._clauses_of(tw, topic, literal, terms, [c for c in chunks if in_part(c, RESULT_PART_WORDS)
                                               and c.kind == "paragraph"])
        tasks = self._clauses_of(tw, topic, literal, terms, [c for c in chunks if in_part(c, TASK_PART_WORDS)
                                             and c.kind in ("paragraph", "item")])
        years = {t.year for t in in_docs if t.year}
        target_year = f" năm {max(years)}" if years else ""
        result_years = sorted({c.period for c in chunks if c.period and in_part(c, RESULT_PART_WORDS)})
        result_year = f" năm {result_years[-1]}" if result_years else ""
        sections = [
            BriefSection(f"Chỉ tiêu{target_year}", target_points),
            BriefSection(f"Kết quả{result_year}", results),
            BriefSection(f"Nhiệm vụ, giải pháp{target_year}", tasks),
        ]
        _name_documents(sections, {c.doc_id: c.info for c in reversed(chunks)})
        # the title spells the topic as the documents do: "nuoc sach" is titled "Nước sạch"
        shown = self.assistant.retriever.bm25.restorer.restore(topic)
        return self._finish(Briefing(title=f"Tài liệu sinh hoạt: {shown[:1].upper()}{shown[1:]}", topic=shown,
                                     sections=sections))

    def _clauses_of(self, tw: list[str], topic: str, literal: bool, terms: set[str], pool: list[Chunk]) -> list[BriefPoint]:
        points, seen = [], set()
        for c in pool:
            for s, e in _clauses(c):
                cov = topic_coverage(tw, c.text[s:e])
                if cov >= MIN_COVERAGE and (c.start + s) not in seen and _about(tw, c.text[s:e], terms):
                    seen.add(c.start + s)
                    points.append(BriefPoint(text=c.text[s:e], citations=[_citation(c, s, e, cov)]))
        if points or literal or not pool:
            return points[:MAX_POINTS]
        # Nothing says the topic word for word: the retriever's nearest passages of this part.
        ids = {c.id for c in pool}
        ranked = [p for p in self.assistant.retriever.passages(topic, k=20) if p.chunk.id in ids]
        for p in ranked[:FALLBACK_POINTS]:
            s, e = max(_clauses(p.chunk), key=lambda se: topic_coverage(tw, p.chunk.text[se[0]:se[1]]))
            points.append(BriefPoint(text=p.chunk.text[s:e], citations=[_citation(p.chunk, s, e, p.score)]))
        rank = {}
        for i, c in enumerate(pool):
            rank.setdefault(c.doc_id, i)  # document by document, in the pool's order
        return sorted(points, key=lambda pt: (rank.get(pt.citations[0].doc_id, 0), pt.citations[0].start))

    def by_questions(self, questions: list[str], title: str = "Tài liệu sinh hoạt: Hỏi đáp",
                     docs: Sequence[str] | None = None) -> Briefing:
        """One cited answer per question, each from ``docs`` (all documents when None)."""
        points = []
        for q in questions:
            if not q.strip():
                continue
            ans = self.assistant.ask(q, docs=docs or None)
            text = re.sub(r"\s*\(xem thêm[^)]*\)", "", ans.answer)
            points.append(BriefPoint(text=f"{q.strip()} — {text}", citations=list(ans.citations)))
        return self._finish(Briefing(title=title, topic="", sections=[BriefSection("Hỏi đáp", points)]))

    def _finish(self, briefing: Briefing) -> Briefing:
        number_citations(briefing)
        briefing.documents = documents_of(briefing.numbered())
        return briefing
