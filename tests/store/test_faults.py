"""put → verify → get of 200 files through a proxy that breaks 10% of connections."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

from offload.config.model import S3Settings
from offload.store.base import PutRequest
from offload.store.s3 import S3Backend
from testing.proxy import FaultProxy
from testing.servers import S3Server


def test_200_files_through_faults(moto_s3: S3Server, s3_bucket: str, tmp_path: Path) -> None:
    rng = random.Random(7)
    requests = []
    for n in range(200):
        data = rng.randbytes(rng.randrange(1, 40_000))
        path = tmp_path / "src" / f"f{n:03}.png"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(data)
        requests.append(PutRequest(f"faults/f{n:03}.png", path,
                                   hashlib.sha256(data).hexdigest(), "image/png"))
    with FaultProxy(moto_s3.port, fault_rate=0.1, seed=42, latency=0.002) as proxy:
        store = S3Backend(s3_bucket, "p", S3Settings(endpoint_url=proxy.url),
                          access_key=moto_s3.access_key, secret_key=moto_s3.secret_key,
                          max_attempts=10)
        store.put_files(requests, jobs=8)
        for request in requests:
            info = store.head(request.key)
            assert info is not None and info.sha256 == request.sha256
        for request in requests:
            dest = tmp_path / "back" / request.path.name
            assert store.get_file(request.key, dest, request.sha256) == request.sha256
    assert proxy.faults >= 10, proxy.stats
    assert len(list((tmp_path / "back").iterdir())) == 200
