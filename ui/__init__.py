"""The Gradio chat UI (Vietnamese) and the HTTP API served beside it."""
