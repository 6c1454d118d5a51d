"""Signed commits and tags a history rewrite cannot keep (their signatures would not verify)."""

from __future__ import annotations

from pathlib import Path

from offload.git.run import run_git

SIGNATURE_HEADERS = (b"gpgsig ", b"gpgsig-sha256 ")
# git fast-export --signed-tags=strip (git 2.39) recognises only PGP blocks in a tag message.
TAG_SIGNATURE_STARTS = (b"-----BEGIN PGP SIGNATURE-----", b"-----BEGIN SSH SIGNATURE-----",
                        b"-----BEGIN SIGNED MESSAGE-----")


def dropped_signatures(cwd: Path, refs: dict[str, str]) -> dict[str, int]:
    """How many commits of the selected history and how many selected tags carry a signature.

    Only the object headers are read (``rev-list --header``); nothing is verified, so no gpg or
    ssh-keygen runs and the count does not depend on which keys this machine trusts.
    """
    return {"commits": _signed_commits(cwd, sorted(set(refs.values()))),
            "tags": _signed_tags(cwd, [name for name in refs if name.startswith("refs/tags/")])}


def _signed_commits(cwd: Path, revs: list[str]) -> int:
    if not revs:
        return 0
    out = run_git("rev-list", "--header", *revs, "--", cwd=cwd).stdout
    signed = 0
    for record in out.split(b"\0"):
        header = record.split(b"\n\n", 1)[0]
        if any(b"\n" + name in header for name in SIGNATURE_HEADERS):
            signed += 1
    return signed


def _signed_tags(cwd: Path, tags: list[str]) -> int:
    if not tags:
        return 0
    out = run_git("for-each-ref", "--format=%(if)%(contents:signature)%(then)signed%(end)",
                  *tags, cwd=cwd)
    return sum(1 for line in out.lines() if line == "signed")


def strip_tag_signature(message: bytes) -> bytes:
    """A rewritten tag's message without the signature block that no longer verifies."""
    cut = min((at for start in TAG_SIGNATURE_STARTS
               if (at := message.find(b"\n" + start)) >= 0), default=-1)
    if cut < 0:
        return message[:0] if message.startswith(TAG_SIGNATURE_STARTS) else message
    return message[:cut + 1]
