"""The upload floor of the Python S3 stack: every file under a folder sent by one s3transfer
TransferManager (8 at once, offload's part sizes, small bodies sent without waiting for
`100 Continue` as offload sends them), nothing else (no hashing, no metadata, no
journal, no rewrite). The migration benchmark times it next to offload's run, so a run's time
reads against what boto3 itself needs to store the same objects on the same server.

    python bench/s3floor.py FOLDER BUCKET PREFIX   (endpoint and keys: the AWS_* variables
    and OFFLOAD_BENCH_ENDPOINT)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("BOTO_DISABLE_CRT", "true")  # offload sets it: sign as offload does
    import boto3
    from botocore.config import Config
    from s3transfer.manager import TransferConfig, TransferManager

    from offload.store.s3 import send_small_bodies_at_once

    folder, bucket, prefix = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    client = boto3.client("s3", endpoint_url=os.environ["OFFLOAD_BENCH_ENDPOINT"],
                          config=Config(max_pool_connections=64,
                                        request_checksum_calculation="when_required"))
    send_small_bodies_at_once(client)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    config = TransferConfig(multipart_threshold=64 * 1024 * 1024,
                            multipart_chunksize=16 * 1024 * 1024, max_request_concurrency=8)
    with TransferManager(client, config) as manager:
        futures = [manager.upload(str(p), bucket, f"{prefix}/{p.relative_to(folder)}")
                   for p in files]
        for future in futures:
            future.result()
    print(f"{len(files)} files")


if __name__ == "__main__":
    main()
