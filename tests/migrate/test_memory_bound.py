"""Memory follows the largest tree and document, not the length of history.

Two repositories with the same tree (20 assets, 8 documents of ~12 KB naming all of them) and
histories of 60 and 240 commits, each commit a new version of one asset and of one document:
`migrate plan`, `run` and `verify --full` must peak at about the same resident size on both.
Holding every document version (or every parse of one) for the whole walk, as offload once
did, costs tens of megabytes more on the longer history. Not a timing test: sizes only.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from testing.cli import cli_env

ASSETS = 20
DOCUMENTS = 8
PUBLIC = "https://cdn.example.invalid/film"
MEASURE = (
    "import resource, subprocess, sys\n"
    "rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
    "print(rc, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
)


def build(root: Path, commits: int) -> Path:
    """A repository of ``commits`` commits over the same tree, with its LFS objects."""
    repo = root / f"history-{commits}"
    subprocess.run(["git", "init", "-q", "-b", "main", str(repo)], check=True)
    stream: list[bytes] = []

    def data(payload: bytes) -> None:
        stream.append(b"data %d\n" % len(payload) + payload + b"\n")

    for number in range(commits):
        stream.append(f"commit refs/heads/main\nmark :{number + 1}\n"
                      f"committer T <t@example.invalid> {1767600000 + number} +0000\n".encode())
        data(f"commit {number}\n".encode())
        if number:
            stream.append(f"from :{number}\n".encode())
        changes = [(f"frames/f{a:02d}.png", number * ASSETS + a) for a in range(ASSETS)] \
            if number == 0 else [(f"frames/f{number % ASSETS:02d}.png", number)]
        if number == 0:
            stream.append(b"M 100644 inline .gitattributes\n")
            data(b"*.png filter=lfs diff=lfs merge=lfs -text\n")
        for path, version in changes:
            content = f"frame {path} version {version}\n".encode() * 40
            oid = hashlib.sha256(content).hexdigest()
            target = repo / ".git" / "lfs" / "objects" / oid[:2] / oid[2:4] / oid
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            stream.append(f"M 100644 inline {path}\n".encode())
            data(f"version https://git-lfs.github.com/spec/v1\noid sha256:{oid}\n"
                 f"size {len(content)}\n".encode())
        for doc in range(DOCUMENTS) if number == 0 else [number % DOCUMENTS]:
            stream.append(f"M 100644 inline docs/scene{doc}.md\n".encode())
            data(document(doc, number))
    subprocess.run(["git", "fast-import", "--quiet"], cwd=repo, input=b"".join(stream),
                   check=True)
    subprocess.run(["git", "checkout", "-q", "-f", "main"], cwd=repo, check=True,
                   env={**cli_env(), "GIT_LFS_SKIP_SMUDGE": "1"})
    (repo / "offload.yaml").write_text(f"store: {(root / f'store-{commits}').as_uri()}\n"
                                       f"public_url: {PUBLIC}\n", encoding="utf-8")
    subprocess.run(["git", "add", "offload.yaml"], cwd=repo, check=True)
    subprocess.run(["git", "-c", "user.name=T", "-c", "user.email=t@example.invalid",
                    "commit", "-q", "-m", "offload"], cwd=repo, check=True)
    return repo


def document(doc: int, version: int) -> bytes:
    shots = "".join(f"## Shot {a}\n\nTake {version}: the light falls on frame {a}. " * 3
                    + f"\n\n![frame {a}](../frames/f{a:02d}.png)\n\n" for a in range(ASSETS))
    return f"# Scene {doc}, revision {version}\n\n{shots}".encode()


def peak_kib(repo: Path, *args: str) -> int:
    """Peak resident size of ``offload args…`` and the processes it waited for."""
    out = subprocess.run([sys.executable, "-c", MEASURE, sys.executable, "-m", "offload",
                          *args], cwd=repo, env=cli_env(), capture_output=True, text=True,
                         timeout=300, check=True).stdout.split()
    assert out[0] == "0", f"offload {' '.join(args)} failed"
    return int(out[1])


def peaks(repo: Path) -> dict[str, int]:
    plan = "migrations/0001-memory.yaml"
    return {"plan": peak_kib(repo, "migrate", "plan", "-o", plan),
            "run": peak_kib(repo, "migrate", "run", plan, "--force"),  # not a clone
            "verify": peak_kib(repo, "migrate", "verify", plan, "--full")}


@pytest.mark.timeout(600)
def test_peak_memory_does_not_grow_with_history(tmp_path: Path) -> None:
    short = peaks(build(tmp_path, 60))
    long = peaks(build(tmp_path, 240))
    for step, kib in long.items():
        # four times the history: at most an eighth more memory (the interpreter and its
        # imports are most of it) and never more than 12 MiB
        assert kib <= short[step] * 1.125 and kib - short[step] <= 12 * 1024, (step, short, long)
