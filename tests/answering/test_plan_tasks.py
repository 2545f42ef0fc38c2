"""A plan's tasks, activities, fee lists and appendix, on a fixture written for the tests: what an
agency must do (the tasks under its heading), who leads an activity (its agency line, below the
content's sub-items), who leads a task cut by the token budget (the agency opening it), the rest of
a list ("Ngoài A, … nào?"), amounts asked as "bao nhiêu phí / tiền", and what a question at the
present does not take from a target."""

from __future__ import annotations

import pytest

from answering.chain import Assistant
from tests.answering.fixtures import assistant_with

NAME = "ke-hoach-xuat-khau-ha-giang-2026.txt"

LONG_TASK = (
    "3. Bộ Chỉ huy quân sự tỉnh chủ trì, cùng Sở Tài nguyên, Ban Dân tộc và chính quyền xã "
    "rà soát, bổ sung giáo trình, "
    + "tổ chức tập huấn, diễn tập, bồi dưỡng kỹ năng cho lực lượng dân quân tự vệ ở các thôn, bản vùng cao, "
    * 6
    + "đưa nội dung phòng tránh sạt lở đất vào chương trình huấn luyện hằng năm cho dân quân thường trực."
)

PLAN = f"""ỦY BAN NHÂN DÂN
TỈNH HÀ GIANG
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 77/KH-UBND
Hà Giang, ngày 09 tháng 1 năm 2026

KẾ HOẠCH

XUẤT KHẨU NÔNG SẢN VÀ THU PHÍ THAM QUAN NĂM 2026

I. MỤC TIÊU

1. Chè Shan tuyết tham gia xuất khẩu năm 2026 đạt 3.000 tấn; hướng tới các thị trường Đài Loan, Nhật Bản.

2. Phấn đấu 100% trẻ em 5 tuổi được học 2 buổi/ngày.

II. HOẠT ĐỘNG

1. Quảng bá sản phẩm

a) Hoạt động 1

- Nội dung:

+ Tổ chức hội chợ chè Shan tuyết tại Trung tâm Hội nghị tỉnh trong tháng 10.

+ Xây dựng video giới thiệu vùng chè cổ thụ.

- Cơ quan thực hiện: Sở Công Thương chủ trì, cùng Hội Nông dân tỉnh.

III. PHÍ THAM QUAN

Du khách trong nước và quốc tế đến Cột cờ Lũng Cú và Nhà Vương ở xã Lũng Cú nộp phí theo quy định.

1. Đơn vị tổ chức thu phí:

Ban quản lý khu du lịch quốc gia cao nguyên đá Đồng Văn.

1. Mức thu phí tham quan Cột cờ Lũng Cú là 25.000 đồng/lượt/khách.

2. Khách thuộc hai diện ưu đãi trở lên cũng chỉ được giảm 50% mức phí.

3. Không thu phí vào các ngày:

- Ngày 23/11, Ngày Di sản văn hóa Việt Nam.

- Ngày Quốc khánh 02/9 và ngày Giỗ Tổ Hùng Vương 10/3 âm lịch.

IV. KINH PHÍ

- Kinh phí tổ chức hội chợ do ngân sách tỉnh bảo đảm trong dự toán năm 2026.

- Đối với hạng mục đầu tư kho lạnh bảo quản chè (bao gồm nhà kho, máy phát điện, băng chuyền và thiết bị làm lạnh): do doanh nghiệp tự bảo đảm.

V. PHÂN CÔNG

1. Sở Công Thương

- Chủ trì tổ chức các đoàn xúc tiến thương mại tại thị trường Đài Loan.

- Tổng hợp, báo cáo kết quả xuất khẩu trước ngày 15/12 hằng năm.

2. Công an tỉnh

Chủ trì quản lý xuất nhập cảnh, cư trú của thương nhân nước ngoài đến khảo sát vùng nguyên liệu.

{LONG_TASK}

4. Điều chỉnh dự toán:

b) Giám đốc Sở Tài chính quyết định điều chỉnh dự toán đối với các trường hợp: khi thay đổi chính sách tiền lương; khi giá vật tư tăng vượt mức dự phòng của dự toán.

5. Ủy ban nhân dân cấp xã

a) Vận động hộ trồng chè chăm sóc nương chè theo tiêu chuẩn VietGAP.

b) Báo cáo kết quả thực hiện hằng quý.

Nơi nhận:
- Bộ Công Thương;
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Nguyễn Văn Sơn
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory) -> Assistant:
    return assistant_with(tmp_path_factory, NAME, PLAN)


def test_what_an_agency_must_do_is_the_tasks_under_its_heading(plan):
    a = plan.ask("Công an tỉnh Hà Giang có nhiệm vụ gì trong kế hoạch này?")
    assert a.found and "xuất nhập cảnh, cư trú" in a.answer
    assert "Đài Loan" not in a.answer  # the tasks of another agency's heading are not its own
    a = plan.ask("Sở Công Thương phải làm gì?")
    assert a.found and "xúc tiến thương mại" in a.answer and "15/12" in a.answer
    # the heading above lettered points ("5. Ủy ban nhân dân cấp xã" › "a)", "b)")
    a = plan.ask("Ủy ban nhân dân cấp xã phải làm gì để thực hiện kế hoạch?")
    assert a.found and "VietGAP" in a.answer and "hằng quý" in a.answer


def test_who_leads_an_activity_is_its_agency_line_below_the_sub_items(plan):
    a = plan.ask("Đơn vị nào chủ trì tổ chức hội chợ chè Shan tuyết tại Trung tâm Hội nghị tỉnh?")
    assert a.found and "Sở Công Thương chủ trì" in a.answer
    assert len(a.citations) == 2 and "Cơ quan thực hiện" in a.citations[1].text


def test_who_leads_a_task_cut_by_the_token_budget_is_the_agency_opening_it(plan):
    a = plan.ask("Đơn vị nào chủ trì đưa nội dung phòng tránh sạt lở đất vào chương trình huấn luyện "
                 "cho dân quân thường trực?")
    assert a.found and "Bộ Chỉ huy quân sự tỉnh" in a.answer
    assert a.citations[0].text.startswith("3. Bộ Chỉ huy quân sự tỉnh")


def test_who_decides_a_case_is_the_agency_opening_its_list_of_cases(plan):
    a = plan.ask("Ai quyết định điều chỉnh dự toán khi giá vật tư tăng vượt mức dự phòng?")
    assert a.found and "Giám đốc Sở Tài chính" in a.answer and "giá vật tư" in a.answer


def test_a_list_stated_inside_a_sentence_is_that_sentence(plan):
    a = plan.ask("Kho lạnh bảo quản chè gồm những hạng mục nào?")  # "hạng mục nào" asks items, not a figure
    assert a.found and "nhà kho, máy phát điện, băng chuyền" in a.answer
    assert "hội chợ" not in a.answer and "- -" not in a.answer  # not the sibling items of its list


def test_the_rest_of_a_list_without_what_the_question_names(plan):
    a = plan.ask("Ngoài Ngày Di sản văn hóa Việt Nam, những ngày nào không thu phí tham quan?")
    assert a.found and "Giỗ Tổ Hùng Vương" in a.answer and "23/11" not in a.answer


def test_an_amount_asked_is_a_share_or_a_sum_of_money(plan):
    a = plan.ask("Khách thuộc hai diện ưu đãi trở lên được giảm bao nhiêu phí tham quan?")
    assert a.found and "50%" in a.answer
    a = plan.ask("Tham quan Cột cờ Lũng Cú mất bao nhiêu tiền một lượt?")
    assert a.found and "25.000" in a.answer
    a = plan.ask("Đơn vị đạt giải nhất hội chợ chè được thưởng bao nhiêu tiền?")
    assert not a.found  # no sum of money stands in the plan for it


def test_a_question_at_the_present_is_not_answered_by_a_target(plan):
    a = plan.ask("Hiện tỉnh có bao nhiêu trẻ em 5 tuổi được học 2 buổi/ngày?")
    assert not a.found


def test_a_capitalised_first_word_does_not_make_a_name_unknown(plan):
    a = plan.ask("Chè Hà Giang định hướng xuất khẩu sang những thị trường nào?")
    assert a.found and "Đài Loan" in a.answer
