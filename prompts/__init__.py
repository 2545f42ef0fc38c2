"""Vietnamese prompt templates for LLM mode (NQ_LLM=openai|ollama).

Each template names the variables it requires; ``Prompt.template()`` checks that the text
uses exactly those, so a template edited by hand cannot silently drop the passages or the
question. The default extractive answerer needs no prompt.

- ``ANSWER``: answer only from the numbered passages, cite them as [n], refuse with
  "Văn bản không có thông tin …", keep figures exactly as written.
- ``CONDENSE``: rewrite a follow-up question as a standalone one, using the conversation.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from errors import ConfigError

# The refusal the answer prompt asks for; the verifier recognises it (and the extractive
# answerer uses the same sentence).
REFUSAL = "Văn bản không có thông tin để trả lời câu hỏi này."


@dataclass(frozen=True)
class Prompt:
    """A chat prompt: a system message and a user message, with its required variables."""

    name: str
    system: str
    user: str
    required: tuple[str, ...]

    @cached_property
    def _template(self):
        from langchain_core.prompts import ChatPromptTemplate

        tpl = ChatPromptTemplate.from_messages([("system", self.system), ("human", self.user)])
        if set(tpl.input_variables) != set(self.required):
            raise ConfigError(f"prompt {self.name!r} uses variables {sorted(tpl.input_variables)}, "
                              f"but requires {sorted(self.required)}; fix the template in prompts/")
        return tpl

    def template(self):
        """The LangChain ChatPromptTemplate (checked once)."""
        return self._template

    def fixed_text(self) -> str:
        """The template text without its variables, for token budgeting."""
        return self.system + "\n" + self.user


from prompts.answer import ANSWER  # noqa: E402  (they use Prompt and REFUSAL)
from prompts.condense import CONDENSE  # noqa: E402

__all__ = ["ANSWER", "CONDENSE", "Prompt", "REFUSAL"]
