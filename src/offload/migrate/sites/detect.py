"""Find static-site generators in a commit's tree and propose their site roots.

MkDocs: ``mkdocs.yml`` ``docs_dir`` (default ``docs``), relative to the file's folder.
docsify: an ``index.html`` that loads docsify; ``basePath`` (default: the folder of the page)
is where every relative target resolves. Jekyll: ``_config.yml`` ``source`` (default: its
folder). Hugo: ``hugo.toml``/``hugo.yaml``/``hugo.json`` (or ``config.toml`` beside a
``content/`` folder): ``static/`` and ``assets/`` are served at ``/``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Mapping
from pathlib import Path
from typing import Any

from offload.errors import ConfigError
from offload.migrate.sites.roots import SiteRoot, folder_path

Read = Callable[[list[str]], dict[str, bytes]]  # paths -> their bytes

_MKDOCS = ("mkdocs.yml", "mkdocs.yaml")
_JEKYLL = ("_config.yml", "_config.yaml")
_HUGO = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
_DOCSIFY = re.compile(rb"\$docsify|docsify(?:@[\w.\-]+)?(?:/lib)?/docsify(?:\.min)?\.js")
_BASE_PATH = re.compile(rb"""basePath\s*:\s*(['"])([^'"\n]*)\1""")
_RELATIVE_PATH = re.compile(rb"relativePath\s*:\s*true")


def detect_sites(paths: Collection[str], read: Read) -> list[SiteRoot]:
    """Site roots in one tree, in path order; each says what found it."""
    wanted = [p for p in sorted(paths) if _name(p) in (*_MKDOCS, *_JEKYLL, "index.html")]
    texts = read(wanted)
    roots: list[SiteRoot] = []
    for path in wanted:
        data = texts.get(path)
        if data is None:
            continue
        folder = path[: len(path) - len(_name(path))]
        if _name(path) in _MKDOCS:
            docs = _setting(data, "docs_dir", "docs", path)
            base = folder_path(folder + docs, path)
            roots.append(SiteRoot(base, base, config=path,
                                  found_by=f"{path} docs_dir: {docs}"))
        elif _name(path) in _JEKYLL:
            source = _setting(data, "source", ".", path)
            base = folder_path(folder + source, path)
            roots.append(SiteRoot(base, base, config=path, found_by=f"{path} source: {source}"))
        elif _DOCSIFY.search(data):
            roots.append(_docsify(path, folder, data))
    roots += _hugo(paths)
    return _unique(roots)


def _docsify(path: str, folder: str, data: bytes) -> SiteRoot:
    match = _BASE_PATH.search(data)
    raw = match.group(2).decode("utf-8", "replace") if match else ""
    said = f"basePath: {raw}" if match else "no basePath"
    if "://" in raw or raw.startswith("//"):
        raw, said = "", f"basePath {raw} is a URL: the page's folder"
    base = folder_path(folder + raw.lstrip("/"), path)
    if _RELATIVE_PATH.search(data):  # links are relative to the page: only `/` uses the base
        return SiteRoot(base, folder, found_by=f"{path} loads docsify, {said}, relativePath")
    return SiteRoot(base, folder, relative=True, found_by=f"{path} loads docsify, {said}")


def _hugo(paths: Collection[str]) -> list[SiteRoot]:
    folders = {p.rsplit("/", 1)[0] + "/" if "/" in p else "" for p in paths}
    roots = []
    for path in sorted(paths):
        folder = path[: len(path) - len(_name(path))]
        config = _name(path) in _HUGO or (
            _name(path) == "config.toml" and any(p.startswith(folder + "content/") for p in paths))
        if not config:
            continue
        for served in ("static/", "assets/"):
            if any(f.startswith(folder + served) for f in folders):
                roots.append(SiteRoot(folder + served, folder,
                                      found_by=f"{path} (Hugo) serves {served} at /"))
    return roots


def _setting(data: bytes, key: str, default: str, path: str) -> str:
    import yaml

    class Lenient(yaml.SafeLoader):
        """mkdocs.yml may hold ``!!python/name:`` and ``!ENV`` tags: read them as nothing."""

    Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        raw: Any = yaml.load(data.decode("utf-8", "replace"), Loader=Lenient)
    except yaml.YAMLError:
        return default
    value = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(value, str) or not value.strip():
        return default
    try:
        folder_path(value, path)
    except ConfigError:  # a folder outside the repository is no site root
        return default
    return value.strip()


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _unique(roots: list[SiteRoot]) -> list[SiteRoot]:
    seen: dict[tuple[str, str, bool], SiteRoot] = {}
    for root in roots:
        seen.setdefault((root.base, root.documents, root.relative), root)
    return list(seen.values())


def detect_in_commits(cwd: Path, commits: Iterable[str]) -> list[SiteRoot]:
    """Site roots of every given commit's tree (the tips a plan selects), first found kept.

    Tips that share a tree (a tag on a branch's head) are listed once. The first tree is read
    whole; another is read whole only when its difference from the first could change what is
    found (a configuration file or docsify page changed, or, beside a Hugo configuration, any
    file added or deleted): hundreds of branch tips cost one tree, not hundreds.
    """
    from offload.git.run import run_git

    wanted = list(dict.fromkeys(commits))
    if not wanted:
        return []
    trees = list(dict.fromkeys(
        run_git("rev-parse", *(f"{c}^{{tree}}" for c in wanted), cwd=cwd).text.split()))
    first = _tree_files(cwd, trees[0])
    found = detect_sites(first, tree_reader(cwd, first))
    roots = list(found)
    hugo_possible = any(_name(p) in (*_HUGO, "config.toml") for p in first)
    for tree_id in _differing(cwd, trees[0], trees[1:], hugo_possible):
        tree = _tree_files(cwd, tree_id)
        roots += detect_sites(tree, tree_reader(cwd, tree))
    return _unique(roots)


def _tree_files(cwd: Path, tree_id: str) -> dict[str, str]:
    from offload.migrate.tip import tree_as_changes

    return {c.path.decode("utf-8", "surrogateescape"): c.blob
            for c in tree_as_changes(cwd, tree_id).changes
            if c.mode not in ("120000", "160000")}


def _differing(cwd: Path, first: str, others: list[str], hugo_possible: bool) -> list[str]:
    """The trees of ``others`` whose difference from ``first`` could change what is found,
    from one ``git diff-tree --stdin`` over every pair."""
    from offload.git.run import run_git

    if not others:
        return []
    names = (*_MKDOCS, *_JEKYLL, *_HUGO, "index.html", "config.toml")
    # Without a Hugo configuration only those files matter: git lists just them (two distant
    # tips differ in thousands of files)
    only = [] if hugo_possible else ["--", *(f":(glob)**/{name}" for name in names)]
    pairs = "".join(f"{first} {other}\n" for other in others).encode("ascii")
    out = run_git("diff-tree", "--stdin", "-r", "-z", "--no-renames", *only, cwd=cwd,
                  input=pairs, env={"GIT_LITERAL_PATHSPECS": "0"}).stdout
    differing: dict[str, None] = {}
    current = ""
    tokens = out.split(b"\0")
    at = 0
    while at < len(tokens):
        token = tokens[at]
        at += 1
        while not token.startswith(b":") and b"\n" in token:  # "FIRST OTHER\n" opens a pair
            head, _, token = token.partition(b"\n")
            current = head.split()[-1].decode("ascii")
        if not token.startswith(b":") or at >= len(tokens):
            continue
        name = _name(tokens[at].decode("utf-8", "surrogateescape"))
        at += 1
        if name in names or (hugo_possible and not token.endswith(b" M")):
            differing[current] = None  # a configuration file, or a file added or deleted
    return list(differing)


def tree_reader(cwd: Path, tree: Mapping[str, str]) -> Read:
    """Reads files of a tree (path -> blob) from the object database."""
    from offload.migrate.gitwalk.gitdata import read_blobs

    def read(paths: list[str]) -> dict[str, bytes]:
        blobs = read_blobs(cwd, [tree[p] for p in paths])
        return {p: blobs[tree[p]] for p in paths if tree[p] in blobs}

    return read
