"""Runs the gold set (in-process or against a deployment) and writes the report.

Without ``--data`` the bundled gold set runs on the default index, as it always did. With
``--data DIR`` the gold items of DIR's documents run on DIR's own index, each scoped to its
document (``eval.corpus``). Either way the report has the overall figures, one row per
category and one row per document.

With ``--library`` (``run_library``) DIR's documents and data/ share one index and every item
is asked unscoped: the product must find the document itself. The report adds the library
figures (``eval.metrics.LibraryMetrics``) and one row per kind of item and per document.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Callable

from eval.corpus import (BUNDLED_GOLD, LIBRARY_GOLD, build_index, data_files, default_gold_files, eval_settings,
                         item_doc, item_scope, library_dirs, library_files, library_gold_documents)
from eval.metrics import LIBRARY_KINDS, LibraryMetrics, Metrics, expected_docs, library_kind

# Headline metrics the CI gate compares with eval/baseline.json (higher is better).
HEADLINE = ("answer_accuracy", "citation_hit_at_1", "citation_hit_at_3", "refusal_accuracy")
# Metrics a baseline file may hold a minimum for (higher is better).
GATED = HEADLINE + ("answer_tight", "citation_mrr")
# The library figures a baseline (eval/baseline_library.json) may hold: a minimum for these...
LIBRARY_GATED = ("scoped_accuracy", "missing_doc_refusals", "ambiguity_handled")
# ...and a maximum for these (lower is better).
GATED_MAX = ("wrong_document_rate",)
Answerer = Callable[[dict], dict]
ROW_HEADS = ("n", "answer accuracy", "tight", "citation hit@3", "refusals correct", "false refusals")


def load_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _http_answerer(url: str) -> Answerer:
    import httpx

    client = httpx.Client(base_url=url.rstrip("/"), timeout=60)

    def answer(item: dict) -> dict:
        resp = client.post("/api/ask", json={"question": item["question"], "history": item.get("history"),
                                             "docs": item.get("docs")})
        resp.raise_for_status()
        return resp.json()

    return answer


def library_assistant(data: Path | None, retriever_mode: str = "hybrid", only: frozenset[str] | None = None,
                      **overrides):
    """An assistant over the one index of DIR's documents (``only`` those) and data/
    (``eval.corpus``), built or reused."""
    from answering.chain import Assistant

    assistant = Assistant(eval_settings(data, library=True, only=only, **overrides), retriever_mode=retriever_mode)
    build_index(assistant, library_dirs(data), only)
    return assistant


def _local_answerer(retriever: str, embeddings: str | None, llm: str | None = None,
                    data: Path | None = None, library: bool = False, only: frozenset[str] | None = None) -> Answerer:
    """Answers from this process: the default index; with ``data`` the one index of DIR and data/,
    where every item is scoped to its document; with ``library`` the same index, where every item
    is asked as it stands (unscoped unless it carries "docs")."""
    from answering.chain import Assistant
    from errors import InputError
    from settings import Settings

    if data is None and not library:
        assistant = Assistant(Settings.from_env(embeddings=embeddings, llm=llm), retriever_mode=retriever)
        assistant.ensure_index()
    else:  # DIR's documents and data/ in one index: scoped, each item reads its own document only
        assistant = library_assistant(data, embeddings=embeddings, llm=llm, retriever_mode=retriever, only=only)
    assistant.warm_up()

    def answer(item: dict) -> dict:
        docs = item_scope(item) if data is not None and not library else item.get("docs")
        try:
            return assistant.ask(item["question"], item.get("history"), qid=item["id"], docs=docs).to_dict()
        except InputError as exc:  # e.g. a document that failed to ingest: a miss, with the reason in the report
            return {"id": item["id"], "question": item["question"], "answer": exc.message_vi, "found": False,
                    "citations": [], "mode": "extractive", "latency_ms": 0.0, "warnings": [str(exc)]}

    return answer


def _score(gold: list[dict], answer: Answerer, new, doc_of, per_document: dict | None):
    """Scores every item into ``new()``; ``per_document`` (when given) also gets one per document."""
    m = new()
    for item in gold:
        ans = answer(item)
        m.add(item, ans)
        if per_document is not None:
            per_document.setdefault(doc_of(item), new()).add(item, ans)
    return m


def evaluate(gold: list[dict], answer: Answerer, per_document: dict[str, Metrics] | None = None) -> Metrics:
    """Scores every item; ``per_document`` (when given) also gets one Metrics per document."""
    return _score(gold, answer, Metrics, item_doc, per_document)


def cell(value: float | int | None) -> str:
    return "–" if value is None else str(value)


def document_table(m: Metrics, per_document: dict[str, Metrics]) -> list[str]:
    lines = ["| document | " + " | ".join(ROW_HEADS) + " |", "|---" * (len(ROW_HEADS) + 1) + "|"]
    for doc, dm in sorted(per_document.items()):
        lines.append(f"| {doc} | " + " | ".join(cell(v) for v in dm.row().values()) + " |")
    lines.append("| **overall** | " + " | ".join(cell(v) for v in m.row().values()) + " |")
    return lines


def markdown(m: Metrics, title: str, per_document: dict[str, Metrics] | None = None) -> str:
    s = m.summary()
    lines = [f"# {title}", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in s.items()]
    lines += ["", "## Per category", "", "| category | correct | total | % |", "|---|---|---|---|"]
    for cat, (ok, n) in sorted(m.per_category.items()):
        lines.append(f"| {cat} | {ok} | {n} | {100.0 * ok / n:.1f} |")
    if per_document:
        lines += ["", "## Per document", ""] + document_table(m, per_document)
    lines += ["", f"## Misses ({len(m.misses)})", ""]
    for miss in m.misses:
        lines.append(f"- **{miss['id']}** ({miss['category']}) {miss['question']}  ")
        lines.append(f"  expected {miss['expect']}; found={miss['found']}, citation_ok={miss['citation_ok']}, "
                     f"mode={miss.get('mode')}; answer: {miss['answer'][:300]}")
        if miss.get("warnings"):
            lines.append(f"  warnings: {'; '.join(miss['warnings'])}")
    return "\n".join(lines) + "\n"


def below_baseline(summary: dict, baseline: dict) -> list[str]:
    """The gated figures that are worse than the baseline's: below its minimum (GATED,
    LIBRARY_GATED) or above its maximum (GATED_MAX). A gated figure the run lacks fails too."""
    out = []
    for k, floor in baseline.items():
        value = summary.get(k)
        if k in GATED + LIBRARY_GATED and (value is None or value < floor):
            out.append(f"{k}: {value} < baseline {floor}")
        elif k in GATED_MAX and (value is None or value > floor):
            out.append(f"{k}: {value} > baseline {floor} (lower is better)")
    return out


def load_gold(files: list[Path], data: Path | None) -> list[dict]:
    """The items of the gold files; with ``data``, only those about a file of DIR."""
    gold = [item for f in files for item in load_jsonl(f)]
    if data is None:
        return gold
    names = {f.name for f in data_files(data)}
    return [item for item in gold if item_doc(item) in names]


def run_eval(args) -> int:
    data = Path(args.data) if getattr(args, "data", None) else None
    golds = [args.gold] if isinstance(args.gold, str) else args.gold
    gold_files = ([Path(g) for g in golds] if golds
                  else default_gold_files() if data is not None else [BUNDLED_GOLD])
    gold = load_gold(gold_files, data)
    categories = getattr(args, "category", None)
    if categories:
        gold = [item for item in gold if item.get("category") in categories]
    llm = getattr(args, "llm", None)
    answer = _http_answerer(args.url) if args.url else _local_answerer(args.retriever, args.embeddings, llm, data)
    per_document: dict[str, Metrics] = {}
    m = evaluate(gold, answer, per_document)
    s = m.summary()
    source = f"{data}, {len(gold_files)} gold files" if data is not None else ", ".join(f.name for f in gold_files)
    title = f"Evaluation: {source}, retriever={args.retriever}" + (f", url={args.url}" if args.url else "")
    title += f", llm={llm}" if llm else ""
    title += f", categories={','.join(categories)}" if categories else ""
    print(markdown(m, title, per_document).split("## Misses")[0].rstrip())
    print(f"\nmisses: {len(m.misses)} (see --report for the list)")
    print("answers by mode: " + ", ".join(f"{k}={v}" for k, v in sorted(m.modes.items())))
    if args.report:
        Path(args.report).write_text(markdown(m, title, per_document), encoding="utf-8")
    if args.json_out:
        out = {**s, "modes": dict(m.modes), "overall": s,
               "per_document": {doc: dm.row() for doc, dm in sorted(per_document.items())}}
        Path(args.json_out).write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    return gate(s, args.baseline)


def gate(summary: dict, baseline: str | None) -> int:
    """1 (and the failures on stderr) when a figure is below the baseline file's, else 0."""
    if baseline and Path(baseline).exists():
        failures = below_baseline(summary, json.loads(Path(baseline).read_text()))
        if failures:
            print("BELOW BASELINE:\n  " + "\n  ".join(failures), file=sys.stderr)
            return 1
    return 0


# --- the library evaluation ---------------------------------------------------------------------

LIBRARY_ROW_HEADS = ("n", "answer accuracy", "its own figure", "wrong document", "citation hit@3")
KIND_FIGURE = {"scoped": "scoped accuracy", "missing_doc": "missing-document refusals",
               "ambiguous": "ambiguity handled"}
NOT_IN_LIBRARY = "(not in the library)"
AMBIGUOUS = "(ambiguous: several documents)"


def load_library_gold(files: list[Path], names: set[str]) -> list[dict]:
    """The items whose expected documents are all in the library (``names``); the items naming a
    document the library lacks are always kept."""
    gold = [item for f in files for item in load_jsonl(f)]
    return [item for item in gold if expected_docs(item) <= names]


def _library_doc(item: dict) -> str:
    kind = library_kind(item)
    return NOT_IN_LIBRARY if kind == "missing_doc" else AMBIGUOUS if kind == "ambiguous" else str(item["doc"])


def evaluate_library(gold: list[dict], answer: Answerer,
                     per_document: dict[str, LibraryMetrics] | None = None) -> LibraryMetrics:
    return _score(gold, answer, LibraryMetrics, _library_doc, per_document)


def _library_row(lm: LibraryMetrics, kind: str) -> list[str]:
    row = lm.kind_row(kind)
    return [cell(row["n"]), cell(row["answer_accuracy"] if kind != "missing_doc" else None),
            cell(row["kind_ok"]), cell(row["wrong_document_rate"]), cell(row["citation_hit_at_3"])]


def library_markdown(m: LibraryMetrics, title: str, per_document: dict[str, LibraryMetrics],
                     timing: dict[str, float] | None = None) -> str:
    s = m.summary()
    lines = [f"# {title}", "", "| metric | value |", "|---|---|"]
    lines += [f"| {k} | {cell(v)} |" for k, v in s.items()]
    if timing:
        lines += [f"| {k} | {v} |" for k, v in timing.items()]
    lines += ["", "## Per kind of question", "",
              "\"its own figure\": scoped accuracy (correct and first cited from its document), "
              "missing-document refusals, or ambiguity handled (every document cited with its figures).", "",
              "| kind | " + " | ".join(LIBRARY_ROW_HEADS) + " |", "|---" * (len(LIBRARY_ROW_HEADS) + 1) + "|"]
    for kind in LIBRARY_KINDS:
        if m.kinds[kind].n:
            lines.append(f"| {kind} ({KIND_FIGURE[kind]}) | " + " | ".join(_library_row(m, kind)) + " |")
    lines += ["", "## Per category", "", "| category | correct | total | % |", "|---|---|---|---|"]
    for cat, (ok, n) in sorted(m.overall.per_category.items()):
        lines.append(f"| {cat} | {ok} | {n} | {100.0 * ok / n:.1f} |")
    lines += ["", "## Per document (scoped items by their document)", "",
              "| document | " + " | ".join(LIBRARY_ROW_HEADS) + " |", "|---" * (len(LIBRARY_ROW_HEADS) + 1) + "|"]
    for doc, dm in sorted(per_document.items()):
        kind = next(k for k in LIBRARY_KINDS if dm.kinds[k].n)
        lines.append(f"| {doc} | " + " | ".join(_library_row(dm, kind)) + " |")
    lines += ["", f"## Misses ({len(m.misses)})", ""]
    for miss in m.misses:
        lines.append(f"- **{miss['id']}** ({miss['kind']}) {miss['question']}  ")
        lines.append(f"  expected {', '.join(miss['expected_docs']) or NOT_IN_LIBRARY}; first cited "
                     f"{miss['first_doc']}; found={miss['found']}; {miss['why']}; answer: {miss['answer'][:300]}")
    return "\n".join(lines) + "\n"


def run_library(args) -> int:
    """``python -m eval run --library [--data DIR]``: one index of DIR and data/, items unscoped."""
    data = Path(args.data) if getattr(args, "data", None) else None
    golds = [args.gold] if isinstance(args.gold, str) else args.gold
    gold_files = [Path(g) for g in golds] if golds else [LIBRARY_GOLD]
    dirs = library_dirs(data)
    only = library_gold_documents() if not golds else None  # the library the library gold was written for
    names = {f.name for f in library_files(dirs, only)}
    gold = load_library_gold(gold_files, names)
    categories = getattr(args, "category", None)
    if categories:
        gold = [item for item in gold if item.get("category") in categories]
    llm = getattr(args, "llm", None)
    t0 = time.perf_counter()
    answer = (_http_answerer(args.url) if args.url
              else _local_answerer(args.retriever, args.embeddings, llm, data, library=True, only=only))
    t1 = time.perf_counter()
    per_document: dict[str, LibraryMetrics] = {}
    m = evaluate_library(gold, answer, per_document)
    t2 = time.perf_counter()
    timing = {"index_and_warm_up_s": round(t1 - t0, 2), "questions_s": round(t2 - t1, 3)}
    s = m.summary()
    title = (f"Library evaluation: {' + '.join(map(str, dirs))} in one index, unscoped questions, "
             f"{', '.join(f.name for f in gold_files)}, retriever={args.retriever}")
    title += f", url={args.url}" if args.url else ""
    title += f", llm={llm}" if llm else ""
    title += f", categories={','.join(categories)}" if categories else ""
    report = library_markdown(m, title, per_document, timing)
    print(report.split("## Misses")[0].rstrip())
    print(f"\nmisses: {len(m.misses)} (see --report for the list)")
    print(f"library eval took {t2 - t0:.1f} s: index and warm-up {t1 - t0:.1f} s, "
          f"{len(gold)} questions {t2 - t1:.1f} s")
    if args.report:
        Path(args.report).write_text(report, encoding="utf-8")
    if args.json_out:
        out = {**s, **timing, "modes": dict(m.overall.modes), "overall": s,
               "per_kind": {k: m.kind_row(k) for k in LIBRARY_KINDS if m.kinds[k].n},
               "per_document": {doc: dm.kind_row(next(k for k in LIBRARY_KINDS if dm.kinds[k].n))
                                for doc, dm in sorted(per_document.items())}}
        Path(args.json_out).write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    return gate(s, args.baseline)
