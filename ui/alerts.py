"""The UI's error toast: Vietnamese message and title, no traceback in the server log (the handler logs
one line itself)."""

from __future__ import annotations

ERROR_TITLE = "Lỗi"


def ui_error(message: str):
    """A ``gr.Error`` to raise from an event handler: the toast reads "Lỗi" and ``message``."""
    import gradio as gr

    return gr.Error(message, title=ERROR_TITLE, print_exception=False)
