"""The field a question names, and sentences the token budget cut, on a plan written for the tests:
"thực hiện trong thời gian nào" is answered by the line labelled "Thời gian thực hiện:", "ngày nào
trong tuần" by a day of the week, "những tổ chức đoàn thể nào" by the list after that name, and a
figure in the second half of a sentence cut between chunks is read with the first half."""

from __future__ import annotations

import pytest

from answering.chain import Assistant
from tests.answering.fixtures import assistant_with

NAME = "ke-hoach-phan-loai-rac-quang-tri-2026.txt"

# a sentence longer than the chunk budget: the share it gives stands after the cut
LONG_REWARD = (
    "1. Chủ tịch Ủy ban nhân dân tỉnh xem xét tặng Bằng khen cho các tập thể, cá nhân có thành tích xuất "
    "sắc trong việc phân loại rác tại nguồn, giữ gìn vệ sinh khu dân cư, vận động người dân giảm sử dụng "
    "túi ni lông khó phân hủy, tổ chức thu gom rác tái chế tại các điểm tập kết của thôn, tổ dân phố, "
    "phối hợp với doanh nghiệp thu mua phế liệu, hướng dẫn cách ủ phân hữu cơ từ rác nhà bếp, kiểm tra "
    "việc xử lý rác tại các chợ, trường học, cơ sở y tế và các khu du lịch ven biển của tỉnh theo quy "
    "định tại điểm b khoản 1 Điều 7 Quyết định số 15/2024/QĐ-UBND ngày 02 tháng 5 năm 2024 của Ủy ban "
    "nhân dân tỉnh quy định về công tác thi đua, khen thưởng (tỷ lệ không quá 8% tập thể, 4% cá nhân "
    "trực tiếp tham gia phong trào);"
)

PLAN = f"""ỦY BAN NHÂN DÂN
TỈNH QUẢNG TRỊ
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 88/KH-UBND
Quảng Trị, ngày 10 tháng 3 năm 2026

KẾ HOẠCH

PHÂN LOẠI RÁC TẠI NGUỒN TRÊN ĐỊA BÀN TỈNH QUẢNG TRỊ

Tiếp nối Kế hoạch số 12/KH-UBND về phân loại rác tại nguồn giai đoạn 2021 - 2025, Ủy ban nhân dân tỉnh Quảng Trị ban hành Kế hoạch thực hiện phân loại rác tại nguồn như sau:

I. MỤC TIÊU

1. Phấn đấu 80% hộ gia đình ở đô thị phân loại rác tại nguồn.

2. Thời gian thực hiện Kế hoạch: từ tháng 4 năm 2026 đến hết năm 2027.

II. NHIỆM VỤ

1. Các xã, phường tổ chức ra quân làm sạch bãi biển vào sáng Chủ nhật hằng tuần.

2. Huy động các tổ chức đoàn thể (Hội Nông dân, Hội Cựu chiến binh, Đoàn Thanh niên) tham gia giám sát việc phân loại rác tại khu dân cư.

3. Hộ nghèo được hỗ trợ túi đựng rác phân loại và thùng chứa rác có nắp đậy.

4. Thời gian hỗ trợ túi đựng rác cho hộ nghèo: không quá 6 tháng.

III. KHEN THƯỞNG

{LONG_REWARD}

2. Kinh phí khen thưởng lấy từ quỹ thi đua của tỉnh.

Nơi nhận:
- Bộ Nông nghiệp và Môi trường;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Lê Văn Hải
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Assistant:
    return assistant_with(tmp_path_factory, NAME, PLAN)


def test_a_time_question_is_answered_by_the_line_labelled_with_the_time(plan):
    a = plan.ask("Kế hoạch phân loại rác tại nguồn của Quảng Trị thực hiện trong thời gian nào?")
    assert a.found and "từ tháng 4 năm 2026 đến hết năm 2027" in a.answer


def test_a_day_of_the_week_answers_which_day(plan):
    a = plan.ask("Các xã ra quân làm sạch bãi biển vào ngày nào trong tuần?")
    assert a.found and "Chủ nhật" in a.answer


def test_the_list_after_the_name_asked(plan):
    a = plan.ask("Những tổ chức đoàn thể nào tham gia giám sát việc phân loại rác?")
    assert a.found and "Hội Nông dân" in a.answer and "Đoàn Thanh niên" in a.answer


def test_mấy_asks_a_count_of_the_unit(plan):
    a = plan.ask("Hộ nghèo được hỗ trợ túi đựng rác phân loại tối đa mấy tháng?")
    assert a.found and "6 tháng" in a.answer


def test_a_figure_after_the_cut_is_read_with_the_first_half_of_its_sentence(plan):
    chunks = [c for c in plan.retriever.bm25.chunks if "Bằng khen" in c.text or "8% tập thể" in c.text]
    assert len({c.id for c in chunks}) >= 2  # the fixture's sentence is cut by the budget
    a = plan.ask("Tỷ lệ tập thể, cá nhân được Chủ tịch Ủy ban nhân dân tỉnh tặng Bằng khen tối đa là bao nhiêu?")
    assert a.found and "8% tập thể" in a.answer and "4% cá nhân" in a.answer


def test_a_share_of_another_thing_is_refused(plan):
    assert not plan.ask("Tỷ lệ doanh nghiệp phân loại rác tại nguồn là bao nhiêu?").found


def test_a_deadline_is_a_day_not_a_recurrence(plan):
    from answering.extractive import _DAY_RE

    assert _DAY_RE.search("Thời gian: từ ngày 15/11/2026") and _DAY_RE.search("vào sáng Chủ nhật")
    assert not _DAY_RE.search("6 | Khảo sát hạ tầng 5G | Sở Khoa học và Công nghệ | Hàng năm")


def test_mấy_is_the_question_word_not_its_content():
    from answering.extractive import ExtractiveAnswerer

    weights = ExtractiveAnswerer()._weights("Hộ nghèo được hỗ trợ tối đa mấy tháng?")
    assert "may" not in weights and "thang" in weights
    assert "may" in ExtractiveAnswerer()._weights("Máy phát điện đặt ở đâu?")  # a machine, not a question word


def test_a_bound_said_otherwise_is_covered(plan, monkeypatch):
    # the fixture says "không quá 6 tháng"; asked "tối đa", the bound is the same
    import answering.extractive as ex
    from retrieval.query import analyse

    [(units, others)] = ex._said_otherwise(analyse("Hộ nghèo được hỗ trợ túi đựng rác tối đa bao lâu?"))
    assert set(units) >= {"toi", "toi_da"} and " khong qua " in others
    question = "Thời gian hỗ trợ túi đựng rác cho hộ nghèo tối đa là bao lâu?"
    answerer, passages = plan.answerer.bound(plan.retriever.bm25), plan.retriever.passages(question)

    def coverage() -> float:
        return next(sp.coverage for sp in answerer.score_spans(analyse(question), passages)
                    if "không quá 6 tháng" in sp.text)

    said = coverage()
    monkeypatch.setattr(ex, "_said_otherwise", lambda q: [])
    assert said > coverage() + 0.05
