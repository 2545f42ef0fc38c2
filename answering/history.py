"""The one reader of a conversation's earlier turns, in every form the interfaces send."""

from __future__ import annotations


def _content_ok(content) -> bool:
    return content is None or isinstance(content, str) or (
        isinstance(content, list) and all(isinstance(p, dict) and isinstance(p.get("text", ""), str) for p in content))


def is_turn(turn) -> bool:
    """Whether ``turn`` has one of the forms ``history_turns`` reads, its texts strings: a question;
    {"role", "content"} with content a string or a list of parts; {"question", "answer"?}; a
    [question, answer] pair."""
    if isinstance(turn, str):
        return True
    if isinstance(turn, dict) and "role" in turn:
        return isinstance(turn["role"], str) and _content_ok(turn.get("content"))
    if isinstance(turn, dict):
        return isinstance(turn.get("question"), str) and _content_ok(turn.get("answer"))
    if isinstance(turn, (list, tuple)):
        return 1 <= len(turn) <= 2 and all(_content_ok(t) for t in turn)
    return False


def history_turns(history: list | None) -> list[tuple[str, str]]:
    """Earlier turns as (role, text), role 'user' or 'assistant'. Accepts the forms the interfaces
    send: {"question", "answer"} dicts (eval), {"role", "content"} messages (Gradio, HTTP API),
    plain strings (questions) and [question, answer] pairs."""
    out: list[tuple[str, str]] = []

    def text_of(content) -> str:
        if isinstance(content, list):  # Gradio 6 content parts; a part whose text is not a string is no text
            return " ".join(p["text"] for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
        return content if isinstance(content, str) else ""

    for turn in history or []:
        if isinstance(turn, str):
            out.append(("user", turn))
        elif isinstance(turn, dict) and "role" in turn:
            role = "user" if turn.get("role") == "user" else "assistant"
            out.append((role, text_of(turn.get("content"))))
        elif isinstance(turn, dict):
            out.append(("user", str(turn.get("question", ""))))
            if turn.get("answer"):
                out.append(("assistant", str(turn["answer"])))
        elif isinstance(turn, (list, tuple)) and turn:
            out.append(("user", str(turn[0] or "")))
            if len(turn) > 1 and turn[1]:
                out.append(("assistant", text_of(turn[1])))
    return [(r, " ".join(t.split())) for r, t in out if t.strip()]
