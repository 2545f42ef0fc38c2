"""The one reader of a conversation's earlier turns, in every form the interfaces send."""

from __future__ import annotations


def history_turns(history: list | None) -> list[tuple[str, str]]:
    """Earlier turns as (role, text), role 'user' or 'assistant'. Accepts the forms the interfaces
    send: {"question", "answer"} dicts (eval), {"role", "content"} messages (Gradio, HTTP API),
    plain strings (questions) and [question, answer] pairs."""
    out: list[tuple[str, str]] = []

    def text_of(content) -> str:
        if isinstance(content, list):  # Gradio 6 content parts
            return " ".join(p.get("text", "") for p in content if isinstance(p, dict))
        return str(content or "")

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
