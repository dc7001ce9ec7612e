"""Split the judged queries once into a development half and a test half.

Run once when the queries were written; never again. The engine may be tuned on
the "dev" half and on the demo's own judged set, never on the "test" half, whose
figures are the ones reported. Stratified by kind, so each half has every kind.
"""

import json
import random
from collections import defaultdict
from pathlib import Path

SEED = 20261207
PATH = Path(__file__).with_name("queries.json")


def main() -> None:
    items = json.loads(PATH.read_text(encoding="utf-8"))
    if any(item.get("part") for item in items):
        raise SystemExit("The queries are already split: the split is never redone.")
    rng = random.Random(SEED)
    by_kind = defaultdict(list)
    for item in items:
        by_kind[item["kind"]].append(item)
    for kind in sorted(by_kind):
        group = by_kind[kind]
        rng.shuffle(group)
        for index, item in enumerate(group):
            item["part"] = "dev" if index % 2 == 0 else "test"
    lines = ",\n".join(json.dumps(item, ensure_ascii=False) for item in items)
    PATH.write_text(f"[\n{lines}\n]\n", encoding="utf-8")


if __name__ == "__main__":
    main()
