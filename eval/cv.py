"""``python -m eval fit`` and ``python -m eval run --cv document``: the gold set read once, the
ranker fitted on it, and each document answered by a ranker fitted without it.

Both read the whole gold set: the dev documents' questions on DIR's own index (``--data DIR``,
each scoped to its document) and the bundled document's questions (eval/gold.jsonl) on the
default index. A document's family is its type ("Nghị định", "Kế hoạch", …), read from its file
name as offices name files.
"""

from __future__ import annotations

import json
import sys
import time
from collections import defaultdict
from pathlib import Path

from eval.corpus import BUNDLED_GOLD, default_gold_files, item_doc, item_scope
from eval.fit import Collector, Record, fit, positives
from eval.metrics import Metrics
from eval.report import cell, document_table, gate, load_gold, markdown

ROOT = Path(__file__).resolve().parent.parent
REPORT_BELOW = 75.0  # documents answering below this are listed (and fail the run when --min-document is given)


def family(doc: str) -> str:
    """A document's type as its file name states it (a code and a number, or the type's words)."""
    from core.text import fold
    from core.vn import DOC_TYPES, TYPE_BY_CODE, number_in_file_name

    found = number_in_file_name(doc)
    if found:
        return found[0].capitalize()
    name = " ".join(fold(doc.rsplit(".", 1)[0]).replace("-", " ").replace("_", " ").split())
    by_words = next((t for t in sorted(DOC_TYPES, key=len, reverse=True) if fold(t) in name), None)
    by_code = next((TYPE_BY_CODE[c] for tok in name.split() for c in (tok.upper().replace("D", "Đ"), tok.upper())
                    if c in TYPE_BY_CODE), None)  # "qd-1949": a serial that reads as a year
    return (by_words or by_code or "khác").capitalize()


class GoldRun:
    """The assistants that answer the gold set, and the items each answers."""

    def __init__(self, data: Path | None, embeddings: str | None = None) -> None:
        from eval.report import library_assistant

        # one index of DIR's documents and data/; every item is scoped to its own document
        assistant = library_assistant(data, embeddings=embeddings, answerer="learned")
        assistant.warm_up()
        dev = [f for f in default_gold_files() if f != BUNDLED_GOLD] if data is not None else []
        self.parts: list[tuple[object, list[dict], bool]] = [
            (assistant, load_gold(dev, data) + load_gold([BUNDLED_GOLD], None), True)]

    @property
    def items(self) -> list[dict]:
        return [i for _, items, _ in self.parts for i in items]

    def ask(self, assistant, item: dict, scoped: bool) -> dict:
        from errors import InputError

        docs = item_scope(item) if scoped else item.get("docs")
        try:
            return assistant.ask(item["question"], item.get("history"), qid=item["id"], docs=docs).to_dict()
        except InputError as exc:
            return {"id": item["id"], "question": item["question"], "answer": exc.message_vi, "found": False,
                    "citations": [], "mode": "extractive", "latency_ms": 0.0, "warnings": [str(exc)]}

    def collect(self) -> list[Record]:
        """Every question's candidates and labels, as the answerer reads them (follow-ups left out)."""
        records = []
        for assistant, items, scoped in self.parts:
            rec = Collector()
            assistant.answerer.recorder = rec
            try:
                for item in items:
                    if item.get("history"):
                        continue
                    rec.last = None
                    self.ask(assistant, item, scoped)
                    if rec.last is None:
                        continue
                    q, cands, X = rec.last
                    answerable = bool(item.get("answerable", True))
                    pos = positives(item, cands) if answerable else X[:, 0] < -1
                    records.append(Record(item, item_doc(item), q.main, X, pos, answerable))
            finally:
                assistant.answerer.recorder = None
        return records

    def answer_all(self, ranker_for) -> dict[str, dict]:
        """Each item's answer, its document's ranker (``ranker_for(doc)``) set on the answerer."""
        out = {}
        for assistant, items, scoped in self.parts:
            saved = assistant.answerer.ranker
            try:
                for item in items:
                    assistant.answerer.ranker = ranker_for(item_doc(item))
                    out[item["id"]] = self.ask(assistant, item, scoped)
            finally:
                assistant.answerer.ranker = saved
        return out


def run_fit(args) -> int:
    data = Path(args.data) if args.data else None
    t0 = time.perf_counter()
    run = GoldRun(data, args.embeddings)
    records = run.collect()
    ranker = fit(records)
    ranker.save()
    learned = ranker.meta.get("learned_from")
    print(f"fitted on {len(records)} questions of {ranker.meta['documents']} documents "
          f"({learned} with a right candidate or none to give) in {time.perf_counter() - t0:.0f} s; "
          f"wrote answering/ranker.json")
    reach = sum(1 for r in records if r.answerable and r.positive.any()) / max(1, sum(r.answerable for r in records))
    print(f"answerable questions with a right candidate among those read: {100 * reach:.1f}%")
    return 0


def _score(items: list[dict], answers: dict[str, dict]) -> tuple[Metrics, dict[str, Metrics], dict[str, Metrics]]:
    overall, per_doc, per_family = Metrics(), {}, {}
    for item in items:
        ans = answers[item["id"]]
        doc = item_doc(item)
        overall.add(item, ans)
        per_doc.setdefault(doc, Metrics()).add(item, ans)
        per_family.setdefault(family(doc), Metrics()).add(item, ans)
    return overall, per_doc, per_family


def family_table(m: Metrics, per_family: dict[str, Metrics], docs_per_family: dict[str, int]) -> list[str]:
    heads = ("documents", "n", "answer accuracy", "tight", "citation hit@3", "refusals correct", "false refusals")
    lines = ["| family | " + " | ".join(heads) + " |", "|---" * (len(heads) + 1) + "|"]
    for fam, fm in sorted(per_family.items()):
        lines.append(f"| {fam} | {docs_per_family[fam]} | " + " | ".join(cell(v) for v in fm.row().values()) + " |")
    lines.append(f"| **overall** | {sum(docs_per_family.values())} | "
                 + " | ".join(cell(v) for v in m.row().values()) + " |")
    return lines


def run_cv(args) -> int:
    """Leave one document out: fit without each document, answer it, score; then in-sample."""
    data = Path(args.data) if args.data else None
    t0 = time.perf_counter()
    run = GoldRun(data, args.embeddings)
    records = run.collect()
    items = run.items
    docs = sorted({item_doc(i) for i in items})
    whole = fit(records)
    folds = {d: fit([r for r in records if r.doc != d], start=whole) for d in docs}
    loo = run.answer_all(lambda d: folds[d])
    inside = run.answer_all(lambda d: whole)
    m, per_doc, per_family = _score(items, loo)
    m_in, per_doc_in, per_family_in = _score(items, inside)
    fam_docs = defaultdict(int)
    for d in docs:
        fam_docs[family(d)] += 1
    title = f"Leave-one-document-out evaluation: {len(items)} questions, {len(docs)} documents"
    lines = [f"# {title}", "", "Each document answered by a ranker fitted without its questions.", ""]
    lines += ["## Per family (leave one document out)", ""] + family_table(m, per_family, fam_docs)
    lines += ["", "## Per family (in-sample: fitted on every document)", ""] + family_table(m_in, per_family_in, fam_docs)
    report = markdown(m, title, per_doc)
    text = "\n".join(lines) + "\n\n" + report.split("\n", 1)[1]
    print("\n".join(lines))
    print("\n## Per document (leave one document out)\n")
    print("\n".join(document_table(m, per_doc)))
    s, s_in = m.summary(), m_in.summary()
    print("\nleave-one-document-out: " + ", ".join(f"{k} {v}" for k, v in s.items()))
    print("in-sample:              " + ", ".join(f"{k} {v}" for k, v in s_in.items()))
    print(f"({time.perf_counter() - t0:.0f} s)")
    if args.report:
        Path(args.report).write_text(text, encoding="utf-8")
    if args.json_out:
        out = {**s, "in_sample": s_in, "per_document": {d: dm.row() for d, dm in sorted(per_doc.items())},
               "per_family": {f: fm.row() for f, fm in sorted(per_family.items())}}
        Path(args.json_out).write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    floor = args.min_document if args.min_document is not None else REPORT_BELOW
    low = sorted(d for d, dm in per_doc.items() if (dm.row()["answer_accuracy"] or 100) < floor)
    if low:
        print(f"{len(low)} documents below {floor:g}%: {', '.join(low)}", file=sys.stderr)
    failed = gate(s, args.baseline)
    return failed or (1 if low and args.min_document is not None else 0)
