"""Long plan lists are written as JSON rows inside YAML: any YAML reader gets the same data,
and offload's reader gets it without YAML's node graph."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from offload.migrate.planrows import LONG, dump_rows, load_rows


def dump(value: Any) -> str:
    return yaml.dump(value, Dumper=yaml.CSafeDumper, sort_keys=False, allow_unicode=True,
                     width=100, default_flow_style=False)


def load(text: str) -> Any:
    return yaml.load(text, Loader=yaml.CSafeLoader)


def sample(name: str = "x.png") -> dict[str, Any]:
    rows = [{"file": f"docs/é{i}.md", "line": i, "target": f"a {i}.png", "ok": i % 2 == 0,
             "resolves_to": None, "paths": [{"path": name, "key": "k"}]}
            for i in range(LONG + 3)]
    return {"offload_migration": 1, "name": "0001-x", "summary": {"missing": ["a"] * 40},
            "objects": rows, "references": {"rewrite": rows[:LONG], "dangling": rows[:2],
                                            "report": []},
            "text": "line one:\n- {\"not\": \"a row\"}\n", "result": None}


def test_rows_are_one_json_line_each_and_read_back_the_same_by_both_readers() -> None:
    data = sample()
    assert "é" in dump_rows(data, dump)  # readable, not escaped
    text = dump_rows(data, dump)
    assert sum(1 for line in text.splitlines() if line.startswith("- {\"file\"")) == LONG + 3
    assert sum(1 for line in text.splitlines() if line.startswith("  - {\"file\"")) == LONG
    assert "- file:" in text  # the short list stays block YAML
    assert load(text) == data
    assert load_rows(text, load) == data


def test_a_run_that_is_not_json_is_left_to_yaml() -> None:
    text = "objects:\n- {\"a\": 1}\n- {b: 2}\nname: x\n"
    assert load_rows(text, load) == {"objects": [{"a": 1}, {"b": 2}], "name": "x"}


def test_plain_yaml_plans_still_read() -> None:
    data = sample()
    assert load_rows(dump(data), load) == data


def test_a_name_that_is_not_utf8_survives_in_a_row() -> None:
    data = {"objects": sample("x\udc80.png")["objects"]}
    text = dump_rows(data, dump)
    text.encode("utf-8")
    assert load_rows(text, load) == data


def test_a_skipped_section_is_never_parsed() -> None:
    text = dump_rows(sample(), dump)
    cut = text.index("\nreferences:")
    text = text[:cut] + text[cut:].replace('"line": 3,', '"line": ,')  # a broken row there
    data = load_rows(text, load, skip=("references",))
    assert data["references"] == {} and data["objects"] == sample()["objects"]
    assert data["result"] is None and data["name"] == "0001-x"


def test_the_result_replaces_only_the_last_section(tmp_path: Path) -> None:
    from offload.migrate.planfile import write_plan, write_result

    plan = tmp_path / "0001-x.yaml"
    data = {**sample(), "offload_migration": 1, "refs": {"selection": "all", "original": {}}}
    write_plan(plan, data)
    before = plan.read_text(encoding="utf-8")
    write_result(plan, {"mode": "history", "rows": [{"a": i} for i in range(LONG)]})
    after = plan.read_text(encoding="utf-8")
    assert after.startswith(before[:before.index("\nresult:")])
    assert load_rows(after, load)["result"]["rows"][-1] == {"a": LONG - 1}
    # a plan edited so that `result:` is not last is read and written whole
    reordered = after.replace("\nresult:", "\nresult_was_here: 1\nresult:", 1)
    plan.write_text(reordered.replace("name: 0001-x\n", "") + "name: 0001-x\n",
                    encoding="utf-8")
    write_result(plan, {"mode": "tip"})
    again = load_rows(plan.read_text(encoding="utf-8"), load)
    assert again["result"] == {"mode": "tip"} and again["name"] == "0001-x"
    assert again["objects"] == data["objects"]


def test_a_skipped_row_list_is_never_parsed() -> None:
    text = dump_rows(sample(), dump)
    cut = text.index("\n  rewrite:")
    broken = text[:cut] + text[cut:].replace('"line": 3,', '"line": ,', 1)
    data = load_rows(broken, load, skip=("references.rewrite",))
    assert data["references"]["rewrite"] == []
    assert data["references"]["dangling"] == sample()["references"]["dangling"]
    assert data["objects"] == sample()["objects"]
