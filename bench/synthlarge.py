"""The large synthetic shape: a film production's repository at real scale (``--scale large``).

Main carries most commits. Short feature branches fork from it, own a few shots or one
character for a few commits and merge back with real merge commits (most stay as refs, some
are deleted after the merge, a tenth are never merged); releases are tagged (annotated and
lightweight). Images are versioned files, sometimes re-exported in place, with sizes from a
clipped log-normal; about half of all commits also rewrite a document (``bench.synthworld``).
Everything is one ``git fast-import`` stream from one seeded generator: the same spec gives the
same commit ids, and memory holds the current slots and open branches, never the history.

``LargeSpec.history_at`` fixes the tree while the history scales: the objects, documents and
slots of one scale spread over the commits, branches and tags of another. Its objects (sizes and
contents) come from a generator of their own, so every history scale holds the same objects.
"""

from __future__ import annotations

import math
import random
import subprocess
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

from bench import synthworld as w
from bench.synthrepo import (
    ATTRIBUTES,
    EPOCH,
    SynthRepo,
    data,
    pointer,
    write_commit,
    write_object,
)

KIB, MIB = 1024, 1024 * 1024
ARTISTS = w.NAMES[:8]


@dataclass(frozen=True)
class LargeSpec:
    commits: int
    objects: int
    documents: int
    branches: int
    tags: int
    scale: float = 1.0
    seed: int = 0
    median_size: int = 120 * KIB  # with sigma 1.2 and the clip: ~5 GB at scale 1
    sigma: float = 1.2
    min_size: int = 50 * KIB
    max_size: int = 8 * MIB
    tree_scale: float | None = None  # set by history_at: the scale of the objects and documents

    @classmethod
    def at(cls, scale: float, seed: int = 0) -> LargeSpec:
        """10,000 commits, 20,000 objects, 500 documents, 300 branches, 30 tags, times ``scale``."""
        def part(base: int, low: int) -> int:
            return max(low, round(base * scale))
        return cls(part(10_000, 40), part(20_000, 60), part(500, 8), part(300, 4), part(30, 2),
                   scale, seed)

    @classmethod
    def history_at(cls, scale: float, tree_scale: float = 1.0, seed: int = 0) -> LargeSpec:
        """The commits, branches and tags of ``at(scale)`` over the objects, documents and slots
        (the tip tree and the LFS bytes) of ``at(tree_scale)``; the same objects at every scale.

        With fewer commits each carries more objects; with more, many commits only rewrite a
        document or re-export one image. Not the repository of ``at``, even at equal scales.
        The paths at main's tip shrink by about 2% per doubling (more branches never merged,
        more old versions cleaned up): 18,980 at 2,500 commits, 17,745 at 20,000.
        """
        tree = cls.at(tree_scale, seed)
        return replace(cls.at(scale, seed), objects=tree.objects, documents=tree.documents,
                       tree_scale=tree_scale)

    @property
    def fixed_tree(self) -> bool:
        return self.tree_scale is not None


@dataclass
class Branch:
    ref: str
    head: int  # mark of its last commit
    slots: list[w.Slot]
    page: str | None  # the character sheet it owns, if any
    left: int  # commits still to make
    view: w.Versions = field(default_factory=dict)
    images: dict[str, bytes] = field(default_factory=dict)  # path -> pointer, for the merge
    ready_at: int = 0


@dataclass
class Stats:
    merges: int = 0
    branches: int = 0
    unmerged: int = 0
    tags: int = 0
    objects: int = 0
    bytes: int = 0
    smallest: int = 0
    largest: int = 0
    document_commits: int = 0
    documents: set[str] = field(default_factory=set)
    deletions: int = 0
    dropped: list[str] = field(default_factory=list)

    def summary(self, commits: int) -> str:
        refs = 1 + self.branches - len(self.dropped) + self.tags
        return (f"{commits} commits ({self.merges} merges), {refs} refs ({self.branches} branches "
                f"started, {self.unmerged} never merged, {len(self.dropped)} deleted after merge,"
                f" {self.tags} tags), {self.objects} LFS objects, {self.bytes:,} bytes "
                f"({self.bytes / 2**30:.2f} GiB, {self.smallest // KIB} KiB to "
                f"{self.largest / MIB:.1f} MiB), {len(self.documents)} documents changed in "
                f"{self.document_commits} commits, {self.deletions} clean-up deletions")


def make_large_repo(dest: Path, spec: LargeSpec) -> SynthRepo:
    subprocess.run(["git", "init", "-q", "--bare", "-b", "main", str(dest)], check=True)
    with subprocess.Popen(["git", "fast-import", "--quiet"], cwd=dest,
                          stdin=subprocess.PIPE) as proc:
        assert proc.stdin is not None
        production = _Production(dest, spec, proc.stdin)
        production.run()
    if proc.returncode != 0:
        raise RuntimeError(f"git fast-import failed with status {proc.returncode}")
    stats = production.stats
    if stats.dropped:
        subprocess.run(["git", "update-ref", "--stdin"], cwd=dest, check=True,
                       input="".join(f"delete {ref}\n" for ref in stats.dropped).encode())
    return SynthRepo(dest, spec, stats.bytes, (), stats.summary(spec.commits))


class _Production:
    def __init__(self, remote: Path, spec: LargeSpec, out: IO[bytes]) -> None:
        self.remote, self.spec, self.out = remote, spec, out
        self.rng = random.Random(spec.seed)
        # a fixed tree: the n-th object is the same whatever history surrounds it
        self.object_rng = random.Random(f"objects {spec.seed}") if spec.fixed_tree else self.rng
        self.world = w.build_world(spec.objects, spec.documents, self.rng)
        self.by_number = sorted(self.world.slots, key=lambda s: s.number)
        self.created = 0  # slots started, in world.slots order
        self.active: list[w.Slot] = []  # recently touched: where work continues
        self.open: list[Branch] = []
        self.owned_pages: set[str] = set()
        self.reviews = 0
        self.mark = 0
        self.main = 0
        self.stats = Stats(smallest=spec.max_size)

    def run(self) -> None:
        spec, rng = self.spec, self.rng
        span = spec.commits * 0.9 / spec.branches
        starts = sorted(int((b + rng.random()) * span) + 1 for b in range(spec.branches))
        tag_steps = [(t + 1) * spec.commits // (spec.tags + 1) for t in range(spec.tags)]
        self._commit("refs/heads/main", [(".gitattributes", ATTRIBUTES)], "start", None)
        while self.mark < spec.commits:
            last = spec.commits - self.mark == 1
            done = next((b for b in self.open if not b.left and b.ready_at <= self.mark), None)
            busy = [b for b in self.open if b.left]
            if done and not last:
                self._close(done)
            elif starts and starts[0] <= self.mark and not last:
                if self._start_branch():
                    starts.pop(0)
                else:
                    starts[0] += 10
                    self._main_commit(last)
            elif busy and not last and rng.random() < 0.5:
                self._branch_commit(rng.choice(busy))
            else:
                self._main_commit(last)
            if tag_steps and self.mark >= tag_steps[0] and self.main == self.mark:
                self._tag(spec.tags - len(tag_steps))
                tag_steps.pop(0)
        self.stats.unmerged += len(self.open)

    # -- objects -------------------------------------------------------------------------------

    def _count(self, last: bool) -> int:
        left = self.spec.objects - self.stats.objects
        if last or left <= 0:
            return max(0, left)
        mean = left / max(1.0, (self.spec.commits - self.mark) * 0.8)
        # fewer objects than commits left: most commits add none, so they last to the end
        idle = max(0.3, 1 - mean) if self.spec.fixed_tree else 0.3
        if self.rng.random() < idle:
            return 0
        extra = max(0.01, mean / 0.7 - 1)
        return min(left, 40, 1 + int(self.rng.expovariate(1 / extra)))

    def _image(self, slot: w.Slot, latest: int, taken: set[str]) -> tuple[str, bytes, int]:
        version = latest if latest and self.rng.random() < 0.15 else latest + 1
        if slot.path(version) in taken:
            version = latest + 1
        spec = self.spec
        size = self.object_rng.lognormvariate(math.log(spec.median_size), spec.sigma)
        size = int(min(spec.max_size, max(spec.min_size, size)))
        oid, size = write_object(self.remote, self.object_rng, size)
        stats = self.stats
        stats.objects += 1
        stats.bytes += size
        stats.smallest, stats.largest = min(stats.smallest, size), max(stats.largest, size)
        taken.add(slot.path(version))
        return slot.path(version), pointer(oid, size), version

    def _pick(self) -> w.Slot:
        rng, slots = self.rng, self.world.slots
        uncreated = len(slots) - self.created
        left = max(1, self.spec.objects - self.stats.objects)
        if uncreated and rng.random() < 1.3 * uncreated / left:
            for index in range(self.created, len(slots)):
                if slots[index].owner is None:
                    slots[index], slots[self.created] = slots[self.created], slots[index]
                    self.created += 1
                    return slots[self.created - 1]
        for _ in range(20):
            pool = self.active if self.active and rng.random() < 0.8 else slots[:self.created]
            slot = rng.choice(pool) if pool else None
            if slot is not None and slot.owner is None:
                return slot
        return next(s for s in slots if s.owner is None)

    # -- commits -------------------------------------------------------------------------------

    def _main_commit(self, last: bool) -> None:
        rng, world = self.rng, self.world
        count = self._count(last)
        changes: list[tuple[str, bytes | None]] = []
        pages: dict[str, bool] = {}
        notes: list[w.Slot] = []
        taken: set[str] = set()
        for _ in range(count):
            slot = self._pick()
            path, blob, version = self._image(slot, slot.latest, taken)
            changes.append((path, blob))
            if slot.page not in pages:  # True: the page shows its first image
                pages[slot.page] = not any(s.latest for s in world.pages[slot.page])
            if slot.notes and (not slot.latest or rng.random() < 0.5):
                notes.append(slot)
            slot.latest = version
            self.active = [*self.active[-29:], slot]
        if not count:
            self._edit_some_document(changes)
        for page, new in pages.items():
            if page not in self.owned_pages and (new or rng.random() < 0.6):
                changes.append((page, w.render_page(world, page, {}, rng)))
        changes += [(s.notes, w.render_notes(world, s, {}, rng)) for s in notes if s.notes]
        if any(pages.values()):
            changes.append((w.INDEX, w.render_index(world, rng)))
        if rng.random() < 0.005:
            self._clean_up(changes)
        self._commit("refs/heads/main", changes, "work", self.main)

    def _edit_some_document(self, changes: list[tuple[str, bytes | None]]) -> None:
        rng, world = self.rng, self.world
        started = [p for p in world.pages if p not in self.owned_pages
                   and any(s.latest for s in world.pages[p])]
        if self.reviews < len(world.reviews) and rng.random() < 0.5:
            self.reviews += 1
            review = world.reviews[self.reviews - 1]
        elif self.reviews and rng.random() < 0.6:
            review = world.reviews[rng.randrange(self.reviews)]
        elif started:
            page = rng.choice(started)
            changes.append((page, w.render_page(world, page, {}, rng)))
            return
        else:
            changes.append((w.INDEX, w.render_index(world, rng)))
            return
        changes.append((review, w.render_review(world, review, rng)))

    def _clean_up(self, changes: list[tuple[str, bytes | None]]) -> None:
        """Remove the oldest version of a slot with many (links to it now dangle)."""
        slot = self.rng.choice(self.world.slots[:max(1, self.created)])
        if slot.owner is None and slot.latest - slot.first >= 3:
            changes.append((slot.path(slot.first), None))
            slot.first += 1
            self.stats.deletions += 1

    def _start_branch(self) -> bool:
        rng, world = self.rng, self.world
        if not self.created:
            return False
        seed = rng.choice(world.slots[:self.created])
        group = [s for s in world.pages[seed.page] if s.owner is None]
        character = seed.page.startswith("characters/")
        if seed.owner is not None or (character and len(group) < len(world.pages[seed.page])):
            return False
        if not character:
            others = [s for s in group if s.latest and s is not seed]
            group = [seed, *rng.sample(others, min(len(others), rng.randint(0, 2)))]
        self.stats.branches += 1
        name = seed.folder.split("/")[1] + (f"-{seed.folder.split('/')[2]}" if not character
                                            else "")
        branch = Branch(f"refs/heads/feature/{self.stats.branches:04d}-{name}", self.main, group,
                        seed.page if character else None, rng.randint(1, 5))
        for slot in group:
            slot.owner = self.stats.branches
        if branch.page:
            self.owned_pages.add(branch.page)
        self.open.append(branch)
        self._branch_commit(branch)
        return True

    def _branch_commit(self, branch: Branch) -> None:
        rng, world = self.rng, self.world
        changes: list[tuple[str, bytes | None]] = []
        taken: set[str] = set()
        count = max(1, min(3, self._count(False)))
        if self.spec.fixed_tree and self.stats.objects >= self.spec.objects:
            count = 0  # the tree is complete: this commit only rewrites documents
        for _ in range(count):
            slot = rng.choice(branch.slots)
            path, blob, version = self._image(slot, branch.view.get(slot.number, slot.latest),
                                              taken)
            changes.append((path, blob))
            branch.images[path] = blob
            branch.view[slot.number] = version
        if branch.page and rng.random() < 0.8:
            changes.append((branch.page, w.render_page(world, branch.page, branch.view, rng)))
        for slot in {s.number: s for s in branch.slots}.values():
            if slot.notes and slot.number in branch.view and rng.random() < 0.7:
                changes.append((slot.notes, w.render_notes(world, slot, branch.view, rng)))
        if not changes:
            page = branch.slots[0].page
            changes.append((page, w.render_page(world, page, branch.view, rng)))
        self._commit(branch.ref, changes, "branch work", branch.head)
        branch.head = self.mark
        branch.left -= 1
        if not branch.left:
            branch.ready_at = self.mark + rng.randint(1, 30)

    def _close(self, branch: Branch) -> None:
        rng, world = self.rng, self.world
        self.open.remove(branch)
        for slot in branch.slots:
            slot.owner = None
        self.owned_pages.discard(branch.page or "")
        if rng.random() < 0.1:
            self.stats.unmerged += 1  # abandoned: only its ref keeps it
            return
        for number, version in branch.view.items():
            self.by_number[number].latest = version
        changes: list[tuple[str, bytes | None]] = list(branch.images.items())
        for page in sorted({s.page for s in branch.slots}):
            changes.append((page, w.render_page(world, page, {}, rng)))
        changes += [(s.notes, w.render_notes(world, s, {}, rng))
                    for s in branch.slots if s.notes and s.latest]
        self.stats.merges += 1
        self._commit("refs/heads/main", changes, f"Merge branch '{branch.ref[11:]}'", self.main,
                     merge=branch.head)
        if rng.random() < 0.15:
            self.stats.dropped.append(branch.ref)

    def _commit(self, ref: str, changes: list[tuple[str, bytes | None]], message: str,
                parent: int | None, merge: int | None = None) -> None:
        self.mark += 1
        who = self.rng.choice(ARTISTS)
        write_commit(self.out, ref, self.mark, EPOCH + 600 * self.mark,
                     f"{who} <{who}@studio.invalid>", f"{message} ({self.mark})\n", changes,
                     parent, merge)
        if ref == "refs/heads/main":
            self.main = self.mark
        documents = {p for p, _ in changes if p.endswith(".md")}
        self.stats.document_commits += bool(documents)
        self.stats.documents |= documents

    def _tag(self, number: int) -> None:
        self.stats.tags += 1
        if number % 3 == 2:
            self.out.write(f"reset refs/tags/milestone-{number}\nfrom :{self.main}\n\n".encode())
            return
        stamp = EPOCH + 600 * self.mark
        self.out.write(f"tag v0.{number}\nfrom :{self.main}\n"
                       f"tagger Bench <bench@offload.invalid> {stamp} +0000\n".encode())
        data(self.out, f"release v0.{number}\n".encode())
