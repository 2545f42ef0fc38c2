"""A document's own definitions of its categories, on a fee resolution written for the tests: the fee
table is labelled "Thành thị", "Vùng cao", and a later article says what each stands for ("Thành thị:
Nhà trẻ, trường mẫu giáo tại các phường"); a question naming the place ("ở các phường") is answered
by the row of the category that stands for it."""

from __future__ import annotations

import pytest

from answering.chain import Assistant
from tests.answering.fixtures import assistant_with

NAME = "nq-phi-ban-tru-mau-giao-lai-chau-2026.txt"

RESOLUTION = """HỘI ĐỒNG NHÂN DÂN
TỈNH LAI CHÂU
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 21/2026/NQ-HĐND
Lai Châu, ngày 09 tháng 7 năm 2026

NGHỊ QUYẾT

QUY ĐỊNH MỨC THU TIỀN BÁN TRÚ TẠI CÁC CƠ SỞ GIÁO DỤC MẦM NON CÔNG LẬP TỈNH LAI CHÂU

Điều 1. Phạm vi điều chỉnh

Nghị quyết này quy định mức thu tiền bán trú tại các cơ sở giáo dục mầm non công lập trên địa bàn tỉnh.

Điều 2. Mức thu tiền bán trú

Đơn vị tính: 1.000 đồng/trẻ/tháng

Khu vực | Nhà trẻ | Mẫu giáo
Thành thị | 160 | 135
Nông thôn | 120 | 100
Vùng cao | 80 | 65

Điều 3. Phân loại khu vực

1. Thành thị: Nhà trẻ, trường mẫu giáo tại các phường

2. Nông thôn: Nhà trẻ, trường mẫu giáo tại các xã vùng thấp

3. Vùng cao: Nhà trẻ, trường mẫu giáo tại các xã biên giới

Điều 4. Hiệu lực thi hành

Nghị quyết này có hiệu lực từ ngày 01 tháng 9 năm 2026.

CHỦ TỊCH
Giàng Páo Mỷ
"""


@pytest.fixture(scope="module")
def resolution(tmp_path_factory) -> Assistant:
    return assistant_with(tmp_path_factory, NAME, RESOLUTION)


def test_a_row_is_read_with_the_definition_of_its_label(resolution):
    a = resolution.ask("Mức thu tiền bán trú mẫu giáo ở các phường là bao nhiêu mỗi tháng?")
    assert a.found and "Thành thị" in a.answer and "135" in a.answer
    a = resolution.ask("Mức thu tiền bán trú nhà trẻ ở các xã biên giới là bao nhiêu?")
    assert a.found and "Vùng cao" in a.answer and "80" in a.answer


def test_a_row_answers_a_count_only_of_its_own_unit():
    from answering.extractive import _quantity_fits
    from retrieval.query import analyse

    units = {"khu", "vuc", "nha", "tre", "mau", "giao", "vung", "cao", "dong"}
    # "bao nhiêu xã vùng cao": the unit is "xã", not a word of the row's label
    assert not _quantity_fits(analyse("Có bao nhiêu xã vùng cao?"), "Vùng cao | 80 | 65", units)
    assert _quantity_fits(analyse("Tiền bán trú vùng cao là bao nhiêu đồng?"), "Vùng cao | 80 | 65", units)
