"""Per document everywhere, and one indicator across documents.

Two small plans written here, of two provinces, share indicators with different figures (forest
cover, public investment disbursement) and number their targets (1)..(n) each. Counts, a target
by its number, group lists and comparisons read ONE document; a question asking across documents
("qua các năm", "so sánh … của A và B", "các tỉnh") gets a table with a cited row per document
and year, built from the targets table.
"""

from __future__ import annotations

import pytest

from answering.chain import Assistant
from ingest.pipeline import ingest_upload
from ingest.targets import to_csv
from settings import Settings

LANG_SON = "ke-hoach-lang-son-2025.txt"
CA_MAU = "ke-hoach-ca-mau-2025.txt"

LANG_SON_TEXT = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 41/KH-UBND
Lạng Sơn, ngày 12 tháng 3 năm 2025

KẾ HOẠCH

PHÁT TRIỂN KINH TẾ VÀ BẢO VỆ RỪNG NĂM 2025

I. KẾT QUẢ THỰC HIỆN NĂM 2024

Năm 2024, tỷ lệ che phủ rừng của tỉnh đạt 63,2%. Giải ngân vốn đầu tư công đạt 91,5% kế hoạch vốn được giao. Toàn tỉnh trồng mới 11.400 ha rừng tập trung.

II. MỤC TIÊU, CHỈ TIÊU NĂM 2025

Về kinh tế: (1) Tỷ lệ giải ngân vốn đầu tư công đạt trên 95%; (2) Thu ngân sách trên địa bàn đạt 9.500 tỷ đồng; (3) Thành lập mới 600 doanh nghiệp.

Về môi trường: (4) Tỷ lệ che phủ rừng đạt trên 64%; (5) Trồng mới 12.000 ha rừng tập trung.

III. MỤC TIÊU ĐẾN NĂM 2030

a) Trên 80% số trạm y tế xã và 100% bệnh viện huyện có bác sĩ chuyên khoa nhi.

IV. NHIỆM VỤ, GIẢI PHÁP

1. Sở Nông nghiệp và Môi trường theo dõi diễn biến rừng, tổ chức phòng cháy, chữa cháy rừng trong mùa khô.

2. Sở Tài chính đôn đốc giải ngân vốn đầu tư công, tháo gỡ vướng mắc về giải phóng mặt bằng.

Nơi nhận:
- Bộ Tài chính,
- Lưu: VT.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Hoàng Văn Khánh
"""

CA_MAU_TEXT = """ỦY BAN NHÂN DÂN
TỈNH CÀ MAU
-------
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
---------------
Số: 57/KH-UBND
Cà Mau, ngày 20 tháng 3 năm 2025

KẾ HOẠCH

PHÁT TRIỂN KINH TẾ VÀ BẢO VỆ RỪNG NGẬP MẶN NĂM 2025

I. KẾT QUẢ THỰC HIỆN NĂM 2024

Năm 2024, tỷ lệ che phủ rừng đạt 25,8%. Giải ngân vốn đầu tư công đạt 97,1% kế hoạch. Sản lượng tôm nuôi đạt 245.000 tấn.

II. MỤC TIÊU, CHỈ TIÊU NĂM 2025

Về kinh tế: (1) Tỷ lệ giải ngân vốn đầu tư công đạt 100%; (2) Tỷ lệ lao động tham gia bảo hiểm thất nghiệp đạt 32%.

Về môi trường: (3) Duy trì tỷ lệ che phủ rừng trên 26%; (4) Tỷ lệ chất thải rắn sinh hoạt được thu gom đạt 92%; (5) Trồng mới 800 ha rừng ngập mặn; (6) Nạo vét 150 km kênh thủy lợi.

III. MỤC TIÊU ĐẾN NĂM 2030

a) Phấn đấu 95% bệnh viện huyện và trên 70% số trạm y tế xã có bác sĩ chuyên khoa nhi.

IV. NHIỆM VỤ, GIẢI PHÁP

1. Sở Nông nghiệp và Môi trường phối hợp với các xã ven biển bảo vệ đai rừng phòng hộ.

Nơi nhận:
- Bộ Nông nghiệp và Môi trường,
- Lưu: VT.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Trương Minh Lộc
"""


@pytest.fixture(scope="module")
def two_plans(tmp_path_factory) -> Assistant:
    settings = Settings.from_env(index_dir=tmp_path_factory.mktemp("per-doc-index"))
    assistant = Assistant(settings)
    for name, text in ((LANG_SON, LANG_SON_TEXT), (CA_MAU, CA_MAU_TEXT)):
        assert ingest_upload(text.encode("utf-8"), name, assistant.store, settings).added == [name]
    return assistant


LS_NAME = "Kế hoạch 41/KH-UBND của UBND tỉnh Lạng Sơn"  # as answers name the documents
CM_NAME = "Kế hoạch 57/KH-UBND của UBND tỉnh Cà Mau"


def _docs(answer) -> set[str]:
    return {c.doc for c in answer.citations}


def _by_document(answer) -> dict[str, set[str]]:
    """Each document's part of an answer that gives several ("- Theo …: …") -> the documents its
    citation markers point to."""
    import re

    parts = re.split(r"^- Theo (.+?): ", answer.answer, flags=re.M)[1:]
    out = {}
    for name, text in zip(parts[::2], parts[1::2]):
        marks = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
        out[name] = {c.doc for c in answer.citations if c.n in marks}
    return out


# --- the targets table: a document column ----------------------------------------------------

def test_targets_table_names_each_document(two_plans):
    table = two_plans.table
    assert table.documents() == {CA_MAU: "Kế hoạch 57/KH-UBND của Ủy ban nhân dân tỉnh Cà Mau",
                                 LANG_SON: "Kế hoạch 41/KH-UBND của Ủy ban nhân dân tỉnh Lạng Sơn"}
    assert [t.number for t in table.select(doc=LANG_SON)] == [1, 2, 3, 4, 5]
    assert [t.number for t in table.select(doc=[LANG_SON, CA_MAU], group="moi truong")] == [3, 4, 5, 6, 4, 5]
    assert not any(t.uncertain for t in table.targets)  # each document's numbering is read on its own
    lines = to_csv(table.select(doc=CA_MAU, group="moi truong")).splitlines()
    assert lines[0].startswith("doc,kind,year,number") and lines[0].endswith(",doc_title")
    assert len(lines) == 1 + 4
    assert all(line.startswith(CA_MAU) and line.endswith("Kế hoạch 57/KH-UBND của Ủy ban nhân dân tỉnh Cà Mau")
               for line in lines[1:])


# --- one document: counts, a target by its number, group lists, comparisons ---------------------

def test_a_count_reads_each_document_on_its_own(two_plans):
    a = two_plans.ask("Kế hoạch có bao nhiêu chỉ tiêu chủ yếu?")  # unscoped: each plan's own count, never 11
    assert f"- Theo {LS_NAME}: Kế hoạch đề ra 5 chỉ tiêu chủ yếu:" in a.answer
    assert f"- Theo {CM_NAME}: Kế hoạch đề ra 6 chỉ tiêu chủ yếu:" in a.answer
    assert _by_document(a) == {LS_NAME: {LANG_SON}, CM_NAME: {CA_MAU}} and "11" not in a.answer


@pytest.mark.parametrize("doc,answer", [
    (LANG_SON, f"Theo {LS_NAME}:\nKế hoạch đề ra 2 chỉ tiêu về môi trường: (4)–(5) [1]"),
    (CA_MAU, f"Theo {CM_NAME}:\nKế hoạch đề ra 4 chỉ tiêu về môi trường: (3)–(6) [1]"),
])
def test_a_group_count_in_each_scoped_document(two_plans, doc, answer):
    a = two_plans.ask("co bao nhieu chi tieu ve moi truong", docs=[doc])
    assert a.answer == answer and _docs(a) == {doc}


def test_the_words_naming_a_document_are_not_a_group(two_plans):
    a = two_plans.ask("Kế hoạch bảo vệ rừng ngập mặn có bao nhiêu chỉ tiêu?", docs=[CA_MAU])  # its title's words
    assert a.answer.splitlines()[1] == "Kế hoạch đề ra 6 chỉ tiêu chủ yếu:"


def test_a_group_count_of_the_document_the_question_names(two_plans):
    a = two_plans.ask("Lạng Sơn có bao nhiêu chỉ tiêu về môi trường?")
    assert a.answer == f"Theo {LS_NAME}:\nKế hoạch đề ra 2 chỉ tiêu về môi trường: (4)–(5) [1]"


@pytest.mark.parametrize("doc,fact,other", [
    (LANG_SON, "12.000 ha rừng tập trung", "800 ha"),
    (CA_MAU, "800 ha rừng ngập mặn", "12.000 ha"),
])
def test_a_target_by_number_in_each_scoped_document(two_plans, doc, fact, other):
    a = two_plans.ask("Chỉ tiêu số 5 là gì?", docs=[doc])
    assert fact in a.answer and other not in a.answer and _docs(a) == {doc}


def test_a_target_by_number_unscoped_comes_from_each_document_on_its_own(two_plans):
    a = two_plans.ask("Chỉ tiêu số 5 là gì?")
    assert f"- Theo {LS_NAME}: (5) Trồng mới 12.000 ha rừng tập trung [" in a.answer
    assert f"- Theo {CM_NAME}: (5) Trồng mới 800 ha rừng ngập mặn [" in a.answer
    assert _by_document(a) == {LS_NAME: {LANG_SON}, CM_NAME: {CA_MAU}}
    a = two_plans.ask("Chỉ tiêu số 6 là gì?")  # only Cà Mau has a sixth target
    assert a.answer == f"Theo {CM_NAME}:\n(6) Nạo vét 150 km kênh thủy lợi [1]" and _docs(a) == {CA_MAU}


def test_a_group_list_comes_from_each_document_on_its_own(two_plans):
    a = two_plans.ask("Các chỉ tiêu về môi trường gồm những gì?")
    assert _by_document(a) == {LS_NAME: {LANG_SON}, CM_NAME: {CA_MAU}}
    numbers = {name: [c.quote[:3] for c in a.citations if c.doc == doc]
               for name, doc in ((LS_NAME, LANG_SON), (CM_NAME, CA_MAU))}
    assert numbers == {LS_NAME: ["(4)", "(5)"], CM_NAME: ["(3)", "(4)", "(5)", "(6)"]}


def test_result_against_target_within_one_document(two_plans):
    a = two_plans.ask("So sánh giải ngân vốn đầu tư công năm 2024 với chỉ tiêu năm 2025", docs=[CA_MAU])
    assert a.answer.splitlines()[:4] == [
        f"Theo {CM_NAME}:",
        "Năm 2024: Giải ngân vốn đầu tư công đạt 97,1% [1]",
        "Mục tiêu năm 2025: (1) Tỷ lệ giải ngân vốn đầu tư công đạt 100% [2]",
        "Chênh lệch: kết quả năm 2024 thấp hơn mức mục tiêu năm 2025 là 2,9 điểm phần trăm.",
    ]
    assert _docs(a) == {CA_MAU}
    a = two_plans.ask("So sánh giải ngân vốn đầu tư công năm 2024 với chỉ tiêu năm 2025")
    # unscoped: each document's result against its own target, never one of each
    assert _by_document(a) == {LS_NAME: {LANG_SON}, CM_NAME: {CA_MAU}}
    assert "3,5 điểm phần trăm" in a.answer and "2,9 điểm phần trăm" in a.answer


def test_signer_is_per_document(two_plans):
    for doc, signer in ((LANG_SON, "Hoàng Văn Khánh"), (CA_MAU, "Trương Minh Lộc")):
        a = two_plans.ask("Ai ký kế hoạch này?", docs=[doc])
        assert signer in a.answer and _docs(a) == {doc}


# --- one indicator across documents ---------------------------------------------------------

def test_an_indicator_over_the_years_across_documents(two_plans):
    a = two_plans.ask("Tỷ lệ che phủ rừng qua các năm")
    lines = a.answer.splitlines()
    assert lines[0] == "Tỷ lệ che phủ rừng theo từng văn bản:"
    assert lines[2] == "| Văn bản | Năm | Giá trị | Đơn vị | Mức | Nguồn |"
    ls, cm = LS_NAME, CM_NAME
    rows = [line.split(" | ") for line in lines[4:]]
    assert [(r[0].lstrip("| "), r[1], r[2], r[3], r[4]) for r in rows] == [  # by year, then document
        (cm, "2024 (kết quả)", "25,8", "%", "đạt"),
        (ls, "2024 (kết quả)", "63,2", "%", "đạt"),
        (cm, "2025 (chỉ tiêu)", "26", "%", "duy trì trên"),
        (ls, "2025 (chỉ tiêu)", "64", "%", "trên"),
    ]
    # each row is cited at its own clause, in its own document
    assert [r[5] for r in rows] == ["[1] |", "[2] |", "[3] |", "[4] |"]
    assert [c.doc for c in a.citations] == [CA_MAU, LANG_SON, CA_MAU, LANG_SON]
    assert [c.quote for c in a.citations] == ["Năm 2024, tỷ lệ che phủ rừng đạt 25,8%",
                                              "Năm 2024, tỷ lệ che phủ rừng của tỉnh đạt 63,2%",
                                              "(3) Duy trì tỷ lệ che phủ rừng trên 26%", "(4) Tỷ lệ che phủ rừng đạt trên 64%"]
    for c in a.citations:
        assert c.quote in c.text


def test_a_comparison_of_two_named_provinces(two_plans):
    a = two_plans.ask("So sánh chỉ tiêu giải ngân vốn đầu tư công của Lạng Sơn và Cà Mau")
    assert "| 2025 (chỉ tiêu) | 95 | % | trên | [1] |" in a.answer
    assert "| 2025 (chỉ tiêu) | 100 | % | đạt | [2] |" in a.answer
    assert "kết quả" not in a.answer  # targets were asked
    assert [c.doc for c in a.citations] == [LANG_SON, CA_MAU]
    a = two_plans.ask("so sanh ty le giai ngan von dau tu cong cua ca mau va lang son")  # no diacritics
    # neither a target nor a result asked: both, document by document in the order named
    assert [c.doc for c in a.citations] == [CA_MAU, CA_MAU, LANG_SON, LANG_SON]
    assert "| 2024 (kết quả) | 97,1 | % | đạt | [1] |" in a.answer


def test_unnumbered_targets_across_documents_each_figure_with_what_it_measures(two_plans):
    # "Trên 80% số trạm y tế xã và 100% bệnh viện huyện …": each figure names its thing after it
    a = two_plans.ask("Tỷ lệ trạm y tế xã có bác sĩ chuyên khoa nhi đến năm 2030 của các tỉnh")
    assert "| 2030 (chỉ tiêu) | 70 | % | trên | [1] |" in a.answer
    assert "| 2030 (chỉ tiêu) | 80 | % | trên | [2] |" in a.answer
    assert [c.doc for c in a.citations] == [CA_MAU, LANG_SON]
    assert a.citations[0].quote == "Phấn đấu 95% bệnh viện huyện và trên 70% số trạm y tế xã có bác sĩ chuyên khoa nhi"
    a = two_plans.ask("so sánh bệnh viện huyện có bác sĩ chuyên khoa nhi của Cà Mau và Lạng Sơn")
    assert "| 95 | % |" in a.answer and "| 100 | % |" in a.answer and [c.doc for c in a.citations] == [CA_MAU, LANG_SON]


def test_a_look_alike_is_not_an_indicator_across_documents(two_plans):
    # only Cà Mau states "tỷ lệ lao động tham gia bảo hiểm thất nghiệp": not "tỷ lệ thất nghiệp",
    # and one document is not a table across documents
    a = two_plans.ask("Tỷ lệ thất nghiệp của các tỉnh là bao nhiêu?")
    assert "| Văn bản |" not in a.answer and "32%" not in a.answer


def test_one_document_stating_it_gives_the_normal_answer(two_plans):
    a = two_plans.ask("Sản lượng tôm nuôi qua các năm")
    assert "| Văn bản |" not in a.answer and "245.000 tấn" in a.answer and _docs(a) == {CA_MAU}


# --- briefings on several documents ---------------------------------------------------------

def test_a_briefing_on_two_documents_names_each_point_s_document(two_plans):
    from briefing.builder import BriefingBuilder
    from briefing.export import to_markdown

    b = BriefingBuilder(two_plans).by_topic("môi trường", doc=[LANG_SON, CA_MAU])
    targets = b.sections[0]
    assert [(p.doc, p.text[:3]) for p in targets.points] == [
        (LS_NAME, "(4)"), (LS_NAME, "(5)"), (CM_NAME, "(3)"), (CM_NAME, "(4)"), (CM_NAME, "(5)"), (CM_NAME, "(6)")]
    names = {LANG_SON: LS_NAME, CA_MAU: CM_NAME}
    assert all(p.doc == names[p.citations[0].doc] for s in b.sections for p in s.points)
    md = to_markdown(b)
    assert "| Văn bản | Số | Chỉ tiêu | Giá trị | Nguồn |" in md
    assert f"| {CM_NAME} | (3) | Duy trì tỷ lệ che phủ rừng trên 26% |" in md
    assert any(line.startswith(f"- {LS_NAME}: ") for line in md.splitlines())  # a result or task point
    one = BriefingBuilder(two_plans).by_topic("môi trường", doc=[CA_MAU])
    assert not any(p.doc for s in one.sections for p in s.points)  # one document: nothing to tell apart
    assert "| Số | Chỉ tiêu | Giá trị | Nguồn |" in to_markdown(one)


# --- the CLI: --doc is repeatable -----------------------------------------------------------

def test_cli_targets_and_brief_on_two_documents(two_plans):
    import csv
    import io

    from tests.test_app import run_cli

    env = {"NQ_INDEX_DIR": str(two_plans.settings.index_dir)}
    r = run_cli("targets", "--csv", "--doc", LANG_SON, "--doc", CA_MAU, "--group", "moi truong", env=env)
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert [(row["doc"], row["number"]) for row in rows] == [(CA_MAU, n) for n in "3456"] + [(LANG_SON, "4"), (LANG_SON, "5")]
    assert {row["doc_title"] for row in rows} == {"Kế hoạch 41/KH-UBND của Ủy ban nhân dân tỉnh Lạng Sơn",
                                                   "Kế hoạch 57/KH-UBND của Ủy ban nhân dân tỉnh Cà Mau"}
    r = run_cli("targets", "--doc", CA_MAU, "--doc", "khong-co.txt", env=env)
    assert r.returncode == 2 and "khong-co.txt is not in the index" in r.stderr
    r = run_cli("brief", "môi trường", "--doc", CA_MAU, "--doc", LANG_SON, env=env)
    assert r.returncode == 0, r.stderr
    assert "| Văn bản | Số | Chỉ tiêu | Giá trị | Nguồn |" in r.stdout
    assert r.stdout.index("Cà Mau | (3)") < r.stdout.index("Lạng Sơn | (4)")  # in the order given
