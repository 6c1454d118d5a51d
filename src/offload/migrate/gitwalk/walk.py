"""Walking the tree state of every commit, parents first, in memory bounded by the trees.

A commit's state is its first parent's plus the commit's own changes. The state object is
handed on to the parent's last child and copied only for the others, so a linear stretch of
history costs no copy at all, and a state is dropped (``close``) once no child needs it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol, TypeVar

from offload.migrate.gitwalk.gitdata import CommitChanges


class WalkState(Protocol):
    def copy(self) -> WalkState: ...

    def close(self) -> None: ...


S = TypeVar("S", bound=WalkState)


def walk_commits(commits: Iterable[CommitChanges], first_parents: Counter[str],
                 fresh: Callable[[], S]) -> Iterator[tuple[CommitChanges, S]]:
    """(commit, state before its changes) in order; the caller applies the changes.

    ``first_parents`` counts, for each commit, the commits that name it as first parent.
    """
    children = Counter(first_parents)
    waiting: dict[str, S] = {}
    previous: tuple[str, S] | None = None
    for commit in commits:
        if previous is not None:
            _park(previous, children, waiting)
        parent = commit.parents[0] if commit.parents else None
        state = _take(parent, children, waiting) if parent is not None else None
        state = state if state is not None else fresh()
        yield commit, state
        previous = (commit.commit, state)
    if previous is not None:
        _park(previous, children, waiting)
    for state in waiting.values():  # children outside the walk
        state.close()


def first_parent_counts(commits: Iterable[CommitChanges]) -> Counter[str]:
    return Counter(c.parents[0] for c in commits if c.parents)


def _park(done: tuple[str, S], children: Counter[str], waiting: dict[str, S]) -> None:
    commit, state = done
    if children[commit] > 0:
        waiting[commit] = state
    else:
        state.close()


def _take(parent: str, children: Counter[str], waiting: dict[str, S]) -> S | None:
    state = waiting.get(parent)
    if state is None:
        return None
    children[parent] -= 1
    if children[parent] > 0:
        return state.copy()  # type: ignore[return-value]
    del waiting[parent]
    return state
