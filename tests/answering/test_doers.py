"""Who does what, in a decision with an attached plan written for the tests: a plan named by its title
words ("Cơ quan nào được giao chủ trì triển khai Kế hoạch phát triển du lịch cộng đồng …") is answered
by what the question asks of it, not by the sentences that repeat its title; the agency that opens a
task is its doer, not the one it reports to; a list after a generic noun ("các cơ quan, đơn vị có liên
quan: …") does not name the agency asked."""

from __future__ import annotations

import pytest

from answering.chain import Assistant
from answering.extractive import title_run
from tests.answering.fixtures import assistant_with

NAME = "qd-du-lich-cong-dong-cao-bang-2026.txt"
TITLE = "KẾ HOẠCH PHÁT TRIỂN DU LỊCH CỘNG ĐỒNG TỈNH CAO BẰNG GIAI ĐOẠN 2026 - 2030"

DECISION = f"""ỦY BAN NHÂN DÂN
TỈNH CAO BẰNG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 1207/QĐ-UBND
Cao Bằng, ngày 14 tháng 4 năm 2026

QUYẾT ĐỊNH

VỀ VIỆC BAN HÀNH {TITLE}

ỦY BAN NHÂN DÂN TỈNH CAO BẰNG

Căn cứ Luật Du lịch năm 2017;

Theo đề nghị của Sở Văn hóa, Thể thao và Du lịch.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Kế hoạch phát triển du lịch cộng đồng tỉnh Cao Bằng giai đoạn 2026 - 2030.

Điều 2. Giao Sở Văn hóa, Thể thao và Du lịch chủ trì, phối hợp với các sở, ngành và Ủy ban nhân dân các xã triển khai thực hiện Kế hoạch này.

Điều 3. Quyết định này có hiệu lực kể từ ngày ký.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Hoàng Văn Thạch

{TITLE}

Để phát triển du lịch cộng đồng gắn với bảo tồn bản sắc các dân tộc, Ủy ban nhân dân tỉnh ban hành Kế hoạch phát triển du lịch cộng đồng tỉnh Cao Bằng giai đoạn 2026 - 2030 như sau:

I. MỤC TIÊU

1. Kế hoạch phát triển du lịch cộng đồng tỉnh Cao Bằng giai đoạn 2026 - 2030 nhằm đưa du lịch cộng đồng thành sinh kế bền vững của đồng bào vùng cao.

2. Đến năm 2030, có 40 làng du lịch cộng đồng đạt chuẩn, đón 600.000 lượt khách mỗi năm.

II. THỜI GIAN VÀ PHẠM VI

1. Thời gian: từ năm 2026 đến hết năm 2030.

2. Phạm vi: các xã có làng du lịch cộng đồng trên địa bàn tỉnh.

III. KINH PHÍ

Nguồn kinh phí từ ngân sách tỉnh hỗ trợ có mục tiêu và vốn góp của các hợp tác xã du lịch.

IV. TỔ CHỨC THỰC HIỆN

1. Các sở, ngành, Ủy ban nhân dân các xã và các cơ quan, đơn vị có liên quan: căn cứ nhiệm vụ được giao tại Kế hoạch, chủ động triển khai thực hiện bảo đảm hiệu quả.

2. Sở Tài chính hướng dẫn các sở, ngành xây dựng dự toán kinh phí triển khai các nhiệm vụ được giao tại Kế hoạch.

V. CHẾ ĐỘ BÁO CÁO

1. Định kỳ 6 tháng (trước ngày 10/6), tổng kết năm (trước ngày 10/11) báo cáo tình hình thực hiện Kế hoạch du lịch cộng đồng, gửi Sở Văn hóa, Thể thao và Du lịch tổng hợp báo cáo Ủy ban nhân dân tỉnh.

2. Sở Văn hóa, Thể thao và Du lịch tổng hợp báo cáo Ủy ban nhân dân tỉnh về tình hình thực hiện Kế hoạch định kỳ 6 tháng (trước ngày 20/6), tổng kết năm (trước ngày 25/11).
"""


@pytest.fixture(scope="module")
def decision(tmp_path_factory) -> Assistant:
    return assistant_with(tmp_path_factory, NAME, DECISION)


def test_title_words_after_a_type_name_the_document():
    title = "Kế hoạch phát triển hệ thống sóng viễn thông 5G, internet vạn vật (IoT) tại các khu công nghiệp"
    # title words may be left out between the ones kept ("5G, [internet vạn vật] IoT tại [các] khu …")
    assert title_run("Kinh phí thực hiện kế hoạch 5G, IoT tại khu công nghiệp lấy từ nguồn nào?", title) \
        == "5 g iot tại khu công nghiệp"
    assert title_run("Kinh phí thực hiện lấy từ nguồn nào?", title) == ""  # no type word: nothing named
    assert title_run("Kế hoạch phát triển thực hiện khi nào?", title) == ""  # two words name nothing


def test_the_agency_given_the_plan_by_its_title(decision):
    a = decision.ask("Cơ quan nào được giao chủ trì triển khai Kế hoạch phát triển du lịch cộng đồng tỉnh Cao Bằng "
                     "giai đoạn 2026 - 2030?")
    assert a.found and a.citations[0].quote.startswith("Giao Sở Văn hóa, Thể thao và Du lịch chủ trì")


def test_what_is_asked_of_a_plan_named_by_its_title(decision):
    a = decision.ask("Kế hoạch phát triển du lịch cộng đồng của Cao Bằng thực hiện trong thời gian nào?")
    assert a.found and "từ năm 2026 đến hết năm 2030" in a.answer
    a = decision.ask("Kinh phí thực hiện kế hoạch du lịch cộng đồng Cao Bằng lấy từ nguồn nào?")
    assert a.found and "hợp tác xã du lịch" in a.answer


def test_the_agency_asked_is_the_one_that_reports_not_the_one_reported_to(decision):
    a = decision.ask("Sở Văn hóa, Thể thao và Du lịch phải báo cáo tổng kết năm tình hình thực hiện kế hoạch du lịch "
                     "cộng đồng trước ngày nào?")
    assert a.found and "25/11" in a.answer


def test_a_figure_question_reads_further_down_the_ranking_before_refusing(decision):
    from core.types import Passage

    question = "Đến năm 2030 có bao nhiêu làng du lịch cộng đồng đạt chuẩn?"
    answerer = decision.answerer.bound(decision.retriever.bm25)
    # the retriever's passages, as if the one with the figure ranked below them
    given = [Passage(c, 1.0) for c in decision.retriever.bm25.chunks if "sinh kế bền vững" in c.text]
    a = answerer.answer(question, given)
    assert a.found and "40 làng du lịch cộng đồng" in a.answer
