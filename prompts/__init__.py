"""Vietnamese prompt templates for LLM mode (NQ_LLM=openai|ollama).

The default extractive answerer needs no prompt; LLM mode and its templates are the
subject of a later issue, and this package is where they live.
"""
