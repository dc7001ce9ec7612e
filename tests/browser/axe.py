"""axe-core in Chromium: run it on the page shown and say what it found, one
readable line per violation (page, width, rule, impact, element).

axe-core comes from npm (package.json at the repository root, installed by
`make browser` with `npm ci`); node_modules is not in git.
"""

from pathlib import Path

import pytest

AXE_SCRIPT = (
    Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
)
# What the hall must never have; "moderate" and "minor" are reported by axe too
# but do not fail the tests.
BLOCKING = ("critical", "serious")

RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target.join(" "), impact: n.impact })),
  }));
}"""


def axe_script() -> str:
    if not AXE_SCRIPT.exists():
        pytest.skip("axe-core is missing: run `make browser` (npm ci)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def violations(page, where: str) -> list[str]:
    """The critical and serious violations on `page`, one line each:
    ``<where>: <rule> (<impact>) <target> — <help>``."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # evaluate, not a script tag: the hall's CSP refuses inline scripts.
        page.evaluate(axe_script())
    found = page.evaluate(RUN)
    return [
        f"{where}: {v['id']} ({node['impact'] or v['impact']}) {node['target']} — {v['help']}"
        for v in found
        for node in v["nodes"]
        if (node["impact"] or v["impact"]) in BLOCKING
    ]
