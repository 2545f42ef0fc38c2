"""Hardening (issue 23) against the real app on 127.0.0.1, run with -v so its INFO log lines can be
counted: malformed requests are one 400 {error, message} and one log line, the chat never shows
Gradio's English errors, no response names a server path, each library change is one audit line,
and Markdown images and links are shown as text."""

from __future__ import annotations

import json
import re
import shutil
import time

import httpx
import pytest

from tests.conftest import admin_client, running_app, upload_and_wait

ADMIN = "mat-khau-kiem-thu"
# made-up example text: a target with an image and a link to other hosts
LINKED = ("NGHỊ QUYẾT THỬ NGHIỆM LIÊN KẾT\n\nII. CHỈ TIÊU NĂM 2025\n\nVề thư viện: (1) Số hóa 700 bản đồ cổ "
          "![so do](http://127.0.0.1:9/anh.png) theo [huong dan](http://example.invalid/hd) tại www.example.invalid.\n")


@pytest.fixture(scope="module")
def app(index_dir, assistant, tmp_path_factory):
    base = tmp_path_factory.mktemp("hardening")
    idx = base / "idx"
    shutil.copytree(index_dir, idx)
    log = base / "app.log"
    with running_app(idx, log_path=log, args=("-v",), NQ_ADMIN_PASSWORD=ADMIN) as url:
        yield {"url": url, "log": log, "idx": idx, "base": base}


def new_lines(app, action):
    """Run ``action``; return its result and the server's log lines it caused."""
    before = app["log"].stat().st_size
    result = action()
    time.sleep(0.5)  # the server flushes its line
    with open(app["log"], "rb") as f:
        f.seek(before)
        lines = f.read().decode("utf-8", "replace").splitlines()
    return result, [line for line in lines if line.strip()]


def post(url: str, raw: bytes) -> httpx.Response:
    return httpx.post(f"{url}/api/ask", content=raw, headers={"content-type": "application/json"}, timeout=60)


MALFORMED = {
    "lone surrogate in the question": b'{"question": "t\\ud800"}',
    "lone surrogate in a document id": b'{"question": "ai ky", "docs": ["t\\udfff"]}',
    "lone surrogate in the history": b'{"question": "ai ky", "history": ["t\\ud800"]}',
    "history nested 1,000 deep": b'{"question": "ai ky", "history": ' + b"[" * 1000 + b"]" * 1000 + b"}",
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "NaN": b'{"question": "ai ky", "history": [NaN]}',
    "cut short": b'{"question": "ai k',
    "not UTF-8": b'{"question": "\xff"}',
    "a 5,000-digit number": b'{"question": "ai ky", "history": [' + b"9" * 5000 + b"]}",
    "a turn of the wrong form": b'{"question": "ai ky", "history": [{"role": "user", "content": [1, {"text": 5}]}]}',
    "a turn that is a number": b'{"question": "ai ky", "history": [5]}',
}


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_request_is_one_400_and_one_log_line(app, case):
    r, lines = new_lines(app, lambda: post(app["url"], MALFORMED[case]))
    assert r.status_code == 400, (case, r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error", "message"}
    assert not body["message"].isascii(), body  # Vietnamese
    assert len(lines) == 1 and "rejected request" in lines[0], lines
    assert "Traceback" not in "\n".join(lines)


def _gradio(url: str, api: str, data: list) -> str:
    r = httpx.post(f"{url}/gradio_api/call/{api}", content=json.dumps({"data": data}),
                   headers={"content-type": "application/json"}, timeout=30)
    r.raise_for_status()
    return httpx.get(f"{url}/gradio_api/call/{api}/{r.json()['event_id']}", timeout=60).text


def _error_of(stream: str) -> str:
    assert "event: error" in stream, stream[:500]
    data = stream.split("event: error", 1)[1].split("data:", 1)[1].strip().splitlines()[0]
    return json.loads(data)["error"]


# Gradio's own JSON routes: the same rule as /api/ask, never Gradio's 500 (a lone surrogate got one) or
# its English 422 (a field missing)
GRADIO_ROUTES = ("/gradio_api/call/ask", "/gradio_api/queue/join", "/gradio_api/run/ask")
GRADIO_MALFORMED = {
    **{k: MALFORMED[k] for k in ("lone surrogate in the question", "history nested 1,000 deep", "NaN", "cut short",
                                 "not UTF-8")},
    "lone surrogate in the data": '{"data": ["t\\ud800", [], []], "fn_index": 0, "session_hash": "abc"}'.encode(),
    "lone surrogate in the chat history": json.dumps(
        {"data": ["ai ký", [{"role": "user", "content": [{"type": "text", "text": "t\udfff"}]}], []]}).encode(),
    "no data": b'{"nodata": 1}',
    "data of the wrong type": b'{"data": 5, "fn_index": "x", "session_hash": 7}',
}


@pytest.mark.parametrize("route", GRADIO_ROUTES)
@pytest.mark.parametrize("case", list(GRADIO_MALFORMED))
def test_a_malformed_request_to_a_gradio_route_is_one_400_and_one_log_line(app, route, case):
    r, lines = new_lines(app, lambda: httpx.post(f"{app['url']}{route}", content=GRADIO_MALFORMED[case],
                                                 headers={"content-type": "application/json"}, timeout=60))
    assert r.status_code == 400, (case, r.status_code, r.text)
    body = r.json()
    assert set(body) == {"error", "message"} and not body["message"].isascii(), body
    assert len(lines) == 1 and "rejected request" in lines[0], lines


def test_a_well_formed_gradio_call_still_answers(app):
    stream = _gradio(app["url"], "ask", ["ai ký nghị quyết", [], []])
    assert "event: complete" in stream and json.dumps("Hoàng Trung Dũng")[1:-1] in stream, stream[:500]


@pytest.mark.parametrize("data, message", [
    (["ai ký", [{"role": "bogus", "content": 5}] * 5000, []], "Lịch sử hội thoại không hợp lệ"),
    (["ai ký", [[1, 2, 3]] * 5000, []], "Lịch sử hội thoại không hợp lệ"),
    (["ai ký", [], 5], "Danh sách văn bản (docs) phải là"),
    (["ai ký"], "Yêu cầu không hợp lệ"),
])
def test_the_chat_says_what_is_wrong_in_vietnamese_in_one_log_line(app, data, message):
    stream, lines = new_lines(app, lambda: _gradio(app["url"], "ask", data))
    assert _error_of(stream).startswith(message)
    assert len(lines) == 1 and "Traceback" not in lines[0], lines[:5]


def test_no_response_names_a_server_path(app):
    docs = httpx.get(f"{app['url']}/api/documents", timeout=30).json()
    assert docs and all("source" not in d for d in docs)
    assert str(app["idx"]) not in json.dumps(docs) and "/" not in docs[0]["file"]


def test_each_library_change_is_one_audit_line(app, tmp_path):
    from gradio_client import handle_file

    doc = tmp_path / "lien-ket.txt"
    doc.write_text(LINKED, encoding="utf-8")
    client = admin_client(app["url"], ADMIN)
    status, lines = new_lines(app, lambda: upload_and_wait(client, [handle_file(str(doc))]))
    assert "Đã nạp: lien-ket.txt" in status
    audit = [line for line in lines if "library change" in line]
    assert len(audit) == 1, lines
    assert re.search(r"library change: added document=lien-ket\.txt client=127\.0\.0\.1 at=\d{4}-\d\d-\d\dT", audit[0])

    extra = tmp_path / "xoa-thu.txt"
    extra.write_text(LINKED.replace("700", "300"), encoding="utf-8")
    upload_and_wait(client, [handle_file(str(extra))])
    r, lines = new_lines(app, lambda: httpx.delete(f"{app['url']}/api/documents/xoa-thu.txt",
                                                   headers={"authorization": "Bearer sai"}, timeout=30))
    assert r.status_code == 403 and len(lines) == 1 and "refused" in lines[0] and "127.0.0.1" in lines[0], lines
    r, lines = new_lines(app, lambda: httpx.delete(f"{app['url']}/api/documents/xoa-thu.txt",
                                                   headers={"authorization": f"Bearer {ADMIN}"}, timeout=30))
    assert r.status_code == 200
    audit = [line for line in lines if "library change" in line]
    assert len(audit) == 1 and "removed document=xoa-thu.txt client=127.0.0.1 at=" in audit[0], lines


def _rendered(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark").render(markdown)


def test_markdown_images_and_links_are_shown_as_text(app):
    from gradio_client import Client

    from ui.citations import message_text

    client = Client(app["url"] + "/", verbose=False)
    question = "số hóa bao nhiêu bản đồ cổ ![x](http://127.0.0.1:9/q.png) [y](http://example.invalid/q)"
    history, cites, _ = client.predict(question, [], ["lien-ket.txt"], api_name="/ask")
    asked, answered = (message_text(m["content"]) for m in history[-2:])
    assert "700 bản đồ" in answered and "127.0.0.1:9/anh.png" in answered
    for shown in (asked, answered):
        page = _rendered(shown)
        assert "<img" not in page and "<a " not in page, page
        assert "http://" in page  # shown, as text
    assert "<img" not in cites and "<a " not in cites


def test_as_text_keeps_every_character_but_renders_no_image_or_link():
    from ui.safe_text import as_text, plain_text

    for text in ("![a](http://host/x.png)", "[b](javascript:alert(1))", "[c][d]\n\n[d]: http://host/y",
                 "xem http://host/z và www.example.invalid", "<img src=http://host/p.png>", "đạt 52% [1] (25)"):
        page = _rendered(as_text(text))
        assert "<img" not in page and "<a " not in page, (text, page)
        assert plain_text(as_text(text)) == text


def test_a_question_is_bounded_at_the_entry_of_the_api_and_the_chat(app):
    from gradio_client import Client

    from ui.citations import message_text

    long = ("tỷ lệ hộ nghèo năm 2025 giảm bao nhiêu phần trăm so với kế hoạch của tỉnh " * 40)[:2000]
    r = post(app["url"], json.dumps({"question": long}).encode())
    assert r.status_code == 200 and len(r.json()["question"].split()) == 64, r.text[:300]
    assert "64 từ đầu" in r.json()["understood"] and "NQ_MAX_QUESTION_WORDS" in r.json()["warnings"][0]
    t0 = time.perf_counter()
    r = post(app["url"], json.dumps({"question": "a" + "\u0301" * 1990}).encode())
    assert r.status_code == 200 and len(r.json()["question"]) <= 2 and time.perf_counter() - t0 < 2, r.text[:300]
    r = post(app["url"], json.dumps({"question": "x" * 2001}).encode())
    assert r.status_code == 400 and r.json()["message"] == "Câu hỏi quá dài (2001 ký tự); tối đa 2000 ký tự."
    history, _, _ = Client(app["url"] + "/", verbose=False).predict(long, [], [], api_name="/ask")
    assert "64 từ đầu được dùng để tìm câu trả lời" in message_text(history[-1]["content"])


def _abuse():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "bench" / "abuse.py"
    spec = importlib.util.spec_from_file_location("bench_abuse", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_one_client_cannot_hold_more_than_its_share_while_another_is_served(app):
    """12 long questions at once from 127.0.0.2 (NQ_MAX_CLIENT_CONCURRENCY=2): two run, two wait, the
    rest are 429 with Retry-After at once; the client at 127.0.0.1 is served meanwhile."""
    import threading

    abuse = _abuse()
    statuses, lock = [], threading.Lock()
    refusals = []

    together = threading.Barrier(12)

    def flood() -> None:
        with abuse.client_from("127.0.0.2") as client:
            together.wait()  # the 12 sent within a few milliseconds
            r = client.post(f"{app['url']}/api/ask", json={"question": abuse.LONG_QUESTION})
        with lock:
            statuses.append(r.status_code)
            if r.status_code == 429:
                refusals.append(r)

    def run():
        threads = [threading.Thread(target=flood) for _ in range(12)]
        for t in threads:
            t.start()
        victim = abuse.victim_run(app["url"], 3)
        for t in threads:
            t.join()
        return victim

    victim, lines = new_lines(app, run)
    assert victim["ok"] == 3 and not victim["errors"], victim
    assert set(statuses) <= {200, 429} and statuses.count(429) >= 4, statuses
    assert all(r.headers["retry-after"] == "1" and r.json()["message"].startswith("Bạn đang gửi quá nhiều câu hỏi")
               and "NQ_MAX_CLIENT_CONCURRENCY" in r.json()["error"] for r in refusals), refusals[0].text
    answered = [line for line in lines if "answered a question for 127.0.0.2" in line]
    assert len(answered) == statuses.count(200) <= 12 - 4, lines


def test_a_question_whose_client_left_before_its_turn_is_not_answered(app):
    """Four clients (127.0.0.4-7), two questions each in flight, keep every answer slot taken and
    questions waiting until 127.0.0.3 has sent 4 and reset each 5 ms later: the ones waiting are
    dropped when their client is seen gone, the rest refused, and none is answered (counted by the
    server's log line after each answer; a connection reset that early may have no address: "unknown")."""
    import threading

    abuse = _abuse()
    held, lock = [], threading.Lock()
    holders = [f"127.0.0.{4 + i}" for i in range(4)]
    done = threading.Event()

    def hold(source: str) -> None:
        # asks again as soon as it is answered, so the slots stay full however slow the machine is
        # (a fixed burst of 8 drained before a busy machine's health poll saw it)
        with abuse.client_from(source) as client:
            while not done.is_set():
                status = client.post(f"{app['url']}/api/ask", json={"question": abuse.LONG_QUESTION}).status_code
                with lock:
                    held.append(status)

    def run() -> None:
        threads = [threading.Thread(target=hold, args=(h,)) for h in holders for _ in range(2)]
        for t in threads:
            t.start()
        try:
            # the server's 4 answer slots (ui.chat.answers_at_once) taken and more waiting, as /api/health shows
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                load = httpx.get(f"{app['url']}/api/health", timeout=30).json()
                if load["answers_running"] == 4 and load["questions_waiting"] >= 2:
                    break
                time.sleep(0.01)
            else:
                pytest.fail(f"the holders never filled the answer slots: {load}")
            for _ in range(4):
                abuse.send_and_reset(app["url"], "127.0.0.3", abuse.LONG_QUESTION)
        finally:
            done.set()
            for t in threads:
                t.join()

    _, lines = new_lines(app, run)
    # a holder's own second question may wait past CLIENT_WAIT_S on a very busy machine: refused, not lost
    assert set(held) <= {200, 429} and held.count(200) >= 8, held
    answered = [line for line in lines if re.search(r"answered a question for (127\.0\.0\.3|unknown)$", line)]
    dropped = [line for line in lines if "dropped a question from" in line]
    assert len([line for line in lines if "answered a question for" in line]) == held.count(200), lines
    assert not answered and dropped, lines


def test_a_chat_flood_from_one_client_is_refused_beyond_its_share(app):
    """8 long chat questions at once from one client: Gradio's queue would answer them all, 4 at a time
    (ui.chat.answers_at_once), in order; over the client's share (2) they are refused at once, in
    Vietnamese, so the flood drains fast for the next client."""
    from gradio_client import Client

    abuse = _abuse()
    client = Client(app["url"] + "/", verbose=False)

    def run():
        jobs = [client.submit(abuse.LONG_QUESTION, [], [], api_name="/ask") for _ in range(8)]
        outcomes = []
        for job in jobs:
            try:
                job.result(timeout=60)
                outcomes.append("answered")
            except Exception as exc:  # gradio_client's AppError carries the toast's text
                outcomes.append(str(exc))
        return outcomes

    outcomes, lines = new_lines(app, run)
    refused = [o for o in outcomes if o != "answered"]
    assert refused and all("Bạn đang gửi quá nhiều câu hỏi" in o for o in refused), outcomes
    assert len([line for line in lines if "chat question refused" in line]) == len(refused), lines
    assert "answered" in outcomes, outcomes


def test_the_documents_tab_removes_after_confirmation_for_the_administrator_only(app, tmp_path):
    """Issue 24: "Xóa văn bản" then "Xác nhận xóa" (endpoints ``document_delete``, ``document_delete_confirm``):
    refused without a session and while a job runs, in the status text; nothing removed before the
    confirmation; then the same audit line as the API's, and the table and both selectors refreshed.
    "Lập chỉ mục lại" reads a document again from its file on the server; an upload's file is not kept."""
    from gradio_client import Client, handle_file

    from tests.conftest import listed
    from tests.test_app import _long_plan
    from tests.test_security import _ingest

    url = app["url"]
    up = tmp_path / "xoa-tu-trang.txt"
    up.write_text(LINKED.replace("700", "450"), encoding="utf-8")
    admin, anyone = admin_client(url, ADMIN), Client(url + "/", verbose=False)
    upload_and_wait(admin, [handle_file(str(up))])
    assert up.name in listed(url)
    for api in ("/document_delete", "/document_reindex"):
        assert anyone.predict(up.name, api_name=api)[0].startswith("❌ Cần mật khẩu quản trị")
    assert anyone.predict(up.name, [], api_name="/document_delete_confirm")[0].startswith("❌ Cần mật khẩu quản trị")
    # the administrator's confirmation alone removes nothing: "Xóa văn bản" asks first
    assert "Vui lòng bấm \"Xóa văn bản\"" in admin.predict(up.name, [], api_name="/document_delete_confirm")[0]
    status, question = admin.predict(up.name, api_name="/document_delete")
    # its short name (the id added when another document reads the same: lien-ket.txt, if uploaded before)
    assert status == "" and re.search(rf"Xóa hẳn văn bản «Nghị quyết thử nghiệm liên kết( \({up.name}\))?» "
                                      rf"\({up.name}\) khỏi chỉ mục\?|Xóa hẳn văn bản «Nghị quyết thử nghiệm liên kết "
                                      rf"\({up.name}\)» khỏi chỉ mục\?", question), question
    assert up.name in listed(url)
    # an upload's file is not kept on the server: it cannot be read again
    assert "tệp gốc của văn bản không có trên máy chủ" in admin.predict(up.name, api_name="/document_reindex")[0]
    (status, table, chosen, pick), lines = new_lines(
        app, lambda: admin.predict(up.name, [up.name], api_name="/document_delete_confirm"))
    assert status.startswith("🗑 Đã xóa văn bản «Nghị quyết thử nghiệm liên kết") and up.name in status, status
    assert up.name not in listed(url) and up.name not in {row[0] for row in table["data"]}
    # both selectors refreshed: the chat's (its choice dropped) and the tab's
    for update, value in ((chosen, []), (pick, None)):
        ids = {c[1] for c in update["choices"]}
        assert update["value"] == value and up.name not in ids and "nghi-quyet-tinh-uy-ha-tinh-2025.txt" in ids, update
    audit = [line for line in lines if "library change" in line]
    assert len(audit) == 1 and f"removed document={up.name} client=127.0.0.1 at=" in audit[0], lines

    # a document indexed from a file on the server is read again from it
    disk = app["base"] / "doc-lai.txt"
    disk.write_text(LINKED.replace("700", "810"), encoding="utf-8")
    _ingest(disk, index_dir=app["idx"])
    first = admin.predict(disk.name, api_name="/document_reindex")[0]
    assert first.startswith("⏳"), first
    assert "Không thay đổi: doc-lai.txt" in _wait_job(admin)
    disk.write_text(LINKED.replace("700", "820"), encoding="utf-8")
    admin.predict(disk.name, api_name="/document_reindex")
    assert "Đã cập nhật: doc-lai.txt" in _wait_job(admin)
    assert "820" in httpx.post(f"{url}/api/ask", json={"question": "số hóa bao nhiêu bản đồ cổ",
                                                        "docs": [disk.name]}, timeout=60).json()["answer"]

    # while a job runs the library is not changed under it
    plan = tmp_path / "ke-hoach-dai.txt"
    plan.write_text(_long_plan(120), encoding="utf-8")
    assert admin.predict([handle_file(str(plan))], False, api_name="/ingest")[0].startswith("⏳")
    for api in ("/document_delete", "/document_reindex"):
        assert "Đang có một lượt nạp văn bản chạy" in admin.predict(disk.name, api_name=api)[0]
    admin.predict(api_name="/ingest_cancel")
    _wait_job(admin)
    assert disk.name in listed(url)


def _wait_job(client, timeout: float = 120) -> str:
    deadline = time.time() + timeout
    while (status := client.predict(api_name="/ingest_status"))["state"] == "running" and time.time() < deadline:
        time.sleep(0.3)
    return status["status"]


def test_a_damaged_index_is_a_503_that_names_no_server_path(app):
    """Last in this module (keep it at the end of the file: pytest runs a module's tests in file order):
    it damages the app's index."""
    db = app["idx"] / "chroma.sqlite3"
    size = db.stat().st_size
    with open(db, "r+b") as f:
        f.write(b"not a database " * (size // 15))
    for r in (post(app["url"], b'{"question": "ai ky"}'), httpx.get(f"{app['url']}/api/health", timeout=30),
              httpx.get(f"{app['url']}/api/documents", timeout=30)):
        assert r.status_code == 503 and r.json()["message"].startswith("Chỉ mục bị hỏng"), r.text
        assert str(app["idx"]) not in r.text and str(app["base"]) not in r.text and "/tmp" not in r.text, r.text
