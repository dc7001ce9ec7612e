"""Chinese text on pages in another language, marked as Chinese.

The hall's content (pages, names, addresses, answers) exists in Chinese only.
On an English page a screen reader would read it with English rules, and
browsers would pick the wrong font; WCAG 3.1.2 asks for each passage in
another language to carry its `lang`. The page templates wrap their body in
`{% filter mark_chinese %}` (cms/core/templatetags/hall_tags.py): for a
Chinese page nothing changes, on an English one every run of Chinese text
becomes `<span lang="zh-Hans">…</span>`, and an <option> holding Chinese gets
the attribute itself (an option cannot hold a span).
"""

import re
from html.parser import HTMLParser

CHINESE_LANG = "zh-Hans"
# Han characters, CJK punctuation and full-width forms.
_CJK = "\u2e80-\u2fdf\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef"
# A run starts and ends with a CJK character and may hold digits, spaces and
# ASCII punctuation between them ("2026年12月", "泉州市 · 人社局").
CHINESE_RUN = re.compile(rf"[{_CJK}](?:[{_CJK}0-9\s.,:;/()%·\-–—]*[{_CJK}])?")
_ANY_CJK = re.compile(rf"[{_CJK}]")
# Text that is not shown as such, or where no element may go.
_RAW = frozenset({"script", "style", "textarea", "title", "option"})
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)


def _wrap(text: str) -> str:
    return CHINESE_RUN.sub(
        lambda m: f'<span lang="{CHINESE_LANG}">{m.group(0)}</span>', text
    )


class _Marker(HTMLParser):
    """Copies the markup as it came and marks the Chinese text in it."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        # For each open element: whether its text is Chinese already, and
        # whether it takes no markup.
        self.stack: list[tuple[str, bool, bool]] = []
        self.pending_option: int | None = None

    def _chinese(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def _raw(self) -> bool:
        return bool(self.stack) and self.stack[-1][2]

    def handle_starttag(self, tag, attrs):
        text = self.get_starttag_text()
        lang = dict(attrs).get("lang")
        chinese = lang.lower().startswith("zh") if lang else self._chinese()
        if tag == "option" and not lang:
            # Decided once its text is known: the attribute goes in afterwards.
            self.pending_option = len(self.out)
        self.out.append(text)
        if tag not in _VOID:
            self.stack.append((tag, chinese, tag in _RAW or self._raw()))

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break
        if tag == "option":
            self.pending_option = None

    def handle_data(self, data):
        if self.pending_option is not None and _ANY_CJK.search(data):
            start = self.out[self.pending_option]
            self.out[self.pending_option] = (
                start[:7] + f' lang="{CHINESE_LANG}"' + start[7:]
            )
            self.pending_option = None
        if self._raw() or self._chinese() or not _ANY_CJK.search(data):
            self.out.append(data)
        else:
            self.out.append(_wrap(data))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def mark_chinese(html: str) -> str:
    """`html` with each run of Chinese text outside a Chinese element marked."""
    if not _ANY_CJK.search(html):
        return html
    marker = _Marker()
    marker.feed(html)
    marker.close()
    return "".join(marker.out)
