"""Ctrl-C in the middle of ``offload put FOLDER``: what reached the store is recorded in
offload.lock before exiting 130, and the message says to rerun the same command."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from offload.errors import ExitCode
from testing.cli import cli_env, ctrl_c_as_at_a_terminal, run_offload
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.store.stall import StallProxy
from tests.store.test_put_store_stops import MIB, assert_fully_stored, recorded

FILES = 12


def stored_keys(s3: S3Server, bucket: str) -> set[str]:
    client: Any = s3.client()
    listed = client.list_objects_v2(Bucket=bucket, Prefix="prod/")
    return {item["Key"][len("prod/"):] for item in listed.get("Contents", ())}


def test_sigint_during_put_records_what_finished(repo: GitRepo, moto_s3: S3Server,
                                                 s3_bucket: str) -> None:
    for n in range(FILES):
        repo.write(f"shots/frame-{n:02}.png", b"\x89PNG" + os.urandom(MIB))
    env = moto_s3.env()
    # Two uploads at a time and 3.5 MiB let through: some files are in the store, the rest
    # wait at the proxy until the interrupt has been sent.
    with StallProxy(moto_s3.port, budget=int(3.5 * MIB)) as proxy:
        repo.write("offload.yaml", f"store: s3://{s3_bucket}/prod\n"
                   f"s3: {{endpoint_url: \"{proxy.url}\"}}\n")
        proc = subprocess.Popen([sys.executable, "-m", "offload", "put", "shots", "--jobs", "2"],
                                cwd=repo.path, env=cli_env(env), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True,
                                preexec_fn=ctrl_c_as_at_a_terminal)
        try:
            assert proxy.stalled.wait(timeout=120), "the uploads never reached the stall"
            proc.send_signal(signal.SIGINT)
            proxy.release()  # uploads already on the wire finish; nothing new is started
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=10)
    assert proc.returncode == ExitCode.INTERRUPTED, err
    assert "next: rerun `offload put shots --jobs 2`" in err and "Traceback" not in err
    entries = recorded(repo)
    assert entries, err  # before the fix nothing was recorded
    assert {str(e["key"]) for e in entries} == stored_keys(moto_s3, s3_bucket)
    assert_fully_stored(moto_s3, s3_bucket, entries)
    assert f"{len(entries)} of {FILES} file(s)" in err

    repo.write("offload.yaml", f"store: s3://{s3_bucket}/prod\n"
               f"s3: {{endpoint_url: \"{moto_s3.endpoint_url}\"}}\n")
    again = run_offload("put", "shots", cwd=repo.path, env=env, timeout=180)
    assert again.rc == 0, again.output
    assert len(recorded(repo)) == FILES
