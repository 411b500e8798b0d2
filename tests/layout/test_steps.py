"""Step names are checked: every `goto` target and menu item exists, none is registered twice."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

import pytest

from handlers import FEATURES
from handlers.account.menu import NEWCOMER_ITEMS, OFFICER_ITEM, PRODUCER_ITEMS
from handlers.engine.dispatcher import HOME
from handlers.engine.feature import Feature, WiringError, build_registry
from handlers.engine.turn import Flow, Turn

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
REGISTRY = build_registry(FEATURES)


def _goto_targets() -> list[tuple[str, int, str]]:
    """(file, line, target) of every `goto("flow.step")` with a literal step name."""
    found = []
    for path in sorted(HANDLERS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "goto"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.append((path.name, node.lineno, node.args[0].value))
    return found


def test_every_literal_goto_target_is_a_registered_step() -> None:
    targets = _goto_targets()
    assert len(targets) > 100  # the walk does find the conversations' moves
    unknown = [f"{f}:{line} {t}" for f, line, t in targets if t not in REGISTRY.steps]
    assert unknown == []


def test_menu_items_commands_and_home_open_registered_steps() -> None:
    items = (*NEWCOMER_ITEMS, *PRODUCER_ITEMS, OFFICER_ITEM)
    # a menu item may name a step still to come ("coming soon"); every one here exists
    assert [i.step for i in items if i.step not in REGISTRY.steps] == []
    assert [c.name for c in REGISTRY.commands.values() if c.step not in REGISTRY.steps] == []
    assert HOME in REGISTRY.steps


def test_no_step_is_registered_twice() -> None:
    names = Counter(
        name
        for feature in FEATURES
        for flow in dict.fromkeys(feature.flows)
        for name in flow.steps
    )
    assert [name for name, count in names.items() if count > 1] == []


def test_a_step_registered_twice_is_refused_at_start() -> None:
    async def ask(turn: Turn) -> list:  # type: ignore[type-arg]
        return []

    first, second = Flow("twice"), Flow("twice")
    first.ask("start")(ask)
    second.ask("start")(ask)
    with pytest.raises(WiringError):
        build_registry((Feature(name="a", flows=(first,)), Feature(name="b", flows=(second,))))
