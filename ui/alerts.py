"""The UI's error toast: Vietnamese message and title, no traceback in the server log (the handler logs
one line itself)."""

from __future__ import annotations

import logging

log = logging.getLogger(__name__)

ERROR_TITLE = "Lỗi"
WRONG_INPUTS = "Yêu cầu không hợp lệ: số giá trị gửi lên không đúng."


def ui_error(message: str):
    """A ``gr.Error`` to raise from an event handler: the toast reads "Lỗi" and ``message``."""
    import gradio as gr

    return gr.Error(message, title=ERROR_TITLE, print_exception=False)


def refuse_wrong_inputs(demo) -> None:
    """A call of an endpoint with too few or too many values (a raw API call, never the page) is a
    Vietnamese toast and one log line; Gradio's own check prints a traceback and shows its English
    message, listing the app's components. Its check is a method of the Blocks, wrapped here."""
    check = demo.validate_inputs

    def validate_inputs(block_fn, inputs):
        try:
            return check(block_fn, inputs)
        except ValueError as exc:
            log.info("call refused: %s", str(exc).splitlines()[0][:200])
            raise ui_error(WRONG_INPUTS) from None

    demo.validate_inputs = validate_inputs
