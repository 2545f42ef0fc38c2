"""Nothing is keyed to the bundled resolution: a differently worded one, written here, answers too."""

from __future__ import annotations

import pytest

from ingest.pipeline import ingest_upload
from answering.chain import Assistant
from settings import Settings

RESOLUTION = """NGHỊ QUYẾT
CỦA HỘI ĐỒNG NHÂN DÂN TỈNH BÌNH MINH
Về kế hoạch phát triển giáo dục và y tế năm 2024

I. ĐÁNH GIÁ TÌNH HÌNH THỰC HIỆN NĂM 2023

Năm 2023, ngành giáo dục tiếp tục đổi mới. Tỷ lệ trường đạt chuẩn quốc gia ước đạt 61,5%; tỷ lệ học sinh tốt nghiệp trung học phổ thông đạt 98,2%. Toàn tỉnh xây mới 14 trạm y tế xã.

Bên cạnh đó, cơ sở vật chất trường học ở vùng núi còn thiếu; tỷ lệ bác sĩ công tác tại tuyến xã còn thấp.

Tuy nhiên, việc thực hiện kế hoạch năm 2023 còn một số hạn chế. Chương trình đào tạo giáo viên triển khai chậm. Một số công trình trường học chậm tiến độ do chưa bố trí được quỹ đất xây dựng.

II. CÁC CHỈ TIÊU CỤ THỂ NĂM 2024

1. Chỉ tiêu cụ thể

Về giáo dục: (1) Tỷ lệ trường đạt chuẩn quốc gia đạt 65%; (2) Tỷ lệ huy động trẻ 5 tuổi đến lớp đạt 99,5%; (3) Tuyển mới trên 1.850 giáo viên.

Về y tế: (4) Đạt 11,5 bác sĩ/vạn dân; (5) Tỷ lệ trạm y tế xã có bác sĩ đạt 90%; (6) Tỷ lệ tiêm chủng mở rộng đạt trên 97%.

III. GIẢI PHÁP CHỦ YẾU

1. Đầu tư cơ sở vật chất

Ưu tiên ngân sách xây dựng phòng học cho các huyện miền núi theo Đề án kiên cố hóa trường lớp¹. Huy động xã hội hóa để mua sắm thiết bị dạy học. Quản lý chặt chẽ đất đai dành cho giáo dục.

¹ Đề án kiên cố hóa trường lớp giai đoạn 2021-2025 do Ủy ban nhân dân tỉnh phê duyệt.

2. Phát triển nguồn nhân lực y tế

Thực hiện chính sách thu hút bác sĩ về công tác tại tuyến xã; đào tạo theo địa chỉ cho sinh viên y khoa người dân tộc thiểu số.

Nơi nhận:
- Thường trực Tỉnh ủy,
- Ủy ban nhân dân tỉnh,
- Lưu: VT.

TM. HỘI ĐỒNG NHÂN DÂN
CHỦ TỊCH

Trần Thị Bích
"""


@pytest.fixture(scope="module")
def other(tmp_path_factory):
    settings = Settings.from_env(index_dir=tmp_path_factory.mktemp("other-index"))
    assistant = Assistant(settings)
    report = ingest_upload(RESOLUTION.encode("utf-8"), "nghi-quyet-binh-minh.txt", assistant.store, settings)
    assert report.added == ["nghi-quyet-binh-minh.txt"]
    return assistant


@pytest.mark.parametrize("question,fact,section", [
    ("Chỉ tiêu tỷ lệ trường đạt chuẩn quốc gia năm 2024 là bao nhiêu?", "65%",
     "II. Các chỉ tiêu cụ thể năm 2024 › 1. Chỉ tiêu cụ thể › Về giáo dục"),
    ("ty le truong dat chuan quoc gia nam 2023 uoc dat bao nhieu", "61,5%",
     "I. Đánh giá tình hình thực hiện năm 2023"),
    ("số bác sĩ trên vạn dân năm 2024", "11,5 bác sĩ/vạn dân", "II. Các chỉ tiêu cụ thể năm 2024 › 1. Chỉ tiêu cụ thể › Về y tế"),
    ("chỉ tiêu số 3 là gì", "1.850 giáo viên", "II. Các chỉ tiêu cụ thể năm 2024 › 1. Chỉ tiêu cụ thể › Về giáo dục"),
    ("Ai ký nghị quyết?", "Trần Thị Bích", "Chữ ký"),
    # the paragraph opens with "… còn một số hạn chế."; the sentence about land answers
    ("Hạn chế về đất đai năm 2023 là gì?", "chưa bố trí được quỹ đất xây dựng", "I. Đánh giá tình hình thực hiện năm 2023"),
    ("Đề án kiên cố hóa trường lớp là đề án nào?", "giai đoạn 2021-2025",
     "III. Giải pháp chủ yếu › 1. Đầu tư cơ sở vật chất › Chú thích 1"),
])
def test_answers_on_another_resolution(other, question, fact, section):
    a = other.ask(question)
    assert a.found, question
    assert fact in a.answer and a.citations[0].section == section


def test_group_list_and_comparison_on_another_resolution(other):
    a = other.ask("Các chỉ tiêu về y tế gồm những gì?")
    assert [c.quote[:3] for c in a.citations] == ["(4)", "(5)", "(6)"]
    a = other.ask("So sánh tỷ lệ trường đạt chuẩn quốc gia năm 2023 với chỉ tiêu năm 2024")
    assert "61,5%" in a.answer and "65%" in a.answer and len(a.citations) == 2
    assert "thấp hơn" in a.answer and "3,5 điểm phần trăm" in a.answer  # from the targets table
    assert [c.section for c in a.citations] == ["I. Đánh giá tình hình thực hiện năm 2023",
                                                "II. Các chỉ tiêu cụ thể năm 2024 › 1. Chỉ tiêu cụ thể › Về giáo dục"]


def test_targets_table_of_another_resolution(other):
    table = other.table
    assert [(t.number, t.group) for t in table.targets][:4] == [(1, "Về giáo dục"), (2, "Về giáo dục"),
                                                              (3, "Về giáo dục"), (4, "Về y tế")]
    assert [(m.value_json(), m.unit) for t in table.targets for m in t.values] == [
        (65, "%"), (99.5, "%"), (1850, "giáo viên"), (11.5, "bác sĩ/vạn dân"), (90, "%"), (97, "%")]
    assert [(r.year, m.value_json(), m.unit) for r in table.results for m in r.values] == [
        ("2023", 61.5, "%"), ("2023", 98.2, "%"), ("2023", 14, "trạm y tế")]
    a = other.ask("Có bao nhiêu chỉ tiêu về y tế?")
    assert a.answer.startswith("Nghị quyết đề ra 3 chỉ tiêu về y tế: (4)–(6) [1]")


@pytest.mark.parametrize("question", [
    "Tỷ lệ tiêm chủng mở rộng năm 2023 đạt bao nhiêu?",  # only the 2024 target is given
    "Nghị quyết này ban hành ngày nào?",
    "Chỉ tiêu số 7 là gì?",
    "Tỉnh Hải Dương đặt chỉ tiêu tiêm chủng bao nhiêu?",
])
def test_refusals_on_another_resolution(other, question):
    a = other.ask(question)
    assert not a.found and not a.citations


def test_briefing_on_another_resolution(other):
    from briefing.builder import BriefingBuilder

    b = BriefingBuilder(other).by_topic("y tế")
    targets, results, tasks = b.sections
    assert targets.heading == "Chỉ tiêu năm 2024" and results.heading == "Kết quả năm 2023"
    assert [(p.text[:3], p.values) for p in targets.points] == [("(4)", "đạt 11,5 bác sĩ/vạn dân"), ("(5)", "đạt 90%"),
                                                              ("(6)", "trên 97%")]
    assert any("14 trạm y tế xã" in p.text for p in results.points)


def test_signer_found_when_a_document_without_signature_ranks_first(tmp_path):
    settings = Settings.from_env(index_dir=tmp_path / "idx")
    assistant = Assistant(settings)
    ingest_upload(RESOLUTION.encode("utf-8"), "nghi-quyet-binh-minh.txt", assistant.store, settings)
    note = "BÁO CÁO NHANH\n\nNghị quyết được ký ngày 10/01/2024. Ai ký nghị quyết thì do văn phòng theo dõi.\n"
    ingest_upload(note.encode("utf-8"), "bao-cao.txt", assistant.store, settings)
    a = assistant.ask("Ai ký nghị quyết?")
    assert a.found and "Trần Thị Bích" in a.answer and a.citations[0].section == "Chữ ký"
