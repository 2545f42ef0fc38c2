"""The benchmark stand-in embedder (NQ_EMBEDDINGS=hash): deterministic across processes, offline,
normalised, and closer for texts that share words than for unrelated ones."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest

from errors import ConfigError
from retrieval.embeddings import HASH_DIM, HASH_NAME, HashEmbeddings, get_embeddings
from settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _cos(a, b):
    return sum(x * y for x, y in zip(a, b))  # both are unit vectors


def test_selected_by_spec_and_named():
    emb = get_embeddings("hash")
    assert isinstance(emb, HashEmbeddings) and emb.model_name == HASH_NAME
    assert Settings.from_env(embeddings="hash").embeddings == "hash"  # accepted by the settings check


def test_normalised_and_sized():
    emb = HashEmbeddings()
    vecs = emb.embed_documents(["Duy trì tỷ lệ che phủ rừng trên 52%", "", "và của các"])
    assert len(vecs) == 3 and all(len(v) == HASH_DIM for v in vecs)
    for v in vecs:  # an empty text and a text of stopwords only still get a unit vector
        assert abs(math.sqrt(sum(x * x for x in v)) - 1.0) < 1e-9


def test_deterministic_across_processes():
    """Python salts str hashes per process; the index is read by other processes than the one that built it."""
    text = "Tỷ lệ hộ nghèo giảm còn 2,41%"
    here = HashEmbeddings().embed_query(text)
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); from retrieval.embeddings import HashEmbeddings; "
            "print(json.dumps(HashEmbeddings().embed_query(sys.argv[2])))")
    out = subprocess.run([sys.executable, "-c", code, str(ROOT), text], capture_output=True, text=True, check=True)
    import json

    assert json.loads(out.stdout) == here
    assert HashEmbeddings().embed_documents([text])[0] == here  # queries and passages alike


def test_shared_words_are_closer_than_unrelated_text():
    emb = HashEmbeddings()
    q = emb.embed_query("ty le che phu rung la bao nhieu")  # typed without diacritics: folded alike
    near = emb.embed_documents(["(25) Duy trì tỷ lệ che phủ rừng trên 52%"])[0]
    far = emb.embed_documents(["Có 32 giường bệnh/1 vạn dân"])[0]
    assert _cos(q, near) > 0.3 > _cos(q, far)
    assert _cos(q, near) > _cos(q, far) + 0.2


def test_offline_and_no_model(monkeypatch):
    """No network, no model file: socket creation fails and the embedder still works."""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket, "socket", refuse)
    assert len(HashEmbeddings().embed_query("chuyển đổi số")) == HASH_DIM


def test_bad_spec_names_hash():
    with pytest.raises(ConfigError, match="'hash'"):
        get_embeddings("hashing")
