"""Which turnaround a frame uses for a character: the approved one, else the latest (warned)."""

from __future__ import annotations

from dataclasses import dataclass

from offload.errors import ConfigError
from offload.gallery.approve import is_approved
from offload.generate.names import check_character, turnaround_dir, version_in
from offload.manifest import Entry


@dataclass(frozen=True)
class Pick:
    character: str
    entry: Entry
    version: int
    approved: bool

    @property
    def warning(self) -> str | None:
        if self.approved:
            return None
        return (f"no approved turnaround of {self.character}: using the latest, "
                f"{self.entry.path} (approve one with `offload approve PATH`)")


def pick_turnaround(entries: dict[str, Entry], character: str) -> Pick:
    folder = turnaround_dir(check_character(character))
    versions = {n: e for path, e in entries.items() if (n := version_in(folder, path)) is not None}
    if not versions:
        raise ConfigError(
            f"{character} has no turnaround in offload.lock",
            f"generate one first (`offload generate turnaround --character {character} "
            "--prompt TEXT`), pull the offload.lock that has it, or drop "
            f"--character {character}")
    approved = [n for n, entry in versions.items() if is_approved(entry)]
    number = max(approved or versions)
    return Pick(character, versions[number], number, bool(approved))
