"""Golden tests of cleaning, the section tree and chunking on the bundled resolution."""

from __future__ import annotations

import pytest

from ingest.chunker import WINDOWED, build_chunks, chunk_id, count_tokens
from ingest.clean import clean_text
from ingest.structure import document_title, parse_units

PART_II = "II. Mục tiêu, chỉ tiêu năm 2025"
TARGETS = PART_II + " › 2. Chỉ tiêu chủ yếu"
ITEM_4 = ("III. Nhiệm vụ, giải pháp trọng tâm năm 2025 › 4. Tập trung xây dựng hệ thống kết cấu hạ tầng đồng bộ, "
          "nhất là hạ tầng đô thị, giao thông; quản lý, sử dụng hiệu quả đất đai, tài nguyên khoáng sản")

EXPECTED_TARGETS = {
    1: ("Về kinh tế", "(1) Tốc độ tăng trưởng kinh tế GRDP đạt trên 7%"),
    2: ("Về kinh tế", "(2) GRDP bình quân đầu người đạt trên 91 triệu đồng"),
    3: ("Về kinh tế", "(3) Thu nhập bình quân đầu người đạt trên 53 triệu đồng/năm"),
    4: ("Về kinh tế", "(4) Giá trị sản xuất trên đơn vị diện tích đạt trên 102 triệu đồng/ha"),
    5: ("Về kinh tế", "(5) Tổng vốn đầu tư thực hiện toàn xã hội đạt trên 44.100 tỷ đồng"),
    6: ("Về kinh tế", "(6) Kim ngạch xuất khẩu đạt trên 2,5 tỷ đô la Mỹ"),
    7: ("Về kinh tế", "(7) Tổng thu ngân sách trên địa bàn đạt trên 17.800 tỷ đồng, trong đó: thu nội địa trên "
                      "8.800 tỷ đồng; thu xuất nhập khẩu trên 9.000 tỷ đồng"),
    8: ("Về kinh tế", "(8) Thành lập mới trên 1.200 doanh nghiệp và đơn vị trực thuộc"),
    9: ("Về kinh tế", "(9) Tỉnh hoàn thành nhiệm vụ xây dựng nông thôn mới"),
    10: ("Về kinh tế", "(10) Tỷ lệ đô thị hóa đạt 40%"),
    11: ("Về văn hóa, xã hội", "(11) Tỷ lệ lao động trong độ tuổi tham gia bảo hiểm xã hội đạt trên 31,8%; tỷ lệ lao "
                               "động trong độ tuổi tham gia bảo hiểm thất nghiệp đạt trên 17,8%; tỷ lệ bao phủ bảo hiểm "
                               "y tế đạt trên 95%"),
    12: ("Về văn hóa, xã hội", "(12) Có 12 bác sĩ/1 vạn dân"),
    13: ("Về văn hóa, xã hội", "(13) Có 32 giường bệnh/1 vạn dân"),
    14: ("Về văn hóa, xã hội", "(14) Tỷ lệ hộ nghèo giảm 0,5-0,6%"),
    15: ("Về văn hóa, xã hội", "(15) Tỷ lệ lao động qua đào tạo đạt trên 80%"),
    16: ("Về văn hóa, xã hội", "(16) Giải quyết việc làm mới cho trên 23.500 người"),
    17: ("Về văn hóa, xã hội", "(17) Tốc độ đổi mới công nghệ đạt trên 23%"),
    18: ("Về văn hóa, xã hội", "(18) Duy trì tỷ lệ thủ tục hành chính toàn trình tích hợp vào Cổng dịch vụ công quốc "
                               "gia đạt 100%"),
    19: ("Về văn hóa, xã hội", "(19) Tỷ lệ thủ tục hành chính toàn trình phát sinh hồ sơ trực tuyến đạt 100%"),
    20: ("Về văn hóa, xã hội", "(20) Tỷ lệ hồ sơ trực tuyến toàn trình đối với các thủ tục hành chính toàn trình đạt "
                               "trên 90%"),
    21: ("Về văn hóa, xã hội", "(21) trên 93,5% hộ gia đình đạt danh hiệu văn hóa"),
    22: ("Về văn hóa, xã hội", "(22) trên 98% thôn, tổ dân phố đạt danh hiệu văn hóa"),
    23: ("Về văn hóa, xã hội", "(23) trên 71,2% cơ quan, đơn vị, doanh nghiệp đạt chuẩn văn hóa"),
    24: ("Về môi trường", "(24) Tỷ lệ chất thải rắn được phân loại, thu gom, xử lý đạt tiêu chuẩn đạt trên 95%"),
    25: ("Về môi trường", "(25) Duy trì tỷ lệ che phủ rừng trên 52%"),
    26: ("Về môi trường", "(26) Tỷ lệ dân số đô thị sử dụng nước sạch đạt trên 89%"),
    27: ("Về môi trường", "(27) Duy trì tỷ lệ dân số nông thôn sử dụng nước hợp vệ sinh đạt 100%, trong đó nước "
                          "đạt tiêu chuẩn đạt trên 72%"),
    28: ("Về quốc phòng an ninh", "(28) trên 96% xã, phường, thị trấn đạt cơ sở vững mạnh toàn diện"),
}


@pytest.fixture(scope="module")
def clean(corpus_text):
    return clean_text(corpus_text)


@pytest.fixture(scope="module")
def chunks(clean):
    return build_chunks("nq.txt", clean)


def test_page_break_repairs(clean):
    assert clean.repairs == [
        ("hiều chuyên án, điển hình toàn", "quốc. Triển khai Đề án 06 có n"),
        ("ành chính, kiến tạo môi trường", "đầu tư kinh doanh thuận lợi. C"),
        ("hiệu UNESCO. Tập trung chỉ đạo", "tổ chức tốt các ngày lễ lớn củ"),
        ("iêm túc các kết luận sau thanh", "tra, kiểm tra, kiểm toán. Rà s"),
    ]
    for joined in ("điển hình toàn quốc.", "kiến tạo môi trường đầu tư kinh doanh thuận lợi",
                   "Tập trung chỉ đạo tổ chức tốt các ngày lễ lớn", "các kết luận sau thanh tra, kiểm tra"):
        assert joined in clean.text


def test_footnotes_leave_the_body_and_follow_their_reference(clean):
    notes = [b for b in clean.blocks if b.footnote is not None]
    assert [b.footnote for b in notes] == [1, 2]
    assert notes[0].text.startswith("¹ Ba trung tâm đô thị: Trung tâm đô thị xung quanh thành phố Hà Tĩnh")
    assert notes[1].text.startswith("² Ba hành lang kinh tế: Hành lang kinh tế đồng bằng ven biển")
    referencing = [b for b in clean.blocks if b.markers]
    assert len(referencing) == 1 and referencing[0].markers == (1, 2)
    assert "hạ tầng 3 đô thị¹, 3 hành lang kinh tế²" in referencing[0].text
    order = clean.blocks.index(referencing[0])
    assert clean.blocks[order + 1] is notes[0] and clean.blocks[order + 2] is notes[1]
    # the sentence the footnotes interrupted reads on
    assert "Tập trung chỉ đạo ¹" not in clean.text and "chỉ đạo tổ chức tốt" in clean.text


def test_blocks_are_exact_slices(clean):
    for b in clean.blocks:
        assert clean.text[b.start:b.end] == b.text


def test_all_28_targets_with_numbers_groups_and_text(clean):
    units = [u for u in parse_units(clean) if u.kind == "target"]
    assert [u.number for u in units] == list(range(1, 29))
    for u in units:
        group, text = EXPECTED_TARGETS[u.number]
        assert u.group == group
        assert clean.text[u.start:u.end] == text
        assert u.path == (PART_II, "2. Chỉ tiêu chủ yếu", group)
        assert u.period == "2025"


def test_breadcrumbs(chunks):
    sections = {c.section for c in chunks}
    assert "I. Kết quả lãnh đạo, chỉ đạo phát triển kinh tế - xã hội, quốc phòng, an ninh năm 2024" in sections
    assert f"{PART_II} › 1. Mục tiêu tổng quát" in sections
    assert f"{TARGETS} › Về môi trường" in sections
    assert f"{ITEM_4} › Chú thích 1" in sections and f"{ITEM_4} › Chú thích 2" in sections
    assert "IV. Tổ chức thực hiện" in sections
    assert "Nơi nhận" in sections and "Chữ ký" in sections
    sig = next(c for c in chunks if c.kind == "signature")
    assert sig.text == "T/M TỈNH ỦY\nBÍ THƯ\n\nHoàng Trung Dũng"
    rec = next(c for c in chunks if c.kind == "recipients")
    assert rec.text.startswith("Nơi nhận:") and rec.text.endswith("- Lưu Văn phòng Tỉnh ủy.")
    periods = {c.period for c in chunks if c.section.startswith("I. ")}
    assert periods == {"2024"}


def test_title(clean):
    assert document_title(clean) == ("Nghị quyết của ban chấp hành đảng bộ tỉnh về tình hình kinh tế - xã hội, "
                                     "quốc phòng, an ninh năm 2024; mục tiêu, nhiệm vụ, giải pháp năm 2025")


def test_chunks_are_exact_ordered_non_overlapping_and_within_budget(clean, chunks):
    assert len(chunks) == 109
    prev_end = -1
    for c in chunks:
        assert clean.text[c.start:c.end] == c.text
        assert c.start >= prev_end
        prev_end = c.end
        if c.kind in WINDOWED:
            assert count_tokens(c.text) <= 160
        assert c.id == chunk_id("nq.txt", c.start, c.end, c.text)
    assert len({c.id for c in chunks}) == len(chunks)


def test_chunk_ids_are_stable_and_content_addressed(clean, corpus_text):
    again = build_chunks("nq.txt", clean_text(corpus_text))
    assert [c.id for c in again] == [c.id for c in build_chunks("nq.txt", clean)]
    other = build_chunks("other.txt", clean)
    assert not {c.id for c in other} & {c.id for c in again}


def test_generic_structure_on_another_resolution():
    text = ("NGHỊ QUYẾT\nVề phát triển giáo dục\n\nI. ĐÁNH GIÁ NĂM 2023\n\nNăm 2023 tỷ lệ trường chuẩn đạt 60%. "
            "Công tác tuyển sinh được chú\n\ntrọng.\n\nII. CHỈ TIÊU NĂM 2024\n\n1. Chỉ tiêu\n\nVề giáo dục: "
            "(1) Tỷ lệ trường chuẩn quốc gia đạt 65%; (2) Có 300 giáo viên mới.\n\nT/M ỦY BAN NHÂN DÂN\nCHỦ TỊCH\n\n"
            "Nguyễn Văn A")
    clean = clean_text(text)
    assert "được chú trọng." in clean.text
    units = parse_units(clean)
    targets = [u for u in units if u.kind == "target"]
    assert [(u.number, u.group, u.period) for u in targets] == [(1, "Về giáo dục", "2024"), (2, "Về giáo dục", "2024")]
    assert clean.text[targets[1].start:targets[1].end] == "(2) Có 300 giáo viên mới"
    assert units[1].path == ("I. Đánh giá năm 2023",) and units[1].period == "2023"
    assert units[-1].kind == "signature"
