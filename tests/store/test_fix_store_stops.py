"""The store goes away in the middle of ``offload fix``: exit 4 with error:/next:, the index is
left as it was (nothing unstaged, nothing recorded that is not fully stored), and the same
command finishes once the store is back — on moto and on SeaweedFS."""

from __future__ import annotations

import os

from offload.errors import ExitCode
from testing.cli import run_offload
from testing.repos import GitRepo
from testing.servers import S3Server
from tests.store.stall import StallProxy
from tests.store.test_put_store_stops import (
    MIB,
    assert_fully_stored,
    cut_mid_upload,
    recorded,
)

FILES = 8


def staged(repo: GitRepo) -> list[str]:
    return sorted(repo.git("diff", "--cached", "--name-only").split())


def test_store_stops_in_the_middle_of_fix(repo: GitRepo, enforcing_s3: tuple[S3Server, str]
                                          ) -> None:
    s3, bucket = enforcing_s3
    names = [f"shots/frame-{n:02}.png" for n in range(FILES)]
    for name in names:
        repo.write(name, b"\x89PNG\r\n\x1a\n" + os.urandom(MIB))
    env = {**s3.env(), "AWS_MAX_ATTEMPTS": "3"}
    with StallProxy(s3.port, budget=3 * MIB) as proxy:
        repo.write("offload.yaml", f"store: s3://{bucket}/prod\npublic_url: https://cdn.test\n"
                   f"s3: {{endpoint_url: \"{proxy.url}\"}}\n")
        repo.add("offload.yaml", *names)
        before = staged(repo)
        rc, err = cut_mid_upload(proxy, repo, env, "fix")
        assert rc == ExitCode.STORE, err
        assert "error:" in err and "next:" in err and "Traceback" not in err
        assert staged(repo) == before  # nothing unstaged while objects were missing
        assert_fully_stored(s3, bucket, recorded(repo))

        proxy.release()
        again = run_offload("fix", cwd=repo.path, env=env, timeout=180)
        assert again.rc == 0, again.output
    assert sorted(e["path"] for e in recorded(repo)) == names
    assert_fully_stored(s3, bucket, recorded(repo))
    assert not set(names) & set(staged(repo))  # the images left the index
