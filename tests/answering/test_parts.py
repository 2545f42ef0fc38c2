"""A field asked of the part that names it, on a fee resolution written for the tests: part A adds a
fee at two sites it names in its second item, part B changes another; "Đơn vị nào tổ chức thu phí tham
quan <the sites of A>?" is answered by A's "1. Đơn vị tổ chức thu phí:", read with the names A gives."""

from __future__ import annotations

import pytest

from answering.chain import Assistant
from tests.answering.fixtures import assistant_with

NAME = "nq-phi-tham-quan-hai-phong-2026.txt"

RESOLUTION = """HỘI ĐỒNG NHÂN DÂN
THÀNH PHỐ HẢI PHÒNG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 40/2026/NQ-HĐND
Hải Phòng, ngày 12 tháng 6 năm 2026

NGHỊ QUYẾT

SỬA ĐỔI, BỔ SUNG QUY ĐỊNH VỀ PHÍ THAM QUAN DI TÍCH TRÊN ĐỊA BÀN THÀNH PHỐ HẢI PHÒNG

Điều 1. Sửa đổi, bổ sung quy định về phí tham quan di tích (chi tiết tại Phụ lục kèm theo).

Điều 2. Nghị quyết này có hiệu lực từ ngày 01 tháng 7 năm 2026.

CHỦ TỊCH
Phạm Văn Lập

PHỤ LỤC

A. BỔ SUNG QUY ĐỊNH VỀ PHÍ THAM QUAN DI TÍCH TRÊN ĐỊA BÀN PHƯỜNG LÊ CHÂN

1. Đơn vị tổ chức thu phí:

Đơn vị trực tiếp quản lý di tích trên địa bàn thành phố (Trung tâm Quản lý di tích và Bảo tàng thành phố)

2. Đối tượng nộp phí:

Các tổ chức, cá nhân trong và ngoài nước tham quan di tích tại Đình Hàng Kênh số 50 Nguyễn Công Hòa, Chùa Dư Hàng số 121 Dư Hàng, Đền Nghè số 51 Lê Chân.

3. Mức thu phí: 15.000 đồng/lượt/khách.

B. SỬA ĐỔI QUY ĐỊNH PHÍ THAM QUAN KHU DI TÍCH NÚI VOI, XÃ AN LÃO

1. Đơn vị tổ chức thu phí:

Đơn vị trực tiếp quản lý khu di tích danh thắng trên địa bàn thành phố (Ban quản lý khu di tích Núi Voi)

2. Mức thu phí: 20.000 đồng/lượt/khách.
"""


@pytest.fixture(scope="module")
def resolution(tmp_path_factory) -> Assistant:
    return assistant_with(tmp_path_factory, NAME, RESOLUTION)


def test_the_field_asked_of_the_part_that_names_the_sites(resolution):
    a = resolution.ask("Đơn vị nào tổ chức thu phí tham quan Đình Hàng Kênh, Chùa Dư Hàng, Đền Nghè?")
    assert a.found and "Trung tâm Quản lý di tích và Bảo tàng thành phố" in a.answer


def test_names_of_the_part_are_units_of_its_names():
    from answering.extractive import _name_units

    units = _name_units("Các tổ chức tham quan di tích tại Đình Hàng Kênh số 50, Chùa Dư Hàng số 121.")
    assert {"dinh", "hang_kenh", "chua", "du_hang"} <= units and "to_chuc" not in units and "cac" not in units
