"""A sentence longer than the token budget is cut between chunks; an answer quotes all of it."""

from __future__ import annotations

from answering.extractive import ExtractiveAnswerer
from core.types import Passage
from ingest.chunker import build_chunks
from ingest.clean import clean_text
from retrieval.bm25 import BM25Index

TEXT = """KẾ HOẠCH

PHONG TRÀO XANH

I. BỐI CẢNH

Thời gian qua, nhiều xã đã phát động phong trào giữ gìn vệ sinh, bước đầu đạt kết quả tốt và lan tỏa qua các mô hình như “Ngõ xóm sạch đẹp”, “Chợ không túi ni lông”, “Trường học xanh”, “Bến sông không rác”, “Công viên không khói thuốc”, “Cánh đồng sạch bao bì”, “Gia đình tiết kiệm nước”, “Tuyến đường hoa”. Tuy nhiên, các phong trào còn nhỏ lẻ.
"""


def test_a_long_sentence_is_quoted_across_its_chunks():
    chunks = build_chunks("kh.txt", clean_text(TEXT), max_tokens=60)
    para = [c for c in chunks if c.kind == "paragraph"]
    assert len(para) >= 2  # the sentence was cut by the budget
    answerer = ExtractiveAnswerer(BM25Index(chunks))
    a = answerer.answer("Những mô hình giữ gìn vệ sinh nào đã được các xã triển khai?",
                        [Passage(c, 1.0) for c in para])
    assert a.found and "Ngõ xóm sạch đẹp" in a.answer and "Tuyến đường hoa" in a.answer
    assert [c.n for c in a.citations] == [1, 2] and a.citations[1].start > a.citations[0].end
