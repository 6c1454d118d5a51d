"""What a history rewrite wrote, kept for the run's own verification: the changes of every
rewritten commit, the lock entries it rendered and the documents it rewrote, with the URL it
put in for every reference (the in-run verify needs no second walk, lock parse or scan)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from offload.migrate.gitwalk.gitdata import Change, CommitChanges

if TYPE_CHECKING:
    from offload.manifest import Entry
    from offload.migrate.references import RewriteResult
    from offload.migrate.verify.urls import UrlFinder

DELETED = "000000"


def git_blob_id(data: bytes) -> str:
    from offload.migrate.gitwalk.packwriter import blob_id

    return blob_id(data).hex()


@dataclass(frozen=True)
class DocWrite:
    """One document version as rewritten against the asset versions of one commit."""

    commit: str  # original commit id
    path: str
    result: RewriteResult
    urls: dict[str, str]  # asset path -> URL the rewrite put in
    versions: dict[str, str]  # asset path -> blob in that commit, for the paths it names
    lock: str | None  # the commit's original offload.lock blob
    original: bytes  # the document as it was (shared with the rewrite, not a copy)
    present: dict[str, str] | None  # every asset of the commit, when it already holds URLs


@dataclass
class RunRecord:
    base: str | None = None  # public base of every URL written
    commits: list[CommitChanges] = field(default_factory=list)  # original ids, new changes
    entries: dict[tuple[str, str], Entry] = field(default_factory=dict)  # (path, blob) -> line
    original_locks: dict[str | None, dict[str, Entry]] = field(default_factory=dict)
    # each document write is checked as it is made (its bytes are not kept): the problems
    # found, as (original commit, document, what is wrong)
    doc_problems: list[tuple[str, str, str]] = field(default_factory=list)
    docs_checked: int = 0
    every_url: Callable[[], Iterable[str]] = lambda: ()  # all URLs a lock line may hold
    _finder: UrlFinder | None = None

    def check(self, doc: DocWrite) -> None:
        """Every URL the rewrite put in is the one of this commit's offload.lock for that path;
        no reference left as written resolves to a path of that lock; a store URL the document
        held before names a version of this commit."""
        from offload.migrate.verify.urls import UrlFinder

        self.docs_checked += 1
        lock = self.lock_paths(doc.versions, doc.lock)
        found = [f" line {r.line} still points at {r.target}"
                 for r in doc.result.unresolved if r.resolved in lock]
        for ref in doc.result.rewritten:
            url = doc.urls.get(ref.resolved or "")
            if url is None or url != lock.get(ref.resolved or ""):
                found.append(f" links {url}, not this commit's version")
        if doc.present is not None:
            if self._finder is None:
                self._finder = UrlFinder(self.every_url())
            if self._finder:
                right = set(self.lock_paths(doc.present, doc.lock).values())
                text = doc.original.decode("utf-8", "replace")
                found += [f" links {url}, not this commit's version"
                          for url in self._finder.finditer(text) if url not in right]
        self.doc_problems += [(doc.commit, doc.path, what) for what in found]

    @property
    def filled(self) -> bool:
        return bool(self.commits)

    def commit(self, original: str, changes: list[Any]) -> None:
        """The file changes filter-repo will write for ``original`` (FileChange objects)."""
        out: list[Change] = []
        for ch in changes:
            if ch.type == b"M":
                oid = bytes(ch.blob_id).decode("ascii")  # every blob is named by its id
                out.append(Change(bytes(ch.filename), ch.mode.decode("ascii"), oid))
            elif ch.type == b"D":
                out.append(Change(bytes(ch.filename), DELETED, "0" * 40))
        self.commits.append(CommitChanges(original, [], out))

    def renamed(self, commit_map: dict[str, str]) -> list[CommitChanges]:
        """The recorded commits under their new ids."""
        return [CommitChanges(commit_map.get(c.commit, c.commit), c.parents, c.changes)
                for c in self.commits]

    def lock_paths(self, versions: dict[str, str], lock: str | None) -> dict[str, str]:
        """path -> URL of the offload.lock written next to ``versions`` (asset path -> blob)."""
        urls = {p: e.url or "" for p, e in self.original_locks.get(lock, {}).items()}
        for path, blob in versions.items():
            entry = self.entries.get((path, blob))
            urls[path] = entry.url or "" if entry is not None else ""
        return urls

    def wanted(self) -> set[tuple[str, int, str]]:
        every = [*self.entries.values(),
                 *(e for lock in self.original_locks.values() for e in lock.values())]
        return {(e.key, e.size, e.sha256) for e in every}
