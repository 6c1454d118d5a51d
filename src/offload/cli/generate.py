"""``offload generate``: turnaround sheets, storyboard frames and 3D models written straight
into the store, and their lineage."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from offload.cli.examples import examples
from offload.cli.output import emit_json, json_option

if TYPE_CHECKING:
    from offload.generate.lineage import VersionRow
    from offload.manifest import Entry

VIEW_CHOICES = click.Choice(["front", "three-quarter", "side", "back"])
F = TypeVar("F", bound=Callable[..., Any])


def provider_options(func: F) -> F:
    """--provider, --model, --seed and --command, the same for every kind of image."""
    for option in reversed([
        click.option("--provider", type=click.Choice(["gemini", "placeholder", "command"]),
                     default="placeholder", show_default=True),
        click.option("--model", help="provider model (gemini default: gemini-2.5-flash-image)"),
        click.option("--seed", type=int, help="seed for reproducible output where supported"),
        click.option("--command", "command", help="for --provider command: template with "
                     "{prompt} {reference} {references} {output}, run without a shell"),
    ]):
        func = option(func)
    return func


@click.group(epilog=examples(
    'offload generate turnaround --character mira --prompt "red-haired pilot"',
    'offload generate frame --scene 3 --shot 2 --prompt "mira hands ken a map"',
    "offload generate list --character mira"))
def generate() -> None:
    """Generate images straight into the store (no file in git)."""


@generate.command(epilog=examples(
    'offload generate turnaround --character mira --prompt "red-haired pilot"',
    'offload generate turnaround --character mira --prompt "collar is wrong" \\',
    "    --reference characters/mira/turnaround/v1.png --fix-view three-quarter"))
@click.option("--character", required=True, help="character name (letters, digits, . _ -)")
@click.option("--prompt", default=None, help="what to draw (or correct)")
@click.option("--prompt-file", type=click.Path(path_type=Path, dir_okay=False),
              help="read the prompt from this file")
@click.option("--version", "version", type=int, help="this exact version (refused if it exists)")
@click.option("--reference-url", help="reference image: store URL or http(s) URL")
@click.option("--reference", "reference_path", help="reference image: manifest path or file")
@click.option("--fix-view", type=VIEW_CHOICES, help="keep the other views, correct only this one")
@click.option("--views", help="comma-separated views (default front,three-quarter,side,back)")
@provider_options
@json_option
def turnaround(character: str, prompt: str | None, prompt_file: Path | None,
               version: int | None, reference_url: str | None, reference_path: str | None,
               fix_view: str | None, views: str | None, provider: str, model: str | None,
               seed: int | None, command: str | None, as_json: bool) -> None:
    """Generate a character turnaround sheet into characters/NAME/turnaround/vN.png."""
    from offload.errors import UsageError
    from offload.generate.turnaround import TurnaroundOptions, generate_turnaround
    from offload.workspace import Workspace

    if reference_url and reference_path:
        raise UsageError("--reference-url and --reference are exclusive",
                         "pass one reference image")
    text = _prompt_text(prompt, prompt_file)
    opts = TurnaroundOptions(
        character=character, prompt=text, version=version,
        reference=reference_url or reference_path, fix_view=fix_view, views=views,
        provider=provider, model=model, seed=seed, command=command,
    )
    entry = generate_turnaround(Workspace.discover(), opts)
    if as_json:
        emit_json(entry.to_json())
        return
    _summary("generated", entry)


def _prompt_text(prompt: str | None, prompt_file: Path | None) -> str:
    from offload.errors import UsageError

    if prompt is not None and prompt_file is not None:
        raise UsageError("--prompt and --prompt-file are exclusive", "pass one of them")
    if prompt_file is not None:
        try:
            text = prompt_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the prompt file {prompt_file}: {exc}",
                             "check the path (a UTF-8 text file)") from exc
        if not text.strip():
            raise UsageError(f"the prompt file {prompt_file} is empty",
                             "write the prompt into that file, or pass --prompt TEXT")
        return text.strip()
    if prompt is None:
        raise UsageError("no prompt given", "pass --prompt TEXT or --prompt-file FILE")
    return prompt


@generate.command(epilog=examples(
    'offload generate frame --scene 3 --shot 2 --prompt "mira hands ken a map" \\',
    "    --character mira --character ken --size 1280x720",
    "offload generate frame --from shots.yaml --jobs 4"))
@click.option("--scene", help="scene number or name (letters, digits, _ -)")
@click.option("--shot", help="shot number or name (letters, digits, _ -)")
@click.option("--prompt", default=None, help="what happens in the frame")
@click.option("--prompt-file", type=click.Path(path_type=Path, dir_okay=False),
              help="read the prompt from this file")
@click.option("--character", "characters", multiple=True,
              help="use this character's approved turnaround (repeatable)")
@click.option("--reference", "references", multiple=True,
              help="another reference image: manifest path, store/http(s) URL or file "
              "(repeatable)")
@click.option("--size", help="frame size WIDTHxHEIGHT, e.g. 1280x720")
@click.option("--from", "shot_list", type=click.Path(path_type=Path, dir_okay=False),
              help="YAML list of shots (scene, shot, prompt, characters, references, size)")
@click.option("--jobs", type=int, default=1, show_default=True,
              help="with --from: shots generated at once")
@click.option("--again", is_flag=True, help="with --from: also redo shots already generated "
              "with the same prompt and references")
@click.option("--unless-done", is_flag=True, hidden=True)
@provider_options
@json_option
def frame(scene: str | None, shot: str | None, prompt: str | None, prompt_file: Path | None,
          characters: tuple[str, ...], references: tuple[str, ...], size: str | None,
          shot_list: Path | None, jobs: int, again: bool, unless_done: bool, provider: str,
          model: str | None, seed: int | None, command: str | None, as_json: bool) -> None:
    """Generate a storyboard frame into storyboards/sceneN/shotM/vK.png (or --from a list)."""
    from offload.errors import UsageError
    from offload.generate.frame import FrameOptions, generate_frame
    from offload.workspace import Workspace

    common = [*(["--model", model] if model else []), *(["--seed", str(seed)] if seed is not
              None else []), *(["--command", command] if command else []), "--provider", provider]
    if shot_list is not None:
        if scene or shot or prompt or prompt_file or characters or references or size:
            raise UsageError("--from takes the shots from the file",
                             "drop --scene/--shot/--prompt/--character/--reference/--size, or "
                             "--from")
        _frames_from(shot_list, common, jobs, again, as_json)
        return
    if scene is None or shot is None:
        raise UsageError("generate frame needs --scene and --shot (or --from FILE)",
                         "e.g. offload generate frame --scene 3 --shot 2 --prompt TEXT")
    opts = FrameOptions(scene=scene, shot=shot, prompt=_prompt_text(prompt, prompt_file),
                        characters=characters, references=references, size=size,
                        provider=provider, model=model, seed=seed, command=command,
                        unless_done=unless_done)
    done = generate_frame(Workspace.discover(), opts, _warn)
    if as_json:
        emit_json({**done.entry.to_json(), "warnings": list(done.warnings),
                   "skipped": done.skipped})
        return
    _summary("already generated" if done.skipped else "generated", done.entry)


def _frames_from(shot_list: Path, common: list[str], jobs: int, again: bool,
                 as_json: bool) -> None:
    from offload.errors import FindingsError
    from offload.generate.batch import Outcome, load_shots, run_shots
    from offload.workspace import Workspace

    def report(outcome: Outcome) -> None:
        if as_json:
            return
        for warning in outcome.warnings:
            _warn(f"{outcome.shot.name}: {warning}")
        where = outcome.error if outcome.status == "failed" else outcome.url or outcome.path
        click.echo(f"{outcome.status:<9} {outcome.shot.name}: {where}")

    shots = load_shots(shot_list)
    Workspace.discover()  # outside a repository, say so once rather than once per shot
    outcomes = run_shots(Path.cwd(), shots, common, jobs, again, report)
    if as_json:
        emit_json([outcome.to_json() for outcome in outcomes])
    else:
        _made_by(common[common.index("--provider") + 1])
    failed = [o.shot.name for o in outcomes if o.status == "failed"]
    if failed:
        raise FindingsError(f"{len(failed)} of {len(outcomes)} shots failed: "
                            + ", ".join(failed),
                            "fix them and run the same command again: shots already generated "
                            "are skipped")


@generate.command(epilog=examples(
    "offload generate model3d --character mira \\",
    "    --command 'my-3d-cli --image {turnaround} --out {output}'"))
@click.option("--character", required=True, help="whose approved turnaround to hand over")
@click.option("--provider", type=click.Choice(["command"]), default="command",
              show_default=True)
@click.option("--command", "command", help="template with {turnaround} {output} (a .glb), "
              "also {character} {version} {prompt} {seed}; run without a shell")
@click.option("--prompt", default="", help="text for the command's {prompt}")
@click.option("--seed", type=int, help="value for the command's {seed}")
@json_option
def model3d(character: str, provider: str, command: str | None, prompt: str,
            seed: int | None, as_json: bool) -> None:
    """Make a 3D model from a turnaround into characters/NAME/model/vK.glb."""
    from offload.generate.model3d import ModelOptions, generate_model3d
    from offload.workspace import Workspace

    entry = generate_model3d(Workspace.discover(),
                             ModelOptions(character, command, prompt, seed), _warn)
    if as_json:
        emit_json(entry.to_json())
        return
    _summary("generated", entry)


def _warn(text: str) -> None:
    click.echo(f"warning: {text}", err=True)


def _summary(what: str, entry: Entry) -> None:
    """The URL alone on stdout (for scripts); what was made, and by what, on stderr."""
    model = entry.meta.get("model")
    _made_by(str(entry.meta.get("provider", "?")) + (f" ({model})" if model else ""),
             f"{what} {entry.path}")
    click.echo(entry.url or entry.key)


def _made_by(provider: str, what: str = "") -> None:
    from offload import __version__

    click.echo(f"{what + ' with ' if what else 'provider '}{provider}, offload {__version__}",
               err=True)


@generate.command(name="list", epilog=examples(
    "offload generate list --character mira",
    "offload generate list --scene 3 --shot 2 --json"))
@click.option("--character", help="a character's turnarounds and 3D models")
@click.option("--scene", help="a scene's storyboard frames, shot by shot")
@click.option("--shot", help="with --scene: only this shot")
@json_option
def list_(character: str | None, scene: str | None, shot: str | None, as_json: bool) -> None:
    """Show versions, their lineage, the references they used and their URLs."""
    from offload.errors import UsageError
    from offload.generate.lineage import list_versions, model_rows, scene_rows
    from offload.workspace import Workspace

    if (character is None) == (scene is None) or (shot is not None and scene is None):
        raise UsageError("generate list needs --character NAME or --scene N [--shot M]",
                         "e.g. offload generate list --character mira")
    ws = Workspace.discover()
    if character is not None:
        rows = list_versions(ws, character) + model_rows(ws, character)
        what = f"turnaround versions of {character}"
    else:
        rows = scene_rows(ws, str(scene), shot)
        what = f"frames of scene {scene}" + (f" shot {shot}" if shot else "")
    if as_json:
        emit_json([row.to_json() for row in rows])
        return
    if not rows:
        click.echo(f"no {what} yet")
    for row in rows:
        click.echo(_row_line(row))


def _row_line(row: VersionRow) -> str:
    from offload.generate.references import references_of

    where = row.entry.url or row.entry.key if row.entry else "(claimed elsewhere)"
    meta = row.entry.meta if row.entry else {}
    if row.kind == "turnaround":
        fix = meta.get("fix_view")
        lineage = " <- ".join(f"v{n}" for n in (row.version, *row.chain))
        return f"{lineage}{f'  [fix {fix}]' if fix else ''}\t{where}"
    used = [f"{r['character']} v{r.get('version')}" if r.get("character") else
            str(r.get("path") or r.get("url") or "?").rsplit("/", 1)[-1]
            for r in references_of(meta)]
    name = "model" if row.kind == "model" else row.folder.removeprefix("storyboards/")
    return f"{name} v{row.version}{'  [' + ', '.join(used) + ']' if used else ''}\t{where}"
