"""Entry point: the Gradio chat UI (default) and CLI subcommands.

Examples:
  python app.py                          # build the index on first start, serve http://127.0.0.1:7860
  python app.py ingest data/             # (re)index files or folders; unchanged files are skipped
  python app.py ingest --remove old.txt  # delete a document from the index
  python app.py ingest --rebuild data/   # drop the index and build it again (e.g. new embedding model)
  python app.py ask "chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu?"
  python app.py ask --json "ty le ho ngheo nam 2024"
  python app.py documents                # what is indexed

Settings come from NQ_* environment variables (see README); flags override them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from errors import ConfigError, InputError, NQError

log = logging.getLogger("app")


def _progress_bar():
    from tqdm import tqdm

    bar = {"t": None}

    def tick(done: int, total: int, label: str) -> None:
        if bar["t"] is None:
            bar["t"] = tqdm(total=total, desc="Indexing", unit="chunk")
        bar["t"].n = done
        bar["t"].set_postfix_str(label)
        bar["t"].refresh()
        if done >= total:
            bar["t"].close()

    return tick


def _assistant(args, rebuild: bool = False):
    from retrieval.chain import Assistant
    from retrieval.embeddings import get_embeddings
    from settings import Settings
    from vectorstore.chroma_store import ChunkStore

    settings = Settings.from_env(index_dir=getattr(args, "index_dir", None))
    store = ChunkStore(settings, get_embeddings(settings.embeddings), rebuild=rebuild)
    return Assistant(settings, store=store)


def cmd_serve(args) -> int:
    from ui.server import serve

    assistant = _assistant(args)
    if assistant.store.count() == 0:
        log.info("empty index: ingesting %s", assistant.settings.data_dir)
    assistant.ensure_index(progress=_progress_bar())
    assistant.warm_up()
    serve(assistant)
    return 0


def cmd_ingest(args) -> int:
    from ingest.pipeline import ingest_paths

    assistant = _assistant(args, rebuild=args.rebuild)
    for doc in args.remove or []:
        n = assistant.store.delete_document(doc)
        print(f"removed {doc}: {n} chunks" if n else f"{doc} is not in the index")
    if not args.paths:
        return 0
    report = ingest_paths(args.paths, assistant.store, assistant.settings, progress=_progress_bar())
    for label, docs in (("added", report.added), ("updated", report.updated), ("unchanged", report.unchanged)):
        for doc in docs:
            print(f"{label}: {doc}")
    for name, err in report.failed:
        print(f"error: {name}: {err}", file=sys.stderr)
    print(f"{report.chunks_written} chunks written, {report.chunks_deleted} deleted; "
          f"{assistant.store.count()} chunks in the index")
    return 0 if report.ok else 1


def cmd_ask(args) -> int:
    assistant = _assistant(args)
    assistant.ensure_index()
    answer = assistant.ask(" ".join(args.question))
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return 0
    print(answer.answer)
    for c in answer.citations:
        print(f"\n[{c.n}] {c.doc} › {c.section}\n    «{c.quote}» (ký tự {c.start}-{c.end})")
    return 0


def cmd_documents(args) -> int:
    assistant = _assistant(args)
    for d in assistant.store.documents():
        print(f"{d['doc_id']}\t{d['chunks']} chunks\t{d['title']}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python app.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", help="override NQ_INDEX_DIR")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="cmd")
    sub.add_parser("serve", help="serve the UI and /api/ask (the default)")
    p = sub.add_parser("ingest", help="index files or folders (.txt .md .docx .pdf)")
    p.add_argument("paths", nargs="*")
    p.add_argument("--remove", action="append", metavar="DOC", help="delete a document (file name) from the index")
    p.add_argument("--rebuild", action="store_true", help="drop the collection first")
    a = sub.add_parser("ask", help="answer one question")
    a.add_argument("question", nargs="+")
    a.add_argument("--json", action="store_true", help="print the answer JSON")
    sub.add_parser("documents", help="list indexed documents")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers = {"ingest": cmd_ingest, "ask": cmd_ask, "documents": cmd_documents}
    try:
        return handlers.get(args.cmd, cmd_serve)(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 3
    except NQError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
