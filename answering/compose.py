"""The answer from the ranked candidates: its text, typed by what was asked, and its citations.

- The best candidate answers when the model ranks it above "no answer"; else the refusal.
- A table cell reads with its row label and column header; a summed-up column names its row or
  its total; a list gives its lead and items; a line of the header gives itself.
- A two-part question ("cơ quan nào … và trước ngày nào") whose best candidate states only one
  part gets the best candidate that states the other, cited second.
- An agency asked of a task written under its agency's heading gets the heading first.
- Up to ``MAX_CITATIONS`` passages are cited: the answer's own, then the next best candidates of
  other chunks scoring within ``CITE_MARGIN`` of it.
"""

from __future__ import annotations

import re

import numpy as np

from answering.candidates import Candidate
from answering.facts import states
from answering.question import Question
from core.types import SECTION_SEP, Answer, Citation

NOT_FOUND = "Văn bản không có thông tin để trả lời câu hỏi này."
MAX_CITATIONS = 3
CITE_MARGIN = 1.0  # in model score (log-odds): a second passage this close to the answer is cited too
MAX_MEMBER_CITATIONS = 3
LABEL_CHARS = 80  # a heading prefixed to an answer is cut at a word within this
_MARK_RE = re.compile(r"^[\s\-+•]+")


def cite(n: int, cand: Candidate, score: float) -> Citation:
    c = cand.chunk
    return Citation(n=n, doc=c.file, section=c.section, text=c.text, quote=cand.text, start=cand.start,
                    end=cand.end, score=round(float(score), 4), doc_id=c.doc_id,
                    doc_title=c.info.short_name() or c.doc_title)


def _short(label: str) -> str:
    if len(label) <= LABEL_CHARS:
        return label
    cut = label[:LABEL_CHARS].rsplit(" ", 1)[0]
    return cut + " …"


def _heading_for(q: Question, cand: Candidate) -> str:
    """The nearest heading above a candidate that states the kind asked, when the candidate does not
    (a task under its agency's heading)."""
    if states(q.main, cand.text):
        return ""
    for label in reversed(cand.chunk.section.split(SECTION_SEP)):
        if states(q.main, label):
            return _short(label)
    return ""


def compose(q: Question, question_text: str, cands: list[Candidate], scores: np.ndarray,
            null: float) -> Answer:
    refuse = Answer(question=question_text, answer=NOT_FOUND, found=False)
    if not cands:
        return refuse
    order = np.argsort(-scores, kind="stable")
    best_i = int(order[0])
    best, top = cands[best_i], float(scores[best_i])
    if top <= null:
        return refuse
    parts: list[tuple[Candidate, float]] = [(best, top)]
    if len(q.asks) > 1 and not states(q.asks[1], best.render()):
        other = next((int(i) for i in order[1:] if states(q.asks[1], cands[int(i)].render())
                      and cands[int(i)].chunk.doc_id == best.chunk.doc_id and float(scores[int(i)]) > null - CITE_MARGIN),
                     None)
        if other is not None:
            parts.append((cands[other], float(scores[other])))
    citations: list[Citation] = []
    texts: list[str] = []
    for cand, score in parts:
        n0 = len(citations) + 1
        if cand.kind in ("list", "aggregate") and cand.members:
            for m in cand.members[:MAX_MEMBER_CITATIONS]:
                citations.append(cite(len(citations) + 1, m, score))
            marks = "".join(f"[{n}]" for n in range(n0, len(citations) + 1))
        else:
            citations.append(cite(n0, cand, score))
            marks = f"[{n0}]"
        heading = _heading_for(q, cand) if q.main in ("agency", "person") else ""
        body = cand.render()
        texts.append(f"{heading} › {body} {marks}" if heading else f"{body} {marks}")
    cited_chunks = {c.chunk.id for c, _ in parts}
    extra = []
    for i in order[1:]:
        if len(citations) + len(extra) >= MAX_CITATIONS:
            break
        cand, score = cands[int(i)], float(scores[int(i)])
        if score < top - CITE_MARGIN:
            break
        if cand.chunk.id in cited_chunks or cand.kind in ("list", "aggregate"):
            continue
        cited_chunks.add(cand.chunk.id)
        extra.append((cand, score))
    for cand, score in extra:
        citations.append(cite(len(citations) + 1, cand, score))
    text = "\n".join(texts)
    if extra:
        text += " (xem thêm " + ", ".join(f"[{c.n}]" for c in citations[-len(extra):]) + ")"
    return Answer(question=question_text, answer=text, found=True, citations=citations)
