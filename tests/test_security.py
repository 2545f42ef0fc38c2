"""Reliability and security (issue 14), against the real app on 127.0.0.1, the real CLI and a real
`chroma run` server: who may change the library, only uploaded bytes ingested, requests that cannot
kill or stall the server, two processes sharing an index, store failures as the project's own
errors, and text shown as text."""

from __future__ import annotations

import json
import shutil
import socket
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

import httpx
import pytest

from tests.conftest import admin_client, running_app, running_chroma, upload_and_wait
from tests.test_app import run_cli

BUNDLED = "nghi-quyet-tinh-uy-ha-tinh-2025.txt"
RAC = "NGHỊ QUYẾT THỬ NGHIỆM\n\nII. CHỈ TIÊU NĂM 2025\n\nVề môi trường: (1) Tỷ lệ thu gom rác thải đạt {}.\n"
RAC_Q = "tỷ lệ thu gom rác thải là bao nhiêu"


def _ingest(doc: Path, **settings):
    """Ingest from this (the test's) process: another process than the app's."""
    from ingest.pipeline import ingest_paths
    from retrieval.embeddings import get_embeddings
    from settings import Settings
    from vectorstore.chroma_store import ChunkStore

    s = Settings.from_env(**settings)
    return ingest_paths([doc], ChunkStore(s, get_embeddings(s.embeddings)), s)


def _ask(url: str, question: str, **body) -> httpx.Response:
    return httpx.post(f"{url}/api/ask", json={"question": question, **body}, timeout=60)


def _gradio_call(url: str, api: str, data: list) -> str:
    """A raw call of a Gradio endpoint, the way an attacker would make it: the event's stream text."""
    r = httpx.post(f"{url}/gradio_api/call/{api}", json={"data": data}, timeout=30)
    r.raise_for_status()
    return httpx.get(f"{url}/gradio_api/call/{api}/{r.json()['event_id']}", timeout=60).text


ADMIN = "mat-khau-quan-tri"


@pytest.fixture(scope="module")
def open_app(index_dir, assistant, tmp_path_factory):
    """The app on a copy of the session index plus a small document, with an administrator's
    password (management open on loopback without one is what tests/test_app.py uses)."""
    base = tmp_path_factory.mktemp("security")
    idx = base / "idx"
    shutil.copytree(index_dir, idx)
    doc = base / "rac-thai.txt"
    doc.write_text(RAC.format("65%"), encoding="utf-8")
    assert _ingest(doc, index_dir=idx).added == [doc.name]
    procs: list = []
    with running_app(idx, procs=procs, NQ_ADMIN_PASSWORD=ADMIN) as url:
        yield {"url": url, "idx": idx, "doc": doc, "proc": procs[0], "base": base}


def test_a_server_path_named_in_a_call_is_never_ingested(open_app, tmp_path):
    secret = tmp_path / "bi-mat.md"
    secret.write_text("Mật khẩu kho lưu trữ là ZEBRA-4417.", encoding="utf-8")
    out = _gradio_call(open_app["url"], "ingest",
                       [[{"path": str(secret), "meta": {"_type": "gradio.FileData"}}], False, ""])
    assert "event: error" in out and "not uploaded" in out, out
    docs = httpx.get(f"{open_app['url']}/api/documents", timeout=30).json()
    assert "bi-mat.md" not in {d["doc_id"] for d in docs}
    assert "ZEBRA" not in _ask(open_app["url"], "mật khẩu kho lưu trữ là gì").text


def test_document_text_is_shown_as_text_in_the_chat(open_app, tmp_path):
    from gradio_client import handle_file

    from ui.citations import message_text

    doc = tmp_path / "the-html.txt"
    doc.write_text("NGHỊ QUYẾT THẺ HTML\n\nII. CHỈ TIÊU\n\nVề thư viện: (1) Số hóa 900 đầu sách "
                   '<img src="http://127.0.0.1:9/anh.png"> <b>quý hiếm</b>.\n', encoding="utf-8")
    client = admin_client(open_app["url"], ADMIN)
    status = upload_and_wait(client, [handle_file(str(doc))])
    assert "Đã nạp: the-html.txt" in status
    history, cites, _ = client.predict("số hóa bao nhiêu đầu sách quý hiếm", [], ["the-html.txt"], api_name="/ask")
    shown = message_text(history[-1]["content"])
    assert "900 đầu sách" in shown and "&lt;img" in shown and "<img" not in shown and "<b>" not in shown
    assert "<img" not in cites and "&lt;img" in cites
    # a long conversation goes on in the chat: it sends its latest turns within the limits
    long = [{"role": "user" if i % 2 == 0 else "assistant",
             "content": [{"type": "text", "text": f"tỷ lệ hộ nghèo {i} " + "x" * 1500}]} for i in range(30)]
    history, _, _ = client.predict("ai ký nghị quyết", long, api_name="/ask")
    assert len(history) == 32 and "Hoàng Trung Dũng" in message_text(history[-1]["content"])


def test_a_client_that_hangs_up_does_not_kill_the_server(open_app):
    url, proc = open_app["url"], open_app["proc"]
    status = Path(f"/proc/{proc.pid}/status").read_text()
    ignored = int(next(line for line in status.splitlines() if line.startswith("SigIgn:")).split()[1], 16)
    assert ignored & (1 << (13 - 1)), "SIGPIPE must stay ignored while serving"
    port = urlparse(url).port
    body = json.dumps({"question": "ai ký nghị quyết", "pad": "x" * 100_000}).encode()
    requests = [
        b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode() + body,
        b"GET /gradio_api/info HTTP/1.1\r\nHost: x\r\n\r\n",  # a large response
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    ]

    def hang_up(raw: bytes) -> None:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.sendall(raw)  # and close at once (RST): the answer is written to a dead socket

    threads = [threading.Thread(target=hang_up, args=(requests[i % 3],)) for i in range(30)]
    busy = threading.Thread(target=lambda: _ask(url, "tỷ lệ che phủ rừng"))
    busy.start()
    for t in threads:
        t.start()
    for t in threads + [busy]:
        t.join()
    time.sleep(1)
    assert proc.poll() is None, f"the server died with code {proc.returncode}"
    assert _ask(url, "ai ký nghị quyết").status_code == 200


def test_request_body_and_history_limits_are_checked_before_any_work(open_app):
    url = open_app["url"]
    r = httpx.post(f"{url}/api/ask", content=json.dumps({"question": "x" * 300_000}),
                   headers={"content-type": "application/json"}, timeout=30)
    assert r.status_code == 413 and r.json()["message"] == "Yêu cầu quá lớn."
    for history, limit in ((["tỷ lệ hộ nghèo"] * 21, "NQ_MAX_HISTORY_TURNS"),
                           (["a" * 1500] * 14, "NQ_MAX_HISTORY_CHARS"),
                           (["b" * 2001], "NQ_MAX_QUESTION_CHARS"),
                           ("không phải danh sách", "history must be a list")):
        r = _ask(url, "còn năm 2024 thì sao?", history=history)
        assert r.status_code == 400 and limit in r.json()["error"] and r.json()["message"], r.text
    # the largest history allowed is answered quickly, and other users are not kept waiting
    words = "tỷ lệ hộ nghèo năm 2025 giảm bao nhiêu phần trăm theo nghị quyết của tỉnh "
    history = [(words * 13)[:990]] * 20
    t0 = time.perf_counter()
    r = _ask(url, "còn năm 2024 thì sao?", history=history)
    assert r.status_code == 200 and time.perf_counter() - t0 < 15
    assert _ask(url, "ai ký nghị quyết").status_code == 200


def test_changes_by_another_process_are_seen_by_the_next_question(open_app):
    """Issue 14 items 5 and 6: the CLI updates (same chunk count) and removes a document of the
    embedded index the server has open."""
    url, env, doc = open_app["url"], {"NQ_INDEX_DIR": str(open_app["idx"])}, open_app["doc"]
    r = _ask(url, RAC_Q, docs=[doc.name])
    assert r.status_code == 200 and "65%" in r.json()["answer"]
    chunks = {d["doc_id"]: d["chunks"] for d in httpx.get(f"{url}/api/documents", timeout=30).json()}
    doc.write_text(RAC.format("67%"), encoding="utf-8")
    assert run_cli("ingest", str(doc), env=env).returncode == 0
    r = _ask(url, RAC_Q, docs=[doc.name])
    assert r.status_code == 200 and "67%" in r.json()["answer"] and "65%" not in r.json()["answer"]
    assert {d["doc_id"]: d["chunks"] for d in httpx.get(f"{url}/api/documents", timeout=30).json()} == chunks
    assert run_cli("ingest", "--remove", doc.name, env=env).returncode == 0
    r = _ask(url, RAC_Q, docs=[doc.name])
    assert r.status_code == 400 and r.json()["message"] == f"Không tìm thấy văn bản: {doc.name}."
    for question in (RAC_Q, "ai ký nghị quyết", "tỷ lệ che phủ rừng"):
        r = _ask(url, question)
        assert r.status_code == 200 and "67%" not in r.json()["answer"], r.text
    health = httpx.get(f"{url}/api/health", timeout=30).json()
    assert health["status"] == "ok" and doc.name not in {d["doc_id"] for d in
                                                         httpx.get(f"{url}/api/documents", timeout=30).json()}


def test_management_needs_the_administrator_password(open_app, tmp_path):
    from gradio_client import Client, handle_file

    url = open_app["url"]
    doc = tmp_path / "thu-vien-so.txt"
    lib = "NGHỊ QUYẾT THƯ VIỆN SỐ\n\nII. CHỈ TIÊU NĂM 2025\n\nVề thư viện: (1) Số hóa {} trang tài liệu cổ.\n"
    doc.write_text(lib.format("8.000"), encoding="utf-8")

    def listed() -> set[str]:
        return {d["doc_id"] for d in httpx.get(f"{url}/api/documents", timeout=30).json()}

    before = listed()
    client = Client(url + "/", verbose=False)  # no session: the file's upload is refused
    with pytest.raises(Exception, match="403 Forbidden"):
        client.predict([handle_file(str(doc))], False, api_name="/ingest")
    assert listed() == before and BUNDLED in before
    # an upload's progress, file names and errors are for the administrator too
    with pytest.raises(Exception, match="Cần mật khẩu quản trị"):
        client.predict(api_name="/ingest_status")
    forged = Client(url + "/", verbose=False, httpx_kwargs={"cookies": {"nq_admin": "9999999999.abcd.0123"}})
    with pytest.raises(Exception, match="Cần mật khẩu quản trị"):
        forged.predict(api_name="/ingest_status")
    r = httpx.post(f"{url}/api/admin/session", json={"password": "sai"}, timeout=30)
    assert r.status_code == 403 and "nq_admin" not in r.cookies and r.json()["message"].startswith("Sai mật khẩu quản trị")
    r = httpx.post(f"{url}/api/admin/session", json={"password": ""}, timeout=30)
    assert r.status_code == 400 and r.json()["message"] == "Cần nhập mật khẩu quản trị để đăng nhập."
    client = admin_client(url, ADMIN)
    status = upload_and_wait(client, [handle_file(str(doc))])
    assert "Đã nạp: thu-vien-so.txt" in status
    # an upload of a known name with other text is a new document; replacing it is explicit
    doc.write_text(lib.format("9.000"), encoding="utf-8")
    status = upload_and_wait(client, [handle_file(str(doc))])
    assert "Đã nạp: upload/thu-vien-so.txt" in status
    question = "số hóa bao nhiêu trang tài liệu cổ"
    assert "8.000" in _ask(url, question, docs=["thu-vien-so.txt"]).json()["answer"]
    # asking stays open to everyone
    assert _ask(url, "ai ký nghị quyết").status_code == 200
    # no password is said to be needed; a wrong one is said to be wrong (issue 24)
    for header, said in (({}, "Cần mật khẩu quản trị"), ({"authorization": "Bearer sai"}, "Sai mật khẩu quản trị"),
                         ({"authorization": f"Basic {ADMIN}"}, "Cần mật khẩu quản trị")):
        r = httpx.delete(f"{url}/api/documents/thu-vien-so.txt", headers=header, timeout=30)
        assert r.status_code == 403 and r.json()["message"].startswith(said), r.text
    r = httpx.delete(f"{url}/api/documents/thu-vien-so.txt", headers={"authorization": f"Bearer {ADMIN}"}, timeout=30)
    assert r.status_code == 200 and r.json()["removed"] == "thu-vien-so.txt"
    assert listed() == before | {"upload/thu-vien-so.txt"}


def test_only_the_administrator_stops_a_running_upload_and_nothing_half_written_shows(open_app, tmp_path):
    """"Dừng lượt nạp" (the ``ingest_cancel`` endpoint): refused without a session; with one, the running job
    stops, the document being written never shows and the files not reached are reported in Vietnamese."""
    from gradio_client import Client, handle_file

    from tests.test_app import _long_plan

    url = open_app["url"]
    plan, note = tmp_path / "ke-hoach-dung.txt", tmp_path / "ghi-chu-dung.txt"
    plan.write_text(_long_plan(160), encoding="utf-8")  # seconds of embedding
    note.write_text(RAC.format("71%").replace("THỬ NGHIỆM", "GHI CHÚ"), encoding="utf-8")
    anyone, admin = Client(url + "/", verbose=False), admin_client(url, ADMIN)
    with pytest.raises(Exception, match="Cần mật khẩu quản trị"):
        anyone.predict(api_name="/ingest_cancel")
    assert admin.predict(api_name="/ingest_cancel") == "Không có lượt nạp văn bản nào đang chạy để dừng."
    first, _ = admin.predict([handle_file(str(plan)), handle_file(str(note))], False, api_name="/ingest")
    assert first.startswith("⏳")
    with pytest.raises(Exception, match="Cần mật khẩu quản trị"):
        anyone.predict(api_name="/ingest_cancel")
    assert admin.predict(api_name="/ingest_status")["state"] == "running", "refused, yet the job stopped"
    assert admin.predict(api_name="/ingest_cancel").startswith("Đã yêu cầu dừng lượt nạp")
    deadline = time.time() + 120
    while (status := admin.predict(api_name="/ingest_status"))["state"] == "running" and time.time() < deadline:
        time.sleep(0.3)
    assert status["state"] == "cancelled", status
    assert "Đã dừng lượt nạp theo yêu cầu" in status["status"]
    assert "❌ ghi-chu-dung.txt: Chưa được nạp: quản trị viên đã dừng lượt nạp." in status["status"]
    docs = {d["doc_id"] for d in httpx.get(f"{url}/api/documents", timeout=30).json()}
    assert plan.name not in docs and note.name not in docs and BUNDLED in docs


def test_the_app_refuses_to_serve_management_beyond_loopback_without_a_password():
    r = run_cli("serve", env={"NQ_HOST": "0.0.0.0", "NQ_ADMIN_PASSWORD": ""}, timeout=60)
    assert r.returncode == 3 and "NQ_ADMIN_PASSWORD" in r.stderr and "not a loopback address" in r.stderr
    from settings import Settings
    from ui.admin import check_serving, is_loopback

    assert all(map(is_loopback, ("127.0.0.1", "::1", "localhost", "127.0.0.2")))
    assert not any(map(is_loopback, ("0.0.0.0", "192.168.1.5", "::", "example.org")))
    check_serving(Settings.from_env(host="0.0.0.0", admin_password="x"))  # with a password: allowed


def test_cli_refuses_links_out_of_the_folder_and_keeps_equal_names_apart(tmp_path):
    folder = tmp_path / "kho"
    (folder / "a").mkdir(parents=True)
    (folder / "b").mkdir()
    (folder / "a" / "bao-cao.txt").write_text(RAC.format("65%"), encoding="utf-8")
    (folder / "b" / "bao-cao.txt").write_text(RAC.format("80%"), encoding="utf-8")
    outside = tmp_path / "ngoai" / "mat-khau.txt"
    outside.parent.mkdir()
    outside.write_text("Mật khẩu là ZEBRA-4417.", encoding="utf-8")
    (folder / "lien-ket.txt").symlink_to(outside)
    (tmp_path / "lien-ket-2.md").symlink_to("/etc/passwd")
    idx = tmp_path / "idx"
    r = run_cli("--index-dir", str(idx), "ingest", str(folder), str(tmp_path / "lien-ket-2.md"))
    assert r.returncode == 2, r.stderr  # the links are reported as input errors (exit 2, issue 13)
    assert "added: bao-cao.txt" in r.stdout and "added: b/bao-cao.txt" in r.stdout, r.stdout
    assert "lien-ket.txt" in r.stderr and "lien-ket-2.md" in r.stderr and "symlink" in r.stderr
    r = run_cli("--index-dir", str(idx), "documents", "--json")  # `--index-dir` works (issue 14, item 10)
    assert r.returncode == 0, r.stderr
    assert sorted(d["doc_id"] for d in json.loads(r.stdout)) == ["b/bao-cao.txt", "bao-cao.txt"]


def test_a_corrupt_index_names_the_fix_and_rebuild_moves_it_aside(tmp_path):
    idx = tmp_path / "idx"
    doc = tmp_path / "rac-thai.txt"
    doc.write_text(RAC.format("65%"), encoding="utf-8")
    env = {"NQ_INDEX_DIR": str(idx)}
    assert run_cli("ingest", str(doc), env=env).returncode == 0
    (idx / "chroma.sqlite3").write_bytes(b"not a database " * 1000)
    for args in (("ask", RAC_Q), ("documents",)):
        r = run_cli(*args, env=env)
        assert r.returncode == 4 and "Traceback" not in r.stderr, r.stderr
        (line,) = r.stderr.strip().splitlines()
        assert "damaged or unreadable" in line and "ingest --rebuild" in line
    r = run_cli("ingest", "--rebuild", str(doc), env=env)
    assert r.returncode == 0 and "added: rac-thai.txt" in r.stdout and "2 chunks in the index" in r.stdout, r.stderr
    (aside,) = tmp_path.glob("idx.broken-*")
    assert (aside / "chroma.sqlite3").read_bytes().startswith(b"not a database")


def test_store_error_messages():
    from errors import IndexCorrupt, StoreUnavailable
    from settings import Settings
    from vectorstore.chroma_store import store_error

    s = Settings.from_env(index_dir=Path("/srv/nq"))
    err = store_error(RuntimeError("attempt to write a readonly database"), s)
    assert type(err) is StoreUnavailable and "writable" in str(err) and "chỉ đọc" in err.message_vi
    err = store_error(RuntimeError("database disk image is malformed"), s)
    assert isinstance(err, IndexCorrupt) and "--index-dir /srv/nq ingest --rebuild" in str(err)


@pytest.fixture(scope="module")
def chroma_run(tmp_path_factory):
    with running_chroma(tmp_path_factory.mktemp("chroma-run")) as (port, proc):
        yield {"port": port, "proc": proc}


def test_server_mode_two_instances_then_the_store_goes_down(chroma_run, tmp_path):
    """An app instance and the CLI share a Chroma server: an update by the other is answered at
    once; then Chroma stops: the API answers 503 {error, message}, the UI a Vietnamese message,
    the CLI exit code 4 and one line."""
    from gradio_client import Client, handle_file

    from ui.citations import message_text

    env = {"NQ_CHROMA_HOST": "127.0.0.1", "NQ_CHROMA_PORT": str(chroma_run["port"]), "NQ_COLLECTION": "sec_test"}
    server = {"chroma_host": "127.0.0.1", "chroma_port": chroma_run["port"], "collection": "sec_test",
              "index_dir": tmp_path / "unused"}
    doc = tmp_path / "rac-thai.txt"
    doc.write_text(RAC.format("65%"), encoding="utf-8")
    assert _ingest(doc, **server).added == [doc.name]
    with running_app(tmp_path / "unused", **env) as url:
        assert "65%" in _ask(url, RAC_Q).json()["answer"]
        doc.write_text(RAC.format("67%"), encoding="utf-8")  # the same chunk count
        assert _ingest(doc, **server).updated == [doc.name]  # by another instance (this process)
        assert "67%" in _ask(url, RAC_Q).json()["answer"]
        client = Client(url + "/", verbose=False)
        history, _, _ = client.predict(RAC_Q, [], api_name="/ask")
        assert "67%" in message_text(history[-1]["content"])

        chroma_run["proc"].terminate()
        chroma_run["proc"].wait(timeout=20)
        r = _ask(url, RAC_Q)
        assert r.status_code == 503 and r.headers["content-type"].startswith("application/json")
        assert set(r.json()) == {"error", "message"} and r.json()["message"] == "Không kết nối được kho dữ liệu vector."
        assert httpx.get(f"{url}/api/health", timeout=30).status_code == 503
        with pytest.raises(Exception, match="Không kết nối được kho dữ liệu vector"):
            client.predict("tỷ lệ che phủ rừng", [], api_name="/ask")
        with pytest.raises(Exception, match="Chưa nạp được tệp"):
            client.predict([handle_file(str(doc))], True, api_name="/ingest")
    r = run_cli("ask", RAC_Q, env=env)
    assert r.returncode == 4 and len(r.stderr.strip().splitlines()) == 1 and "Chroma server" in r.stderr, r.stderr


def test_bench_load_reports_throughput_percentiles_and_errors(open_app):
    import importlib.util

    from tests.conftest import ROOT

    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    load = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(load)
    figures = load.run_load(open_app["url"], ["ai ký nghị quyết", "tỷ lệ che phủ rừng", ""], clients=4, requests=12)
    assert figures["ok"] == 8 and figures["errors"] == {"HTTP 400": 4}  # the empty question, refused
    assert 0 < figures["p50_ms"] <= figures["p95_ms"] <= figures["p99_ms"] and figures["throughput_rps"] > 0
    assert load.percentile([1, 2, 3, 4], 50) == 2 and load.percentile([5], 99) == 5


def test_the_password_is_never_kept_in_gradio_run_history(open_app):
    """Issue 23: Gradio 6 saved each event's inputs, the password among them, in the browser
    (``gradio:run-history:v2:…``) and showed them at /gradio_api/runs."""
    url = open_app["url"]
    assert httpx.get(f"{url}/gradio_api/runs", timeout=30).status_code == 404
    config = httpx.get(f"{url}/config", timeout=30).json()
    assert config.get("run_history") is False  # the page's client records nothing
    # the password field is the input of no server event: the browser sends it to /api/admin/session
    (field,) = [c["id"] for c in config["components"] if c.get("props", {}).get("elem_id") == "admin-password"]
    uses = [d for d in config["dependencies"] if field in d["inputs"]]
    assert uses and all(not d["backend_fn"] and "api/admin/session" in (d.get("js") or "") for d in uses), uses


def test_throttle_backs_off_exponentially_after_five_failures():
    from ui.sessions import LOCKOUT_CAP_S, LockedOut, Throttle

    now = [1000.0]
    t = Throttle(max_failures=5, lockout_s=30, clock=lambda: now[0])
    for _ in range(4):
        t.failed("10.0.0.1")
        t.check("10.0.0.1")  # four failures: not locked yet
    t.failed("10.0.0.1")
    with pytest.raises(LockedOut, match="30 s") as exc:
        t.check("10.0.0.1")
    assert "Vui lòng thử lại sau 30 giây" in exc.value.message_vi
    t.check("10.0.0.2")  # another client is not affected
    now[0] += 31
    t.failed("10.0.0.1")  # the sixth failure: 60 s
    with pytest.raises(LockedOut, match="60 s"):
        t.check("10.0.0.1")
    for _ in range(20):
        t.failed("10.0.0.1")
    with pytest.raises(LockedOut, match=f"{LOCKOUT_CAP_S} s"):
        t.check("10.0.0.1")
    t.succeeded("10.0.0.1")
    t.check("10.0.0.1")


def test_password_guessing_is_rate_limited_and_logged_without_the_password(index_dir, tmp_path):
    """Issue 23: guessing was unlimited (~680 guesses/s). Now 5 wrong passwords lock the client out
    (HTTP 429, a Vietnamese message), the right one included, until the lock ends; each failure is
    one log line with the client's address and no password."""
    log = tmp_path / "server.log"
    with running_app(index_dir, log_path=log, NQ_ADMIN_PASSWORD=ADMIN, NQ_ADMIN_LOCKOUT_S="3") as url:
        codes = []
        for i in range(30):
            r = httpx.post(f"{url}/api/admin/session", json={"password": f"doan-sai-{i}"}, timeout=30)
            codes.append(r.status_code)
        assert codes[:4] == [403] * 4 and set(codes[4:]) == {429}, codes
        r = httpx.post(f"{url}/api/admin/session", json={"password": ADMIN}, timeout=30)
        assert r.status_code == 429 and "nq_admin" not in r.cookies
        assert r.json()["message"].startswith("Nhập sai mật khẩu quản trị quá nhiều lần") and r.headers["retry-after"]
        # a Bearer password on the API is a guess too
        r = httpx.delete(f"{url}/api/documents/{BUNDLED}", headers={"authorization": f"Bearer {ADMIN}"}, timeout=30)
        assert r.status_code == 429
        time.sleep(3.5)
        r = httpx.post(f"{url}/api/admin/session", json={"password": ADMIN}, timeout=30)
        assert r.status_code == 200 and r.cookies["nq_admin"]
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "max-age=3600" in cookie
        # the session ends at logout
        jar = {"nq_admin": r.cookies["nq_admin"]}
        assert httpx.delete(f"{url}/api/admin/session", cookies=jar, timeout=30).status_code == 200
        r = httpx.delete(f"{url}/api/documents/khong-co.txt", cookies=jar, timeout=30)
        assert r.status_code == 403
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    failures = [line for line in lines if "administrator password refused" in line]
    assert len([line for line in failures if "failures=" in line]) == 5, failures
    assert all("client=127.0.0.1" in line for line in failures)
    assert not any("doan-sai" in line or ADMIN in line for line in lines)


def test_only_the_administrator_writes_to_disk_and_uploads_do_not_stay(index_dir, tmp_path):
    """Issue 23: ``POST /gradio_api/upload`` took 11 files (100 MB in 0.4 s) from anyone, kept them in
    Gradio's temp folder and served them back by path; each ingest call left an empty temp file."""
    from gradio_client import Client, handle_file

    idx, temp = tmp_path / "idx", tmp_path / "gradio"
    shutil.copytree(index_dir, idx)
    temp.mkdir()

    def on_disk() -> list[Path]:
        return sorted(p for p in temp.rglob("*") if p.is_file())

    with running_app(idx, NQ_ADMIN_PASSWORD=ADMIN, GRADIO_TEMP_DIR=str(temp)) as url:
        files = [("files", (f"tep-{i}.txt", b"x" * 1_000_000)) for i in range(11)]
        for headers, said in (({}, "Cần mật khẩu quản trị"), ({"authorization": "Bearer sai"}, "Sai mật khẩu quản trị")):
            r = httpx.post(f"{url}/gradio_api/upload", files=files, headers=headers, timeout=60)
            assert r.status_code == 403 and r.json()["message"].startswith(said), r.text
        r = httpx.post(f"{url}/gradio_api/upload", files=files[:1], cookies={"nq_admin": "1.2.3"}, timeout=60)
        assert r.status_code == 403
        assert on_disk() == []
        # the administrator uploads; the file is not served to anyone else, and is gone once ingested
        doc = tmp_path / "thu-vien.txt"
        doc.write_text(RAC.format("71%").replace("THỬ NGHIỆM", "THƯ VIỆN"), encoding="utf-8")
        client = admin_client(url, ADMIN)
        r = httpx.post(f"{url}/gradio_api/upload", files=[("files", ("chua-nap.txt", b"chua nap"))],
                       cookies=client.cookies, timeout=60)
        assert r.status_code == 200
        (path,) = r.json()
        assert httpx.get(f"{url}/gradio_api/file={path}", timeout=30).status_code == 404
        assert httpx.get(f"{url}/gradio_api/file={path}", cookies=client.cookies, timeout=30).status_code == 200
        status = upload_and_wait(client, [handle_file(str(doc))])
        assert "Đã nạp: thu-vien.txt" in status
        assert "71%" in _ask(url, RAC_Q, docs=["thu-vien.txt"]).json()["answer"]
        time.sleep(0.5)
        assert [p for p in on_disk()] == [Path(path)]  # only the upload not ingested (swept after an hour)
        assert not [p for p in on_disk() if p.stat().st_size == 0], on_disk()  # no empty temp file
        # a script sends the password as a Bearer header instead of a session
        bearer = Client(url + "/", verbose=False, headers={"authorization": f"Bearer {ADMIN}"})
        assert bearer.predict(api_name="/ingest_status")["state"] == "done"
