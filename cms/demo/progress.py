"""What a demo run created and what it found already present, per kind of thing."""

from collections.abc import Callable


class Progress:
    def __init__(self, write: Callable[[str], None] | None = None):
        self.write = write
        self.counts: dict[str, list[int]] = {}

    def record(self, kind: str, created: bool) -> None:
        created_and_present = self.counts.setdefault(kind, [0, 0])
        created_and_present[0 if created else 1] += 1

    def report(self, *kinds: str) -> None:
        if self.write is None:
            return
        for kind in kinds:
            created, present = self.counts.get(kind, [0, 0])
            self.write(f"  {kind}: {created} created, {present} already present")

    @property
    def total_created(self) -> int:
        return sum(created for created, _present in self.counts.values())
