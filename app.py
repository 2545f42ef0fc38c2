"""Entry point: the Gradio chat UI (default) and CLI subcommands.

Examples:
  python app.py                          # build the index on first start, serve http://127.0.0.1:7860
  python app.py serve --workers 2        # answer questions in 2 processes (one per core)
  python app.py ingest data/             # (re)index files or folders; unchanged files are skipped
  python app.py ingest --remove old.txt  # delete a document from the index (its id)
  python app.py ingest --rebuild data/   # drop the index and build it again (e.g. new embedding model)
  python app.py ingest --rebuild-derived # rebuild the derived indexes (BM25, diacritics, targets) from the index
  python app.py ask "tỷ lệ che phủ rừng phải giữ ở mức nào?"
  python app.py ask --json "ty le ho ngheo cuoi nam 2024"
  python app.py ask --doc nghi-quyet-tinh-uy-ha-tinh-2025.txt "ai ký nghị quyết"   # only this document
  python app.py documents                # what is indexed: id, title, number, issuer, date, chunks
  python app.py documents --json         # the same as JSON (type, province and signer too)
  python app.py targets                  # the numbered targets as a table
  python app.py targets --json --doc nghi-quyet-tinh-uy-ha-tinh-2025.txt
  python app.py targets --csv --doc A.txt --doc B.txt   # two documents, with their short names (doc_title)
  python app.py targets --results --csv > ket-qua.csv   # reported results, as CSV
  python app.py targets --xlsx chi-tieu.xlsx            # targets as an Excel workbook
  python app.py brief "môi trường" --out briefing.docx   # a trainer's briefing (.docx or .md)
  python app.py brief "môi trường" --doc A.txt --doc B.txt   # on two documents, each point naming its own
  python app.py brief --questions cau-hoi.txt --out hoi-dap.md   # one cited answer per question
  NQ_LLM=openai NQ_LLM_BASE_URL=http://127.0.0.1:8000/v1 NQ_LLM_MODEL=qwen2.5-7b-instruct \
    python app.py ask "tỷ lệ che phủ rừng phải giữ ở mức nào?"   # LLM answer, verified (README)

Settings come from NQ_* environment variables (see README); flags override them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time

from errors import ConfigError, InputError, NQError, StoreUnavailable

log = logging.getLogger("app")


def _progress_bar():
    """A tqdm bar over the chunks to embed (unchanged documents are skipped before it starts; chunks
    copied from a document's live version leave the total as they are found), with the time left
    from the average rate so far."""
    from tqdm import tqdm

    bar = {"t": None}
    fmt = ("{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} chunks "
           "[{elapsed} elapsed, ETA {remaining}, {rate_fmt}{postfix}]")

    def tick(done: int, total: int, label: str) -> None:
        t = bar["t"]
        if t is None:
            t = bar["t"] = tqdm(total=total, desc="Indexing", unit="chunk", bar_format=fmt, smoothing=0)
        elif t.disable:  # closed
            return
        t.total = total
        t.n = done
        t.set_postfix_str(label, refresh=False)
        t.refresh()
        if done >= total:
            t.close()

    return tick


def _assistant(args, rebuild: bool = False):
    from answering.chain import Assistant
    from retrieval.embeddings import get_embeddings
    from settings import Settings
    from vectorstore.chroma_store import ChunkStore

    settings = Settings.from_env(index_dir=getattr(args, "index_dir", None), workers=getattr(args, "workers", None))
    store = ChunkStore(settings, get_embeddings(settings.embeddings, settings.embeddings_device), rebuild=rebuild)
    return Assistant(settings, store=store)


def cmd_serve(args) -> int:
    from settings import Settings
    from ui.admin import check_serving
    from ui.server import serve

    settings = Settings.from_env(index_dir=getattr(args, "index_dir", None),
                                 workers=getattr(args, "workers", None))
    check_serving(settings)  # before any work
    assistant = _assistant(args)
    if assistant.store.count() == 0:
        log.info("empty index: ingesting %s", assistant.settings.data_dir)
    assistant.ensure_index(progress=_progress_bar())
    assistant.warm_up()
    if settings.workers > 1:
        from ui.workers import AnswerPool, PooledAssistant

        pool = AnswerPool(assistant.settings, settings.workers)
        try:
            serve(PooledAssistant(assistant, pool))
        finally:
            pool.close()
        return 0
    serve(assistant)
    return 0


def cmd_ingest(args) -> int:
    from ingest.pipeline import ingest_paths
    from ui.admin import audit_change, local_user

    assistant = _assistant(args, rebuild=args.rebuild)
    who = local_user()
    for doc in args.remove or []:
        n = assistant.store.delete_document(doc)
        print(f"removed {doc}: {n} chunks" if n else f"{doc} is not in the index")
        if n:
            audit_change("removed", doc, who, chunks=n)
    if args.rebuild_derived:
        assistant.retriever.cache.clear()
        library = assistant.retriever.library
        print(f"derived indexes rebuilt: {len(library.doc_ids)} documents, {len(library)} chunks")
    if not args.paths:
        assistant.derive_library()
        return 0
    started = time.perf_counter()
    report = ingest_paths(args.paths, assistant.store, assistant.settings, progress=_progress_bar())
    for action, docs in (("added", report.added), ("replaced", report.updated)):
        for doc in docs:
            audit_change(action, doc, who)
    for label, docs in (("added", report.added), ("updated", report.updated), ("unchanged", report.unchanged)):
        for doc in docs:
            print(f"{label}: {doc}")
    for name, err in report.failed:
        print(f"error: {name}: {err} ({err.message_vi})", file=sys.stderr)
    print(f"{report.chunks_written} chunks written ({report.chunks_embedded} embedded), {report.chunks_deleted} "
          f"deleted; {len(report.unchanged)} of {report.documents_total} documents unchanged; "
          f"{assistant.store.count()} chunks in the index; {time.perf_counter() - started:.1f} s")
    assistant.derive_library()
    return 0 if report.ok else 2  # a file that cannot be read is an input error


def cmd_ask(args) -> int:
    assistant = _assistant(args)
    assistant.ensure_index()
    answer = assistant.ask(" ".join(args.question), docs=args.doc)
    if args.json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
        return 0
    print(answer.answer)
    for c in answer.citations:
        where = " › ".join(p for p in (c.doc_title or c.doc, c.section) if p)
        print(f"\n[{c.n}] {where}\n    «{c.quote}» ({c.doc_id or c.doc})")  # offsets: in --json
    for w in answer.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return 0


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def documents_table(docs: list[dict], title_width: int = 48, issuer_width: int = 36) -> str:
    """The indexed documents as an aligned text table: id, title (shortened), number, issuer,
    date, chunks. The id is printed whole: it is what `ask --doc` and `targets --doc` take."""
    head = ["id", "title", "number", "issuer", "date", "chunks"]
    rows = [[d["doc_id"], _shorten(d.get("title") or "", title_width), d.get("number") or "",
             _shorten(d.get("issuer") or "", issuer_width), d.get("date") or "", str(d["chunks"])] for d in docs]
    widths = [max(len(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def line(cells: list[str]) -> str:
        return "  ".join(c.rjust(w) if i == len(cells) - 1 else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(head), line(["-" * w for w in widths]), *map(line, rows)])


def cmd_documents(args) -> int:
    assistant = _assistant(args)
    docs = assistant.documents()
    if args.json:
        print(json.dumps(docs, ensure_ascii=False, indent=1))
    elif docs:
        print(documents_table(docs))
    else:
        print("no documents are indexed (python app.py ingest PATH)")
    return 0


def cmd_targets(args) -> int:
    from ingest.targets import to_csv, to_xlsx

    assistant = _assistant(args)
    assistant.ensure_index()
    table = assistant.table
    docs = _known_docs(assistant, args.doc)
    kind = "results" if args.results else "aims" if args.aims else "targets"
    records = table.select(kind, doc=docs, group=args.group)
    if args.xlsx:
        try:
            to_xlsx(records, args.xlsx, sheet={"results": "Kết quả", "aims": "Mục tiêu khác"}.get(kind, "Chỉ tiêu"))
        except OSError as exc:
            raise InputError(f"cannot write {args.xlsx}: {exc.strerror or exc}",
                             f"Không ghi được tệp {args.xlsx}.") from exc
        print(f"{len(records)} records written to {args.xlsx}")
    elif args.json:
        print(json.dumps([r.to_dict() for r in records], ensure_ascii=False, indent=1))
    elif args.csv:
        sys.stdout.write(to_csv(records))
    else:
        several = len({r.doc for r in records}) > 1  # a document column when rows come from several
        for r in records:
            head = f"({r.number})" if r.number is not None else r.year or ""
            figures = "; ".join(f"{m.label}: {m.display()}" for m in r.values) or "(không có số liệu)"
            flag = "  [chưa chắc chắn: " + "; ".join(r.warnings) + "]" if r.uncertain else ""
            doc = f"{r.doc_title or r.doc}\t" if several else ""
            print(f"{doc}{head}\t{r.group or r.section}\t{figures}{flag}")
    return 0


def _known_docs(assistant, docs: list[str] | None) -> list[str] | None:
    """The document ids given (``--doc``, repeatable), each checked against the index."""
    if not docs:
        return None
    known = assistant.retriever.library.doc_ids
    for doc in docs:
        if doc not in known:
            raise InputError(f"{doc} is not in the index (see: python app.py documents)",
                             f"Tài liệu {doc} chưa được lập chỉ mục.")
    return list(dict.fromkeys(docs))


def cmd_brief(args) -> int:
    from briefing.builder import BriefingBuilder
    from briefing.export import to_markdown, write

    topic = " ".join(args.topic or []).strip()
    if not topic and not args.questions:
        raise InputError("give a topic or --questions FILE", "Vui lòng nhập chủ đề hoặc danh sách câu hỏi.")
    if args.out and not args.out.lower().endswith((".md", ".markdown", ".docx")):
        raise InputError(f"unsupported output {args.out!r}: use .md or .docx", "Chỉ xuất được tệp .md hoặc .docx.")
    assistant = _assistant(args)
    assistant.ensure_index()
    builder = BriefingBuilder(assistant)
    docs = _known_docs(assistant, args.doc)
    if args.questions:
        try:
            lines = open(args.questions, encoding="utf-8").read().splitlines()
        except OSError as exc:
            raise InputError(f"cannot read {args.questions}: {exc}", "Không đọc được tệp câu hỏi.") from exc
        briefing = builder.by_questions([q for q in lines if q.strip()], docs=docs)
    else:
        briefing = builder.by_topic(topic, doc=docs)
    if args.out:
        try:
            path = write(briefing, args.out)
        except OSError as exc:
            raise InputError(f"cannot write {args.out}: {exc.strerror or exc}", f"Không ghi được tệp {args.out}.") from exc
        points = sum(len(s.points) for s in briefing.sections)
        print(f"{path}: {points} points, {len(briefing.numbered())} citations")
    else:
        print(to_markdown(briefing))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python app.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", help="override NQ_INDEX_DIR")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="cmd")
    sv = sub.add_parser("serve", help="serve the UI and /api/ask (the default)")
    sv.add_argument("--workers", type=int, metavar="N",
                    help="answer questions in N processes on the same index (default NQ_WORKERS, 1)")
    p = sub.add_parser("ingest", help="index files or folders (.txt .md .docx .pdf)")
    p.add_argument("paths", nargs="*")
    p.add_argument("--remove", action="append", metavar="ID", help="delete a document from the index (its id, see `documents`)")
    p.add_argument("--rebuild", action="store_true", help="drop the collection first")
    p.add_argument("--rebuild-derived", action="store_true",
                   help="delete the derived indexes (BM25, diacritics, targets table) and build them again from the index")
    a = sub.add_parser("ask", help="answer one question")
    a.add_argument("question", nargs="+")
    a.add_argument("--json", action="store_true", help="print the answer JSON")
    a.add_argument("--doc", action="append", metavar="ID",
                   help="answer only from this document (its id, see `documents`); repeatable")
    d = sub.add_parser("documents", help="list indexed documents: id, title, number, issuer, date, chunks")
    d.add_argument("--json", action="store_true",
                   help="print the list as JSON (doc_id, title, number, type, issuer, province, date, signer, chunks, file, source)")
    t = sub.add_parser("targets", help="the numbered targets (or reported results) as a table")
    fmt = t.add_mutually_exclusive_group()
    fmt.add_argument("--json", action="store_true", help="print the records as JSON")
    fmt.add_argument("--csv", action="store_true", help="print one CSV row per figure")
    fmt.add_argument("--xlsx", metavar="PATH", help="write an Excel workbook")
    t.add_argument("--doc", action="append", metavar="ID",
                   help="only this document (its id, see `documents`); repeatable")
    t.add_argument("--group", help='only this group, e.g. "môi trường"')
    kinds = t.add_mutually_exclusive_group()
    kinds.add_argument("--results", action="store_true", help="reported results instead of targets")
    kinds.add_argument("--aims", action="store_true",
                       help="unnumbered targets (figures under a 'Mục tiêu …' heading) instead of numbered ones")
    b = sub.add_parser("brief", help="a trainer's briefing on a topic, as Markdown or Word")
    b.add_argument("topic", nargs="*", help='e.g. "môi trường", "chuyển đổi số", "an sinh xã hội"')
    b.add_argument("--questions", metavar="FILE", help="one question per line, instead of a topic")
    b.add_argument("--out", metavar="FILE", help="write .docx or .md (default: Markdown on stdout)")
    b.add_argument("--doc", action="append", metavar="ID",
                   help="only this document (its id, see `documents`); repeatable: each point names its document")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers = {"ingest": cmd_ingest, "ask": cmd_ask, "documents": cmd_documents, "targets": cmd_targets,
                "brief": cmd_brief}
    if args.cmd in handlers:
        import signal

        # `python app.py targets | head` ends quietly; never while serving, where a client that
        # hangs up must not kill the server
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        return handlers.get(args.cmd, cmd_serve)(args)
    except StoreUnavailable as exc:
        print(f"error: {exc} ({exc.message_vi})", file=sys.stderr)
        return 4
    except InputError as exc:  # one line: the English message, then the Vietnamese one
        print(f"error: {exc} ({exc.message_vi})", file=sys.stderr)
        return 2
    except ConfigError as exc:
        print(f"configuration error: {exc}", file=sys.stderr)
        return 3
    except NQError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
