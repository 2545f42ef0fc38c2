"""What the page carries besides its components: the CSS, the Vietnamese strings that replace
Gradio's English ones, the script that links each "[n]" of an answer to its citation, and the
placeholder texts of the chat."""

from __future__ import annotations

CSS = """
.cite {border-left: 3px solid #2563eb; padding: 6px 10px; margin: 8px 0; background: #f8fafc;
       overflow-wrap: anywhere;}
.cite .doc {font-weight: 600;}
.cite .section {color: #475569; font-size: 0.9em;}
.cite mark {background: #fde68a; padding: 0 2px;}
.llm-note {color: #b45309; font-size: 0.9em;}
.cite .quote {margin: 4px 0;}
.cite details summary {cursor: pointer; color: #2563eb; font-size: 0.9em;}
.cite .passage {white-space: pre-wrap; margin-top: 4px;}
/* one reserved line, so the layout does not jump when the processing text appears */
#busy {min-height: 1.5em; padding: 0 !important; margin: -8px 0 !important;}
#busy p {color: #b45309; font-weight: 600; margin: 0;}
.cite-group {margin-bottom: 14px;}
.cite-group > .asked {font-weight: 600; color: #1e293b; margin: 4px 0;}
.cite.flash {background: #fef3c7; transition: background 0.3s;}
a.cite-ref {color: #2563eb; cursor: pointer; text-decoration: none; font-weight: 600;}
/* the saved conversations beside the chat: one per line, the list scrolls inside itself */
#saved-list .wrap {flex-direction: column; flex-wrap: nowrap; max-height: 340px; overflow-y: auto;}
#saved-list label {overflow-wrap: anywhere;}
/* the targets table: the page's own font, one-line headers */
#targets-table, #targets-table * {font-family: var(--font) !important;}
#targets-table th {white-space: nowrap;}
#targets-table [data-testid^="cell-"][data-testid$="-0"], #targets-table th:first-child
  {white-space: nowrap; min-width: 3.5em;}
/* the documents table: the page's own font, one-line headers, long titles wrapped */
#documents, #documents * {font-family: var(--font) !important;}
#documents th, #documents th * {white-space: nowrap !important;}
#documents th:nth-child(3), #documents td:nth-child(3) {width: 26em !important; min-width: 16em !important;
  max-width: 26em !important;}
/* narrow screens: the answer and its citations stack, nothing wider than the screen */
@media (max-width: 768px) {
  /* the documents table scrolls sideways inside itself; a narrow file column brings the title on screen */
  #documents th:first-child, #documents td:first-child
    {width: 6em !important; min-width: 6em !important; max-width: 6em !important;}
  #documents td:first-child * {overflow-wrap: anywhere;}
  #documents th:nth-child(2), #documents td:nth-child(2) {width: 5.5em !important; min-width: 5.5em !important;}
  #documents th:nth-child(3), #documents td:nth-child(3)
    {width: 13em !important; min-width: 13em !important; max-width: 13em !important;}
  #qa-row {flex-direction: column;}
  #qa-row > div {min-width: 100% !important;}
  /* the saved conversations after the chat and its citations: the chat stays at the top */
  #saved-chats {order: 3;}
  /* a briefing's targets table: scrolls inside itself, its number and source columns on one line */
  #brief-preview table {display: block; overflow-x: auto; font-size: 0.9em;}
  #brief-preview th, #brief-preview td:first-child, #brief-preview td:last-child {white-space: nowrap;}
  /* the targets table keeps the columns that matter: number, indicator, value */
  #targets-table th:nth-child(2), #targets-table th:nth-child(5),
  #targets-table [data-testid^="cell-"][data-testid$="-1"], #targets-table [data-testid^="cell-"][data-testid$="-4"],
  #targets-table td:has(> [data-testid^="cell-"][data-testid$="-1"]),
  #targets-table td:has(> [data-testid^="cell-"][data-testid$="-4"]) {display: none;}
}
"""

# Gradio has no Vietnamese locale and falls back to English; these override its built-in strings
# (frontend i18n keys) for the components this UI uses, for both locales.
GRADIO_STRINGS_VI = {
    "chatbot.copy_message": "Sao chép câu trả lời",
    "chatbot.copied_message": "Đã sao chép",
    "chatbot.clear": "Xóa hội thoại",
    "common.clear": "Xóa",
    "common.download": "Tải xuống",
    "common.download_all": "Tải xuống tất cả",
    "common.empty": "Trống",
    "common.error": "Lỗi",
    "common.loading": "Đang tải",
    "common.remove": "Gỡ bỏ",
    "common.settings": "Cài đặt",
    "common.upload": "Tải lên",  # missing from Gradio's own English strings: shown as the raw key
    "common.share": "Chia sẻ",
    "common.submit": "Gửi",
    "common.built_with_gradio": "Xây dựng bằng Gradio",
    "common.built_with": "xây dựng bằng",
    "common.or": "hoặc",
    "common.runs": "Lịch sử",
    "common.language": "Ngôn ngữ",
    "common.display_theme": "Giao diện",
    "upload_text.click_to_upload": "Bấm để chọn tệp",
    "upload_text.drop_file": "Kéo thả tệp vào đây",
    "file.uploading": "Đang tải lên...",
    "errors.use_via_api": "Dùng qua API",
    "errors.use_via_api_or_mcp": "Dùng qua API hoặc MCP",
    "errors.connection_can_break": "Trên điện thoại, kết nối có thể bị ngắt nếu bạn rời khỏi trang.",
    "errors.waiting_for_inputs": "Đang chờ tải tệp lên xong, vui lòng thử lại.",
}
BUSY_TEXT = "Đang xử lý…"
NO_CITATIONS = "<p><i>Trích dẫn của câu trả lời sẽ hiện ở đây.</i></p>"

# Runs once the page is loaded: keeps lang="vi" on the page, titles toasts in Vietnamese, and makes each "[n]" of an answer bubble a link to citation n of that answer
# in the citations panel (the k-th answer bubble is answer k; its citations carry ids "cite-k-n"). It edits
# the rendered bubble only, so the copy button and the transcript keep the plain text.
CITE_LINKS_JS = r"""
() => {
  // Gradio's front end sets the page language from its own locale list; the page is Vietnamese
  const vi = () => { if (document.documentElement.lang !== 'vi') document.documentElement.lang = 'vi'; };
  vi();
  new MutationObserver(vi).observe(document.documentElement, {attributes: true, attributeFilter: ['lang']});
  // the toast's title is its type in English ("Error"), whatever title the server sends: say it in Vietnamese
  const titles = {Error: 'Lỗi', Warning: 'Cảnh báo', Info: 'Thông báo', Success: 'Thành công'};
  const mark = () => {
    document.querySelectorAll('.toast-title').forEach((title) => {
      for (const node of title.childNodes) {
        const word = node.nodeType === Node.TEXT_NODE && node.nodeValue.trim();
        if (word && titles[word]) node.nodeValue = node.nodeValue.replace(word, titles[word]);
      }
    });
    document.querySelectorAll('[data-testid="bot"]').forEach((bubble, k) => {
      const walker = document.createTreeWalker(bubble, NodeFilter.SHOW_TEXT);
      const nodes = [];
      while (walker.nextNode()) {
        const node = walker.currentNode;
        if (/\[\d+\]/.test(node.nodeValue) && !node.parentElement.closest('a, button, code')) nodes.push(node);
      }
      for (const node of nodes) {
        const frag = document.createDocumentFragment();
        let last = 0;
        node.nodeValue.replace(/\[(\d+)\]/g, (m, n, at) => {
          frag.append(node.nodeValue.slice(last, at));
          const a = document.createElement('a');
          a.className = 'cite-ref'; a.href = `#cite-${k}-${n}`; a.textContent = m;
          a.title = `Xem trích dẫn ${m}`;
          frag.append(a);
          last = at + m.length;
        });
        frag.append(node.nodeValue.slice(last));
        node.replaceWith(frag);
      }
    });
  };
  new MutationObserver(mark).observe(document.body, {childList: true, subtree: true, characterData: true});
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a.cite-ref');
    if (!a) return;
    ev.preventDefault();
    ev.stopPropagation();
    const target = document.getElementById(a.getAttribute('href').slice(1));
    if (!target) return;
    target.scrollIntoView({behavior: 'smooth', block: 'center'});
    target.classList.add('flash');
    setTimeout(() => target.classList.remove('flash'), 1500);
  }, true);
}
"""
