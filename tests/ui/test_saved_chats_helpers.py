"""ui/saved_chats.py without a browser: titles, what is read back from the browser, and the bounds."""

from __future__ import annotations

import copy

from core.types import Answer, Citation
from ui.citations import bubble_text
from ui.safe_text import as_text
from ui.saved_chats import (
    MAX_SAVED_CONVERSATIONS,
    _size,
    answer_ok,
    bounded,
    chat_messages,
    load_saved,
    saved_with,
    title_of,
)

BIG = 10**9  # a budget nothing reaches


def _answer(question: str = "Tỷ lệ che phủ rừng?", **kw) -> dict:
    cite = Citation(n=1, doc="nq.txt", section="Về môi trường", text="(25) Rừng trên 52%.", quote="Rừng trên 52%",
                    start=5, end=18, score=0.9, doc_id="nq.txt", doc_title="Nghị quyết")
    a = Answer(question, "Rừng trên 52% [1]", True, [cite], understood=kw.pop("understood", None))
    return {**a.to_dict(), "notes_vi": [], **kw}


def _conv(i: int, n: int = 1, updated: float | None = None) -> dict:
    return {"id": f"{i:016x}", "updated": float(i if updated is None else updated),
            "answers": [_answer(f"Câu hỏi {i}.{k}") for k in range(n)]}


def test_title_is_the_first_question_shortened_at_a_word():
    assert title_of("  Tỷ lệ   che phủ\nrừng? ") == "Tỷ lệ che phủ rừng?"
    q = "Đến năm 2025 độ che phủ rừng của tỉnh phải đạt mức nào theo nghị quyết đại hội?"
    t = title_of(q, limit=40)
    assert t == "Đến năm 2025 độ che phủ rừng của tỉnh…"
    assert len(t) <= 41 and q.startswith(t[:-1])
    assert title_of("Tỷ lệ hộ nghèo", limit=10) == "Tỷ lệ hộ…"  # never "Tỷ lệ hộ n…"
    assert title_of("một câu vừa", limit=11) == "một câu vừa"
    assert title_of("x" * 100, limit=10) == "x" * 10 + "…"  # one word longer than the limit


def test_answer_ok_takes_the_chats_answers_and_refuses_wrong_types():
    assert answer_ok(_answer()) and answer_ok(_answer(understood="Tỷ lệ che phủ rừng năm 2025?"))
    bad = [None, "x", [], {}, _answer(question=""), _answer(question="   "), _answer(answer=5), _answer(found="yes"),
           _answer(citations="x"), _answer(citations=[{"n": 1}]), _answer(latency_ms=float("nan")),
           _answer(latency_ms=True), _answer(warnings=[1]), _answer(notes_vi="x"), _answer(understood=3),
           _answer(question="\ud800 câu hỏi")]
    for a in bad:
        assert not answer_ok(a), a
    for key, value in (("n", "1"), ("n", True), ("start", 1.5), ("score", "0.9"), ("text", None), ("extra", 1)):
        a = _answer()
        a["citations"][0][key] = value
        assert not answer_ok(a), (key, value)
        a["citations"][0].pop(key)
    a = _answer()
    del a["citations"][0]["quote"]
    assert not answer_ok(a)


def test_load_saved_keeps_well_formed_entries_newest_first():
    good = [_conv(1), _conv(3), _conv(2)]
    junk = ["x", None, 3, [], {}, {"id": "../etc", "updated": 5, "answers": [_answer()]},
            {"id": "ab" * 8, "updated": "5", "answers": [_answer()]}, {"id": "cd" * 8, "updated": 5, "answers": []},
            {"id": "ef" * 8, "updated": 5, "answers": [_answer(found=None)]}, {**_conv(1), "updated": 99}]
    out = load_saved(junk[:3] + good + junk[3:], BIG)
    assert [e["id"] for e in out] == [_conv(3)["id"], _conv(2)["id"], _conv(1)["id"]]  # the first of an id kept
    assert out[0] == _conv(3)
    for value in (None, "garbage", 42, {"id": "x"}, [None], [[]]):
        assert load_saved(value, BIG) == []


def test_bounded_keeps_the_newest_within_count_and_bytes():
    convs = [_conv(i, updated=1000 - i) for i in range(MAX_SAVED_CONVERSATIONS + 7)]
    assert [e["id"] for e in bounded(convs, BIG)] == [e["id"] for e in convs[:MAX_SAVED_CONVERSATIONS]]
    budget = _size(convs[:3]) + 10
    kept = bounded(convs, budget)
    assert kept == convs[:3] and _size(kept) <= budget
    # the newest alone over the budget keeps its latest answers
    long = _conv(1, n=6)
    kept = bounded([long, _conv(2)], _size([{**long, "answers": long["answers"][-2:]}]) + 5)
    assert kept == [{**long, "answers": long["answers"][-2:]}]
    assert bounded([long], 10) == []


def test_saved_with_adds_updates_and_moves_first():
    saved = [_conv(2), _conv(1)]
    before = copy.deepcopy(saved)
    new, conv_id = saved_with(saved, "", [_answer("Mới?")], BIG, now=10.0)
    assert new[0] == {"id": conv_id, "updated": 10.0, "answers": [_answer("Mới?")]} and new[1:] == saved
    assert saved == before  # not changed in place
    again, same = saved_with(new, _conv(1)["id"], _conv(1)["answers"] + [_answer("Tiếp?")], BIG, now=11.0)
    assert same == _conv(1)["id"] and [e["id"] for e in again] == [same, conv_id, _conv(2)["id"]]
    assert len(again[0]["answers"]) == 2
    # a tampered id is not kept; no answers: nothing stored
    _, other = saved_with(saved, "../x", [_answer()], BIG)
    assert other != "../x" and len(other) == 16
    assert saved_with(saved, "", [], BIG)[0] == saved


def test_chat_messages_rebuild_the_bubbles_as_the_chat_shows_them():
    a = _answer("<b>Câu hỏi</b>", understood="Tỷ lệ che phủ rừng năm 2025?")
    msgs = chat_messages([a])
    assert msgs == [{"role": "user", "content": as_text("<b>Câu hỏi</b>")},
                    {"role": "assistant", "content": bubble_text(Answer.from_dict(a))}]
    assert "&lt;b&gt;" in msgs[0]["content"] and "Hiểu là" in msgs[1]["content"]
