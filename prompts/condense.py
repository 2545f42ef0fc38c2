"""The condense prompt: conversation + follow-up -> one standalone question (for retrieval).

Required variables: ``history`` (earlier turns, "Người dùng: …" / "Trợ lý: …" lines) and
``question`` (this turn's question as typed).
"""

from prompts import Prompt

CONDENSE = Prompt(
    name="condense",
    system=(
        "Bạn viết lại câu hỏi tiếp theo của người dùng thành một câu hỏi độc lập, đầy đủ ý, bằng tiếng Việt, "
        "dựa vào cuộc hội thoại trước đó. Giữ nguyên chủ đề, năm, con số và tên riêng đã nêu; "
        "thay đại từ (\"nó\", \"ông ấy\", \"đó\") bằng điều được nhắc tới. "
        "Nếu câu hỏi đã đầy đủ ý thì giữ nguyên. Không trả lời câu hỏi. "
        "Chỉ viết ra đúng một câu hỏi, không giải thích."
    ),
    user="Hội thoại trước đó:\n{history}\n\nCâu hỏi tiếp theo: {question}\n\nCâu hỏi độc lập:",
    required=("history", "question"),
)
