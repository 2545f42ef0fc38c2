"""Golden tests of the targets table: every target of the bundled resolution with its values and
units, the reported results, a second resolution with other wording, and malformed lists."""

from __future__ import annotations

import pytest

from ingest.chunker import build_chunks
from ingest.clean import clean_text
from core.vn import parse_number
from ingest.targets import TargetTable, parse_measures, to_csv
from tests.conftest import CORPUS

DOC = CORPUS.name

# number -> [(label, comparator, value, unit), ...] exactly as the text states them
EXPECTED = {
    1: [("Tốc độ tăng trưởng kinh tế GRDP", "trên", 7, "%")],
    2: [("GRDP bình quân đầu người", "trên", 91, "triệu đồng")],
    3: [("Thu nhập bình quân đầu người", "trên", 53, "triệu đồng/năm")],
    4: [("Giá trị sản xuất trên đơn vị diện tích", "trên", 102, "triệu đồng/ha")],
    5: [("Tổng vốn đầu tư thực hiện toàn xã hội", "trên", 44100, "tỷ đồng")],
    6: [("Kim ngạch xuất khẩu", "trên", 2.5, "tỷ đô la Mỹ")],
    7: [("Tổng thu ngân sách trên địa bàn", "trên", 17800, "tỷ đồng"),
        ("thu nội địa", "trên", 8800, "tỷ đồng"),
        ("thu xuất nhập khẩu", "trên", 9000, "tỷ đồng")],
    8: [("Thành lập mới doanh nghiệp và đơn vị trực thuộc", "trên", 1200, "doanh nghiệp")],
    9: [],
    10: [("Tỷ lệ đô thị hóa", "đạt", 40, "%")],
    11: [("Tỷ lệ lao động trong độ tuổi tham gia bảo hiểm xã hội", "trên", 31.8, "%"),
         ("tỷ lệ lao động trong độ tuổi tham gia bảo hiểm thất nghiệp", "trên", 17.8, "%"),
         ("tỷ lệ bao phủ bảo hiểm y tế", "trên", 95, "%")],
    12: [("Số bác sĩ/1 vạn dân", "có", 12, "bác sĩ/1 vạn dân")],
    13: [("Số giường bệnh/1 vạn dân", "có", 32, "giường bệnh/1 vạn dân")],
    14: [("Tỷ lệ hộ nghèo", "giảm", {"min": 0.5, "max": 0.6}, "%")],
    15: [("Tỷ lệ lao động qua đào tạo", "trên", 80, "%")],
    16: [("Giải quyết việc làm mới", "trên", 23500, "người")],
    17: [("Tốc độ đổi mới công nghệ", "trên", 23, "%")],
    18: [("tỷ lệ thủ tục hành chính toàn trình tích hợp vào Cổng dịch vụ công quốc gia", "duy trì", 100, "%")],
    19: [("Tỷ lệ thủ tục hành chính toàn trình phát sinh hồ sơ trực tuyến", "đạt", 100, "%")],
    20: [("Tỷ lệ hồ sơ trực tuyến toàn trình đối với các thủ tục hành chính toàn trình", "trên", 90, "%")],
    21: [("hộ gia đình đạt danh hiệu văn hóa", "trên", 93.5, "%")],
    22: [("thôn, tổ dân phố đạt danh hiệu văn hóa", "trên", 98, "%")],
    23: [("cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa", "trên", 71.2, "%")],
    24: [("Tỷ lệ chất thải rắn được phân loại, thu gom, xử lý đạt tiêu chuẩn", "trên", 95, "%")],
    25: [("tỷ lệ che phủ rừng", "duy trì trên", 52, "%")],
    26: [("Tỷ lệ dân số đô thị sử dụng nước sạch", "trên", 89, "%")],
    27: [("tỷ lệ dân số nông thôn sử dụng nước hợp vệ sinh", "duy trì", 100, "%"),
         ("nước đạt tiêu chuẩn", "trên", 72, "%")],
    28: [("xã, phường, thị trấn đạt cơ sở vững mạnh toàn diện", "trên", 96, "%")],
}
GROUPS = {range(1, 11): "Về kinh tế", range(11, 24): "Về văn hóa, xã hội", range(24, 28): "Về môi trường",
          range(28, 29): "Về quốc phòng an ninh"}


def table_of(text: str, doc: str = "test.txt") -> tuple[TargetTable, str]:
    clean = clean_text(text)
    return TargetTable.from_chunks(build_chunks(doc, clean)), clean.text


@pytest.fixture(scope="module")
def bundled(corpus_text):
    clean = clean_text(corpus_text)
    return TargetTable.from_chunks(build_chunks(DOC, clean)), clean.text


def test_all_28_targets_with_every_value_and_unit(bundled):
    table, text = bundled
    assert [t.number for t in table.targets] == list(range(1, 29))
    for t in table.targets:
        got = [(m.label, m.comparator, m.value_json(), m.unit) for m in t.values]
        assert got == EXPECTED[t.number], t.number
        assert text[t.start:t.end] == t.text and t.text.startswith(f"({t.number}) ")
        assert t.group == next(g for r, g in GROUPS.items() if t.number in r)
        assert t.year == "2025" and not t.uncertain
        for m in t.values:  # each figure's clause is a span of the document holding the figure
            assert t.start <= m.start < m.end <= t.end and m.figure in text[m.start:m.end]


def test_multi_part_targets_keep_each_part(bundled):
    table, text = bundled
    parts = {n: [text[m.start:m.end] for m in table.by_number(n)[0].values] for n in (7, 11, 27)}
    assert parts[7] == ["Tổng thu ngân sách trên địa bàn đạt trên 17.800 tỷ đồng", "thu nội địa trên 8.800 tỷ đồng",
                        "thu xuất nhập khẩu trên 9.000 tỷ đồng"]
    assert parts[11][2] == "tỷ lệ bao phủ bảo hiểm y tế đạt trên 95%"
    assert parts[27] == ["Duy trì tỷ lệ dân số nông thôn sử dụng nước hợp vệ sinh đạt 100%",
                         "nước đạt tiêu chuẩn đạt trên 72%"]


def test_reported_results_with_their_year(bundled):
    table, text = bundled
    figures = {(m.label, m.comparator, m.value_json(), m.unit) for r in table.results for m in r.values}
    assert {("Tăng trưởng kinh tế", "ước đạt", 7.3, "%"), ("thu ngân sách", "ước đạt", 17900, "tỷ đồng"),
            ("chỉ tiêu đạt và vượt kế hoạch đề ra", "có", 26, "chỉ tiêu"), ("tỷ lệ hộ nghèo", "giảm còn", 2.41, "%"),
            ("Chấp thuận chủ trương đầu tư", "", 20, "dự án"), ("tổng vốn", "gần", 15300, "tỷ đồng")} <= figures
    assert all(r.year == "2024" and text[r.start:r.end] == r.text for r in table.results)
    assert not any("06" in m.figure or "500" in m.figure for r in table.results for m in r.values)


def test_json_keys_and_csv(bundled):
    table, _ = bundled
    rec = table.by_number(14)[0].to_dict()
    assert set(rec) >= {"number", "group", "text", "values", "section", "start", "end"}
    assert set(rec["values"][0]) == {"label", "comparator", "value", "unit"}
    assert rec["section"] == "II. Mục tiêu, chỉ tiêu năm 2025 › 2. Chỉ tiêu chủ yếu › Về văn hóa, xã hội"
    csv = to_csv(table.select(group="moi truong"))
    assert csv.splitlines()[0].startswith("doc,kind,year,number,group,label")
    assert len(csv.splitlines()) == 1 + 5  # (24), (25), (26) and the two parts of (27)


@pytest.mark.parametrize("raw,value", [("17.800", 17800), ("2,5", 2.5), ("93,5", 93.5), ("1.200", 1200),
                                       ("7.3", 7.3), ("44.100,5", 44100.5)])
def test_vietnamese_number_formats(raw, value):
    assert parse_number(raw) == value


def test_figures_that_are_not_measures_are_skipped():
    text = ("Triển khai Nghị quyết số 1283/NQ-UBTVQH15, ngày 14/11/2024 và Kết luận 11-NQ/TU "
            "giai đoạn 2021-2025; đạt 12 bác sĩ/vạn dân")
    ms = parse_measures(text)
    assert [(m.figure, m.unit) for m in ms] == [("12", "bác sĩ/vạn dân")]


SECOND = """NGHỊ QUYẾT
CỦA HỘI ĐỒNG NHÂN DÂN TỈNH SƠN HÀ
Về kế hoạch phát triển hạ tầng và du lịch năm 2026

I. ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN NĂM 2025

Năm 2025, toàn tỉnh đón khoảng 4,2 triệu lượt khách; làm mới 135 km đường giao thông nông thôn. Sản lượng lương thực đạt 610 nghìn tấn.

II. CHỈ TIÊU NĂM 2026

1. Các chỉ tiêu

Về hạ tầng: (1) Cứng hóa thêm ít nhất 150 km đường giao thông nông thôn; (2) Tỷ lệ xã có đường ô tô đến trung tâm duy trì 100%.

Về du lịch: (1) Đón trên 4,5 triệu lượt khách, trong đó khách quốc tế khoảng 300 nghìn lượt khách; (2) Doanh thu du lịch đạt 9,8 nghìn tỷ đồng.

Về nông nghiệp: (1) Diện tích trồng rừng mới đạt 5.000 ha; (2) Sản lượng lương thực giữ ổn định ở mức 600 nghìn tấn.
"""


def test_second_resolution_other_wording_numbering_and_units():
    table, _ = table_of(SECOND, "son-ha.txt")
    got = [(t.group, t.number, [(m.label, m.comparator, m.value_json(), m.unit) for m in t.values])
           for t in table.targets]
    assert got == [
        ("Về hạ tầng", 1, [("Cứng hóa thêm đường giao thông nông thôn", "ít nhất", 150, "km")]),
        ("Về hạ tầng", 2, [("Tỷ lệ xã có đường ô tô đến trung tâm", "duy trì", 100, "%")]),
        ("Về du lịch", 1, [("Đón", "trên", 4.5, "triệu lượt khách"),
                           ("khách quốc tế", "khoảng", 300, "nghìn lượt khách")]),
        ("Về du lịch", 2, [("Doanh thu du lịch", "đạt", 9.8, "nghìn tỷ đồng")]),
        ("Về nông nghiệp", 1, [("Diện tích trồng rừng mới", "đạt", 5000, "ha")]),
        ("Về nông nghiệp", 2, [("Sản lượng lương thực giữ ổn định", "ở mức", 600, "nghìn tấn")]),
    ]
    assert not any(t.uncertain for t in table.targets)  # numbering restarting per group is not an error
    assert all(t.year == "2026" for t in table.targets)
    results = [(m.comparator, m.value_json(), m.unit) for r in table.results for m in r.values]
    assert results == [("khoảng", 4.2, "triệu lượt khách"), ("", 135, "km"), ("đạt", 610, "nghìn tấn")]
    assert all(r.year == "2025" for r in table.results)


MALFORMED = """NGHỊ QUYẾT
Về kế hoạch năm 2026

II. CHỈ TIÊU NĂM 2026

Về kinh tế: (1) Tăng trưởng đạt 8%; (2) Thu ngân sách đạt 5.000 tỷ đồng; (4) Số xã đạt chuẩn nông thôn mới đạt 15; (3) Xuất khẩu đạt 1,2 tỷ đô la Mỹ; (3) Nhập khẩu đạt 0,9 tỷ đô la Mỹ.
"""


def test_malformed_lists_are_flagged_uncertain_not_guessed():
    table, _ = table_of(MALFORMED)
    by = {(t.number, t.text.split()[1]): t for t in table.targets}
    assert [t.number for t in table.targets] == [1, 2, 4, 3, 3]
    assert not by[(1, "Tăng")].uncertain
    # (3) is missing after (2): both neighbours of the gap are flagged
    assert by[(2, "Thu")].uncertain and "skips (3)" in " ".join(by[(2, "Thu")].warnings)
    no_unit = by[(4, "Số")]
    assert no_unit.uncertain and no_unit.values[0].unit is None and no_unit.values[0].value_json() == 15
    assert any("has no unit" in w for w in no_unit.warnings)
    # "(3)" used twice: both records are flagged, and their values stay as written
    twice = [t for t in table.targets if t.number == 3]
    assert all(t.uncertain and any("more than once" in w for w in t.warnings) for t in twice)
    assert [t.values[0].value_json() for t in twice] == [1.2, 0.9]
