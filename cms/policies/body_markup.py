"""A policy body written as simple text, for files: headed sections, lists and
notices become the body's own StreamField blocks (cms/core/blocks.py).

The format (docs/content.md):

    ## 一、总体目标            a section heading (h2); "### " a subsection (h3)
    到2027年……                a paragraph; its lines join with a line break
    - 一项                    a bulleted list, one "- " line per item
    1. 一项                   a numbered list, one "1. " (any number) line per item
    !!! warning 本文件已废止   a notice (warning or info) with an optional title,
    本文件已由……废止。          its text on the lines that follow

A blank line ends a paragraph, a list or a notice. Everything is escaped: markup in
a file is shown as text, never rendered (docs/security.md H3).
"""

import re
from html import escape, unescape

from django.utils.translation import gettext as _
from wagtail.rich_text import RichText

BODY_FORMATS = {
    "text": "text",
    "纯文本": "text",
    "structured": "structured",
    "结构化": "structured",
}
HEADING = re.compile(r"^(#{2,3}) +(\S.*)$")
BULLET = re.compile(r"^- +(\S.*)$")
NUMBERED = re.compile(r"^\d+\. +(\S.*)$")
NOTICE = re.compile(r"^!!! *(\S*) *(.*)$")
NOTICE_KINDS = ("info", "warning")
# The blocks' own limits (cms/core/blocks.py), checked here so that a long line
# is a row error rather than a page that fails to save.
HEADING_MAX_LENGTH = 120
NOTICE_TITLE_MAX_LENGTH = 80


def _lines_html(lines: list[str]) -> str:
    return "<br/>".join(escape(line) for line in lines)


def _list_html(tag: str, items: list[str]) -> str:
    return f"<{tag}>{''.join(f'<li>{escape(item)}</li>' for item in items)}</{tag}>"


def markup_to_blocks(text: str) -> list[tuple[str, object]]:
    """The body's blocks; ValueError (translated) for a line it cannot place."""
    lines = [
        line.strip()
        for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    ]
    blocks: list[tuple[str, object]] = []
    index = 0

    def run(start: int, pattern: re.Pattern | None) -> tuple[list[str], int]:
        """The lines from `start` up to a blank line (or one not fitting `pattern`)."""
        taken, end = [], start
        while end < len(lines) and lines[end]:
            if pattern is not None and not pattern.match(lines[end]):
                break
            if pattern is None and end > start and _starts_block(lines[end]):
                break
            taken.append(lines[end])
            end += 1
        return taken, end

    while index < len(lines):
        line = lines[index]
        if not line:
            index += 1
            continue
        if heading := HEADING.match(line):
            words = heading.group(2).strip()
            if len(words) > HEADING_MAX_LENGTH:
                raise ValueError(
                    _("The heading “%(heading)s” is longer than %(max)d characters.")
                    % {"heading": words[:20] + "…", "max": HEADING_MAX_LENGTH}
                )
            level = "h2" if len(heading.group(1)) == 2 else "h3"
            blocks.append(("heading", {"text": words, "level": level}))
            index += 1
        elif BULLET.match(line) or NUMBERED.match(line):
            pattern = BULLET if BULLET.match(line) else NUMBERED
            items, index = run(index, pattern)
            tag = "ul" if pattern is BULLET else "ol"
            texts = [pattern.match(item).group(1).strip() for item in items]
            blocks.append(("paragraph", RichText(_list_html(tag, texts))))
        elif notice := NOTICE.match(line):
            kind, title = notice.group(1), notice.group(2).strip()
            if kind not in NOTICE_KINDS:
                raise ValueError(
                    _("Unknown notice “%(kind)s”: write “!!! warning” or “!!! info”.")
                    % {"kind": kind}
                )
            if len(title) > NOTICE_TITLE_MAX_LENGTH:
                raise ValueError(
                    _("The notice title is longer than %(max)d characters.")
                    % {"max": NOTICE_TITLE_MAX_LENGTH}
                )
            texts, index = run(index + 1, None)
            if not texts:
                raise ValueError(
                    _("The notice “%(title)s” has no text on the lines below it.")
                    % {"title": title or kind}
                )
            blocks.append(
                (
                    "notice",
                    {
                        "kind": kind,
                        "title": title,
                        "text": RichText(f"<p>{_lines_html(texts)}</p>"),
                    },
                )
            )
        else:
            texts, index = run(index, None)
            blocks.append(("paragraph", RichText(f"<p>{_lines_html(texts)}</p>")))
    return blocks


def _starts_block(line: str) -> bool:
    return bool(
        HEADING.match(line)
        or BULLET.match(line)
        or NUMBERED.match(line)
        or NOTICE.match(line)
    )


LIST_ITEM = re.compile(r"<li>(.*?)</li>", re.S)
PARAGRAPH = re.compile(r"^<p>(.*)</p>$", re.S)


def _html_lines(source: str) -> list[str] | None:
    match = PARAGRAPH.match(source)
    if match is None or "<" in re.sub(r"<br\s*/?>", "", match.group(1)):
        return None
    return [unescape(line) for line in re.split(r"<br\s*/?>", match.group(1))]


def blocks_to_markup(raw_blocks: list[dict]) -> str | None:
    """The text a body's raw blocks were written from, or None when a block has
    no form in this format (an image, a table, formatted rich text)."""
    parts = []
    for block in raw_blocks:
        kind, value = block["type"], block["value"]
        if kind == "heading":
            parts.append(f"{'##' if value['level'] == 'h2' else '###'} {value['text']}")
        elif kind == "notice":
            lines = _html_lines(value["text"])
            if lines is None:
                return None
            head = f"!!! {value['kind']} {value['title']}".rstrip()
            parts.append("\n".join([head, *lines]))
        elif kind == "paragraph":
            list_match = re.match(r"^<(ol|ul)>(.*)</\1>$", value, re.S)
            if list_match:
                items = LIST_ITEM.findall(list_match.group(2))
                if any("<" in item for item in items):
                    return None
                marker = "-" if list_match.group(1) == "ul" else None
                parts.append(
                    "\n".join(
                        f"{marker or f'{number}.'} {unescape(item)}"
                        for number, item in enumerate(items, 1)
                    )
                )
                continue
            lines = _html_lines(value)
            if lines is None:
                return None
            parts.append("\n".join(lines))
        else:
            return None
    return "\n\n".join(parts)


__all__ = ["BODY_FORMATS", "blocks_to_markup", "markup_to_blocks"]
