"""Evaluation CLI.

  python -m eval answer --questions Q.jsonl --out A.jsonl
      one answer JSON line per question line ({"id","question"[, "history"]}), same order,
      one model load for the whole batch; an empty index is first filled from data/.
      an input line may carry "docs": [doc ids] to answer from those documents only.
  python -m eval run [--gold eval/gold.jsonl] [--report report.md] [--json metrics.json]
                     [--retriever hybrid|dense|bm25] [--embeddings SPEC] [--url http://host:port]
                     [--llm none|openai|ollama] [--category followup] [--baseline eval/baseline.json]
      scores the gold set, prints the metrics table (overall, per category, per document),
      exits 1 below the baseline.
  python -m eval run --data DIR [--gold FILE ...] [--baseline eval/baseline_dev.json]
      evaluates any folder: indexes exactly DIR's supported files in storage-eval/<key>
      (reused while nothing changed) and asks each gold item about its own document
      ("doc", or "docs"; no "doc" means the bundled resolution). The default gold is
      eval/gold_dev/*.jsonl plus eval/gold.jsonl, keeping the items whose document is in DIR.
      Example: python -m eval run --data ~/dev-documents --baseline eval/baseline_dev.json
  python -m eval run --library [--data DIR] [--gold FILE ...] [--baseline eval/baseline_library.json]
      the library evaluation: DIR's files plus data/ (the bundled resolution) in ONE index
      (storage-eval/<key>), every question asked unscoped, so the product must find the document
      itself. The default gold is eval/gold_library.jsonl (items whose documents are all in the
      library; without --data the library is data/ alone). Reports answer accuracy, scoped
      accuracy, wrong-document rate, missing-document refusals, ambiguity handled and the time taken.
      Example: python -m eval run --library --data ~/dev-documents --baseline eval/baseline_library.json

  python -m eval fit [--data DIR]
      fits the answer ranker on the gold set (DIR's documents and the bundled one) and writes
      answering/ranker.json (eval/fit.py says how).
  python -m eval run --data DIR --cv document [--baseline eval/baseline_dev.json]
      leave one document out: each document answered by a ranker fitted without its questions;
      per document, per family, and the in-sample figure beside it.
  python -m eval gold --raw RAW.jsonl --doc DOC.txt [--out eval/gold_dev/<doc>.jsonl]
      checks a gold file written by reading DOC (quotes in clear) and writes the committed form,
      each quote replaced by its fingerprint (eval/gold_tool.py says the format).

  LLM mode: --llm openai|ollama (or NQ_LLM) with NQ_LLM_MODEL, NQ_LLM_BASE_URL, NQ_LLM_API_KEY, e.g.
      NQ_LLM_BASE_URL=http://127.0.0.1:8000/v1 NQ_LLM_MODEL=qwen2.5-7b-instruct \
          python -m eval run --llm openai --category followup
  The table then also counts the answers by mode: "llm" (generated and verified) or
  "extractive" (the fallback, with a warning).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from errors import InputError
from eval.report import run_eval, run_library

HERE = Path(__file__).resolve().parent
BUNDLED_BASELINE = HERE / "baseline.json"


def read_questions(path: Path) -> list[tuple[int, dict | None, str | None]]:
    """(line number, item, error) for each non-empty line: a line that is not a JSON object is kept with
    the reason, so the others are still answered and the output keeps one line per input line."""
    from errors import InputError

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}",
                         f"Không đọc được tệp câu hỏi {path}.") from exc
    out: list[tuple[int, dict | None, str | None]] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError as exc:
            out.append((n, None, f"not JSON ({exc})"))
            continue
        out.append((n, item, None) if isinstance(item, dict) else (n, None, "not a JSON object"))
    return out


def _answer_cmd(args: argparse.Namespace) -> int:
    """Answers every line it can; a bad line gets an error line in the output (same place) and one
    message on stderr naming its line number; the exit code is then 2."""
    from errors import NQError
    from answering.chain import Assistant
    from settings import Settings

    questions = read_questions(Path(args.questions))
    assistant = Assistant(Settings.from_env(llm=args.llm))
    assistant.ensure_index()
    out = open(args.out, "w", encoding="utf-8") if args.out != "-" else sys.stdout
    bad = 0
    try:
        for n, item, problem in questions:
            if item is None:
                bad += 1
                print(f"error: {args.questions}:{n}: {problem} (dòng {n} không phải một đối tượng JSON)",
                      file=sys.stderr)
                ans = {"id": None, "question": "", "answer": "Dòng này không phải câu hỏi hợp lệ (JSON).",
                       "found": False, "citations": [], "mode": "extractive", "latency_ms": 0.0,
                       "error": f"line {n}: {problem}"}
            else:
                try:
                    ans = assistant.ask(item.get("question", ""), item.get("history"), qid=item.get("id"),
                                        docs=item.get("docs")).to_dict()
                except NQError as exc:
                    ans = {"id": item.get("id"), "question": item.get("question", ""), "answer": exc.message_vi,
                           "found": False, "citations": [], "mode": "extractive", "latency_ms": 0.0,
                           "error": str(exc)}
            out.write(json.dumps(ans, ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    return 2 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m eval", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("answer", help="answer a JSONL file of questions")
    a.add_argument("--questions", required=True)
    a.add_argument("--out", required=True, help="output JSONL ('-' for stdout)")
    a.add_argument("--llm", choices=["none", "openai", "ollama"], help="override NQ_LLM")
    f = sub.add_parser("fit", help="fit the answer ranker on the gold set; write answering/ranker.json")
    f.add_argument("--data", metavar="DIR", help="the dev documents (their gold on their own index); the "
                   "bundled gold is always read")
    f.add_argument("--embeddings", help="override NQ_EMBEDDINGS for this run")
    g = sub.add_parser("gold", help="check a gold file written with quotes in clear; write its committed form")
    g.add_argument("--raw", required=True)
    g.add_argument("--doc", required=True, help="the document the questions are about")
    g.add_argument("--out", help="where to write the committed form (only checks without it)")
    r = sub.add_parser("run", help="score the gold set")
    r.add_argument("--gold", action="append",
                   help="a gold JSONL file (repeatable; default eval/gold.jsonl, or with --data every "
                        "eval/gold_dev/*.jsonl and eval/gold.jsonl)")
    r.add_argument("--data", metavar="DIR",
                   help="evaluate this folder's documents on their own index (storage-eval/), per document")
    r.add_argument("--library", action="store_true",
                   help="one index of DIR (--data) plus data/, questions unscoped, library metrics "
                        "(default gold eval/gold_library.jsonl)")
    r.add_argument("--report", help="write a Markdown report here")
    r.add_argument("--json", dest="json_out", help="write the metrics as JSON here")
    r.add_argument("--retriever", default="hybrid", choices=["hybrid", "dense", "bm25"])
    r.add_argument("--embeddings", help="override NQ_EMBEDDINGS for this run")
    r.add_argument("--url", help="evaluate a running deployment through POST URL/api/ask")
    r.add_argument("--llm", choices=["none", "openai", "ollama"],
                   help="override NQ_LLM: answer with the LLM server set by NQ_LLM_MODEL/BASE_URL/API_KEY")
    r.add_argument("--category", action="append", help="only the gold items of this category (repeatable)")
    r.add_argument("--cv", choices=["document"],
                   help="leave one document out: each document answered by a ranker fitted without it "
                        "(with --data; the bundled gold is included)")
    r.add_argument("--min-document", type=float,
                   help="with --cv: fail when a document answers below this %% (the documents below 75%% are "
                        "listed either way)")
    r.add_argument("--baseline",
                   help="fail (exit 1) when an overall metric is below this file's figure ('' to skip; "
                        "default eval/baseline.json without --data or --library, none with them)")
    args = parser.parse_args(argv)
    try:
        return _run(parser, args)
    except InputError as exc:  # one line, exit 2, as the app's CLI
        print(f"error: {exc} ({exc.message_vi})", file=sys.stderr)
        return 2


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if args.cmd == "answer":
        return _answer_cmd(args)
    if args.cmd == "fit":
        from eval.cv import run_fit

        if args.data and not Path(args.data).is_dir():
            parser.error(f"--data {args.data}: not a directory")
        return run_fit(args)
    if args.cmd == "gold":
        from eval.gold_tool import convert

        return convert(Path(args.raw), Path(args.doc), Path(args.out) if args.out else None)
    for gold in args.gold or []:
        if not Path(gold).is_file():
            raise InputError(f"--gold {gold}: no such file", f"Không tìm thấy tệp {gold}.")
    if args.data and args.url:
        parser.error("--data builds a local index; it cannot be combined with --url")
    if args.data and not Path(args.data).is_dir():
        parser.error(f"--data {args.data}: not a directory")
    if args.baseline is None:
        args.baseline = "" if args.data or args.library else str(BUNDLED_BASELINE)
    if args.cv:
        from eval.cv import run_cv

        if args.library or args.url:
            parser.error("--cv reads the gold set on local indexes; it cannot be combined with --library or --url")
        return run_cv(args)
    return run_library(args) if args.library else run_eval(args)


if __name__ == "__main__":
    sys.exit(main())
