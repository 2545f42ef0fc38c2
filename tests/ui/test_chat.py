"""ui/chat.py without a browser: the example questions and the citations panel's HTML."""

from __future__ import annotations

import pytest

from core.types import Answer, Citation
from ui.chat import DOCUMENT_HEADERS, EXAMPLES, document_choices, documents_table, short_issuer, vn_date
from ui.citations import citations_html

# a figure (or name) each example's answer must contain
EXPECTED = {
    "Đến năm 2025 độ che phủ rừng phải đạt mức nào?": "52%",
    "Năm 2024 kinh tế của tỉnh ước tăng trưởng bao nhiêu?": "7,3%",
    "ty le ho ngheo cuoi nam 2024": "2,41%",
    "Nhóm chỉ tiêu môi trường có những chỉ tiêu nào?": "(25) Duy trì tỷ lệ che phủ rừng trên 52%",
    "Ba hành lang kinh tế gồm những gì?": "quốc lộ 8",
    "Ai ký nghị quyết?": "Hoàng Trung Dũng",
}


def test_every_example_has_an_expectation():
    assert set(EXPECTED) == set(EXAMPLES)


@pytest.mark.parametrize("question", EXAMPLES)
def test_example_questions_are_answered(assistant, question):
    answer = assistant.ask(question)
    assert answer.found and answer.citations, answer.answer
    assert EXPECTED[question] in answer.answer


def _citation(**kw) -> Citation:
    values = dict(n=1, doc="nq.txt", section="II. Mục tiêu › Về môi trường", text="Mở đầu. (25) Rừng trên 52%. Hết.",
                  quote="(25) Rừng trên 52%", start=8, end=26, score=0.9)
    return Citation(**{**values, **kw})


def _text(html_: str) -> str:
    """What the reader sees: the HTML without its tags (attributes, such as the tooltip, dropped)."""
    import re

    return re.sub(r"<[^>]+>", "", html_)


def test_citations_html_quote_section_and_expandable_passage():
    out = citations_html(Answer("q", "(25) Rừng trên 52% [1]", True, [_citation()]))
    assert "<b>[1]</b>" in out and "nq.txt › II. Mục tiêu › Về môi trường" in _text(out)
    assert "ký tự" not in out and "8–26" not in out  # offsets stay in the JSON, out of the label
    assert '<div class="quote"><mark>(25) Rừng trên 52%</mark></div>' in out
    assert ('<details><summary>Xem toàn văn đoạn trích</summary>'
            '<div class="passage">Mở đầu. <mark>(25) Rừng trên 52%</mark>. Hết.</div></details>') in out


def test_citations_html_short_passage_has_no_details_and_escapes():
    out = citations_html(Answer("q", "a", True, [_citation(text="<b>x</b> & y", quote="<b>x</b> & y", section="")]))
    assert "<details>" not in out and "<mark>&lt;b&gt;x&lt;/b&gt; &amp; y</mark>" in out
    assert "nq.txt ›" not in _text(out)  # no empty section path


def test_citations_html_quote_not_in_passage_and_no_citations():
    out = citations_html(Answer("q", "a", True, [_citation(quote="khác")]))
    assert '<div class="passage">Mở đầu. (25) Rừng trên 52%. Hết.</div>' in out
    assert "Không có trích dẫn" in citations_html(Answer("q", "Văn bản không có thông tin", False))


def test_citations_html_for_a_real_answer(assistant):
    out = citations_html(assistant.ask("ty le ho ngheo nam 2024"))
    assert "<mark>" in out and "2,41%" in out and "I. Kết quả lãnh đạo" in out and "<details>" in out


def test_citation_label_names_the_document_by_title_and_number_and_section():
    cite = _citation(doc="ke-hoach-215.txt", doc_id="ke-hoach-215.txt", section="I. Mục tiêu › 2",
                     doc_title="Kế hoạch 215/KH-UBND của Ủy ban nhân dân tỉnh Bắc Ninh", start=412, end=460)
    out = citations_html(Answer("q", "a [1]", True, [cite]))
    seen = _text(out)
    assert "[1] Kế hoạch 215/KH-UBND của Ủy ban nhân dân tỉnh Bắc Ninh › I. Mục tiêu › 2" in seen
    assert "ke-hoach-215.txt" not in seen and "412" not in seen and "ký tự" not in seen
    assert 'title="ke-hoach-215.txt"' in out  # the file name is the tooltip
    # escaped like the rest of the panel
    out = citations_html(Answer("q", "a", True, [_citation(doc_title="Kế hoạch <b>1</b> & 2")]))
    assert "Kế hoạch &lt;b&gt;1&lt;/b&gt; &amp; 2" in out


def test_citations_html_for_a_real_answer_names_the_resolution(assistant):
    answer = assistant.ask("Ai ký nghị quyết?")
    seen = _text(citations_html(answer))
    c = answer.citations[0]
    assert c.doc_title and f"[1] {c.doc_title} › {c.section}" in seen
    assert c.doc not in seen and f"{c.start}–{c.end}" not in seen


class _Store:
    def documents(self):
        return [{"doc_id": "ke-hoach-215.txt", "title": "Kế hoạch phát triển thư viện số", "number": "215/KH-UBND",
                 "type": "Kế hoạch", "issuer": "Ủy ban nhân dân tỉnh Bắc Ninh", "province": "Bắc Ninh",
                 "date": "2026-03-05", "signer": "Nguyễn Văn Minh", "chunks": 7},
                {"doc_id": "nq.txt", "title": "Nghị quyết", "number": "", "type": "Nghị quyết", "issuer": "",
                 "province": "", "date": "", "signer": "", "chunks": 3}]


class _Assistant:
    store = _Store()

    def documents(self):  # the rows the Assistant lists (from its library index), here fixed
        return self.store.documents()


def test_documents_table_columns_are_vietnamese_with_number_title_issuer_date():
    assert DOCUMENT_HEADERS == ["Tệp", "Số hiệu", "Tiêu đề", "Cơ quan ban hành", "Ngày", "Số đoạn"]
    rows = documents_table(_Assistant())
    assert rows == [["ke-hoach-215.txt", "215/KH-UBND", "Kế hoạch phát triển thư viện số",
                     "Ủy ban nhân dân tỉnh Bắc Ninh", "05/03/2026", 7],
                    ["nq.txt", "", "Nghị quyết", "", "", 3]]
    assert vn_date("2025-11-20") == "20/11/2025" and vn_date("2025") == "2025" and vn_date("") == ""


class _LibraryStore:
    def documents(self):
        row = {"title": "", "type": "", "number": "", "issuer": "", "province": "", "date": "", "signer": "",
               "chunks": 5, "source": ""}
        return [{**row, "doc_id": "kh-182.txt", "file": "kh-182.txt", "type": "Kế hoạch", "number": "182/KH-UBND",
                 "issuer": "Ủy ban nhân dân tỉnh Đồng Nai"},
                {**row, "doc_id": "nq-66.txt", "file": "nq-66.txt", "type": "Nghị quyết", "number": "66/2025/NQ-HĐND",
                 "issuer": "Hội đồng nhân dân thành phố Hà Nội"},
                {**row, "doc_id": "nghi-quyet.txt", "file": "nghi-quyet.txt", "title": "Nghị quyết về thư viện xã"},
                {**row, "doc_id": "lang-son/nghi-quyet.txt", "file": "nghi-quyet.txt", "title": "Nghị quyết về thư viện xã"},
                {**row, "doc_id": "khong-tieu-de.txt", "file": "khong-tieu-de.txt"}]


class _LibraryAssistant:
    store = _LibraryStore()

    def documents(self):
        return self.store.documents()


def test_document_choices_label_each_document_by_its_short_name_and_keep_ids_as_values():
    assert document_choices(_LibraryAssistant()) == [
        ("Kế hoạch 182/KH-UBND – UBND tỉnh Đồng Nai", "kh-182.txt"),
        ("Nghị quyết 66/2025/NQ-HĐND – HĐND thành phố Hà Nội", "nq-66.txt"),
        # two documents that read the same are told apart by their ids
        ("Nghị quyết về thư viện xã (nghi-quyet.txt)", "nghi-quyet.txt"),
        ("Nghị quyết về thư viện xã (lang-son/nghi-quyet.txt)", "lang-son/nghi-quyet.txt"),
        ("khong-tieu-de.txt", "khong-tieu-de.txt"),
    ]
    assert short_issuer("Ủy ban nhân dân tỉnh Đồng Nai") == "UBND tỉnh Đồng Nai"
    assert short_issuer("Thủ tướng Chính phủ") == "Thủ tướng Chính phủ" and short_issuer("") == ""


def test_bubble_text_drops_a_footnote_marker_and_says_how_a_follow_up_was_understood():
    from ui.citations import bubble_text

    assert bubble_text(Answer("q", "² Ba hành lang kinh tế: … [1]", True)) == "Ba hành lang kinh tế: … [1]"
    follow = Answer("năm 2024?", "tỷ lệ hộ nghèo giảm còn 2,41% [1]", True,
                    understood="Tỷ lệ hộ nghèo năm 2024 là bao nhiêu?")
    assert bubble_text(follow) == "*Hiểu là: Tỷ lệ hộ nghèo năm 2024 là bao nhiêu?*\n\ntỷ lệ hộ nghèo giảm còn 2,41% [1]"


def test_conversation_citations_keep_every_answer_under_its_question_latest_first():
    from ui.citations import conversation_citations_html
    from ui.page_assets import NO_CITATIONS

    first = Answer("rừng?", "(25) Rừng trên 52% [1]", True, [_citation()]).to_dict()
    second = Answer("nghèo?", "2,41% [1]", True, [_citation(quote="2,41%", text="giảm còn 2,41%")]).to_dict()
    out = conversation_citations_html([first, second])
    assert out.index("Câu hỏi 2: nghèo?") < out.index("Câu hỏi 1: rừng?")
    assert 'id="cite-0-1"' in out and 'id="cite-1-1"' in out and "<mark>(25) Rừng trên 52%</mark>" in out
    assert conversation_citations_html([]) == NO_CITATIONS
    assert Answer.from_dict(second).citations[0].quote == "2,41%"
