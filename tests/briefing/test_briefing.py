"""Briefings: the right targets with their values, related results and tasks, every point cited
exactly; Markdown and Word exports; transcripts."""

from __future__ import annotations

import pytest

from briefing.builder import BriefingBuilder
from briefing.export import to_docx, to_markdown, transcript, write
from core.types import Answer, Citation

ENV = "II. Mục tiêu, chỉ tiêu năm 2025 › 2. Chỉ tiêu chủ yếu › Về môi trường"


@pytest.fixture(scope="module")
def builder(assistant):
    return BriefingBuilder(assistant)


@pytest.fixture(scope="module")
def environment(builder):
    return builder.by_topic("môi trường")


def test_topic_naming_a_group_gets_its_targets_with_values(environment, corpus_text):
    targets, results, tasks = environment.sections
    assert environment.title == "Tài liệu sinh hoạt: Môi trường"
    assert targets.heading == "Chỉ tiêu năm 2025" and results.heading == "Kết quả năm 2024"
    assert [p.text[:4] for p in targets.points] == ["(24)", "(25)", "(26)", "(27)"]
    assert [p.values for p in targets.points][:3] == ["trên 95%", "duy trì trên 52%", "trên 89%"]
    assert targets.points[3].values == ("tỷ lệ dân số nông thôn sử dụng nước hợp vệ sinh: duy trì 100%; "
                                        "nước đạt tiêu chuẩn: trên 72%")
    assert all(p.citations[0].section == ENV for p in targets.points)
    assert any("ô nhiễm môi trường" in p.text for p in tasks.points)
    # "môi trường đầu tư kinh doanh" recurs in the text: a term of its own, not the environment
    assert not any("môi trường đầu tư" in p.text for s in environment.sections for p in s.points)


def test_every_point_is_an_exact_cited_quote(builder, environment):
    from ingest.clean import clean_text
    from tests.conftest import CORPUS

    text = clean_text(CORPUS.read_text(encoding="utf-8")).text
    cites = environment.numbered()
    assert [c.n for c in cites] == list(range(1, len(cites) + 1))
    for c in cites:
        assert text[c.start:c.end] == c.quote and c.quote in c.text


def test_topic_without_diacritics_and_a_free_text_topic(builder):
    plain = builder.by_topic("moi truong")
    assert [p.text[:4] for p in plain.sections[0].points] == ["(24)", "(25)", "(26)", "(27)"]
    # titled as the documents spell it
    assert plain.title == "Tài liệu sinh hoạt: Môi trường"
    assert builder.by_topic("nuoc sach").title == "Tài liệu sinh hoạt: Nước sạch"
    digital = builder.by_topic("chuyển đổi số")
    assert any("Chuyển đổi số được các cấp" in p.text for p in digital.sections[1].points)
    assert any("chỉ số đánh giá chuyển đổi số cấp tỉnh (DTI)" in p.text for p in digital.sections[2].points)


def test_markdown_and_docx_exports(environment, tmp_path):
    md = to_markdown(environment)
    assert "| (25) | Duy trì tỷ lệ che phủ rừng trên 52% | duy trì trên 52% | [2] |" in md
    name = environment.numbered()[1].doc_title  # the resolution's short name, read from its header
    assert name.startswith("Nghị quyết") and name != "nghi-quyet-tinh-uy-ha-tinh-2025.txt"
    assert "## Ghi chú" in md and f"2. {name} › {ENV} (ký tự" in md
    assert "## Nguồn" in md and f"- {name} › {ENV}" in md
    assert f"Văn bản: {name} (nghi-quyet-tinh-uy-ha-tinh-2025.txt)" in md
    path = to_docx(environment, tmp_path / "b.docx")
    import docx

    d = docx.Document(str(path))
    rows = [[c.text for c in r.cells] for r in d.tables[0].rows]
    assert rows[0] == ["Số", "Chỉ tiêu", "Giá trị", "Nguồn"]
    assert rows[2] == ["(25)", "Duy trì tỷ lệ che phủ rừng trên 52%", "duy trì trên 52%", "[2]"]
    body = "\n".join(p.text for p in d.paragraphs)
    assert "Tài liệu sinh hoạt: Môi trường" in body and "«(25) Duy trì tỷ lệ che phủ rừng trên 52%»" in body
    assert f"[2] {name} › {ENV} (ký tự" in body and "nghi-quyet-tinh-uy-ha-tinh-2025.txt ›" not in body
    with pytest.raises(ValueError, match="use .md or .docx"):
        write(environment, tmp_path / "b.pdf")


def test_docx_is_a4_with_vietnamese_margins_title_and_author(environment, tmp_path):
    import docx

    d = docx.Document(str(to_docx(environment, tmp_path / "b.docx")))
    for section in d.sections:  # Word stores twentieths of a point: compare in whole millimetres
        sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin,
                 section.left_margin, section.right_margin)
        assert [round(x.mm) for x in sizes] == [210, 297, 20, 20, 30, 15]
    props = d.core_properties
    assert props.title == "Tài liệu sinh hoạt: Môi trường" and props.author == "Hỏi đáp Nghị quyết"
    assert props.language == "vi-VN" and "python-docx" not in (props.author, props.last_modified_by, props.comments)


def test_briefing_from_questions_renumbers_citations(builder):
    b = builder.by_questions(["Tỷ lệ che phủ rừng năm 2025?", "Ai ký nghị quyết?", "  "])
    (section,) = b.sections
    assert len(section.points) == 2 and "[1]" in section.points[0].text and "[2]" in section.points[1].text
    assert [c.n for c in b.numbered()] == [1, 2]


def test_transcript_of_a_chat(assistant):
    answers = [assistant.ask("ty le ho ngheo nam 2024"), assistant.ask("Các chỉ tiêu về môi trường?")]
    t = transcript(answers)
    md = to_markdown(t)
    assert "- Hỏi: ty le ho ngheo nam 2024" in md and "2,41% [1]" in md
    assert "(24) Tỷ lệ chất thải rắn" in md and "[5]" in md  # the second answer's citations follow on
    assert [c.n for c in t.numbered()] == list(range(1, 6))


def _cite(n: int, doc: str, title: str, section: str = "I. Mục tiêu") -> Citation:
    return Citation(n=n, doc=doc, section=section, text="Số hóa 20.000 trang.", quote="20.000 trang", start=10,
                    end=22, score=1.0, doc_id=doc, doc_title=title)


def test_transcript_names_sources_by_title_and_number():
    plan = "Kế hoạch 215/KH-UBND của Ủy ban nhân dân tỉnh Bắc Ninh"
    answers = [Answer("q1", "Số hóa 20.000 trang [1]", True, [_cite(1, "kh-215.txt", plan)]),
               Answer("q2", "Có [1]", True, [_cite(1, "cu.txt", "")])]  # an old citation: no title known
    t = transcript(answers)
    assert t.documents == [f"{plan} (kh-215.txt)", "cu.txt"]
    md = to_markdown(t)
    assert f"1. {plan} › I. Mục tiêu (ký tự 10–22): «20.000 trang»" in md and f"- {plan} › I. Mục tiêu" in md
    assert "2. cu.txt › I. Mục tiêu" in md and "kh-215.txt ›" not in md
    assert answers[0].citations[0].n == 1  # the caller's answers are not renumbered


def test_table_answer_citations_carry_the_document(assistant):
    ans = assistant.ask("có bao nhiêu chỉ tiêu chủ yếu")
    assert ans.found and ans.citations
    assert all(c.doc_id == c.doc and c.doc_title.startswith("Nghị quyết") for c in ans.citations)


def test_briefing_citations_carry_the_document(environment):
    assert all(c.doc_id == c.doc and c.doc_title.startswith("Nghị quyết") for c in environment.numbered())
