"""File-system steps of the local store: temp files that never outlive a failure, exclusive
creates, and file-system errors reported as store errors (exit 4)."""

from __future__ import annotations

import errno
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from offload.errors import OffloadError, StoreError
from offload.store.base import Progress

TEMP_PREFIX = ".tmp-offload-"
STALE_TEMP_SECONDS = 3600  # no write of one object takes this long; older temps are leftovers
COPY_CHUNK = 1024 * 1024


def copy_to_temp(source: BinaryIO, folder: Path, progress: Progress | None) -> Path:
    """Write ``source`` to a fresh temp file in ``folder`` (flushed to disk); removed on failure."""
    fd, name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=folder)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            copy_stream(source, out, progress)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def link_if_absent(tmp: Path, target: Path) -> bool:
    """Give ``tmp``'s content the name ``target`` only if that name is free (atomic).

    False when ``target`` exists. A file system without hard links gets an O_EXCL create.
    """
    try:
        os.link(tmp, target)
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
            raise
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as out, open(tmp, "rb") as source:
            copy_stream(source, out, None)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return True


def remove_stale_temps(folder: Path) -> None:
    """Temp files a killed write left in ``folder``, older than :data:`STALE_TEMP_SECONDS`."""
    cutoff = time.time() - STALE_TEMP_SECONDS
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        try:
            if entry.name.startswith(TEMP_PREFIX) and entry.is_file(follow_symlinks=False) \
                    and entry.stat(follow_symlinks=False).st_mtime < cutoff:
                os.unlink(entry.path)
        except OSError:
            pass  # another writer removed it first, or it is not ours to remove


def copy_stream(source: BinaryIO, out: BinaryIO, progress: Progress | None) -> None:
    if progress is None:
        shutil.copyfileobj(source, out, COPY_CHUNK)
        return
    while chunk := source.read(COPY_CHUNK):
        out.write(chunk)
        progress(len(chunk))


@contextmanager
def written_into(store: str, key: str) -> Iterator[None]:
    """Turn a failed write into the local store (full disk, read-only, denied) into exit 4."""
    try:
        yield
    except OffloadError:
        raise
    except OSError as exc:
        if exc.errno == errno.ENOSPC or exc.errno == errno.EDQUOT:
            raise StoreError(
                f"no space left in the {store} while writing {key}",
                "free some space (or set `store:` in offload.yaml to a bigger disk), then run "
                "the same command again: nothing was recorded for what was not written",
            ) from None
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise StoreError(
                f"cannot write {key} into the {store}: {exc.strerror}",
                "make the store folder writable (or point `store:` in offload.yaml elsewhere), "
                "then run the same command again",
            ) from None
        raise StoreError(
            f"cannot write {key} into the {store}: {exc.strerror or exc}",
            "check the store folder, then run the same command again",
        ) from None
