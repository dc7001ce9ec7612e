"""List the strings Wagtail and its companions use but no zh_Hans catalogue translates.

Wagtail's own zh_Hans catalogues lag behind its code: strings added or changed in a
release are missing or fuzzy (Django skips fuzzy entries), so editors meet English in
the Chinese admin. `site/locale_upstream` fills those gaps, and only those. Run this
after every upgrade of Wagtail, wagtail-modeladmin, django-guardian,
django-import-export, django-axes or Django:

    .venv/bin/python tests/i18n/upstream_gaps.py             # counts per catalogue
    .venv/bin/python tests/i18n/upstream_gaps.py -v          # and every missing msgid
    .venv/bin/python tests/i18n/upstream_gaps.py --po gaps.po  # the gaps as a catalogue
    .venv/bin/python tests/i18n/upstream_gaps.py --stale     # overlay entries no code uses

Each application's templates and code (and, for the djangojs domain, the admin's
compiled scripts) are extracted with `makemessages` in a scratch copy; a string counts
as translated when any shipped catalogue of the same domain or the overlay translates
it (Django merges them). Each package's English catalogue counts as a source too; for
Django, which regenerates it every release, it is the only one.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import pathlib
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parents[2]
OVERLAY = ROOT / "site" / "locale_upstream" / "zh_Hans" / "LC_MESSAGES"
PACKAGES = (
    "wagtail",
    "wagtail_modeladmin",
    "guardian",
    "import_export",
    "axes",
    "django",
)
LANG = "zh_Hans"

Key = tuple[str | None, str]  # (msgctxt, msgid)


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    comments: list[str] = field(default_factory=list)
    obsolete: bool = False

    @property
    def key(self) -> Key:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return (
            not self.obsolete
            and "fuzzy" not in self.flags
            and bool(self.msgstr)
            and all(self.msgstr.values())
        )


def _unquote(text: str) -> str:
    return ast.literal_eval(text)


def read_po(path: pathlib.Path) -> list[Entry]:
    """Entries of a gettext catalogue (header excluded)."""
    entries: list[Entry] = []
    current = Entry()
    target: tuple[str, int] | None = None
    seen = False

    def flush() -> None:
        nonlocal current, seen, target
        if seen and current.msgid:
            entries.append(current)
        current, seen, target = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            current.obsolete = True
            line = line[2:].strip()
            if not line or line.startswith("|"):
                continue
        elif line.startswith("#,"):
            current.flags.update(f.strip() for f in line[2:].split(","))
            continue
        elif line.startswith("#"):
            current.comments.append(raw)
            continue
        if line.startswith('"'):
            if target is None:
                continue
            name, index = target
            value = _unquote(line)
            if name == "msgstr":
                current.msgstr[index] += value
            else:
                setattr(current, name, (getattr(current, name) or "") + value)
            continue
        keyword, _, rest = line.partition(" ")
        seen = True
        if keyword.startswith("msgstr"):
            index = int(keyword[7:-1]) if "[" in keyword else 0
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        elif keyword in ("msgctxt", "msgid", "msgid_plural"):
            setattr(current, keyword, _unquote(rest))
            target = (keyword, 0)
    flush()
    return entries


def _quote(text: str) -> str:
    escaped = (
        text.replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        .replace("\t", "\\t")
    )
    return f'"{escaped}"'


def format_entry(entry: Entry) -> str:
    lines = list(entry.comments)
    if entry.msgctxt is not None:
        lines.append(f"msgctxt {_quote(entry.msgctxt)}")
    lines.append(f"msgid {_quote(entry.msgid)}")
    if entry.msgid_plural is not None:
        lines.append(f"msgid_plural {_quote(entry.msgid_plural)}")
        for index in sorted(entry.msgstr) or [0]:
            lines.append(f"msgstr[{index}] {_quote(entry.msgstr.get(index, ''))}")
    else:
        lines.append(f"msgstr {_quote(entry.msgstr.get(0, ''))}")
    return "\n".join(lines)


def site_packages() -> pathlib.Path:
    return pathlib.Path(sysconfig.get_paths()["purelib"])


def app_dirs(site: pathlib.Path) -> list[pathlib.Path]:
    """Every directory of the packages that holds a `locale/` of its own."""
    found = []
    for package in PACKAGES:
        for locale in sorted((site / package).glob("**/locale")):
            if locale.is_dir() and "static" not in locale.parts:
                found.append(locale.parent)
    # Of Django's own catalogues only the core's and the installed apps' reach a page.
    installed = {"django.conf", *django_apps()}
    return [
        app
        for app in found
        if app.relative_to(site).parts[0] != "django"
        or ".".join(app.relative_to(site).parts) in installed
    ]


def django_apps() -> list[str]:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    from django.conf import settings

    return [app for app in settings.INSTALLED_APPS if app.startswith("django.")]


def shipped(app: pathlib.Path, domain: str) -> pathlib.Path:
    return app / "locale" / LANG / "LC_MESSAGES" / f"{domain}.po"


def extract(app: pathlib.Path, domain: str) -> list[Entry]:
    """The msgids `makemessages` finds in a scratch copy of the application."""
    if domain == "djangojs" and (app / "static").is_dir():
        return extract_bundles(app)
    with tempfile.TemporaryDirectory() as scratch:
        copy = pathlib.Path(scratch) / app.name
        ignore = shutil.ignore_patterns(
            "locale", "__pycache__", "*.pyc", "tests", "test"
        )
        shutil.copytree(app, copy, ignore=ignore)
        (copy / "locale").mkdir()
        command = [sys.executable, "-m", "django", "makemessages", "-l", LANG]
        command += ["-d", domain, "--no-wrap", "--no-location"]
        if domain == "djangojs":
            # The admin ships compiled bundles only; vendor code has no msgids.
            command += ["--ignore=vendor/*", "--ignore=*.min.js"]
        env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
        subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)
        po = copy / "locale" / LANG / "LC_MESSAGES" / f"{domain}.po"
        return read_po(po) if po.exists() else []


# A webpack bundle calls gettext as `(0,N.AP)("…")`: the alias is whatever the
# minifier chose, so an alias counts as gettext when it is called with a msgid the
# shipped djangojs catalogue knows.
CALL = re.compile(
    r'\(0,\s*([\w$]+\.[\w$]+)\)\(("(?:[^"\\\n]|\\.)*")(?:,\s*("(?:[^"\\\n]|\\.)*"))?'
)


def extract_bundles(app: pathlib.Path) -> list[Entry]:
    """The msgids of the compiled admin scripts, which `makemessages` cannot read."""
    known = {e.msgid for e in read_po(shipped(app, "djangojs"))}
    calls: dict[str, list[tuple[str, str | None]]] = {}
    for script in sorted((app / "static").glob("**/*.js")):
        if "vendor" in script.parts:
            continue
        for match in CALL.finditer(
            script.read_text(encoding="utf-8", errors="replace")
        ):
            plural = json.loads(match[3]) if match[3] else None
            calls.setdefault(match[1], []).append((json.loads(match[2]), plural))
    entries: dict[str, Entry] = {}
    for found in calls.values():
        hits = sum(msgid in known for msgid, _ in found)
        if hits < 2 and hits < len(found):
            continue
        for msgid, plural in found:
            entry = entries.setdefault(msgid, Entry(msgid=msgid))
            if plural is not None and (msgid in known or entry.msgid_plural is None):
                entry.msgid_plural = plural
    return list(entries.values())


def sources(app: pathlib.Path, domain: str) -> list[Entry]:
    """What the code uses: the package's English catalogue plus a fresh extraction."""
    english = app / "locale" / "en" / "LC_MESSAGES" / f"{domain}.po"
    found: dict[Key, Entry] = {}
    if english.exists():
        found.update((e.key, e) for e in read_po(english) if not e.obsolete)
    # Django regenerates its English catalogues for every release; the others may not.
    if app.relative_to(site_packages()).parts[0] != "django":
        for entry in extract(app, domain):
            found.setdefault(entry.key, entry)
    return list(found.values())


def translated_keys(paths: list[pathlib.Path]) -> set[Key]:
    keys: set[Key] = set()
    for path in paths:
        if path.exists():
            keys.update(e.key for e in read_po(path) if e.translated)
    return keys


def gaps(domains: tuple[str, ...] = ("django", "djangojs")) -> dict:
    """{(catalogue, domain): [Entry, ...]} of msgids no catalogue translates."""
    site = site_packages()
    apps = app_dirs(site)
    result: dict[tuple[str, str], list[Entry]] = {}
    for domain in domains:
        covered = translated_keys([shipped(a, domain) for a in apps])
        covered |= translated_keys([OVERLAY / f"{domain}.po"])
        seen: set[Key] = set()
        for app in apps:
            if domain == "djangojs" and not shipped(app, domain).exists():
                continue
            print(f"extracting {app.relative_to(site)} ({domain})", file=sys.stderr)
            name = str(app.relative_to(site)).replace(os.sep, ".")
            missing = [e for e in sources(app, domain) if e.key not in covered]
            missing = [e for e in missing if not (e.key in seen or seen.add(e.key))]
            if missing:
                result[(name, domain)] = missing
    return result


def stale(domain: str) -> list[Entry]:
    """Overlay entries whose msgid no application extracts any more."""
    site = site_packages()
    used: set[Key] = set()
    for app in app_dirs(site):
        if domain == "djangojs" and not shipped(app, domain).exists():
            continue
        used.update(e.key for e in sources(app, domain))
    overlay = OVERLAY / f"{domain}.po"
    return (
        [e for e in read_po(overlay) if e.key not in used] if overlay.exists() else []
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list each msgid")
    parser.add_argument("--po", type=pathlib.Path, help="write the gaps as a catalogue")
    parser.add_argument("--domain", choices=["django", "djangojs"], action="append")
    parser.add_argument(
        "--stale", action="store_true", help="list unused overlay msgids"
    )
    args = parser.parse_args(argv)
    domains = tuple(args.domain or ("django", "djangojs"))
    if args.stale:
        unused = [(d, e) for d in domains for e in stale(d)]
        for domain, entry in unused:
            print(f"{domain}: {entry.msgctxt or ''}|{entry.msgid!r}")
        return 1 if unused else 0
    found = gaps(domains)
    total = 0
    for (name, domain), entries in sorted(found.items()):
        total += len(entries)
        print(f"{name} ({domain}): {len(entries)}")
        if args.verbose:
            for entry in entries:
                context = f"[{entry.msgctxt}] " if entry.msgctxt else ""
                print(f"    {context}{entry.msgid!r}")
    print(f"{total} msgids without a zh_Hans translation")
    if args.po:
        blocks = ['msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"']
        for (name, domain), entries in sorted(found.items()):
            for entry in entries:
                entry.comments = [f"# {name} ({domain})"]
                entry.msgstr = {}
                blocks.append(format_entry(entry))
        args.po.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
