"""A library of documents: the question's own words select the documents, every answer names its
document, and a question several documents answer differently gets each one's answer.

Three documents are indexed: the bundled resolution and two small plans written here, of two
provinces, on the same programme with different figures (as two provinces' plans on one national
programme are).
"""

from __future__ import annotations

import pytest

from answering.chain import Assistant
from ingest.pipeline import ingest_paths, ingest_upload
from settings import Settings
from tests.conftest import CORPUS

BUNDLED = CORPUS.name
LANG_SON = "ubnd-langson-kh-45-2025-nuoc-sach.txt"
CAO_BANG = "ubnd-caobang-kh-212-2025-nuoc-sach.txt"


def plan(province: str, number: str, signer: str, share: str, works: str, lead: str, bts: str = "40",
         g5: str = "12", host: str = "Sở Văn hóa, Thể thao và Du lịch") -> str:
    return f"""ỦY BAN NHÂN DÂN
TỈNH {province.upper()}

Số: {number}

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

{province}, ngày 12 tháng 3 năm 2025

KẾ HOẠCH
Cấp nước sạch nông thôn năm 2025

I. MỤC TIÊU

1. Đến hết năm 2025, tỷ lệ dân cư nông thôn được sử dụng nước sạch đạt {share}.

2. Xây mới {works} công trình cấp nước tập trung tại các xã vùng cao.

3. Hiện nay, tổng số trạm BTS 3G/4G phục vụ các trạm bơm đã đi vào hoạt động là {bts} trạm. Trong đó, có {g5} trạm 5G trên nền hạ tầng 3G/4G.

II. HOẠT ĐỘNG

a) Hoạt động 1

- Nội dung: Tổ chức ngày hội nước sạch tại các xã vùng cao.

- Cơ quan thực hiện: {host} chủ trì, phối hợp với các địa phương.

III. TỔ CHỨC THỰC HIỆN

{lead} chủ trì, phối hợp với các địa phương triển khai Kế hoạch này; báo cáo kết quả trước ngày 15 tháng 12 năm 2025.

Nơi nhận:
- Như trên;
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

{signer}
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory) -> Assistant:
    settings = Settings.from_env(index_dir=tmp_path_factory.mktemp("library-index"))
    assistant = Assistant(settings)
    assert ingest_paths([CORPUS], assistant.store, settings).added == [BUNDLED]
    for name, text in ((LANG_SON, plan("Lạng Sơn", "45/KH-UBND", "Hoàng Văn Nghiệm", "72%", "18",
                                       "Sở Nông nghiệp và Môi trường")),
                       (CAO_BANG, plan("Cao Bằng", "212/KH-UBND", "Lê Hải Hòa", "65%", "11", "Sở Xây dựng"))):
        assert ingest_upload(text.encode("utf-8"), name, assistant.store, settings).added == [name]
    return assistant


@pytest.mark.parametrize("question,doc,fact", [
    ("Theo kế hoạch của tỉnh Lạng Sơn, tỷ lệ dân cư nông thôn được sử dụng nước sạch đạt bao nhiêu?", LANG_SON, "72%"),
    ("ty le dan cu nong thon duoc su dung nuoc sach cua cao bang", CAO_BANG, "65%"),  # without diacritics
    ("Kế hoạch 212 xây mới bao nhiêu công trình cấp nước tập trung?", CAO_BANG, "11"),
    ("UBND tỉnh Lạng Sơn giao cơ quan nào chủ trì triển khai Kế hoạch và báo cáo kết quả?", LANG_SON,
     "Sở Nông nghiệp và Môi trường"),
    ("Tỉnh ủy Hà Tĩnh đặt chỉ tiêu tỷ lệ che phủ rừng bao nhiêu?", BUNDLED, "52%"),  # named by its file
])
def test_a_question_naming_its_document_is_answered_from_it_and_names_it(library, question, doc, fact):
    a = library.ask(question)
    assert a.found and fact in a.answer, a.answer
    assert {c.doc for c in a.citations} == {doc}, [c.doc for c in a.citations]
    assert a.answer.startswith("Theo ") and a.citations[0].doc_title.split(" của ")[0] in a.answer.split("\n")[0]


def test_the_name_in_the_answer_is_the_documents_own(library):
    a = library.ask("Kế hoạch 45 xây mới bao nhiêu công trình?")
    assert a.answer.split("\n")[0] == "Theo Kế hoạch 45/KH-UBND của UBND tỉnh Lạng Sơn:"
    assert "18" in a.answer


@pytest.mark.parametrize("question,missing", [
    ("Kế hoạch 999 đặt tỷ lệ nước sạch bao nhiêu?", "Kế hoạch 999"),
    ("Tỷ lệ dân cư nông thôn được sử dụng nước sạch của tỉnh Điện Biên là bao nhiêu?", "Điện Biên"),
])
def test_a_document_not_in_the_library_is_said_so(library, question, missing):
    a = library.ask(question)
    assert not a.found and not a.citations
    assert "Thư viện chưa có văn bản" in a.answer and missing in a.answer
    assert "72%" not in a.answer and "65%" not in a.answer


def test_documents_that_answer_differently_are_each_named(library):
    a = library.ask("Tỷ lệ dân cư nông thôn được sử dụng nước sạch đạt bao nhiêu?")
    assert a.found, a.answer
    assert "72%" in a.answer and "65%" in a.answer, a.answer
    assert "Theo Kế hoạch 45/KH-UBND của UBND tỉnh Lạng Sơn:" in a.answer
    assert "Theo Kế hoạch 212/KH-UBND của UBND tỉnh Cao Bằng:" in a.answer
    assert {c.doc for c in a.citations} == {LANG_SON, CAO_BANG}
    # each document's figure is cited at its own document
    for line in a.answer.split("\n")[1:]:
        marker = int(line.rsplit("[", 1)[1].rstrip("]"))
        cited = next(c for c in a.citations if c.n == marker)
        assert (cited.doc == LANG_SON) == ("Lạng Sơn" in line), line


def test_an_explicit_scope_wins_over_the_words(library):
    a = library.ask("Tỷ lệ nước sạch của tỉnh Lạng Sơn đạt bao nhiêu?", docs=[CAO_BANG])
    assert {c.doc for c in a.citations} <= {CAO_BANG} and "72%" not in a.answer


def test_a_sentence_opening_trong_do_goes_on_with_the_one_before(library):
    a = library.ask("Hiện nay các trạm bơm của tỉnh Lạng Sơn có bao nhiêu trạm 5G?")
    assert a.found and "12 trạm 5G" in a.answer, a.answer


def test_an_abbreviation_in_the_text_measures_what_it_stands_for(library):
    # "trạm BTS" is a "trạm thu phát sóng di động": the same thing measured, not a look-alike
    a = library.ask("Tổng số trạm thu phát sóng di động phục vụ trạm bơm của tỉnh Lạng Sơn hiện nay là bao nhiêu?")
    assert a.found and "40 trạm" in a.answer, a.answer


def test_a_generated_answer_names_each_document_it_cites(library):
    """LLM mode: an answer citing two documents says which citation is from which document."""
    import re as _re

    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    from tests.llm.fake_llm import passages

    class TwoPlans(FakeListChatModel):
        def _call(self, messages, *args, **kwargs) -> str:
            given = passages([{"role": "user", "content": messages[-1].content}])
            n = {share: next(k for k, t in given.items() if f"đạt {share}" in t) for share in ("72%", "65%")}
            return f"Một tỉnh đạt 72% [{n['72%']}], tỉnh kia đạt 65% [{n['65%']}]."

    llm = Assistant(library.settings, store=library.store, llm_model=TwoPlans(responses=["-"]))
    a = llm.ask("Tỷ lệ dân cư nông thôn được sử dụng nước sạch đạt bao nhiêu?")
    assert a.mode == "llm", a.warnings
    assert {c.doc for c in a.citations} == {LANG_SON, CAO_BANG}
    last = a.answer.split("\n")[-1]
    assert last.startswith("Nguồn: ") and "Kế hoạch 45/KH-UBND của UBND tỉnh Lạng Sơn" in last
    assert "Kế hoạch 212/KH-UBND của UBND tỉnh Cao Bằng" in last
    marker = _re.search(r"\[(\d)\] Kế hoạch 45", last).group(1)
    assert f"72% [{marker}]" in a.answer


def test_an_activity_is_answered_with_its_agency_line(library):
    a = library.ask("Cơ quan nào chủ trì tổ chức ngày hội nước sạch tại các xã vùng cao của tỉnh Lạng Sơn?")
    assert a.found and "Sở Văn hóa, Thể thao và Du lịch chủ trì" in a.answer, a.answer
    assert [c.quote.split(":")[0] for c in a.citations] == ["- Nội dung", "- Cơ quan thực hiện"]
