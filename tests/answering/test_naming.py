"""A question that names its document by type, number and author ("theo Nghị quyết 21 của HĐND tỉnh
Quảng Trị") is answered by what it asks, not by the passages that repeat the name: the words of the
name and the word pairs running into it ("ăn trưa theo", "HĐND tỉnh") select the document and need
not be covered. A resolution written for the tests: the enacting formula, the scope clause and an
appendix line all repeat parts of the name."""

from __future__ import annotations

import pytest

from answering.chain import Assistant
from answering.extractive import naming_forms
from core.types import DocumentInfo
from tests.answering.fixtures import assistant_with

NAME = "hdnd-quangtri-nq-21-2025-an-trua.txt"

RESOLUTION = """HỘI ĐỒNG NHÂN DÂN
TỈNH QUẢNG TRỊ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 21/2025/NQ-HĐND
Quảng Trị, ngày 09 tháng 12 năm 2025

NGHỊ QUYẾT

QUY ĐỊNH CHÍNH SÁCH HỖ TRỢ TIỀN ĂN TRƯA CHO HỌC SINH TIỂU HỌC TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ TỪ NĂM HỌC 2025 - 2026

HỘI ĐỒNG NHÂN DÂN TỈNH QUẢNG TRỊ
KHÓA VIII, KỲ HỌP THỨ 9

Căn cứ Luật Giáo dục năm 2019;

Xét Tờ trình số 512/TTr-UBND ngày 20 tháng 11 năm 2025 của Ủy ban nhân dân tỉnh Quảng Trị về dự thảo Nghị quyết quy định chính sách hỗ trợ tiền ăn trưa cho học sinh tiểu học; Báo cáo thẩm tra của Ban Văn hóa - Xã hội Hội đồng nhân dân tỉnh; ý kiến thảo luận của đại biểu Hội đồng nhân dân tỉnh tại kỳ họp.

Hội đồng nhân dân ban hành Nghị quyết quy định chính sách hỗ trợ tiền ăn trưa cho học sinh tiểu học trên địa bàn tỉnh Quảng Trị từ năm học 2025 - 2026.

Điều 1. Phạm vi điều chỉnh, đối tượng áp dụng

1. Phạm vi điều chỉnh

Nghị quyết này quy định chính sách hỗ trợ tiền ăn trưa cho học sinh tiểu học trên địa bàn tỉnh Quảng Trị từ năm học 2025 - 2026.

2. Đối tượng áp dụng

Học sinh tiểu học ở các xã khu vực III, thôn đặc biệt khó khăn và học sinh thuộc hộ nghèo.

Điều 2. Mức hỗ trợ

Mỗi học sinh được hỗ trợ 15.000 đồng/ngày, không quá 9 tháng mỗi năm học.

Điều 3. Tổ chức thực hiện

Giao Ủy ban nhân dân tỉnh tổ chức thực hiện Nghị quyết này.

Nghị quyết này được Hội đồng nhân dân tỉnh Quảng Trị khóa VIII, kỳ họp thứ 9 thông qua ngày 09 tháng 12 năm 2025.

CHỦ TỊCH

Nguyễn Đăng Quang

PHỤ LỤC

DANH SÁCH XÃ KHU VỰC III ĐƯỢC ÁP DỤNG CHÍNH SÁCH HỖ TRỢ TIỀN ĂN TRƯA

(Ban hành kèm theo Nghị quyết số 21/2025/NQ-HĐND ngày 09 tháng 12 năm 2025 của Hội đồng nhân dân tỉnh Quảng Trị)

STT | Xã
1 | Hướng Lập
2 | A Dơi
"""

INFO = DocumentInfo(doc_type="Nghị quyết", number="21/2025/NQ-HĐND", issuer="Hội đồng nhân dân tỉnh Quảng Trị",
                    province="Quảng Trị")


@pytest.fixture(scope="module")
def resolution(tmp_path_factory) -> Assistant:
    return assistant_with(tmp_path_factory, NAME, RESOLUTION)


def test_the_name_is_type_number_and_own_author():
    named = naming_forms("Chính sách hỗ trợ tiền ăn trưa theo Nghị quyết 21 của HĐND tỉnh Quảng Trị áp dụng từ khi nào?",
                         INFO)
    # the name, its author spelled out, and the pairs running into it
    assert {"nghi_quyet", "21", "hdnd", "hoi_dong", "nhan_dan", "tri", "trua_theo", "theo_nghi", "tri_ap"} <= set(named)
    assert not {"trua", "ap_dung", "chinh_sach"} & set(named)
    # typed without diacritics, with "số" and a leading zero; the type's code
    assert "hdnd" in naming_forms("nghi quyet so 021 cua hdnd tinh quang tri co hieu luc khi nao", INFO)
    assert {"nq", "21", "hdnd", "theo_nq"} <= set(naming_forms("Mức hỗ trợ theo NQ 21 của HĐND là bao nhiêu?", INFO))


def test_a_type_without_its_number_or_another_author_names_nothing():
    assert naming_forms("Tỉnh phải ban hành kế hoạch thực hiện nghị quyết về ăn trưa trước ngày nào?", INFO) == {}
    assert naming_forms("Nghị quyết 22 của HĐND tỉnh quy định gì?", INFO) == {}  # another number
    # another author after the number: the number is named, the author is left to be covered
    named = naming_forms("Nghị quyết 21 của UBND tỉnh quy định gì?", INFO)
    assert "21" in named and "ubnd" not in named
    # "nhãn" typed without diacritics is not the issuer's "nhân": no name, nothing dropped
    assert naming_forms("san luong nhan cua quang tri nam 2025 la bao nhieu", INFO) == {}
    named = naming_forms("nghi quyet 21 cua hdnd tinh quang tri nhan ho tro bao nhieu", INFO)
    assert "tri" in named and "nhan_ho" not in named  # the name ends with its place


def test_the_scope_clause_answers_not_the_passages_repeating_the_name(resolution):
    a = resolution.ask("Chính sách hỗ trợ tiền ăn trưa theo Nghị quyết 21 của HĐND tỉnh Quảng Trị áp dụng từ năm học nào?",
                       docs=[NAME])
    assert a.found and "2025 - 2026" in a.answer
    assert a.citations[0].quote.startswith("Nghị quyết này quy định chính sách hỗ trợ tiền ăn trưa"), a.citations[0]
