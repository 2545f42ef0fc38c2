"""Answers read from the targets table: counts, and a result set against its target."""

from __future__ import annotations

TARGETS = "II. Mục tiêu, chỉ tiêu năm 2025 › 2. Chỉ tiêu chủ yếu › "
RESULTS = "I. Kết quả lãnh đạo, chỉ đạo phát triển kinh tế - xã hội, quốc phòng, an ninh năm 2024"


def test_count_of_all_targets_cites_each_group(assistant):
    a = assistant.ask("Nghị quyết có bao nhiêu chỉ tiêu chủ yếu?")
    assert a.answer.splitlines() == [
        "Nghị quyết đề ra 28 chỉ tiêu chủ yếu:",
        "- Về kinh tế: 10 chỉ tiêu, (1)–(10) [1]",
        "- Về văn hóa, xã hội: 13 chỉ tiêu, (11)–(23) [2]",
        "- Về môi trường: 4 chỉ tiêu, (24)–(27) [3]",
        "- Về quốc phòng an ninh: 1 chỉ tiêu, (28) [4]",
    ]
    assert [c.section for c in a.citations] == [TARGETS + g for g in (
        "Về kinh tế", "Về văn hóa, xã hội", "Về môi trường", "Về quốc phòng an ninh")]
    assert [c.quote[:4] for c in a.citations] == ["(10)", "(23)", "(27)", "(28)"]


def test_count_of_one_group_without_diacritics(assistant):
    a = assistant.ask("co may chi tieu ve moi truong")
    assert a.answer == "Nghị quyết đề ra 4 chỉ tiêu về môi trường: (24)–(27) [1]"


def test_a_count_of_results_is_not_read_from_the_table(assistant):
    a = assistant.ask("Năm 2024 tỉnh đạt được bao nhiêu chỉ tiêu?")
    assert "26/28" in a.answer and a.citations[0].section == RESULTS


def test_result_against_target_with_both_figures_cited_and_the_difference(assistant):
    a = assistant.ask("So sánh thu ngân sách năm 2024 với chỉ tiêu năm 2025")
    assert a.answer.splitlines() == [
        "Năm 2024: thu ngân sách ước đạt 17.900 tỷ đồng [1]",
        "Mục tiêu năm 2025: Tổng thu ngân sách trên địa bàn đạt trên 17.800 tỷ đồng [2]",  # a part of (7)
        "Chênh lệch: kết quả năm 2024 cao hơn mức mục tiêu năm 2025 là 100 tỷ đồng.",
    ]
    first, second = a.citations
    assert (first.section, second.section) == (RESULTS, TARGETS + "Về kinh tế")
    assert first.quote in first.text and second.quote in second.text


def test_growth_difference_in_percentage_points(assistant):
    a = assistant.ask("so sanh tang truong kinh te nam 2024 voi muc tieu nam 2025")
    assert "7,3% [1]" in a.answer and "trên 7% [2]" in a.answer and "0,3 điểm phần trăm" in a.answer


def test_no_difference_between_a_level_and_a_reduction(assistant):
    a = assistant.ask("Tỷ lệ hộ nghèo năm 2024 so với chỉ tiêu năm 2025 thế nào?")
    assert "2,41% [1]" in a.answer and "0,5-0,6% [2]" in a.answer
    assert "Chênh lệch" not in a.answer  # "giảm còn 2,41%" is a level, "giảm 0,5-0,6%" a change
