"""The instruction sent to a model: text-to-image, image-to-image, or fix one view."""

from __future__ import annotations

from offload.generate.names import VIEWS

LABELS = {"front": "front", "three-quarter": "three-quarter (3/4)", "side": "side profile",
          "back": "back"}


def build_instruction(character: str, prompt: str, views: tuple[str, ...],
                      has_reference: bool, fix_view: str | None) -> str:
    panels = ", ".join(LABELS[v] for v in views)
    sheet = (f"A character turnaround sheet of {character}: {len(views)} full-body views "
             f"side by side, left to right: {panels}. Same character, same scale, same outfit "
             "and proportions in every view, neutral pose, plain light background, "
             "each view labelled.")
    if fix_view is not None and has_reference:
        others = ", ".join(LABELS[v] for v in views if v != fix_view) or "none"
        return (f"Edit the attached turnaround sheet of {character}. Keep the other views "
                f"({others}) exactly as they are, pixel for pixel: same pose, colours, "
                f"framing and layout. Correct only the {LABELS[fix_view]} view so that it "
                f"matches the other views and this note: {prompt}")
    if has_reference:
        return (f"{sheet} Use the attached image as the reference for the character's design "
                f"and keep it consistent. {prompt}")
    return f"{sheet} {prompt}"


def check_fix_view(fix_view: str | None, has_reference: bool) -> None:
    from offload.errors import UsageError

    if fix_view is None:
        return
    if fix_view not in VIEWS:
        raise UsageError(f"--fix-view {fix_view!r} is not a view", f"choose one of {VIEWS}")
    if not has_reference:
        raise UsageError("--fix-view needs the sheet to correct",
                         "add --reference-url URL (or --reference PATH) of the version to fix")


def frame_instruction(title: str, prompt: str, characters: list[str], others: int,
                      size: tuple[int, int] | None) -> str:
    """A storyboard frame; reference images are numbered in the order they are attached."""
    text = f"A storyboard frame, {title}: {prompt}."
    if characters:
        named = ", ".join(f"image {n} is {name}" for n, name in enumerate(characters, 1))
        text += (" Draw each character exactly as in their turnaround sheet among the attached "
                 f"reference images ({named}): same design, outfit, colours and proportions.")
    if others:
        first = len(characters) + 1
        which = f"image {first}" if others == 1 else f"images {first} to {first + others - 1}"
        text += f" Also follow reference {which} for the look of the shot."
    if size is not None:
        text += f" The frame is {size[0]}x{size[1]} pixels."
    return text
