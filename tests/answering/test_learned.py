"""The learned answerer (NQ_ANSWERER=learned) on a decree written for the tests: every kind of
fact, read from the structure, ranked by the fitted model (answering/ranker.json)."""

from __future__ import annotations

import pytest

from answering.candidates import CandidateReader
from answering.question import parse
from core.types import Passage
from tests.answering.fixtures import assistant_with

DECREE = """ỦY BAN NHÂN DÂN
TỈNH BẮC KẠN MỚI
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 41/2026/QĐ-UBND
Bắc Kạn, ngày 12 tháng 3 năm 2026

QUYẾT ĐỊNH

Ban hành Quy định quản lý vườn ươm cây giống lâm nghiệp

Căn cứ Luật Lâm nghiệp ngày 15 tháng 11 năm 2017;

Căn cứ Nghị định số 27/2021/NĐ-CP ngày 25 tháng 3 năm 2021 của Chính phủ;

Chương I

QUY ĐỊNH CHUNG

Điều 1. Phạm vi điều chỉnh

Quy định này quy định việc quản lý vườn ươm cây giống lâm nghiệp trên địa bàn tỉnh.

Điều 2. Giải thích từ ngữ

1. Vườn ươm cố định là vườn ươm sử dụng liên tục từ 05 năm trở lên.

2. Vườn ươm tạm thời là vườn ươm sử dụng dưới 05 năm.

Chương II

QUẢN LÝ VƯỜN ƯƠM

Điều 3. Điều kiện của vườn ươm

1. Vườn ươm cố định phải có diện tích tối thiểu 2.000 m2.

2. Mỗi vườn ươm phải có ít nhất 02 người có chứng chỉ kỹ thuật lâm sinh.

Điều 4. Hồ sơ và thời hạn công nhận

1. Chủ vườn ươm nộp hồ sơ tại Sở Nông nghiệp và Môi trường.

2. Trong thời hạn 15 ngày làm việc kể từ ngày nhận đủ hồ sơ, Sở Nông nghiệp và Môi trường tổ chức thẩm định và công nhận vườn ươm.

3. Hằng năm, chủ vườn ươm báo cáo sản lượng cây giống trước ngày 20 tháng 12.

Điều 5. Mức hỗ trợ

Mức hỗ trợ xây dựng vườn ươm theo loại vườn như sau:

Loại vườn | Mức hỗ trợ (triệu đồng) | Thời gian hỗ trợ (năm)
Vườn ươm cố định | 300 | 3
Vườn ươm tạm thời | 80 | 1
Vườn ươm hộ gia đình | 25 | 1

Chương III

TỔ CHỨC THỰC HIỆN

Điều 6. Trách nhiệm thi hành

1. Sở Tài chính chủ trì bố trí kinh phí hỗ trợ hằng năm.

2. Ủy ban nhân dân cấp xã kiểm tra vườn ươm trên địa bàn mỗi quý một lần.

Điều 7. Hiệu lực thi hành

1. Quyết định này có hiệu lực từ ngày 01 tháng 4 năm 2026.

2. Quyết định này thay thế Quyết định số 09/2019/QĐ-UBND ngày 05 tháng 6 năm 2019 của Ủy ban nhân dân tỉnh.

Nơi nhận:

- Như Điều 7;

- Lưu: VT.

TM. ỦY BAN NHÂN DÂN

KT. CHỦ TỊCH

PHÓ CHỦ TỊCH

Hoàng Văn Thạch
"""


@pytest.fixture(scope="module")
def decree(tmp_path_factory, monkeypatch_module):
    monkeypatch_module.setenv("NQ_ANSWERER", "learned")
    return assistant_with(tmp_path_factory, "quyet-dinh-41-2026-vuon-uom.txt", DECREE)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


@pytest.mark.parametrize("question, expected", [
    ("Quyết định về vườn ươm có hiệu lực từ ngày nào?", "01 tháng 4 năm 2026"),
    ("Quyết định 41 thay thế văn bản nào?", "09/2019/QĐ-UBND"),
    ("Ai ký quyết định về vườn ươm cây giống?", "Hoàng Văn Thạch"),
    ("Vườn ươm cố định phải có diện tích tối thiểu bao nhiêu?", "2.000 m2"),
    ("Thời hạn thẩm định hồ sơ công nhận vườn ươm là bao lâu?", "15 ngày làm việc"),
    ("Chủ vườn ươm báo cáo sản lượng hằng năm trước ngày nào?", "20 tháng 12"),
    ("Vườn ươm tạm thời được hỗ trợ bao nhiêu triệu đồng?", "80"),
    ("Cơ quan nào chủ trì bố trí kinh phí hỗ trợ vườn ươm?", "Sở Tài chính"),
    ("vuon uom co dinh duoc ho tro bao nhieu trieu dong", "300"),
])
def test_answers_each_kind_of_fact(decree, question, expected):
    a = decree.ask(question)
    assert a.found, a.answer
    assert expected in a.answer, a.answer
    assert a.citations and expected in a.citations[0].text + a.citations[0].quote


def test_the_effective_date_is_not_the_replaced_decisions(decree):
    a = decree.ask("Quyết định này bắt đầu có hiệu lực khi nào?")
    assert "01 tháng 4 năm 2026" in a.answer and "05 tháng 6 năm 2019" not in a.answer.split("[1]")[0]


def test_a_figure_the_decree_does_not_state_is_refused(decree):
    a = decree.ask("Vườn ươm tư nhân được vay ưu đãi bao nhiêu tỷ đồng từ ngân hàng chính sách?")
    assert not a.found, a.answer


def test_a_cell_is_read_with_its_row_and_column(decree):
    index = decree.retriever.index(None)
    rows = [c for c in index.chunks if c.kind == "row" and "tạm thời" in c.text]
    cands = CandidateReader(lambda d: index.chunks).read(parse("hỗ trợ bao nhiêu"), [Passage(rows[0], 1.0)])
    cells = {c.render() for c in cands if c.kind == "cell"}
    assert "Vườn ươm tạm thời – Mức hỗ trợ (triệu đồng): 80" in cells
    assert "Vườn ươm tạm thời – Thời gian hỗ trợ (năm): 1" in cells
