"""Bounded ingest (issue 23, hardening): what a file inside every limit costs to cut and embed grows
with its size, not with its size times its number of chunks. A document written as one line had
its first line as every chunk's section path (80 KB -> 222 chunks of ~60,000 characters)."""

from __future__ import annotations

import time

from core.types import SECTION_SEP
from ingest.bounds import MAX_HEADERS_CHARS, MAX_HEADING_CHARS, MAX_PATH_CHARS, MAX_TITLE_CHARS, bounded_path
from ingest.chunker import WHOLE_BUDGETS, build_chunks, count_tokens, index_text
from ingest.clean import clean_text
from ingest.pipeline import ingest_upload
from ingest.structure import Unit, parse_units
from retrieval.embeddings import HashEmbeddings
from settings import Settings
from vectorstore.chroma_store import ChunkStore

# Invented words, Vietnamese-like: no real document's text.
_WORDS = "thôn xóm bờ mương cánh đồng lúa ngô khoai sắn cầu tre đường làng trường lớp chợ phiên".split()
ONE_LINE_BYTES = 80_000
MAX_TOKENS = 160
# What a chunk may embed beyond its text: its section path and a table row's column headers.
PREFIX_TOKENS = count_tokens("ữ" * (MAX_PATH_CHARS + MAX_HEADERS_CHARS)) + 4


def _one_line(size: int, sep: str = " ") -> str:
    words, i = [], 0
    while sum(len(w.encode()) + 1 for w in words) < size:
        words.append(f"{_WORDS[i % len(_WORDS)]}{sep}{_WORDS[(i * 7) % len(_WORDS)]} số {i},")
        i += 1
    return " ".join(words) + "\n"


class _CountingHash(HashEmbeddings):
    def __init__(self) -> None:
        super().__init__()
        self.chars = 0
        self.texts = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.chars += sum(map(len, texts))
        self.texts += len(texts)
        return super().embed_documents(texts)


def _within_budget(chunks) -> None:
    for c in chunks:
        assert count_tokens(c.text) <= WHOLE_BUDGETS * MAX_TOKENS
        assert len(c.section) <= MAX_PATH_CHARS
        assert count_tokens(index_text(c)) <= WHOLE_BUDGETS * MAX_TOKENS + PREFIX_TOKENS


def test_a_document_written_as_one_line_is_embedded_once_not_once_per_chunk(tmp_path):
    text = _one_line(ONE_LINE_BYTES)
    data = text.encode("utf-8")
    assert len(data) >= ONE_LINE_BYTES and "\n" not in text.rstrip("\n")
    settings = Settings.from_env(index_dir=tmp_path / "idx", embeddings="hash")
    embedder = _CountingHash()
    store = ChunkStore(settings, embedder)
    began = time.perf_counter()
    report = ingest_upload(data, "mot-dong.txt", store, settings)
    elapsed = time.perf_counter() - began
    assert report.added == ["mot-dong.txt"], report.failed
    chunks = build_chunks("mot-dong.txt", clean_text(text), max_tokens=MAX_TOKENS)
    _within_budget(chunks)
    assert all(c.kind != "title" and c.doc_title == "mot-dong.txt" for c in chunks)  # the line is prose, not a title
    assert embedder.texts == len(chunks) == report.chunks_embedded
    # Each chunk embeds its text and a short path ("Phần mở đầu"): about the file's characters, once.
    assert embedder.chars <= 1.2 * len(text), (embedder.chars, len(text))
    assert elapsed < 30, elapsed  # was: 13.4 M characters to embed, not done after 5 minutes


def test_an_over_long_first_line_is_a_paragraph_and_the_header_after_it_is_no_title():
    long_line = _one_line(3 * MAX_HEADING_CHARS).strip()
    units = parse_units(clean_text(f"{long_line}\n\nKẾ HOẠCH\n\nVề việc thử nghiệm\n\n1. Nội dung.\n"))
    assert not any(u.kind == "title" for u in units)
    assert all(len(label) <= MAX_HEADING_CHARS for u in units for label in u.path)


def test_a_word_over_the_budget_is_cut_too():
    text = "Điều 1. " + "ngô" * 20_000 + ".\n"  # one "word" of 60,000 characters
    chunks = build_chunks("tu.txt", clean_text(text), max_tokens=MAX_TOKENS)
    _within_budget(chunks)
    assert "".join(c.text for c in chunks).replace(" ", "") == clean_text(text).text.strip().replace(" ", "")


def test_long_numbered_headings_and_deep_paths_are_bounded():
    heading = " ".join(_WORDS * 3)  # a numbered heading without closing punctuation, ~300 characters
    parts = [f"{i}. {heading} mục {i}" for i in range(1, 3)]
    lines = ["I. " + heading, "1.1. " + heading, "1.1.1. " + heading, "a) " + heading, "Mục tiêu 1: " + heading,
             "- " + heading + ":", "+ " + heading + ":", *parts, "Nội dung cuối cùng của mục."]
    chunks = build_chunks("sau.txt", clean_text("\n\n".join(lines) + "\n"), max_tokens=MAX_TOKENS)
    _within_budget(chunks)
    deepest = max(chunks, key=lambda c: len(c.section))
    assert len(deepest.section) <= MAX_PATH_CHARS and deepest.section.endswith(deepest.section.split(SECTION_SEP)[-1])


def test_bounded_path_keeps_real_paths_and_the_first_and_last_levels_of_long_ones():
    real = ("III. Nhiệm vụ năm 2025", "4. Xây dựng kết cấu hạ tầng", "Chú thích 1")
    assert bounded_path(real) == real
    long = tuple(f"{i}. " + "x" * 150 for i in range(1, 9))
    cut = bounded_path(long)
    assert len(SECTION_SEP.join(cut)) <= MAX_PATH_CHARS
    assert cut[0] == long[0] and cut[-1] == long[-1] and "…" in cut
    row = Unit("row", ("Bảng",), 0, 1, headers=" | ".join(["cột rất dài"] * 200))
    assert len(row.headers) <= MAX_HEADERS_CHARS


def test_the_title_is_bounded():
    title_lines = "\n".join(f"VỀ VIỆC THỬ NGHIỆM SỐ {i} CỦA THÔN XÓM BỜ MƯƠNG CÁNH ĐỒNG LÚA" for i in range(40))
    chunks = build_chunks("tieu-de.txt", clean_text(f"KẾ HOẠCH\n{title_lines}\n\n1. Nội dung.\n"), MAX_TOKENS)
    assert len(chunks[0].doc_title) <= MAX_TITLE_CHARS


def test_a_job_over_its_time_budget_names_the_file_that_used_it_up_and_leaves_the_rest(tmp_path, monkeypatch):
    from errors import TimeBudgetExceeded
    from ingest.pipeline import ingest_paths

    folder = tmp_path / "lib"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"nq-{name}.txt").write_text(f"Điều 1. Thôn {name} có 12 cây cầu tre.\n", encoding="utf-8")
    settings = Settings.from_env(index_dir=tmp_path / "idx", embeddings="hash", max_ingest_seconds=1)
    store = ChunkStore(settings, HashEmbeddings())
    write = store.replace_document

    def slow_for_b(doc_id, *args, **kw):
        if doc_id == "nq-b.txt":
            time.sleep(1.2)  # the file that uses the budget up
        return write(doc_id, *args, **kw)

    monkeypatch.setattr(store, "replace_document", slow_for_b)
    report = ingest_paths([folder], store, settings)
    assert report.added == ["nq-a.txt", "nq-b.txt"] and report.over_budget == "nq-b.txt"
    [(name, err)] = report.failed
    assert name == "nq-c.txt" and isinstance(err, TimeBudgetExceeded)
    assert "'nq-b.txt'" in str(err) and "NQ_MAX_INGEST_SECONDS" in str(err) and "'nq-b.txt'" in err.message_vi
    # run again: what was written is unchanged, the rest is ingested
    assert ingest_paths([folder], store, Settings.from_env(index_dir=tmp_path / "idx", embeddings="hash")).added == [
        "nq-c.txt"]
