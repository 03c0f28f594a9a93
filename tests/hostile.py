"""Hostile learner text, shared by the tests that put it through grading and into browsers.

Every payload runs the same script when it runs at all: it sets a global, changes the page title,
opens a dialog and requests a marker URL, so a test can see any one of these happen."""

import json

from conftest import guarded_page
from perfcomm.grading import neutral

JS = "pwned=1,document.title=1,alert(1),fetch(/marker/.source)"

# (id, written answer, words that must still be readable on the page)
ANSWERS = [
    ("script", f"<script>{JS}</script>", "<script>pwned=1"),
    ("img-onerror", f"<img src=x onerror={JS}>", "<img src=x onerror=pwned=1"),
    ("details-ontoggle", f"<details open ontoggle={JS}>目标</details>", "<details open ontoggle="),
    ("div-onmouseover", f'<div onmouseover="{JS}" style="position:fixed;inset:0">看这里</div>', "onmouseover="),
    ("body-onload", f"<body onload={JS}>", "<body onload="),
    ("html-javascript-link", f'<a href="javascript:{JS}">点这里</a>', '<a href="javascript:'),
    ("svg-onload", f"<svg onload={JS}><circle r=9 /></svg>", "<svg onload="),
    ("svg-script", f"<svg><script>{JS}</script></svg>", "<svg><script>"),
    ("mathml", f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>", "<math><mtext><table><mglyph>"),
    ("iframe-srcdoc", f'<iframe srcdoc="<script>{JS}</script>"></iframe>', "<iframe srcdoc="),
    ("entity-named", f"&lt;script&gt;{JS}&lt;/script&gt;", "&lt;script&gt;"),
    ("entity-hex", f"&#x3C;script&#x3E;{JS}&#x3C;/script&#x3E;", "&#x3C;script&#x3E;"),
    ("entity-decimal", f"&#60;img src=x onerror={JS}&#62;", "&#60;img src=x"),
    ("markdown-link", f"[点这里](javascript:{JS})", "[点这里](javascript:"),
    ("markdown-image", f"![图表](javascript:{JS})", "![图表](javascript:"),
    ("markdown-reference", f"[点这里][r]\n\n[r]: javascript:{JS}", "[r]: javascript:"),
    ("autolink", f"<javascript:{JS}>", "<javascript:pwned=1"),
    ("unclosed-img", f"<img src=x onerror={JS} alt=", "<img src=x onerror="),
    ("unclosed-textarea", "<textarea>后面的内容全被吞掉", "<textarea>后面的内容全被吞掉"),
    ("unclosed-style", "<style>body{display:none}", "<style>body{display:none}"),
    ("unclosed-comment", "<!-- 后面的内容全被注释掉", "<!-- 后面的内容全被注释掉"),
    ("textarea-breakout", f"</textarea><script>{JS}</script>", "</textarea><script>"),
    ("script-breakout", f"</script><script>{JS}</script>", "</script><script>"),
    ("div-breakout", f"</div></div></div><img src=x onerror={JS}>", "</div></div></div><img"),
    ("bold-and-script", f"**要点**：目标要双方认可。<script>{JS}</script>\n\n- 第一条\n- 第二条", "<script>pwned=1"),
    # none of "<", "](" or an entity: nbconvert's Markdown (mistune) or the MathJax nbgrader's pages
    # load still makes them live
    ("bare-url", "评分标准见 https://evil.example/login 登录后查看", "https://evil.example/login"),
    ("heading-anchor", "# MathJax\n\n目标要双方认可", "MathJax"),
    ("task-checkbox", "- [x] 目标已确认\n- [ ] 月底复盘", "[x] 目标已确认"),
    ("mermaid", f'```mermaid\ngraph TD\n  A[目标] --> B[复盘]\n  click A href "javascript:{JS}"\n```',
     'click A href "javascript:'),
    ("tex-href", f"$\\href{{javascript:{JS}}}{{点这里}}$", "\\href{javascript:"),
    ("tex-href-http", "$$\\href{https://evil.example/login}{请登录查看}$$",
     "\\href{https://evil.example/login}"),
    ("tex-rule", "\\begin{equation}\\Huge\\rule{3000px}{3000px}\\end{equation}",
     "\\rule{3000px}{3000px}"),
    # nbconvert's math patterns take time growing with the square of its length on this: 0.7 s a
    # page at 18 kB, about 30 s at 180 kB (in HR's Jupyter server, for every formgrader page)
    ("tex-flood", "\\begin{a}" * 2000, "\\begin{a}\\begin{a}"),
    # a lone surrogate (valid in a notebook's JSON) cannot be written back as UTF-8
    ("lone-surrogate", f"目标\ud800<script>{JS}</script>", "<script>pwned=1"),
]
IDS = [case for case, _, _ in ANSWERS]

# Markdown a learner may reasonably use: kept exactly as written
FORMATTING = "**有据可查**的目标，*双方认可*。\n\n- 复购率从 28% 提到 32%\n- 以 CRM 月报为准\n\n1. 先问\n2. 再定"

NAMES = [
    ("name-img", f"<img src=x onerror={JS}>"),
    ("name-script", f"<script>{JS}</script> 王"),
    ("name-entity", "&#x3C;script&#x3E;alert(1)&#x3C;/script&#x3E;"),
]

# names a spreadsheet runs as a formula, or that split a row of grades.csv, when HR opens it in
# Excel
SHEET_NAMES = [
    ("sheet-equals", '=HYPERLINK("https://evil.example/","查看成绩")'),
    ("sheet-plus", "+1+cmd|' /C calc'!A0"),
    ("sheet-minus", "-2+3 王"),
    ("sheet-at", "@SUM(1,2)"),
    ("sheet-comma", "王五,=1+2"),
    ("sheet-newline", "赵六\nstage1-zh,,,forged,,,,100,0,100,100"),
]
FORMULA = ("=", "+", "-", "@", "\t", "\r")


# -- in the browser ----------------------------------------------------------------------------

ALLOWED = sorted(t.upper() for t in neutral.TAGS | {"div"})
WRAPPER_CLASS = neutral.WRAPPER.split('"')[1]
# Anything live in a page: event handlers and javascript: URLs anywhere a learner's text is shown;
# in an answer cell (nbgrader's panel around a prose answer), any element, attribute or link
# beyond plain formatting, and any TeX left for MathJax (outside the wrapper MathJax ignores).
LIVE = """() => {
  const out = [];
  for (const e of document.querySelectorAll('.text_cell_render *, .name-shown *')) {
    for (const a of e.attributes) {
      if (a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value)) out.push(e.tagName + ' ' + a.name);
    }
  }
  for (const e of document.querySelectorAll('.nbgrader_cell .text_cell_render *')) {
    if (!ALLOWED.includes(e.tagName)) out.push(e.tagName);
    for (const a of e.attributes) {
      const plain = (e.tagName === 'OL' && a.name === 'start') ||
                    (e.tagName === 'DIV' && a.name === 'class' && a.value === WRAPPER_CLASS);
      if (!plain) out.push(e.tagName + ' ' + a.name);
    }
  }
  const cells = document.querySelectorAll('.nbgrader_cell .text_cell_render');
  for (const cell of cells) {
    const walk = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let n = walk.nextNode(); n; n = walk.nextNode()) {
      if (/[$\\\\]/.test(n.data) && !n.parentElement.closest('.tex2jax_ignore')) {
        out.push('TeX ' + n.data.slice(0, 40));
      }
    }
  }
  return out;
}""".replace("ALLOWED", json.dumps(ALLOWED)).replace("WRAPPER_CLASS", json.dumps(WRAPPER_CLASS))


def open_inert(browser, url: str, title: str):
    """Open a page, hover over it, and check that nothing a learner wrote ran; returns the tab."""
    tab = guarded_page(browser)
    dialogs, markers = [], []
    tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    tab.on("request", lambda r: markers.append(r.url) if "marker" in r.url else None)
    tab.goto(url, wait_until="load")
    for x, y in ((100, 100), (400, 300), (600, 500)):
        tab.mouse.move(x, y)
    tab.wait_for_timeout(300)
    assert tab.title() == title   # the payloads set it to "1"
    assert tab.evaluate("typeof window.pwned") == "undefined"
    assert dialogs == [] and markers == []
    live = tab.evaluate(LIVE)
    assert live == [], live
    return tab
