"""The library's derived indexes (retrieval.derived): built document by document, kept on disk
under the library's fingerprint, loaded by a new process instead of rebuilt, updated by the
documents that changed only, and equal to what a rebuild from every chunk gives."""

from __future__ import annotations

import logging
import subprocess
import sys

import pytest

from answering.chain import Assistant
from ingest.chunker import index_text
from ingest.pipeline import ingest_paths
from retrieval import derived
from retrieval.accents import AccentRestorer
from retrieval.bm25 import BM25Index
from settings import Settings
from tests.answering.test_per_document import CA_MAU, CA_MAU_TEXT, LANG_SON, LANG_SON_TEXT
from tests.conftest import CORPUS, ROOT


def _library(tmp_path, *names):
    folder = tmp_path / "docs"
    folder.mkdir(exist_ok=True)
    texts = {LANG_SON: LANG_SON_TEXT, CA_MAU: CA_MAU_TEXT}
    for name in names:
        (folder / name).write_text(texts[name], encoding="utf-8")
    return folder


@pytest.fixture()
def built(tmp_path):
    """An index of the bundled resolution and one plan, and the Assistant that built it."""
    settings = Settings.from_env(index_dir=tmp_path / "index")
    folder = _library(tmp_path, LANG_SON)
    assistant = Assistant(settings)
    ingest_paths([CORPUS, folder], assistant.store, settings)
    assert assistant.ask("chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu?").found
    return settings, assistant, folder


def _count_derivations(monkeypatch) -> list[str]:
    derivations: list[str] = []
    original = derived.DocData.build.__func__

    def counting(cls, doc_id, versions, chunks):
        derivations.append(doc_id)
        return original(cls, doc_id, versions, chunks)

    monkeypatch.setattr(derived.DocData, "build", classmethod(counting))
    return derivations


def test_the_library_index_equals_a_rebuild_from_every_chunk(built):
    _, assistant, _ = built
    library = assistant.retriever.library
    every = assistant.store.all_chunks()
    whole = BM25Index(every)
    assert library.chunk_ids == [c.id for c in every]
    for q in ("tỷ lệ che phủ rừng", "giai ngan von dau tu cong", "thu ngân sách 2025", "Sở Tài chính"):
        assert [(c.id, round(s, 5)) for c, s in library.search(q, 10)] == \
               [(c.id, round(s, 5)) for c, s in whole.search(q, 10)]
        for token in ("rung", "che_phu", "ngan_sach", "khong-co-dau"):
            assert library.idf(token) == pytest.approx(whole.idf(token))
            assert library.known(token) == whole.known(token)
    restorer = AccentRestorer([c for c in map(index_text, every)])
    assert library.restorer._uni == restorer._uni and library.restorer._bi == restorer._bi
    for doc in library.doc_ids:  # a document's own index: as if nothing else were indexed
        alone = whole.subset(frozenset({doc}))
        mine = assistant.retriever.index([doc])
        assert [c.id for c in mine.chunks] == [c.id for c in alone.chunks]
        assert [c.id for c, _ in mine.search("chỉ tiêu năm 2025", 5)] == [c.id for c, _ in alone.search("chỉ tiêu năm 2025", 5)]


def test_a_new_process_loads_the_library_index_instead_of_deriving_it(built, monkeypatch):
    settings, assistant, _ = built
    derivations = _count_derivations(monkeypatch)
    again = Assistant(settings)
    answer = again.ask("chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu?", docs=[CORPUS.name])
    assert answer.found and "52%" in answer.answer
    assert derivations == []  # nothing read from Chroma to derive: the state on disk was loaded
    assert again.retriever.library.fingerprint == assistant.retriever.library.fingerprint
    assert again.table.select(doc=CORPUS.name) == assistant.table.select(doc=CORPUS.name)


def test_adding_and_removing_a_document_derives_only_that_document(built, tmp_path, monkeypatch, caplog):
    settings, assistant, folder = built
    before = assistant.retriever.library
    derivations = _count_derivations(monkeypatch)
    (folder / CA_MAU).write_text(CA_MAU_TEXT, encoding="utf-8")
    ingest_paths([folder], assistant.store, settings)
    assistant.store.refresh()
    after = assistant.retriever.library
    assert after is not before and CA_MAU in after.doc_ids
    assert derivations == [CA_MAU]
    # the spelling counts were updated from the previous state; they equal a sum over every document
    scratch = AccentRestorer([index_text(c) for c in assistant.store.all_chunks()])
    assert after.restorer._uni == scratch._uni and after.restorer._bi == scratch._bi
    assert {r.doc for r in assistant.table.select("all")} >= {CA_MAU, LANG_SON}
    assert "Cà Mau" in assistant.ask("tỷ lệ che phủ rừng của Cà Mau năm 2025 là bao nhiêu?").answer

    derivations.clear()
    assistant.store.delete_document(LANG_SON)
    assistant.store.refresh()
    gone = assistant.retriever.library
    assert LANG_SON not in gone.doc_ids and derivations == []
    assert not assistant.table.select("all", doc=LANG_SON)
    scratch = AccentRestorer([index_text(c) for c in assistant.store.all_chunks()])
    assert gone.restorer._uni == scratch._uni and gone.restorer._bi == scratch._bi


def test_a_damaged_cache_is_derived_again(built, caplog):
    settings, assistant, _ = built
    cache = assistant.retriever.cache
    for f in cache.root.rglob("state.pkl"):
        f.write_bytes(b"not a pickle")
    for f in (cache.root / "docs").glob("*.pkl"):
        f.write_bytes(b"\x80\x05garbage")
    caplog.set_level(logging.WARNING, logger="retrieval.derived")
    again = Assistant(settings)
    assert "52%" in again.ask("chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu?", docs=[CORPUS.name]).answer
    assert "unreadable" in caplog.text


def test_names_the_library_mentions_are_found_without_reading_the_library(built):
    _, assistant, _ = built
    library = assistant.retriever.library
    assert library.mentions(r"(?<!\w)che phu rung(?!\w)", ["che", "phu", "rung"])
    assert not library.mentions(r"(?<!\w)nghe an(?!\w)", ["nghe", "an"])  # the pair is in no document
    assert not library.mentions(r"(?<!\w)rung che(?!\w)", ["rung", "che"])
    # a serial written with or without leading zeros
    assert library.mentions(r"(?<!\d)0*41/kh-ubnd", ["41|041|0041"])
    assert not library.mentions(r"(?<!\d)0*42/kh-ubnd", ["42|042|0042"])


def test_rebuild_derived_deletes_and_rebuilds_the_cache(built):
    settings, assistant, _ = built
    root = assistant.retriever.cache.root
    assert list(root.glob("lib-*"))
    proc = subprocess.run([sys.executable, "app.py", "--index-dir", str(settings.index_dir), "ingest",
                           "--rebuild-derived"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "derived indexes rebuilt" in proc.stdout
    assert list(root.glob("lib-*")) and len(list((root / "docs").glob("*.pkl"))) == 2
