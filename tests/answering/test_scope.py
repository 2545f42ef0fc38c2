"""A question scoped to documents (``ask(..., docs=[ids])``) is answered from those documents only.

Two documents are indexed side by side: the bundled resolution and a small plan written here,
which has its own signer and its own targets (1)-(3). The same question scoped to each one
answers from that one.
"""

from __future__ import annotations

import pytest

from answering.chain import Assistant
from errors import InputError
from ingest.pipeline import ingest_paths, ingest_upload
from settings import Settings
from tests.conftest import CORPUS

BUNDLED = CORPUS.name
PLAN = "ke-hoach-song-xanh.txt"
PLAN_TEXT = """KẾ HOẠCH
CỦA ỦY BAN NHÂN DÂN TỈNH SÔNG XANH
Về phát triển giao thông nông thôn năm 2025

I. MỤC TIÊU

Về giao thông: (1) Cứng hóa 420 km đường giao thông nông thôn; (2) Xây mới 36 cầu dân sinh; (3) Lắp đặt 1.200 đèn chiếu sáng công cộng.

II. NHIỆM VỤ

Sở Giao thông vận tải chủ trì rà soát quy hoạch mạng lưới đường huyện, đường xã trong quý I năm 2025.

Nơi nhận:
- Bộ Giao thông vận tải,
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Nguyễn Văn Thạch
"""


@pytest.fixture(scope="module")
def two_docs(tmp_path_factory) -> Assistant:
    settings = Settings.from_env(index_dir=tmp_path_factory.mktemp("scope-index"))
    assistant = Assistant(settings)
    assert ingest_paths([CORPUS], assistant.store, settings).added == [BUNDLED]
    assert ingest_upload(PLAN_TEXT.encode("utf-8"), PLAN, assistant.store, settings).added == [PLAN]
    return assistant


@pytest.mark.parametrize("question,facts", [
    ("Ai ký văn bản này?", {BUNDLED: "Hoàng Trung Dũng", PLAN: "Nguyễn Văn Thạch"}),
    ("Chỉ tiêu số 3 là gì?", {BUNDLED: "53 triệu đồng", PLAN: "1.200 đèn chiếu sáng"}),
])
def test_the_same_question_answers_from_each_scoped_document(two_docs, question, facts):
    for doc, fact in facts.items():
        a = two_docs.ask(question, docs=[doc])
        assert a.found and fact in a.answer, (doc, a.answer)
        assert {c.doc for c in a.citations} == {doc}
        other = next(f for d, f in facts.items() if d != doc)
        assert other not in a.answer


def test_a_question_about_the_other_document_stays_in_scope(two_docs):
    question = "Cứng hóa bao nhiêu km đường giao thông nông thôn?"
    assert "420 km" in two_docs.ask(question).answer  # unscoped, the plan answers
    a = two_docs.ask(question, docs=[BUNDLED])
    assert "420 km" not in a.answer and all(c.doc == BUNDLED for c in a.citations)
    both = two_docs.ask(question, docs=[BUNDLED, PLAN])
    assert "420 km" in both.answer and both.citations[0].doc == PLAN


@pytest.mark.parametrize("mode", ["hybrid", "dense", "bm25"])
def test_retriever_filters_dense_and_lexical_search(two_docs, mode):
    retriever = two_docs.retriever.model_copy(update={"mode": mode})
    for doc in (BUNDLED, PLAN):
        passages = retriever.passages("đường giao thông nông thôn, tỷ lệ che phủ rừng", k=40, docs=[doc])
        assert passages and {p.chunk.doc_id for p in passages} == {doc}
    docs = retriever.invoke("đèn chiếu sáng công cộng", docs=[PLAN])  # the Runnable interface
    assert docs and {d.metadata["doc_id"] for d in docs} == {PLAN}


def test_unknown_or_malformed_scope_is_input_error(two_docs):
    with pytest.raises(InputError) as err:
        two_docs.ask("Ai ký văn bản này?", docs=["khong-co.txt"])
    assert "khong-co.txt" in str(err.value)
    assert err.value.message_vi == "Không tìm thấy văn bản: khong-co.txt."
    with pytest.raises(InputError):
        two_docs.ask("Ai ký văn bản này?", docs=PLAN)  # a string, not a list
    with pytest.raises(InputError):
        list(two_docs.ask_stream("Ai ký văn bản này?", docs=["khong-co.txt"]))
    assert two_docs.ask("Ai ký văn bản này?", docs=[]).found  # an empty list: every document
