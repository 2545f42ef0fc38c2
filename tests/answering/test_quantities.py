"""The look-alike check and table-row answers, on sentences and rows written for the tests."""

from __future__ import annotations

import pytest

from answering.extractive import render_row, same_quantity
from core.types import Chunk
from retrieval.query import analyse


@pytest.mark.parametrize("question, span, same", [
    # the thing measured follows the same head: an answer
    ("Tỷ lệ che phủ rừng năm 2026 là bao nhiêu?", "Duy trì tỷ lệ che phủ rừng trên 48%", True),
    ("Tỷ lệ tham gia BHXH năm 2026 bao nhiêu?", "Tỷ lệ lao động trong độ tuổi tham gia bảo hiểm xã hội đạt 35%", True),
    ("Tỷ lệ CTR được thu gom năm 2026?", "Tỷ lệ chất thải rắn được thu gom, xử lý đạt 97%", True),
    ("Tổng vốn các dự án được chấp thuận là bao nhiêu?", "chấp thuận 12 dự án có tổng vốn 9.000 tỷ đồng", True),
    ("Tổng số trạm y tế là bao nhiêu?", "có 40 trạm y tế đạt chuẩn", True),  # no head in the span: not judged
    # a look-alike that shares words: not an answer
    ("Tỷ lệ thất nghiệp năm 2026 là bao nhiêu?",
     "tỷ lệ lao động trong độ tuổi tham gia bảo hiểm thất nghiệp đạt trên 20%", False),
    ("Kim ngạch nhập khẩu năm 2026 bao nhiêu?", "Kim ngạch xuất khẩu đạt 3 tỷ đô la Mỹ", False),
    ("Ngân sách dành cho y tế là bao nhiêu?", "Tổng thu ngân sách trên địa bàn đạt 20.000 tỷ đồng", False),
    # a function word ends the thing measured: "tỷ lệ nữ trong …" measures "nữ"
    ("Tỷ lệ nữ trong diện quy hoạch lãnh đạo đạt bao nhiêu?",
     "Tỷ lệ người lao động, cán bộ nữ trong diện được quy hoạch đạt 45%", True),
    # a head's thing does not leak into the next clause
    ("Tỷ lệ thất nghiệp là bao nhiêu?",
     "tỷ lệ lao động tham gia bảo hiểm thất nghiệp đạt 20%; tỷ lệ bao phủ bảo hiểm y tế đạt 95%", False),
])
def test_same_quantity(question, span, same):
    assert same_quantity(analyse(question), span) is same


def test_a_row_measures_what_its_labels_and_headers_name():
    q = analyse("Mức học phí trung học cơ sở ở vùng đồng bằng là bao nhiêu?")
    context = {"muc", "hoc", "phi", "dong", "bang", "dia", "ban", "tieu", "trung", "co", "so"}
    assert same_quantity(q, "Đồng bằng | 120 | 90", context)
    assert not same_quantity(analyse("Mức học phí đại học là bao nhiêu?"), "Đồng bằng | 120 | 90", context)


def _row(text: str, headers: str, section: str) -> Chunk:
    return Chunk(id="r", doc_id="d.txt", doc_title="", section=section, kind="row", text=text, start=0,
                 end=len(text), headers=headers)


def test_a_row_answers_with_its_headers_and_the_column_asked():
    row = _row("- | Diện tích | Ha | 1.200 | 1.300 | 1.450", "TT | Chỉ tiêu | ĐVT | Năm 2026 | Năm 2027 | Năm 2028",
               "Phụ lục 01 › CÂY ĂN QUẢ › Bưởi › Diện tích – Ha")
    assert render_row(row, analyse("diện tích bưởi năm 2027 là bao nhiêu ha?")) == \
        "Bưởi › Diện tích – Ha: Năm 2027: 1.300"
    whole = render_row(row, analyse("diện tích bưởi qua các năm?"))
    assert whole.startswith("Bưởi › Diện tích – Ha: Chỉ tiêu: Diện tích; ĐVT: Ha; Năm 2026: 1.200")
    tuition = _row("Đồng bằng | 120 | 90", "Địa bàn | Tiểu học | Trung học cơ sở\nĐơn vị tính: 1.000 đồng/tháng",
                   "Điều 2 › 1. Mức học phí › Đồng bằng")
    assert render_row(tuition, analyse("học phí trung học cơ sở vùng đồng bằng bao nhiêu?")) == \
        "1. Mức học phí › Đồng bằng: Trung học cơ sở: 90"


@pytest.mark.parametrize("question, span, fits", [
    ("Trẻ em cao dưới bao nhiêu mét được miễn phí?", "áp dụng chiều cao dưới 1,2m", True),  # mét is written m
    ("Dự án cần bao nhiêu ha đất?", "nhu cầu sử dụng đất khoảng 1.500 ha", True),
    ("Tỉnh hiện có bao nhiêu cơ sở cai nghiện?", "phấn đấu 100% cơ sở cai nghiện bảo đảm điều kiện", False),
    ("Đến năm 2030 phấn đấu bao nhiêu hộ gia đình được tiếp nhận thông tin?", "100% hộ gia đình được tiếp nhận", True),
    ("Tỉnh có bao nhiêu cơ sở cai nghiện?", "có 3 cơ sở cai nghiện công lập", True),
    ("Đến 2030 bao nhiêu % xã đạt chuẩn?", "phấn đấu 60% xã đạt chuẩn", True),
    ("Bao nhiêu bệnh viện được xây mới?", "có 32 giường bệnh/1 vạn dân", False),
])
def test_quantity_fits_the_unit_asked(question, span, fits):
    from answering.extractive import _quantity_fits

    assert _quantity_fits(analyse(question), span) is fits


@pytest.mark.parametrize("question, sentence, same", [
    ("Đến năm 2030 đặt mục tiêu có bao nhiêu trạm 5G?", "Hiện nay, có khoảng 150 trạm, trong đó có 20 trạm 5G", False),
    ("Hiện nay có bao nhiêu trạm 5G?", "Phấn đấu đến năm 2030 có 300 trạm 5G", False),
    ("Hiện nay có bao nhiêu trạm 5G?", "Hiện nay, có khoảng 150 trạm, trong đó có 20 trạm 5G", True),
    ("Đến năm 2030 có bao nhiêu trạm 5G?", "Phấn đấu đến năm 2030 có 300 trạm 5G", True),
    ("Có bao nhiêu trạm 5G?", "Hiện nay, có khoảng 150 trạm, trong đó có 20 trạm 5G", True),
    # what will be done is not what is ("sẽ" as written: "chia sẻ" folds to the same word)
    ("Hiện nay có bao nhiêu người nhận trợ cấp?", "Sở Y tế sẽ kiểm tra ngẫu nhiên 30 người nhận trợ cấp", False),
    ("Hiện nay có bao nhiêu người nhận trợ cấp?", "Hiện nay có 30 người nhận trợ cấp được chia sẻ thông tin", True),
])
def test_what_is_does_not_answer_what_is_aimed_at(question, sentence, same):
    from answering.extractive import same_tense

    assert same_tense(analyse(question), sentence) is same


@pytest.mark.parametrize("text, quantity", [
    ("đạt 52% kế hoạch", True),
    ("Tổng thu ngân sách 17.800 tỷ đồng", True),
    ("theo Nghị quyết số 21/2023/NQ-HĐND ngày 9 tháng 8 năm 2023", False),  # a date and a number name an act
    ("phát triển mạng 5G và 3G/4G giai đoạn 2026 - 2030", False),  # codes and years
    ("1 | Rà soát các văn bản | Sở Xây dựng | 2026-2030", False),  # a row's ordinal is not a figure
    ("3 | Đền Quan Đế | đồng/lượt/khách | 20.000", True),
])
def test_a_quantity_is_not_a_date_a_code_or_a_row_ordinal(text, quantity):
    from answering.extractive import has_quantity

    assert has_quantity(text) is quantity


def test_a_question_naming_a_figure_column_names_the_cell_that_answers():
    from answering.extractive import _names_a_figure_column

    row = _row("I | NHÓM PHƯỜNG, XÃ | 120", "STT | TIÊU CHÍ | ĐIỂM CHUẨN | HƯỚNG DẪN CHẤM", "Phụ lục › NHÓM PHƯỜNG, XÃ")
    assert _names_a_figure_column(analyse("Nhóm phường, xã có tổng điểm chuẩn bao nhiêu?"), row)
    assert not _names_a_figure_column(analyse("Nhóm phường, xã được chấm theo hướng dẫn nào?"), row)  # no figure
    assert not _names_a_figure_column(analyse("Nhóm phường, xã có bao nhiêu tiêu chí?"), row)


def test_a_heading_the_question_names_whole_is_read_with_its_content():
    from answering.extractive import _asked_heading
    from core.text import words

    asked = set(words("Sở Y tế chủ trì hoạt động nào trong tháng hành động?"))
    assert _asked_heading("III. Tổ chức thực hiện › 2. Sở Y tế", asked)
    assert not _asked_heading("III. Tổ chức thực hiện › 3. Sở Giáo dục và Đào tạo", asked)
    assert not _asked_heading("III. Tổ chức thực hiện", set(words("Tổ chức hội chợ ở đâu?")))  # part of it only


@pytest.mark.parametrize("question, span, same", [
    # a name between the head and the thing narrows it to one product
    ("Giá trị xuất khẩu bình quân tăng bao nhiêu mỗi năm?",
     "tổng giá trị sản phẩm Bưởi tham gia xuất khẩu dự kiến đạt 4 triệu USD, tốc độ tăng 6%/năm", False),
    ("Giá trị xuất khẩu bình quân tăng bao nhiêu mỗi năm?",
     "giá trị hàng hóa tham gia xuất khẩu đạt 300 triệu USD, tăng bình quân 9%/năm", True),
    ("Giá trị Bưởi tham gia xuất khẩu là bao nhiêu?",  # named by the question: not narrowed
     "tổng giá trị sản phẩm Bưởi tham gia xuất khẩu dự kiến đạt 4 triệu USD", True),
    # "tổng sản phẩm X … tấn" states the output ("sản lượng") of X
    ("Tổng sản lượng rau quả xuất khẩu đạt bao nhiêu tấn?", "+ Tổng sản phẩm Bưởi xuất khẩu đạt 9.000 tấn", False),
    ("Tổng sản lượng rau quả xuất khẩu đạt bao nhiêu tấn?", "Tổng sản phẩm rau quả xuất khẩu đạt 30.000 tấn", True),
    # a share states the "tỷ lệ" of what stands by it
    ("Tỷ lệ người sau cai nghiện có việc làm là bao nhiêu?",
     "trên 80% người nghiện, người sử dụng trái phép chất ma túy, người sau cai nghiện được tư vấn", False),
    ("Tỷ lệ trợ giúp pháp lý cho người vi phạm là bao nhiêu?", "Phấn đấu trợ giúp pháp lý cho 100% số người vi phạm", True),
    # two things listed after the head: the answer measures both
    ("Giá trị cà phê, hạt điều xuất khẩu năm 2030 là bao nhiêu?",
     "tổng giá trị sản phẩm cà phê chế biến và cà phê khác xuất khẩu đạt 40 triệu USD", False),
    ("Giá trị cà phê, hạt điều xuất khẩu năm 2030 là bao nhiêu?",
     "Trong đó: giá trị sản phẩm cà phê, hạt điều xuất khẩu đạt 52 triệu USD", True),
    # "trong độ tuổi" folds to "trong do": not a "trong đó" part of the clause
    ("Tỷ lệ thất nghiệp là bao nhiêu?", "tỷ lệ lao động trong độ tuổi tham gia bảo hiểm thất nghiệp đạt 20%", False),
])
def test_look_alikes_narrowed_by_a_name_or_stated_as_a_share(question, span, same):
    assert same_quantity(analyse(question), span) is same


@pytest.mark.parametrize("question, span, fits", [
    ("Tỷ lệ doanh nghiệp ứng dụng IoT là bao nhiêu?", "thực hiện đề án 06 theo Kế hoạch ngày 19/6/2025", False),
    ("Tỷ lệ doanh nghiệp ứng dụng IoT là bao nhiêu?", "60% doanh nghiệp ứng dụng IoT", True),
    ("Giá trị nông sản xuất khẩu là bao nhiêu?", "Tổng sản phẩm chè xuất khẩu đạt 12.000 tấn", False),
    ("Giá trị nông sản xuất khẩu là bao nhiêu?", "giá trị nông sản xuất khẩu đạt 250 triệu USD", True),
    ("Tiêu chí tỷ lệ người mở tài khoản có điểm chuẩn bao nhiêu?", "2 | Tỷ lệ người mở tài khoản | 40", True),
    ("Tập thể đạt giải nhất được thưởng bao nhiêu tiền?", "tỷ lệ không quá 10% tập thể", False),
    ("Hộ gia đình được hỗ trợ tối đa mấy tháng?", "không quá 6 tháng mỗi năm", True),
    ("Hộ gia đình được hỗ trợ tối đa mấy tháng?", "hỗ trợ 2 triệu đồng mỗi hộ", False),
])
def test_the_head_asked_says_what_kind_of_figure_answers(question, span, fits):
    from answering.extractive import _quantity_fits

    assert _quantity_fits(analyse(question), span) is fits


def test_a_legal_reference_is_not_a_figure_and_mấy_asks_a_count_before_a_unit():
    from answering.extractive import _how_many, has_quantity

    assert not has_quantity("theo quy định tại điểm b khoản 1 Điều 7 Quyết định số 15/2024/QĐ-UBND")
    assert has_quantity("theo điểm b khoản 1 Điều 7, tỷ lệ không quá 8% tập thể")
    assert "bao nhieu thang" in _how_many("được hỗ trợ tối đa mấy tháng?")
    assert "bao nhieu" not in _how_many("công trình từ cấp mấy trở lên?")  # a grade, "cấp II"
    assert "bao nhieu" not in _how_many("Thông báo số mấy, ngày nào?")  # a document's number and date


def test_a_count_of_what_is_is_not_a_rows_share_of_it():
    from answering.extractive import _quantity_fits

    q = analyse("Hiện nay có bao nhiêu người nhận trợ cấp?")
    units = {"tieu", "chi", "diem", "chuan", "nguoi", "nhan", "tro", "cap"}
    # the row measures a share of the people (its figure is the criterion's points), or gives only a share
    assert not _quantity_fits(q, "2 | Tỷ lệ % người nhận trợ cấp có tài khoản | 40", units)
    assert not _quantity_fits(q, "Đơn vị đạt 100% người nhận trợ cấp có tài khoản", units)
    # a row whose cell gives a count of the unit asked is read as a sentence
    assert _quantity_fits(q, "3 | Kiểm tra ngẫu nhiên 30 người nhận trợ cấp | 10", units)
    # a column names the unit: any figure of the row answers
    assert _quantity_fits(analyse("Diện tích bưởi là bao nhiêu ha?"), "- | Diện tích | 1.200", {"dien", "tich", "ha"})


@pytest.mark.parametrize("question, sentence, meets", [
    # a figure under a condition answers a question that states it, not one about something else
    ("Nếu tham quan theo đoàn trên 30 người thì giảm bao nhiêu phần trăm phí?",
     "3. Trường hợp tham quan theo đoàn trên 30 người, mức phí được giảm 20% so với giá vé lẻ", True),
    ("Phí tham quan bảo tàng tỉnh là bao nhiêu?",
     "3. Trường hợp tham quan theo đoàn trên 30 người, mức phí được giảm 20% so với giá vé lẻ", False),
    ("Người không mang giấy tờ thì được vào miễn phí khi cao dưới bao nhiêu mét?",
     "Trường hợp không mang giấy tờ tùy thân thì áp dụng chiều cao dưới 1,2m", True),
    ("Phí tham quan bảo tàng tỉnh là bao nhiêu?", "Mức phí tham quan bảo tàng là 30.000 đồng/lượt", True),  # no condition
])
def test_a_figure_under_a_condition_answers_a_question_stating_it(question, sentence, meets):
    from answering.extractive import meets_condition

    assert meets_condition(analyse(question), sentence) is meets
