"""The documents a question names: provinces, issuing bodies, numbers and types, read against each
document's own header metadata (never its body)."""

from __future__ import annotations

import pytest

from core.types import Chunk, DocumentInfo
from retrieval.scope import DocumentScoper

DOCS = {
    "ubnd-song-xanh-kh-153.txt": (DocumentInfo(doc_type="Kế hoạch", number="153/KH-UBND",
                                               issuer="Ủy ban nhân dân thành phố Cần Thơ", province="Cần Thơ",
                                               title="Kế hoạch phòng, chống ma túy năm 2025"),
                                  "Tỷ lệ xã không có ma túy đạt 60%. Phối hợp với Hà Nội trong tuyên truyền."),
    "ubnd-dong-nai-182.txt": (DocumentInfo(doc_type="Kế hoạch", number="182/KH-UBND",
                                           issuer="Ủy ban nhân dân tỉnh Đồng Nai", province="Đồng Nai",
                                           title="Kế hoạch phòng, chống ma túy năm 2025"),
                              "Tỷ lệ xã không có ma túy đạt 70%. Tỉnh Lâm Đồng được nêu trong văn bản này."),
    "hdnd-hue-nq-36.txt": (DocumentInfo(doc_type="Nghị quyết", number="36/2025/NQ-HĐND",
                                        issuer="Hội đồng nhân dân thành phố Huế", province="Huế",
                                        title="Nghị quyết quy định chính sách học phí"),
                           "Ủy ban nhân dân thành phố tổ chức thực hiện Nghị quyết này."),
    "ubnd-hue-kh-90.txt": (DocumentInfo(doc_type="Kế hoạch", number="90/KH-UBND",
                                        issuer="Ủy ban nhân dân thành phố Huế", province="Huế",
                                        title="Kế hoạch chuyển đổi số năm 2025", years=(2025,),
                                        date="2025-02-10"),
                           "Phủ sóng 5G toàn thành phố."),
    # A national resolution without a "Số:" line: its number is read from its file name.
    "quochoi-nq-187-2025-duong-sat.txt": (DocumentInfo(doc_type="Nghị quyết", issuer="Quốc hội",
                                                       title="Nghị quyết về tuyến đường sắt Lào Cai - Hà Nội - Hải Phòng"),
                                          "Giao Chính phủ tổ chức thực hiện. Căn cứ Nghị quyết số 57-NQ/TW, Nghị quyết số 11-NQ/TU và Nghị quyết số 09-NQ/TU."),
}


@pytest.fixture(scope="module")
def scoper() -> DocumentScoper:
    chunks = [Chunk(id=f"{doc}-0", doc_id=doc, doc_title=info.title, section="", kind="paragraph", text=text,
                    start=0, end=len(text), info=info) for doc, (info, text) in DOCS.items()]
    return DocumentScoper(chunks)


@pytest.mark.parametrize("question,expected", [
    ("Kế hoạch của Đồng Nai đặt tỷ lệ xã không có ma túy bao nhiêu?", {"ubnd-dong-nai-182.txt"}),
    ("ty le xa khong co ma tuy cua dong nai", {"ubnd-dong-nai-182.txt"}),  # without diacritics
    ("Kế hoạch 153 đặt chỉ tiêu gì?", {"ubnd-song-xanh-kh-153.txt"}),
    ("KH 182 giao ai chủ trì?", {"ubnd-dong-nai-182.txt"}),
    ("Theo 182/KH-UBND, tỷ lệ là bao nhiêu?", {"ubnd-dong-nai-182.txt"}),
    ("HĐND thành phố Huế quy định học phí thế nào?", {"hdnd-hue-nq-36.txt"}),  # issuer ∩ place
    ("Kế hoạch của Huế về 5G?", {"ubnd-hue-kh-90.txt"}),  # a type narrows a place
    ("Học phí ở Huế?", {"hdnd-hue-nq-36.txt", "ubnd-hue-kh-90.txt"}),
    ("Văn bản năm 2025 của Huế giao gì?", {"ubnd-hue-kh-90.txt"}),  # a year narrows a place
    ("Năm 2025 tỷ lệ xã không có ma túy là bao nhiêu?", None),  # a year alone selects nothing
    ("Quốc hội quyết định tổng mức đầu tư bao nhiêu?", {"quochoi-nq-187-2025-duong-sat.txt"}),
    ("Nghị quyết 187 có hiệu lực khi nào?", {"quochoi-nq-187-2025-duong-sat.txt"}),  # number from the file name
    ("Tuyến đường sắt qua Hà Nội dài bao nhiêu?", {"quochoi-nq-187-2025-duong-sat.txt"}),  # a place in the title
    ("So sánh Cần Thơ và Đồng Nai", {"ubnd-song-xanh-kh-153.txt", "ubnd-dong-nai-182.txt"}),
    ("TP Cần Thơ: tỷ lệ xã không có ma túy?", {"ubnd-song-xanh-kh-153.txt"}),
])
def test_questions_select_the_documents_they_name(scoper, question, expected):
    scope = scoper.scope(question)
    assert scope.docs == (frozenset(expected) if expected is not None else None), scope
    assert not scope.missing


@pytest.mark.parametrize("question", [
    "Tỷ lệ xã không có ma túy là bao nhiêu?",  # names nothing
    "UBND thành phố có trách nhiệm gì?",  # a local body acting, not the author
    "Nghị quyết này có hiệu lực khi nào?",  # a type alone
    "Nâng cao bằng cách nào?",  # "cao bằng" is not Cao Bằng: typed with care, a place has capitals
    "Tỉnh Lâm Đồng được nêu thế nào?",  # only the body mentions it: a subject, not a document
    "Nghị quyết 57 nói gì?",  # a document the library cites
])
def test_questions_that_name_no_document_search_the_library(scoper, question):
    scope = scoper.scope(question)
    assert scope.docs is None and not scope.missing, scope


@pytest.mark.parametrize("question,missing", [
    ("Kế hoạch 999 của UBND tỉnh đặt chỉ tiêu gì?", "Kế hoạch 999"),
    ("Tỷ lệ hộ nghèo của tỉnh Lai Châu năm 2025?", "Lai Châu"),
    ("ty le ho ngheo cua lai chau", "Lai Châu"),
])
def test_a_named_document_not_in_the_library_is_missing(scoper, question, missing):
    scope = scoper.scope(question)
    assert scope.docs is None and missing in scope.missing, scope


@pytest.mark.parametrize("question", [
    "gia tri san xuat tren 1 ha nam 2025",  # one hectare a year, not Hà Nam
    "NQ 11-NQ/TU của BTV Tỉnh ủy nói về vấn đề gì?",  # a document the library cites, by its full number
    "Nghị quyết 09-NQ/TU do cơ quan nào ban hành?",
])
def test_look_alikes_of_names_select_nothing(scoper, question):
    scope = scoper.scope(question)
    assert scope.docs is None and not scope.missing, scope


def test_aliases_and_questions_without_diacritics_name_the_same_place():
    info = DocumentInfo(doc_type="Kế hoạch", number="174/KH-UBND", issuer="Ủy ban nhân dân Thành phố Hồ Chí Minh",
                        province="Hồ Chí Minh", title="Kế hoạch về bình đẳng giới")
    scoper = DocumentScoper([Chunk(id="a", doc_id="hcm.txt", doc_title="", section="", kind="paragraph",
                                   text="Nội dung.", start=0, end=9, info=info)])
    for q in ("Ai ký Kế hoạch 174 của TP.HCM?", "thanh pho ho chi minh: vi pham hanh chinh xu ly the nao",
              "Kế hoạch của Thành phố Hồ Chí Minh"):
        assert scoper.scope(q).docs == {"hcm.txt"}, q


@pytest.mark.parametrize("question,expected", [
    ("Kế hoạch chuyển đổi số năm 2025 giao cơ quan nào?", {"ubnd-hue-kh-90.txt"}),  # a type, then its title
    ("nghi quyet ve tuyen duong sat lao cai co hieu luc khi nao", {"quochoi-nq-187-2025-duong-sat.txt"}),
])
def test_a_type_followed_by_title_words_names_the_document(scoper, question, expected):
    assert scoper.scope(question).docs == frozenset(expected)


@pytest.mark.parametrize("question", [
    "Chuyển đổi số năm 2025 giao cơ quan nào?",  # title words without a type: the subject, not a document
    "Kế hoạch phòng, chống ma túy đặt chỉ tiêu gì?",  # two titles share it: too common to single one out
])
def test_title_words_alone_or_shared_select_nothing(scoper, question):
    assert scoper.scope(question).docs is None
