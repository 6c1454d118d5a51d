"""Sort what the store holds into garbage and keepers; nothing here deletes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from offload.errors import UsageError
from offload.gc.references import References
from offload.generate.names import version_of
from offload.store.garbage import PendingUpload, StoredObject

DEFAULT_OLDER_THAN = "7d"
_DURATION = re.compile(r"^\s*(\d+)\s*([smhdw])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}
_CLAIM = re.compile(r"^(?P<dir>.+)/\.claims/v(?P<version>\d+)$")

UNREFERENCED = "unreferenced"
TEMP = "temp-file"
MULTIPART = "multipart-upload"
CLAIM = "orphan-claim"


@dataclass(frozen=True)
class Garbage:
    kind: str
    key: str
    size: int
    modified: datetime
    upload_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        record: dict[str, Any] = {"kind": self.kind, "key": self.key, "size": self.size,
                                  "modified": self.modified.isoformat(timespec="seconds")}
        if self.upload_id is not None:
            record["upload_id"] = self.upload_id
        return record


@dataclass
class Sorting:
    garbage: list[Garbage] = field(default_factory=list)
    referenced: int = 0
    too_young: int = 0
    claims_kept: int = 0


def parse_age(text: str) -> timedelta:
    match = _DURATION.match(text)
    if not match:
        raise UsageError(f"--older-than {text!r} is not a duration",
                         "write a number and a unit: 0s, 90m, 12h, 7d or 2w")
    return timedelta(seconds=int(match.group(1)) * _UNITS[match.group(2)])


def sort_store(refs: References, objects: list[StoredObject], temps: list[StoredObject],
               uploads: list[PendingUpload], cutoff: datetime) -> Sorting:
    """Garbage: older than ``cutoff`` and not referenced (claims: their image is gone too)."""
    result = Sorting()
    claims: list[tuple[StoredObject, str, int]] = []
    for obj in objects:
        claim = _CLAIM.match(obj.key)
        if obj.key in refs.keys:
            result.referenced += 1
        elif obj.modified > cutoff:
            result.too_young += 1
        elif claim:
            claims.append((obj, claim.group("dir"), int(claim.group("version"))))
        else:
            result.garbage.append(Garbage(UNREFERENCED, obj.key, obj.size, obj.modified))
    doomed = {g.key for g in result.garbage}
    images = {(key.rsplit("/", 1)[0], version_of(key)) for key in
              (o.key for o in objects if o.key not in doomed and not _CLAIM.match(o.key))}
    for obj, folder, version in claims:
        if f"{folder}/v{version}.png" in refs.paths or (folder, version) in images:
            result.claims_kept += 1
        else:
            result.garbage.append(Garbage(CLAIM, obj.key, obj.size, obj.modified))
    for temp in temps:
        if temp.modified > cutoff:
            result.too_young += 1
        else:
            result.garbage.append(Garbage(TEMP, temp.key, temp.size, temp.modified))
    for upload in uploads:
        if upload.initiated > cutoff:
            result.too_young += 1
        else:
            result.garbage.append(Garbage(MULTIPART, upload.key, 0, upload.initiated,
                                          upload.upload_id))
    return result
