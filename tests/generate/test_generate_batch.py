"""generate frame --from shots.yaml: shots in parallel, failures per shot, reruns skip done."""

from __future__ import annotations

from testing.repos import GitRepo
from tests.generate.helpers import generate, turnaround
from tests.generate.test_generate_frame import lock, turnarounds

SHOTS = """\
- {scene: 1, shot: 1, prompt: mira climbs in, characters: [mira]}
- {scene: 1, shot: 2, prompt: the hangar doors open}
- {scene: 2, shot: 1, prompt: nobody waves, characters: [mira, nobody], size: 320x180}
"""


def frames(repo: GitRepo) -> list[str]:
    return sorted(p for p in lock(repo) if p.startswith("storyboards/"))


def test_one_failing_shot_does_not_stop_the_others_and_a_rerun_does_only_it(
        repo: GitRepo) -> None:
    turnarounds(repo, "mira", 1)
    (repo.path / "shots.yaml").write_text(SHOTS)
    first = generate(repo, "frame", "--from", "shots.yaml", "--jobs", "2")
    assert first.rc == 1, first.output
    assert "1 of 3 shots failed: scene 2 shot 1" in first.stderr
    assert "failed    scene 2 shot 1: nobody has no turnaround in offload.lock" in first.stdout
    assert "warning: scene 1 shot 1: no approved turnaround of mira" in first.stderr
    assert frames(repo) == ["storyboards/scene1/shot1/v1.png", "storyboards/scene1/shot2/v1.png"]

    assert turnaround(repo, "--character", "nobody", "--prompt", "a stranger").rc == 0
    second = generate(repo, "frame", "--from", "shots.yaml", "--jobs", "2", "--json")
    assert second.rc == 0, second.output
    status = {(r["scene"], r["shot"]): r["status"] for r in second.json()["items"]}
    assert status == {("1", "1"): "skipped", ("1", "2"): "skipped", ("2", "1"): "generated"}
    assert frames(repo) == ["storyboards/scene1/shot1/v1.png", "storyboards/scene1/shot2/v1.png",
                            "storyboards/scene2/shot1/v1.png"]
    assert lock(repo)["storyboards/scene2/shot1/v1.png"]["meta"]["size"] == "320x180"


def test_again_and_a_changed_reference_generate_new_versions(repo: GitRepo) -> None:
    turnarounds(repo, "mira", 1)
    (repo.path / "shots.yaml").write_text(SHOTS.splitlines()[0] + "\n")
    assert generate(repo, "frame", "--from", "shots.yaml").rc == 0
    again = generate(repo, "frame", "--from", "shots.yaml", "--again")
    assert again.rc == 0 and again.stdout.startswith("generated"), again.output
    turnarounds(repo, "mira", 1)  # mira v2: the latest, so the shot's references changed
    changed = generate(repo, "frame", "--from", "shots.yaml")
    assert changed.rc == 0 and changed.stdout.startswith("generated"), changed.output
    unchanged = generate(repo, "frame", "--from", "shots.yaml")
    assert unchanged.stdout.startswith("skipped"), unchanged.output
    assert frames(repo) == [f"storyboards/scene1/shot1/v{n}.png" for n in (1, 2, 3)]


def test_bad_shot_lists_are_usage_errors(repo: GitRepo) -> None:
    for text, expected in (("- {scene: 1, prompt: p}\n", "needs scene, shot and prompt"),
                           ("- {scene: 1, shot: 1, prompt: p, colour: red}\n",
                            "unknown fields colour"),
                           ("just text\n", "holds no list of shots")):
        (repo.path / "shots.yaml").write_text(text)
        result = generate(repo, "frame", "--from", "shots.yaml")
        assert result.rc == 2 and expected in result.stderr, result.output
    mixed = generate(repo, "frame", "--from", "shots.yaml", "--scene", "1")
    assert mixed.rc == 2 and "--from takes the shots from the file" in mixed.stderr
    assert frames(repo) == []
