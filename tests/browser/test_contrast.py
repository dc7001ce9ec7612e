"""WCAG 2.1 AA colour contrast (1.4.3) and visible focus (2.4.7) in a real browser.

The stylesheet only claims its ratios in comments; here Chromium renders each public
page and every visible piece of text is measured against what is painted behind it:
4.5:1, or 3:1 for large text (24px, or 18.66px bold). Solid backgrounds are computed
from the styles (translucent layers composited down to the first opaque one). Text on
a CSS gradient is measured against the lightest and darkest pixels behind it in a
screenshot taken with all text made transparent. Text on a picture (url()) is unknown
and left out.
"""

import io
import math

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.browser.test_journey import build_hall
from tests.factories import make_policy

LIVE_DB = pytest.mark.django_db(transaction=True, serialized_rollback=True)
pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}

# Shared by the scripts below: colour parsing, WCAG luminance and a readable path.
HELPERS = r"""
const ctx = document.createElement("canvas").getContext("2d");
const RGB = /^rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/;
const parse = (value) => {
  let m = RGB.exec(value);
  if (!m) {
    // Named colours and other syntaxes: let canvas serialise them.
    ctx.fillStyle = "#010203";
    ctx.fillStyle = value;
    const normal = ctx.fillStyle;
    const h = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/.exec(normal);
    if (h && (normal !== "#010203" || value === "#010203")) {
      return [parseInt(h[1], 16), parseInt(h[2], 16), parseInt(h[3], 16), 1];
    }
    m = RGB.exec(normal);
    if (!m) return null;
  }
  const alpha = m[4] === undefined ? 1 : parseFloat(m[4]) / (m[5] ? 100 : 1);
  return [+m[1], +m[2], +m[3], alpha];
};
const over = (top, bottom) =>
  [0, 1, 2].map((i) => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
const channel = (v) => {
  v /= 255;
  return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
};
const luminance = (c) =>
  0.2126 * channel(c[0]) + 0.7152 * channel(c[1]) + 0.0722 * channel(c[2]);
const ratio = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
};
const hex = (c) =>
  "#" + c.slice(0, 3).map((v) => Math.round(v).toString(16).padStart(2, "0")).join("") +
  (c[3] < 1 ? ` @${+c[3].toFixed(2)}` : "");
const describe = (el) => {
  const parts = [];
  for (let node = el; node && node !== document.body && parts.length < 4; node = node.parentElement) {
    if (node.id) {
      parts.unshift(`${node.localName}#${CSS.escape(node.id)}`);
      break;
    }
    const classes = [...node.classList].slice(0, 2).map((c) => "." + CSS.escape(c)).join("");
    parts.unshift(node.localName + classes);
  }
  return parts.join(" > ");
};
// What is painted behind a box: its own layers, then its ancestors', down to the
// first opaque colour (or the white canvas). A background-image stops the walk.
const background = (styles) => {
  const colours = [];
  for (const { style, node } of styles) {
    const image = style.backgroundImage;
    if (image && image !== "none") {
      const picture = /url\(|image-set\(|element\(/.test(image) || !/gradient\(/.test(image);
      return { kind: picture ? "image" : "gradient", node };
    }
    const colour = parse(style.backgroundColor);
    if (!colour) return { kind: "unparsable", value: style.backgroundColor, node };
    if (colour[3] > 0) colours.push(colour);
    if (colour[3] >= 1) break;
  }
  let result = [255, 255, 255, 1];
  for (const colour of colours.reverse()) result = over(colour, result);
  return { kind: "colour", colour: result };
};
const ancestry = (el) => {
  const styles = [];
  for (let node = el; node; node = node.parentElement) {
    styles.push({ style: getComputedStyle(node), node });
  }
  return styles;
};
"""

AUDIT = (
    "(scope) => {"
    + HELPERS
    + r"""
// Closed <details> hide text a visitor opens with one click: measure it too.
document.querySelectorAll("details").forEach((d) => { d.open = true; });
const root = scope ? document.querySelector(scope) : document.body;

const TEXT_INPUTS = ["text", "search", "email", "tel", "url", "password", "number", ""];
const snippet = (text) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > 40 ? flat.slice(0, 39) + "…" : flat;
};
const hidden = (el) => {
  if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true, contentVisibilityAuto: true })) {
    return true;
  }
  const box = el.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return true;
  // Parked above or left of the page, as the skip link is until focused.
  if (box.bottom + scrollY <= 0 || box.right + scrollX <= 0) return true;
  // .visually-hidden: a 1px box that clips what it holds.
  for (let node = el; node && node !== document.body; node = node.parentElement) {
    const r = node.getBoundingClientRect();
    const s = getComputedStyle(node);
    if ((r.width <= 1 || r.height <= 1) && (s.overflowX !== "visible" || s.overflowY !== "visible")) {
      return true;
    }
  }
  return false;
};
const opacity = (el) => {
  let value = 1;
  for (let node = el; node; node = node.parentElement) value *= parseFloat(getComputedStyle(node).opacity);
  return value;
};
// The text a `content` value shows; a counter's own number does not matter here.
const resolveContent = (content, el) =>
  [...content.matchAll(/"((?:[^"\\]|\\.)*)"|counters?\([^)]*\)|attr\(([^)\s]+)\)/g)]
    .map(([, string, attr]) => string !== undefined ? string : attr ? (el.getAttribute(attr) || "") : "1")
    .join("");
const textRects = (el) => {
  const rects = [];
  for (const node of el.childNodes) {
    if (node.nodeType !== Node.TEXT_NODE || !node.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) {
      if (r.width > 0 && r.height > 0) rects.push([r.left + scrollX, r.top + scrollY, r.width, r.height]);
    }
  }
  return rects;
};

const report = { checked: 0, failures: [], sampled: [], skipped: [] };
const measure = ({ el, pseudo, text, style, styles, colour, rects }) => {
  const fg = parse(colour);
  const where = describe(el) + (pseudo || "");
  const size = parseFloat(style.fontSize);
  const weight = parseInt(style.fontWeight, 10);
  const large = size >= 24 || (size >= 18.66 && weight >= 700);
  const item = {
    selector: where, text: snippet(text), size: `${size}px/${weight}`,
    required: large ? 3 : 4.5,
  };
  if (!fg) {
    report.failures.push({ ...item, problem: `unparsable colour ${colour}` });
    return;
  }
  fg[3] *= opacity(el) * (pseudo ? parseFloat(style.opacity) : 1);
  if (fg[3] === 0) return;  // transparent text is not shown
  const bg = background(styles);
  if (bg.kind === "colour") {
    report.checked += 1;
    const value = ratio(over(fg, bg.colour), bg.colour);
    if (value < item.required) {
      report.failures.push({ ...item, fg: hex(fg), bg: hex(bg.colour), ratio: +value.toFixed(2) });
    }
  } else if (bg.kind === "gradient" && rects && rects.length) {
    report.sampled.push({ ...item, fg, rects, behind: describe(bg.node) });
  } else if (bg.kind === "unparsable") {
    report.failures.push({ ...item, problem: `unparsable background ${bg.value}` });
  } else {
    report.skipped.push({ ...item, reason: `${bg.kind} behind (${describe(bg.node)})` });
  }
};

for (const el of [root, ...root.querySelectorAll("*")]) {
  if (el.closest("svg, script, style, noscript, template, option, optgroup")) continue;
  const isInput = el.matches("input, select, textarea");
  if (isInput && el.localName === "input" && !TEXT_INPUTS.includes(el.getAttribute("type") || "")) continue;
  const ownText = [...el.childNodes]
    .filter((n) => n.nodeType === Node.TEXT_NODE)
    .map((n) => n.textContent).join("");
  const style = getComputedStyle(el);
  const pseudos = ["::before", "::after"].map((pseudo) => [pseudo, getComputedStyle(el, pseudo)])
    .filter(([, s]) => s.content !== "none" && s.content !== "normal" && s.display !== "none");
  if (!ownText.trim() && !isInput && !pseudos.length) continue;
  if (el.matches(":disabled") || hidden(el)) continue;  // disabled controls are exempt
  const styles = ancestry(el);
  const box = el.getBoundingClientRect();
  const wholeBox = [[box.left + scrollX, box.top + scrollY, box.width, box.height]];
  if (isInput) {
    const value = el.localName === "select" ? (el.selectedOptions[0] || {}).text || "" : el.value;
    if (value.trim()) {
      measure({ el, text: value, style, styles, colour: style.color, rects: wholeBox });
    } else if (el.placeholder) {
      const placeholder = getComputedStyle(el, "::placeholder");
      measure({ el, pseudo: "::placeholder", text: el.placeholder, style: placeholder, styles,
        colour: placeholder.color, rects: wholeBox });
    }
  } else if (ownText.trim()) {
    measure({ el, text: ownText, style, styles, colour: style.color, rects: textRects(el) });
  }
  for (const [pseudo, ps] of pseudos) {
    const text = resolveContent(ps.content, el);
    // Separators and bullets ("›", "|", "") are decoration; numbers and words are text.
    if (!/[\p{L}\p{N}]/u.test(text) || ps.visibility !== "visible") continue;
    measure({ el, pseudo, text, style: ps, styles: [{ style: ps, node: el }, ...styles],
      colour: ps.color, rects: null });
  }
}
return report;
}"""
)

FOCUSED = (
    "(known) => {"
    + HELPERS
    + r"""
const el = document.activeElement;
if (!el || el === document.body || el === document.documentElement) return null;
const s = getComputedStyle(el);
const outline = s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0 ? parse(s.outlineColor) : null;
const shadowColour = s.boxShadow === "none" ? null : parse((/rgba?\([^)]*\)/.exec(s.boxShadow) || [""])[0]);
const shadowSize = s.boxShadow === "none" ? 0
  : Math.max(0, ...(s.boxShadow.match(/-?[\d.]+px/g) || []).slice(2).map((v) => Math.abs(parseFloat(v))));
const shadow = shadowColour && shadowColour[3] > 0 && shadowSize > 0 ? shadowColour : null;
// The outline sits outside the box unless its offset pulls it in; the shadow is outside.
const outside = background(ancestry(el.parentElement));
const inside = background(ancestry(el));
const against = (ring, bg) => ring && ring[3] > 0 && bg.kind === "colour" ? ratio(over(ring, bg.colour), bg.colour) : null;
const outlineRatio = against(outline, parseFloat(s.outlineOffset) < 0 ? inside : outside);
const shadowRatio = against(shadow, outside);
const ratios = [outlineRatio, shadowRatio].filter((v) => v !== null);
return {
  selector: describe(el),
  tag: el.localName,
  text: (el.innerText || el.value || el.getAttribute("aria-label") || "").replace(/\s+/g, " ").trim().slice(0, 30),
  focusVisible: el.matches(":focus-visible"),
  outline: outline && outline[3] > 0 ? `${s.outlineStyle} ${s.outlineWidth} ${hex(outline)}` : null,
  shadow: shadow ? hex(shadow) : null,
  // null when the background is a gradient: the gold and ink pair is meant for any.
  bestRingRatio: ratios.length ? +Math.max(...ratios).toFixed(2) : null,
  known: known.find((selector) => el.matches(selector)) || null,
};
}"""
)

# Paint every glyph transparent so a screenshot shows only what is behind the text.
HIDE_TEXT = """
*, *::before, *::after, *::placeholder, *::marker {
  color: transparent !important;
  -webkit-text-fill-color: transparent !important;
  text-shadow: none !important;
  text-decoration-color: transparent !important;
  caret-color: transparent !important;
}
"""


# WCAG 1.4.11 gaps this test found and left for a selector fix (the task allowed
# colour values only): these rules set a box-shadow of their own, which beats the
# ink ring of `:focus-visible` (specificity 0,2,0 over 0,1,0) and leaves the gold
# outline alone on a light background, about 1.6:1. Drop an entry once fixed.
KNOWN_FAINT_RINGS: tuple[str, ...] = ()


def _luminance(rgb) -> float:
    def channel(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _ratio(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _over(top, bottom) -> tuple:
    alpha = top[3]
    return tuple(top[i] * alpha + bottom[i] * (1 - alpha) for i in range(3))


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(v):02x}" for v in rgb[:3])


def sampled_failures(page, sampled: list[dict]) -> list[dict]:
    """Measure text on gradients against the worst pixel behind each text line."""
    if not sampled:
        return []
    rects = [rect for item in sampled for rect in item["rects"]]
    left = max(0, math.floor(min(x for x, _, _, _ in rects)))
    top = max(0, math.floor(min(y for _, y, _, _ in rects)))
    right = math.ceil(max(x + w for x, _, w, _ in rects))
    bottom = math.ceil(max(y + h for _, y, _, h in rects))
    style = page.add_style_tag(content=HIDE_TEXT)
    png = page.screenshot(
        full_page=True,
        clip={"x": left, "y": top, "width": right - left, "height": bottom - top},
        scale="css",
        animations="disabled",
    )
    style.evaluate("el => el.remove()")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    failures = []
    for item in sampled:
        behind = set()
        for x, y, width, height in item["rects"]:
            # In page coordinates less the clip's corner, one pixel in from each
            # edge: a neighbouring border is not the background.
            box = (
                max(0, math.floor(x) - left + 1),
                max(0, math.floor(y) - top + 1),
                min(image.width, math.ceil(x + width) - left - 1),
                min(image.height, math.ceil(y + height) - top - 1),
            )
            if box[2] <= box[0] or box[3] <= box[1]:
                continue
            crop = image.crop(box)
            behind |= {colour for _, colour in crop.getcolors(crop.width * crop.height)}
        if not behind:
            failures.append({**item, "problem": "nothing behind the text on screen"})
            continue
        fg = item["fg"]
        worst = min(behind, key=lambda bg: _ratio(_over(fg, bg), bg))
        value = _ratio(_over(fg, worst), worst)
        if value < item["required"]:
            failures.append(
                {
                    "selector": item["selector"],
                    "text": item["text"],
                    "size": item["size"],
                    "required": item["required"],
                    "fg": _hex(fg),
                    "bg": f"{_hex(worst)} (worst pixel of the gradient on {item['behind']})",
                    "ratio": round(value, 2),
                }
            )
    return failures


def audit(page, scope: str | None = None) -> tuple[dict, list[dict]]:
    """Measure the text in scope (a CSS selector; the whole body by default)."""
    report = page.evaluate(AUDIT, scope)
    return report, report["failures"] + sampled_failures(page, report["sampled"])


def describe(failures: list[dict]) -> str:
    """One line per distinct failure; repeats of it (list items) are counted."""
    lines: dict[str, int] = {}
    for f in failures:
        if "problem" in f:
            line = f"  {f['selector']} “{f['text']}”: {f['problem']}"
        else:
            line = (
                f"  {f['selector']} “{f['text']}”: {f['fg']} on {f['bg']} = "
                f"{f['ratio']}:1, needs {f['required']}:1 ({f['size']})"
            )
        lines[line] = lines.get(line, 0) + 1
    return "\n".join(
        line if count == 1 else f"{line} ×{count}" for line, count in lines.items()
    )


def build_pages() -> dict[str, str]:
    """The journey's hall plus a repealed and an amended policy, indexed for search."""
    from search.documents import iter_all_documents
    from search.engines import get_engine

    hall = build_hall()
    policy = hall["policy"]
    department = policy.issuing_department
    repealed = make_policy(
        issuing_department=department,
        title="泉州市高层次人才认定暂行办法",
        status="repealed",
        superseded_by=policy,
    )
    amended = make_policy(
        issuing_department=department,
        title="泉州市人才住房补贴实施细则",
        status="amended",
        superseded_by=policy,
    )
    get_engine().rebuild(iter_all_documents())
    guide = hall["guide"].url
    return {
        "home": "/",
        "guide": guide,
        "notice": guide + "notice/",
        "policy": policy.url,
        "repealed policy": repealed.url,
        "amended policy": amended.url,
        "search": "/search/?q=人才",
        "login": "/accounts/login/",
    }


def test_the_audit_catches_low_contrast_and_skips_what_is_not_shown(desktop):
    """The measuring itself, on a page whose ratios are known."""
    desktop.set_content(
        """<html lang="en"><body style="background:#fff;margin:0;font-size:16px">
        <p id="grey-777" style="color:#777">4.48:1 fails</p>
        <p id="grey-767676" style="color:#767676">4.54:1 passes</p>
        <p id="large-949494" style="color:#949494;font-size:24px">3.03:1 large passes</p>
        <p id="bold-small" style="color:#949494;font-size:18px;font-weight:700">3.03:1 too small</p>
        <div style="background:rgb(0 0 0 / 50%)"><p id="on-translucent" style="color:#222">dark on grey</p></div>
        <p id="faded" style="color:#000;opacity:.3">faded black</p>
        <p style="position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);color:#eee">hidden</p>
        <p id="counter" style="color:#333"><span class="n"></span>numbered</p>
        <style>.n::before { content: "7"; color: #ccc; }</style>
        <div style="background:linear-gradient(90deg,#fff,#000);padding:4px;width:12rem">
          <p id="on-gradient" style="color:#000;margin:0">black text across a white to black fade</p>
        </div>
        <div style="background:url(data:image/gif;base64,R0lGODlhAQABAAAAACw=)"><p id="on-picture">unknown</p></div>
        </body></html>"""
    )
    report, failures = audit(desktop)
    failing = {f["selector"] for f in failures}
    assert failing == {
        "p#grey-777",
        "p#bold-small",
        "p#on-translucent",
        "p#faded",
        "p#counter > span.n::before",
        "p#on-gradient",
    }, describe(failures)
    assert [s["selector"] for s in report["skipped"]] == ["p#on-picture"]
    grey = next(f for f in failures if f["selector"] == "p#grey-777")
    assert (grey["fg"], grey["bg"], grey["ratio"]) == ("#777777", "#ffffff", 4.48)
    fade = next(f for f in failures if f["selector"] == "p#on-gradient")
    assert fade["ratio"] < 2 and "worst pixel" in fade["bg"], fade


def test_the_focus_probe_tells_a_ring_from_none(desktop):
    desktop.set_content(
        """<html lang="en"><body style="background:#fff">
        <style>
          #ring:focus-visible { outline: 3px solid #000; }
          #faint:focus-visible { outline: 3px solid #eee; box-shadow: none; }
          #bare:focus-visible { outline: none; box-shadow: none; }
        </style>
        <a id="ring" href="#">ring</a> <a id="faint" href="#">faint</a>
        <a id="bare" href="#">bare</a></body></html>"""
    )
    seen = []
    for _ in range(3):
        desktop.keyboard.press("Tab")
        seen.append(desktop.evaluate(FOCUSED, []))
    assert [(f["selector"], f["focusVisible"]) for f in seen] == [
        ("a#ring", True),
        ("a#faint", True),
        ("a#bare", True),
    ]
    assert seen[0]["bestRingRatio"] == 21
    assert seen[1]["bestRingRatio"] < 3
    assert not (seen[2]["outline"] or seen[2]["shadow"])


@LIVE_DB
def test_text_on_public_pages_meets_wcag_aa_contrast(live_server, desktop):
    """Home, a guide and its notice sheet, policies in force, repealed and amended,
    search results and the login form with its errors: every visible text."""
    pages = build_pages()
    page = desktop
    problems = []
    # Phones get other styles only where tables stack into labelled cards and the
    # header folds; the other pages are measured once, to keep the test quick.
    on_phone = ("home", "guide", "notice", "search")
    for viewport, names in (({"width": 1280, "height": 900}, pages), (PHONE, on_phone)):
        page.set_viewport_size(viewport)
        for name in names:
            page.goto(live_server.url + pages[name])
            if name == "login":
                # Wrong credentials: the error summary and field errors are shown too.
                page.locator("#id_username").fill("nobody")
                page.locator("#id_password").fill("wrong password")
                page.locator("form.form button[type=submit]").click()
                # The form posts to its own address: the errors mark the new page.
                expect(page.locator(".error-summary")).to_have_count(1)
                page.wait_for_load_state()
            if name == "search":
                # A third result exists only if at least three were found.
                expect(
                    page.locator(".search-result").nth(2), "search found little"
                ).to_be_attached()
            if name == "repealed policy":
                expect(page.locator(".banner--danger")).to_be_visible()
            report, failures = audit(page)
            checked = report["checked"] + len(report["sampled"])
            assert checked >= 30, f"{name}: only {checked} texts measured"
            if name == "home":
                # The skip link shows only while focused, and then covers the brand.
                page.keyboard.press("Tab")
                skip, skip_failures = audit(page, ".skip-link")
                assert skip["checked"] == 1, skip
                failures += skip_failures
            if failures:
                problems.append(
                    f"{name} at {viewport['width']}px:\n{describe(failures)}"
                )
    assert not problems, "text below WCAG AA contrast:\n" + "\n".join(problems)


@LIVE_DB
def test_keyboard_focus_is_visible_on_every_tab_stop(live_server, desktop):
    """Every Tab stop shows an outline or a box-shadow ring, and one of the two
    stands out 3:1 from the background (WCAG 1.4.11) where that is a colour."""
    pages = build_pages()
    page = desktop
    problems, links, still_faint = [], 0, set()
    for name in ("home", "guide", "login"):
        page.goto(live_server.url + pages[name])
        first = None
        for _ in range(150):
            page.keyboard.press("Tab")
            focused = page.evaluate(FOCUSED, list(KNOWN_FAINT_RINGS))
            if focused is None or focused["selector"] == first:
                break  # past the last stop, back to the browser chrome or the top
            first = first or focused["selector"]
            links += focused["tag"] == "a"
            where = f"{name}: {focused['selector']} “{focused['text']}”"
            if not focused["focusVisible"]:
                problems.append(f"{where}: Tab focus does not match :focus-visible")
            elif not (focused["outline"] or focused["shadow"]):
                problems.append(f"{where}: neither outline nor box-shadow when focused")
            elif (focused["bestRingRatio"] or 3) < 3:
                if focused["known"]:
                    still_faint.add(focused["known"])
                    continue
                problems.append(
                    f"{where}: focus ring {focused['outline']} / {focused['shadow']} "
                    f"reaches only {focused['bestRingRatio']}:1 against the background"
                )
        else:
            problems.append(f"{name}: the Tab walk never came back to the top")
    assert links >= 20, f"only {links} links reached by Tab"
    assert not problems, "\n".join(problems)
    assert still_faint == set(KNOWN_FAINT_RINGS), (
        f"fixed, remove from KNOWN_FAINT_RINGS: {set(KNOWN_FAINT_RINGS) - still_faint}"
    )
