"""The CLI, POST /api/ask and the Gradio UI (through gradio_client) against the real app on 127.0.0.1."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import httpx
import pytest

from tests.conftest import ROOT, copied_index, listed, running_app, upload_and_wait


def run_cli(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "app.py", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def cli_env(index_dir, assistant):  # the session index is already built by `assistant`
    return {"NQ_INDEX_DIR": str(index_dir)}


def test_cli_ask_json(cli_env):
    r = run_cli("ask", "--json", "chỉ tiêu tỷ lệ che phủ rừng là bao nhiêu?", env=cli_env)
    assert r.returncode == 0, r.stderr
    ans = json.loads(r.stdout)
    assert set(ans) >= {"question", "answer", "found", "citations", "mode", "latency_ms"}
    assert ans["found"] and "52%" in ans["answer"] and ans["mode"] == "extractive"
    c = ans["citations"][0]
    assert set(c) == {"n", "doc", "section", "text", "quote", "start", "end", "score", "doc_id", "doc_title"}
    assert c["section"].endswith("Về môi trường") and c["quote"] == "(25) Duy trì tỷ lệ che phủ rừng trên 52%"
    assert c["doc"] == c["doc_id"] == "nghi-quyet-tinh-uy-ha-tinh-2025.txt"
    assert c["doc_title"].startswith("Nghị quyết của ban chấp hành đảng bộ tỉnh")


def test_cli_ask_text_and_bad_input(cli_env):
    r = run_cli("ask", "ty le ho ngheo nam 2024", env=cli_env)
    assert r.returncode == 0 and "2,41%" in r.stdout and "[1]" in r.stdout
    # the citation names the document by its title and the section path; the offsets stay in --json
    assert "[1] Nghị quyết của ban chấp hành đảng bộ tỉnh" in r.stdout and "ký tự" not in r.stdout
    r = run_cli("ask", "   ", env=cli_env)
    assert r.returncode == 2 and "question is empty" in r.stderr


def test_cli_targets_json_csv_and_xlsx(cli_env, tmp_path):
    r = run_cli("targets", "--json", env=cli_env)
    assert r.returncode == 0, r.stderr
    records = json.loads(r.stdout)
    assert [t["number"] for t in records] == list(range(1, 29))
    assert all(set(t) >= {"number", "group", "text", "values", "section", "start", "end"} for t in records)
    assert records[24]["values"] == [{"label": "tỷ lệ che phủ rừng", "comparator": "duy trì trên", "value": 52,
                                      "unit": "%"}]
    r = run_cli("targets", "--csv", "--results", "--doc", "nghi-quyet-tinh-uy-ha-tinh-2025.txt", env=cli_env)
    assert r.returncode == 0 and "Tăng trưởng kinh tế,ước đạt,7.3,,,%" in r.stdout
    out = tmp_path / "chi-tieu.xlsx"
    r = run_cli("targets", "--xlsx", str(out), "--group", "moi truong", env=cli_env)
    assert r.returncode == 0, r.stderr
    from openpyxl import load_workbook

    book = load_workbook(out)
    rows = list(book.active.values)
    assert book.sheetnames == ["Chỉ tiêu"] and len(rows) == 1 + 5  # one row per figure: (27) has two
    assert rows[0] == ("Số", "Nhóm", "Chỉ tiêu", "So sánh", "Giá trị", "Đơn vị", "Chưa chắc chắn", "Văn bản", "Trích dẫn")
    assert rows[2][:7] == ("(25)", "Về môi trường", "tỷ lệ che phủ rừng", "duy trì trên", 52, "%", "Không")
    r = run_cli("targets", "--xlsx", str(out), "--results", env=cli_env)
    assert r.returncode == 0 and load_workbook(out).sheetnames == ["Kết quả"]
    r = run_cli("targets", "--doc", "khong-co.txt", env=cli_env)
    assert r.returncode == 2 and "not in the index" in r.stderr


def test_cli_brief_writes_a_docx_with_the_targets_and_their_citations(cli_env, tmp_path):
    import docx

    out = tmp_path / "b.docx"
    r = run_cli("brief", "môi trường", "--out", str(out), env=cli_env)
    assert r.returncode == 0, r.stderr
    d = docx.Document(str(out))
    text = "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells])
    for number, value in (("(24)", "trên 95%"), ("(25)", "trên 52%"), ("(26)", "trên 89%"), ("(27)", "trên 72%")):
        assert number in text and value in text
    assert "[4] Nghị quyết" in text and "› II. Mục tiêu, chỉ tiêu năm 2025" in text  # named by its title
    r = run_cli("brief", env=cli_env)
    assert r.returncode == 2 and "give a topic" in r.stderr


def test_cli_ingest_and_remove(tmp_path):
    env = {"NQ_INDEX_DIR": str(tmp_path / "idx")}
    doc = tmp_path / "nq-test.md"
    doc.write_text("# NGHỊ QUYẾT\n\nII. CHỈ TIÊU NĂM 2025\n\nVề y tế: (1) Có 15 bác sĩ/1 vạn dân.\n", encoding="utf-8")
    bad = tmp_path / "bad.exe"
    bad.write_bytes(b"MZ")
    r = run_cli("ingest", str(doc), str(bad), env=env)
    assert r.returncode == 2 and "added: nq-test.md" in r.stdout and "unsupported type" in r.stderr
    # each change of the library is one audit line: what, by whom (the account running the CLI), when
    audit = [line for line in r.stderr.splitlines() if "library change:" in line]
    assert len(audit) == 1 and re.search(r"library change: added document=nq-test\.md client=cli:\S+ at=\d{4}-", audit[0])
    # one message per bad file, English then Vietnamese, no log line repeating it
    assert "WARNING" not in r.stderr  # the progress bar aside, stderr holds the one error line
    assert [line for line in r.stderr.splitlines() if "bad.exe" in line] == [
        "error: bad.exe: file 'bad.exe' has unsupported type '.exe'; supported: .txt, .md, .docx, .pdf "
        "(Tệp 'bad.exe' có định dạng không được hỗ trợ; chỉ nhận .txt, .md, .docx, .pdf.)"]
    r = run_cli("ingest", str(doc), env=env)
    assert r.returncode == 0 and "unchanged: nq-test.md" in r.stdout and "library change:" not in r.stderr
    r = run_cli("documents", env=env)
    assert "nq-test.md" in r.stdout
    r = run_cli("ingest", "--remove", "nq-test.md", env=env)
    assert "removed nq-test.md" in r.stdout
    assert re.search(r"library change: removed document=nq-test\.md client=cli:\S+ at=\S+ chunks=\d+", r.stderr), r.stderr


def test_cli_documents_table_and_json_show_number_and_title(tmp_path):
    from tests.vectorstore.test_chroma_store import PLAN, PLAN_ROW

    env = {"NQ_INDEX_DIR": str(tmp_path / "idx")}
    doc = tmp_path / PLAN_ROW["doc_id"]
    doc.write_text(PLAN, encoding="utf-8")
    assert run_cli("ingest", str(doc), env=env).returncode == 0
    r = run_cli("documents", env=env)
    assert r.returncode == 0, r.stderr
    head, rule, row = r.stdout.splitlines()
    assert head.split() == ["id", "title", "number", "issuer", "date", "chunks"] and set(rule) <= {"-", " "}
    assert row.startswith(PLAN_ROW["doc_id"]) and "215/KH-UBND" in row and "2026-03-05" in row
    assert "Ủy ban nhân dân tỉnh Bắc Ninh" in row and "Kế hoạch phát triển thư viện số" in row
    assert "…" in row and PLAN_ROW["title"] not in row  # the long title is shortened
    r = run_cli("documents", "--json", env=env)
    assert r.returncode == 0, r.stderr
    (listed,) = json.loads(r.stdout)
    assert listed == {**PLAN_ROW, "chunks": listed["chunks"], "file": PLAN_ROW["doc_id"], "source": str(doc.resolve())}
    assert listed["chunks"] > 0
    # a citation of the plan names it by type, number and issuer, then the section path
    r = run_cli("ask", "mỗi năm số hóa bao nhiêu trang tài liệu", env=env)
    assert r.returncode == 0 and "[1] Kế hoạch 215/KH-UBND của Ủy ban nhân dân tỉnh Bắc Ninh › I. Mục tiêu" in r.stdout


def test_cli_bad_setting():
    r = run_cli("ask", "x", env={"NQ_TOP_K": "0"})
    assert r.returncode == 3 and "NQ_TOP_K must be >= 1, got 0" in r.stderr


@pytest.fixture(scope="module")
def server(index_dir, assistant):
    with running_app(index_dir) as url:
        yield url


def test_api_ask(server):
    r = httpx.post(f"{server}/api/ask", json={"question": "Tăng trưởng kinh tế năm 2024 ước đạt bao nhiêu?"}, timeout=30)
    assert r.status_code == 200
    ans = r.json()
    assert ans["found"] and "7,3%" in ans["answer"]
    assert ans["citations"][0]["section"].startswith("I. Kết quả lãnh đạo")


@pytest.mark.parametrize("payload", [{"question": ""}, {"question": "  "}, {"question": "x" * 20_000}, {}])
def test_api_bad_questions_keep_serving(server, payload):
    r = httpx.post(f"{server}/api/ask", json=payload, timeout=30)
    assert r.status_code == 400 and r.json()["message"]
    assert httpx.post(f"{server}/api/ask", json={"question": "ai ký nghị quyết"}, timeout=30).status_code == 200


def test_api_ask_scoped_to_documents(server):
    doc = "nghi-quyet-tinh-uy-ha-tinh-2025.txt"
    r = httpx.post(f"{server}/api/ask", json={"question": "ai ký nghị quyết", "docs": [doc]}, timeout=30)
    assert r.status_code == 200
    ans = r.json()
    assert ans["found"] and "Hoàng Trung Dũng" in ans["answer"] and {c["doc"] for c in ans["citations"]} == {doc}
    r = httpx.post(f"{server}/api/ask", json={"question": "ai ký nghị quyết", "docs": ["khong-co.txt"]}, timeout=30)
    assert r.status_code == 400 and r.json()["message"] == "Không tìm thấy văn bản: khong-co.txt."
    for bad in (doc, [1, 2], {"doc": doc}):
        r = httpx.post(f"{server}/api/ask", json={"question": "ai ký nghị quyết", "docs": bad}, timeout=30)
        assert r.status_code == 400 and r.json()["message"], bad


def test_cli_ask_scoped_to_a_document(cli_env):
    r = run_cli("ask", "--json", "--doc", "nghi-quyet-tinh-uy-ha-tinh-2025.txt", "ai ký nghị quyết", env=cli_env)
    assert r.returncode == 0, r.stderr
    ans = json.loads(r.stdout)
    assert ans["found"] and {c["doc"] for c in ans["citations"]} == {"nghi-quyet-tinh-uy-ha-tinh-2025.txt"}
    r = run_cli("ask", "--doc", "khong-co.txt", "ai ký nghị quyết", env=cli_env)
    assert r.returncode == 2 and "document not found: khong-co.txt" in r.stderr


def test_ui_through_gradio_client(server, tmp_path):
    from gradio_client import Client, handle_file

    from ui.citations import message_text

    client = Client(server + "/", verbose=False)
    history, cites, box = client.predict("chi tieu ty le che phu rung la bao nhieu", [], api_name="/ask")
    assert box == "" and "52%" in message_text(history[-1]["content"])
    assert "<mark>(25) Duy trì tỷ lệ che phủ rừng trên 52%</mark>" in cites and "Về môi trường" in cites

    with pytest.raises(Exception, match="Vui lòng nhập câu hỏi"):
        client.predict("   ", [], api_name="/ask")

    docx = pytest.importorskip("docx")
    path = tmp_path / "nghi-quyet-thu-nghiem.docx"
    d = docx.Document()
    d.add_paragraph("NGHỊ QUYẾT VỀ THỬ NGHIỆM")
    d.add_paragraph("II. CHỈ TIÊU NĂM 2025")
    d.add_paragraph("Về thể thao: (1) Xây dựng mới trên 37 sân bóng đá mini.")
    d.save(path)
    bad = tmp_path / "hong.pdf"
    bad.write_bytes(b"%PDF-1.4 broken")
    status = upload_and_wait(client, [handle_file(str(path)), handle_file(str(bad))])
    assert "Đã nạp: nghi-quyet-thu-nghiem.docx" in status and "hong.pdf" in status and "bị hỏng" in status
    assert "nghi-quyet-thu-nghiem.docx" in listed(server)
    history, cites, _ = client.predict("xây dựng mới bao nhiêu sân bóng đá mini", [], api_name="/ask")
    assert "37 sân bóng đá mini" in message_text(history[-1]["content"]) and "nghi-quyet-thu-nghiem.docx" in cites
    # the original document still answers
    history, _, _ = client.predict("ty le che phu rung", [], api_name="/ask")
    assert "52%" in message_text(history[-1]["content"])


def test_chat_document_selector_through_gradio_client(tmp_path, index_dir, assistant):
    """The chat's document selector (the ids chosen go to the answer) against the real app, with its
    own index: data/ plus two uploaded resolutions that answer the same question differently."""
    from gradio_client import Client, handle_file

    from tests.vectorstore.test_versions import NQ_A, NQ_B, QUESTION
    from ui.citations import message_text

    bundled = "nghi-quyet-tinh-uy-ha-tinh-2025.txt"
    a, b = tmp_path / "nghi-quyet.txt", tmp_path / "nghi-quyet-lang-son.txt"
    a.write_text(NQ_A, encoding="utf-8")
    b.write_text(NQ_B, encoding="utf-8")
    with running_app(copied_index(index_dir, tmp_path / "idx")) as url:
        client = Client(url + "/", verbose=False)
        before = listed(url)  # the session's index: data/ and what earlier tests added to it
        assert bundled in before and a.name not in before and b.name not in before
        status = upload_and_wait(client, [handle_file(str(a)), handle_file(str(b))])
        assert "Đã nạp: nghi-quyet.txt" in status and "Đã nạp: nghi-quyet-lang-son.txt" in status
        for docs, figure, other in (([a.name], "3 điểm", "5 điểm"), ([b.name], "5 điểm", "3 điểm")):
            history, cites, _ = client.predict(QUESTION, [], docs, api_name="/ask")
            answer = message_text(history[-1]["content"])
            assert figure in answer and other not in answer, answer
            assert f'title="{docs[0]}"' in cites and bundled not in cites
        history, cites, _ = client.predict("ai ký nghị quyết", [], [bundled], api_name="/ask")
        assert "Hoàng Trung Dũng" in message_text(history[-1]["content"])
        history, cites, _ = client.predict("ai ký nghị quyết", [], [b.name], api_name="/ask")
        assert "Hoàng Thị Mơ" in message_text(history[-1]["content"]) and "Hoàng Trung Dũng" not in cites
        # none chosen: every document; an id that is not indexed: a Vietnamese error, and the app goes on
        history, _, _ = client.predict("ty le che phu rung", [], [], api_name="/ask")
        assert "52%" in message_text(history[-1]["content"])
        with pytest.raises(Exception, match="Không tìm thấy văn bản"):
            client.predict(QUESTION, [], ["khong-co.txt"], api_name="/ask")
        # re-uploading other text under a known name never replaces silently: it is a new document
        a.write_text(NQ_A.replace("3 điểm", "6 điểm"), encoding="utf-8")
        status = upload_and_wait(client, [handle_file(str(a))])
        assert "Đã nạp: upload/nghi-quyet.txt" in status and "văn bản mới" in status
        assert listed(url) == sorted([*before, a.name, b.name, "upload/nghi-quyet.txt"])
        history, _, _ = client.predict(QUESTION, [], [a.name], api_name="/ask")
        assert "3 điểm" in message_text(history[-1]["content"])
        # an explicit replacement (the checkbox; management is open on loopback without a password)
        a.write_text(NQ_A.replace("3 điểm", "7 điểm"), encoding="utf-8")
        status = upload_and_wait(client, [handle_file(str(a))], True)
        assert "Đã cập nhật: nghi-quyet.txt" in status and len(listed(url)) == len(before) + 3
        history, _, _ = client.predict(QUESTION, [], [a.name], api_name="/ask")
        assert "7 điểm" in message_text(history[-1]["content"])


def _long_plan(n: int) -> str:
    """A plan of ``n`` numbered targets, each its own paragraph (one chunk each): seconds to embed."""
    fields = ("trường học", "trạm y tế", "thư viện", "nhà văn hóa", "chợ nông thôn", "bến xe", "công viên")
    body = "\n\n".join(
        f"({i}) Đến hết năm 2025, xây dựng mới {10 + i} {fields[i % len(fields)]} đạt chuẩn ở xã số {i}, "
        f"bố trí {100 + 3 * i} tỷ đồng từ ngân sách tỉnh và huy động thêm nguồn lực xã hội hóa cho hạng mục {i}."
        for i in range(1, n + 1))
    return f"KẾ HOẠCH\nVề xây dựng hạ tầng thử nghiệm\n\nII. CHỈ TIÊU NĂM 2025\n\nVề hạ tầng:\n\n{body}\n"


def test_an_upload_is_indexed_in_the_background_while_questions_are_answered(tmp_path, index_dir, assistant):
    """Issue 14: the upload returns at once, the job's progress is polled, a question is answered while
    it runs, a second upload is refused meanwhile, and the document is listed once the job ends."""
    import time

    from gradio_client import Client, handle_file

    from ui.citations import message_text

    plan = tmp_path / "ke-hoach-ha-tang.txt"
    plan.write_text(_long_plan(160), encoding="utf-8")
    with running_app(copied_index(index_dir, tmp_path / "idx")) as url:
        client = Client(url + "/", verbose=False)
        t = time.perf_counter()
        first, _ = client.predict([handle_file(str(plan))], api_name="/ingest")
        assert first.startswith("⏳ **Đang nạp 1 tệp**") and time.perf_counter() - t < 10
        assert client.predict(api_name="/ingest_status")["state"] == "running"
        # questions are answered meanwhile, through the API and the chat
        r = httpx.post(f"{url}/api/ask", json={"question": "ai ký nghị quyết"}, timeout=60)
        assert r.status_code == 200 and "Hoàng Trung Dũng" in r.json()["answer"]
        history, _, _ = client.predict("ty le che phu rung", [], api_name="/ask")
        assert "52%" in message_text(history[-1]["content"])
        with pytest.raises(Exception, match="Đang có một lượt nạp văn bản chạy"):
            client.predict([handle_file(str(plan))], api_name="/ingest")
        during = client.predict(api_name="/ingest_status")
        assert during["state"] == "running", "the job ended before the questions did: make the plan longer"
        assert plan.name not in listed(url)  # one document: visible whole, at the end
        seen = [during]
        while seen[-1]["state"] == "running":
            time.sleep(0.5)
            seen.append(client.predict(api_name="/ingest_status"))
        progress = [s for s in seen if s["state"] == "running" and s["chunks_done"]]
        assert progress and all(s["chunks_total"] == 162 and s["documents_total"] == 1 for s in progress)
        assert any("còn khoảng" in s["status"] and "Đoạn: " in s["status"] for s in progress), progress[-1]
        end = seen[-1]
        assert end["state"] == "done" and "✅ Đã nạp: ke-hoach-ha-tang.txt" in end["status"], end
        assert "Đã nạp xong lúc" in end["status"] and end["chunks_done"] == 162
        assert plan.name in listed(url)
        r = httpx.post(f"{url}/api/ask", json={"question": "hạng mục 37 bố trí bao nhiêu tỷ đồng"}, timeout=60)
        assert "211 tỷ đồng" in r.json()["answer"], r.json()["answer"]


def test_targets_tab_through_gradio_client(server):
    from gradio_client import Client
    from openpyxl import load_workbook

    client = Client(server + "/", verbose=False)
    table, count, csv_path, xlsx_path, _ = client.predict("Chỉ tiêu", "Về môi trường", "", "Tất cả",
                                                          api_name="/targets")
    # one row per figure, on screen as in the files: (27) has two
    assert [row[0] for row in table["data"]] == ["(24)", "(25)", "(26)", "(27)", "(27)"]
    assert count == "4 chỉ tiêu, 5 dòng"
    assert table["headers"] == ["Số", "Nhóm / năm", "Chỉ tiêu", "Giá trị", "Văn bản"]
    assert table["data"][1][2:4] == ["tỷ lệ che phủ rừng", "duy trì trên 52%"] and table["data"][0][-1]
    assert csv_path.endswith("chi-tieu-ve-moi-truong.csv") and xlsx_path.endswith("chi-tieu-ve-moi-truong.xlsx")
    csv_rows = open(csv_path, encoding="utf-8-sig").read().splitlines()
    assert len(csv_rows) == 1 + len(table["data"])
    table, *_ = client.predict("Chỉ tiêu", "Tất cả", "nuoc sach", "Tất cả", api_name="/targets")  # no diacritics
    assert [row[0] for row in table["data"]] == ["(26)"] and "trên 89%" in table["data"][0][3]
    table, count, *_ = client.predict("Chỉ tiêu", "Tất cả", "", "nghi-quyet-tinh-uy-ha-tinh-2025.txt",
                                      api_name="/targets")  # the document filter
    assert count.startswith("28 chỉ tiêu, ")
    table, count, csv_path, xlsx_path, _ = client.predict("Kết quả", "Tất cả", "ho ngheo", "Tất cả",
                                                          api_name="/targets")
    assert table["data"][0][1] == "Năm 2024" and "giảm còn 2,41%" in table["data"][0][3]
    assert csv_path.endswith("ket-qua-ho-ngheo.csv")
    csv_text = open(csv_path, encoding="utf-8-sig").read()
    assert csv_text.startswith("Số,Nhóm,Chỉ tiêu,So sánh,Giá trị,Đơn vị,Chưa chắc chắn,Văn bản,Trích dẫn\n")
    assert ',Năm 2024,tỷ lệ hộ nghèo,giảm còn,"2,41",%,Không,' in csv_text and "False" not in csv_text
    book = load_workbook(xlsx_path)
    assert book.sheetnames == ["Kết quả"]
    assert list(book.active.values)[1][1:7] == ("Năm 2024", "tỷ lệ hộ nghèo", "giảm còn", 2.41, "%", "Không")


def test_briefing_tab_on_chosen_documents(server):
    from gradio_client import Client

    client = Client(server + "/", verbose=False)
    preview, docx_file, md_file = client.predict("môi trường", "", ["nghi-quyet-tinh-uy-ha-tinh-2025.txt"],
                                                 api_name="/brief")
    assert "| Số | Chỉ tiêu | Giá trị | Nguồn |" in preview and "(25)" in preview  # one document: no column
    with pytest.raises(Exception, match="khong-co.txt"):  # refused by Gradio (not a choice) or by the tab
        client.predict("môi trường", "", ["khong-co.txt"], api_name="/brief")


def test_target_source_highlights_each_figure(assistant):
    from ui.targets_tab import select_records, source_html

    (rec,) = select_records(assistant, "Chỉ tiêu", "Tất cả", "thu noi dia")
    page = source_html(assistant, rec)
    assert "Về kinh tế (ký tự" in page
    assert page.count("<mark>") == 3 and "<mark>thu nội địa trên 8.800 tỷ đồng</mark>" in page


def test_eval_against_a_running_deployment(server, tmp_path):
    """`python -m eval run --url` scores a deployment through POST /api/ask."""
    gold = tmp_path / "gold.jsonl"
    items = [
        {"id": "a", "question": "ty le che phu rung", "expect": ["52%"], "category": "t", "answerable": True,
         "source": {"quote": "(25) Duy trì tỷ lệ che phủ rừng trên 52%"}},
        {"id": "b", "question": "Nghệ An đặt chỉ tiêu tăng trưởng năm 2025 bao nhiêu?", "expect": [],
         "category": "u", "answerable": False, "source": None},
    ]
    gold.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")
    out = tmp_path / "m.json"
    r = subprocess.run([sys.executable, "-m", "eval", "run", "--gold", str(gold), "--url", server,
                        "--json", str(out), "--baseline", ""], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    m = json.loads(out.read_text())
    assert m["answer_accuracy"] == 100.0 and m["citation_hit_at_1"] == 100.0 and m["refusal_accuracy"] == 100.0


def test_eval_answer_contract(cli_env, tmp_path):
    q = tmp_path / "q.jsonl"
    q.write_text('{"id": "q1", "question": "ai ký nghị quyết"}\n{"id": "q2", "question": ""}\n'
                 '{"id": "q3", "question": "còn năm 2024 thì sao?", "history": [{"question": "tỷ lệ hộ nghèo năm 2025"}]}\n',
                 encoding="utf-8")
    out = tmp_path / "a.jsonl"
    r = subprocess.run([sys.executable, "-m", "eval", "answer", "--questions", str(q), "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env={**os.environ, **cli_env})
    assert r.returncode == 0, r.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["q1", "q2", "q3"]
    assert rows[1]["found"] is False and rows[1]["citations"] == []
    assert rows[2]["found"] and "2,41%" in rows[2]["answer"]


def test_eval_answer_honours_docs(cli_env, tmp_path):
    q = tmp_path / "q.jsonl"
    q.write_text('{"id": "a", "question": "ty le che phu rung", "docs": ["nghi-quyet-tinh-uy-ha-tinh-2025.txt"]}\n'
                 '{"id": "b", "question": "ty le che phu rung", "docs": ["khong-co.txt"]}\n', encoding="utf-8")
    out = tmp_path / "a.jsonl"
    r = subprocess.run([sys.executable, "-m", "eval", "answer", "--questions", str(q), "--out", str(out)], cwd=ROOT,
                       capture_output=True, text=True, timeout=120, env={**os.environ, **cli_env})
    assert r.returncode == 0, r.stderr
    a, b = [json.loads(line) for line in out.read_text().splitlines()]
    assert a["found"] and "52%" in a["answer"]
    assert b["found"] is False and b["error"] == "document not found: khong-co.txt"


@pytest.mark.parametrize("args, english, vietnamese", [
    (["ask", "   "], "question is empty", "Vui lòng nhập câu hỏi."),
    (["ask", "--doc", "khong-co.txt", "ai ký"], "document not found: khong-co.txt", "Không tìm thấy văn bản"),
    (["targets", "--doc", "khong-co.txt"], "khong-co.txt is not in the index", "chưa được lập chỉ mục"),
    (["brief"], "give a topic or --questions FILE", "Vui lòng nhập chủ đề"),
    (["brief", "môi trường", "--out", "x.pdf"], "unsupported output", "Chỉ xuất được tệp .md hoặc .docx"),
    (["ingest", "khong-co-tep.txt"], "cannot read", "Không đọc được tệp"),
])
def test_cli_input_errors_exit_2_with_one_message(cli_env, args, english, vietnamese):
    r = run_cli(*args, env=cli_env)
    errors = [line for line in r.stderr.splitlines() if line.strip()]
    assert r.returncode == 2 and len(errors) == 1, r.stderr
    assert errors[0].startswith("error: ") and english in errors[0] and vietnamese in errors[0]
    assert "Traceback" not in r.stderr


def run_eval(*args, env):
    return subprocess.run([sys.executable, "-m", "eval", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env={**os.environ, **env})


def test_eval_input_errors_exit_2_and_a_bad_line_is_named_and_skipped(cli_env, tmp_path):
    r = run_eval("run", "--gold", str(tmp_path / "khong-co.jsonl"), env=cli_env)
    assert r.returncode == 2 and r.stderr.strip().startswith("error: --gold") and "Không tìm thấy tệp" in r.stderr
    r = run_eval("answer", "--questions", str(tmp_path / "khong-co.jsonl"), "--out", "-", env=cli_env)
    assert r.returncode == 2 and "Không đọc được tệp câu hỏi" in r.stderr and "Traceback" not in r.stderr
    q, out = tmp_path / "q.jsonl", tmp_path / "a.jsonl"
    q.write_text('{"id": "q1", "question": "ai ký nghị quyết"}\n{"id": "q2", "question": \n'
                 '{"id": "q3", "question": "ty le ho ngheo nam 2024"}\n', encoding="utf-8")
    r = run_eval("answer", "--questions", str(q), "--out", str(out), env=cli_env)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert [line for line in r.stderr.splitlines() if line.startswith("error:")] == [
        f"error: {q}:2: not JSON (Expecting value: line 1 column 26 (char 25)) (dòng 2 không phải một đối tượng JSON)"]
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [row["id"] for row in rows] == ["q1", None, "q3"]  # one output line per input line, in order
    assert "Hoàng Trung Dũng" in rows[0]["answer"] and rows[1]["error"].startswith("line 2: not JSON")
    assert "2,41%" in rows[2]["answer"]


@pytest.mark.parametrize("kwargs, error", [
    ({"content": b'{"question": ', "headers": {"content-type": "application/json"}}, "not valid JSON"),
    ({"content": "ai ký nghị quyết".encode(), "headers": {"content-type": "text/plain"}}, "content-type"),
    ({"data": {"question": "ai ký nghị quyết"}}, "content-type"),
    ({"json": {"question": 5}}, "question must be a string"),
    ({"json": ["ai ký nghị quyết"]}, "JSON object"),
    ({"json": {"question": "ai ký", "history": "câu trước"}}, "history must be a list"),
    ({"json": {"question": "ai ký", "docs": 5}}, "docs must be a list"),
    ({"content": b"\xff\xfe", "headers": {"content-type": "application/json"}}, "not valid JSON"),
])
def test_api_every_bad_request_is_a_400_with_error_and_a_vietnamese_message(server, kwargs, error):
    r = httpx.post(f"{server}/api/ask", timeout=30, **kwargs)
    body = r.json()
    assert r.status_code == 400 and set(body) == {"error", "message"} and error in body["error"], body
    assert "detail" not in body and any(ch in body["message"] for ch in "ảấầệịốơớưữ"), body["message"]


def test_api_docs_page_is_self_contained_and_the_ui_page_is_vietnamese(server):
    page = httpx.get(f"{server}/api/docs", timeout=30)
    assert page.status_code == 200 and "POST /api/ask" in page.text and "/api/openapi.json" in page.text
    assert "<script" not in page.text and "http://" not in page.text and "https://" not in page.text
    schema = httpx.get(f"{server}/api/openapi.json", timeout=30).json()
    body = schema["paths"]["/api/ask"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["required"] == ["question"] and {"question", "history", "docs"} <= set(body["properties"])
    assert '<html\n\tlang="vi"' in httpx.get(f"{server}/", timeout=30).text


def test_serve_prints_the_ready_line_with_the_url(index_dir, assistant, tmp_path):
    log = tmp_path / "app.log"
    with running_app(index_dir, log_path=log) as url:
        pass
    lines = log.read_text(encoding="utf-8").splitlines()
    assert f"Sẵn sàng: {url}" in lines and "Traceback" not in log.read_text(encoding="utf-8")
