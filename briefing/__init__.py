"""Trainer briefings (tài liệu sinh hoạt) and chat transcripts: built from the indexed text, exported
as Markdown and Word, every point cited with its section path and quote."""
