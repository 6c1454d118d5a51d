"""What the large synthetic production is made of: image slots and the documents showing them.

A slot is a folder of versioned images (``storyboards/scene07/shot12/v3.png``,
``characters/mira/turnaround/v5.png``). Documents are rendered from the slots' versions as a
line of history (main, or a branch that owns some slots) sees them, so every link they hold
resolves in the commit that holds them (except after a clean-up removed an old version).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

KINDS = ("turnaround", "expressions", "poses", "color")
NAMES = ("mira", "odo", "tamsin", "bex", "corvin", "ilse", "juno", "kestrel", "lark", "nadia",
         "orrin", "pim", "quill", "rook", "sable", "tove", "ulla", "vesper", "wren", "yara")
WORDS = ("layout", "blocking", "timing", "lighting", "cleanup", "color", "staging", "retake",
         "approved", "notes", "camera", "pose", "silhouette", "mood", "continuity", "pass")
INDEX = "README.md"


@dataclass
class Slot:
    number: int
    folder: str
    page: str  # the scene page or character sheet that shows this slot
    notes: str | None = None  # the slot's own notes page, for some shots
    first: int = 1  # oldest version still in the tree
    latest: int = 0  # 0: not created yet
    owner: int | None = None  # the open branch that owns it (main leaves it alone)

    def path(self, version: int) -> str:
        return f"{self.folder}/v{version}.png"


@dataclass
class World:
    slots: list[Slot]
    pages: dict[str, list[Slot]]  # scene pages and character sheets -> their slots
    reviews: list[str]  # review page paths, in creation order
    review_links: dict[str, list[str]] = field(default_factory=dict)
    revisions: dict[str, int] = field(default_factory=dict)


def build_world(objects: int, documents: int, rng: random.Random) -> World:
    """Slots for ``objects`` images (about eight versions each) and exactly ``documents`` pages."""
    slot_count = max(6, objects // 8)
    scenes = max(1, round(documents * 0.12))
    characters = max(1, round(documents * 0.08))
    character_slots = min(max(1, slot_count // 12), characters * len(KINDS))
    shot_slots = slot_count - character_slots
    notes = max(0, (documents - scenes - characters - 1) // 2)
    reviews = max(0, documents - scenes - characters - 1 - notes)
    slots: list[Slot] = []
    pages: dict[str, list[Slot]] = {}
    for j in range(shot_slots):
        scene, shot = j % scenes + 1, j // scenes + 1
        folder = f"storyboards/scene{scene:02d}/shot{shot:02d}"
        page = f"storyboards/scene{scene:02d}/README.md"
        slots.append(Slot(len(slots), folder, page))
    for j in range(character_slots):
        name = NAMES[j % characters % len(NAMES)] + _suffix(j % characters)
        page = f"characters/{name}/README.md"
        slots.append(Slot(len(slots), f"characters/{name}/{KINDS[j // characters]}", page))
    for step in range(notes):  # spread evenly over the shots
        slot = slots[step * shot_slots // max(1, notes)]
        slot.notes = f"{slot.folder}/notes.md"
    for slot in slots:
        pages.setdefault(slot.page, []).append(slot)
    rng.shuffle(slots)  # the order in which production starts them
    return World(slots, pages, [f"reviews/review-{n + 1:04d}.md" for n in range(reviews)])


def _suffix(character: int) -> str:
    return "" if character < len(NAMES) else str(character // len(NAMES) + 1)


Versions = dict[int, int]  # slot number -> latest version, where a branch differs from main


def _latest(slot: Slot, view: Versions) -> int:
    return view.get(slot.number, slot.latest)


def _header(world: World, path: str, title: str, rng: random.Random) -> list[str]:
    revision = world.revisions.get(path, 0) + 1
    world.revisions[path] = revision
    words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12)))
    return [f"# {title}\n", "\n", f"Revision {revision}: {words}.\n", "\n"]


def render_page(world: World, page: str, view: Versions, rng: random.Random) -> bytes:
    """A scene page (one link per shot, relative, ./ or root-relative) or a character sheet."""
    folder = page.rsplit("/", 1)[0]
    lines = _header(world, page, folder.split("/")[-1], rng)
    for index, slot in enumerate(world.pages[page]):
        latest = _latest(slot, view)
        if not latest:
            continue
        local = slot.path(latest)[len(folder) + 1:]
        form = index % 3
        target = local if form == 0 else f"./{local}" if form == 1 else f"/{slot.path(latest)}"
        lines.append(f"![{slot.folder.split('/')[-1]}]({target})\n")
        if slot.folder.endswith("/turnaround"):  # a sheet shows every turnaround version
            lines += [f"![v{k}]({local.rsplit('/', 1)[0]}/v{k}.png)\n"
                      for k in range(max(slot.first, latest - 24), latest)]
    return "".join(lines).encode()


def render_notes(world: World, slot: Slot, view: Versions, rng: random.Random) -> bytes:
    assert slot.notes
    lines = _header(world, slot.notes, f"Notes on {slot.folder}", rng)
    latest = _latest(slot, view)
    for k in range(max(slot.first, latest - 24), latest + 1):
        lines.append(f"- v{k}: {rng.choice(WORDS)} ![v{k}](v{k}.png)\n")
    return "".join(lines).encode()


def render_review(world: World, review: str, rng: random.Random) -> bytes:
    """A review page on main: root-relative links to storyboards, relative ones to characters."""
    created = [s for s in (rng.choice(world.slots) for _ in range(40)) if s.latest]
    links = world.review_links.setdefault(review, [])
    links += [s.path(s.latest) for s in created[:rng.randint(3, 12)]]
    del links[:-30]
    lines = _header(world, review, review.rsplit("/", 1)[-1][:-3], rng)
    for path in links:
        target = f"../{path}" if path.startswith("characters/") else f"/{path}"
        lines.append(f"![{rng.choice(WORDS)}]({target})\n")
    return "".join(lines).encode()


def render_index(world: World, rng: random.Random) -> bytes:
    lines = _header(world, INDEX, "Production", rng)
    lines += [f"- [{p.split('/')[-2]}]({p})\n" for p in sorted(world.pages)
              if any(s.latest for s in world.pages[p])]
    hero = next((s for s in world.slots if s.latest and s.folder.startswith("characters/")), None)
    if hero:
        lines.append(f"\n![poster]({hero.path(hero.latest)})\n")
    return "".join(lines).encode()
