"""Ask the store about many keys at once: one listing instead of a HEAD per key."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from offload.store.base import Backend, ObjectInfo

T = TypeVar("T")
LISTING_SLACK = 4  # list at most this many objects per wanted key before falling back


def listed_sizes(backend: Backend, keys: Iterable[str]) -> dict[str, int] | None:
    """Size of each of ``keys`` present in the store, from a listing of their common prefix;
    None when listing is not possible or would read much more than the keys asked about."""
    wanted = set(keys)
    if not wanted:
        return {}
    prefix = _common_prefix(min(wanted), max(wanted))  # of the sorted set's ends: of all
    budget = LISTING_SLACK * len(wanted) + 1000
    sizes: dict[str, int] = {}
    try:
        for seen, info in enumerate(backend.iter_objects(prefix)):
            if seen >= budget:
                return None
            if info.key in wanted:
                sizes[info.key] = info.size
    except Exception:  # a store that cannot list (permissions, rclone remote): HEAD each key
        return None
    return sizes


def head_many(backend: Backend, keys: Iterable[str], jobs: int = 8
              ) -> dict[str, ObjectInfo | None]:
    """HEAD of each key, in parallel."""
    ordered = sorted(set(keys))
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        return dict(zip(ordered, pool.map(backend.head, ordered), strict=True))


def present_in_store(backend: Backend, keys: dict[str, tuple[int, str]],
                     trust_listing: Callable[[str], bool] = lambda _key: False,
                     jobs: int = 8) -> dict[str, ObjectInfo | None]:
    """What the store holds for each key: None when absent (or its size differs, by listing).

    A key the listing shows with the right size is asked with HEAD (for its sha256) unless
    ``trust_listing(key)``; without a listing every key is asked with HEAD."""
    sizes = listed_sizes(backend, keys)
    if sizes is None:
        return head_many(backend, keys, jobs)
    found: dict[str, ObjectInfo | None] = {}
    ask: list[str] = []
    for key, (size, sha256) in keys.items():
        if sizes.get(key) != size:
            found[key] = None if key not in sizes else ObjectInfo(key, sizes[key])
        elif trust_listing(key):
            found[key] = ObjectInfo(key, size, sha256)
        else:
            ask.append(key)
    found.update(head_many(backend, ask, jobs))
    return found


def matches(info: ObjectInfo | None, size: int, sha256: str) -> bool:
    return info is not None and info.size == size and info.sha256 in (None, sha256)


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]
