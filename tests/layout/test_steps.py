"""Step names are checked: each is named once, as a constant, and every move names one that exists.

A step's name is written in one place, its feature's `steps` module (`Products.SUMMARY =
"products.summary"`); `goto`, `ask`, `answer`, commands and menu items use the constants,
never a string or an f-string.
"""

from __future__ import annotations

import ast
import importlib
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

from handlers import FEATURES
from handlers.account.menu import NEWCOMER_ITEMS, OFFICER_ITEM, PRODUCER_ITEMS
from handlers.engine.dispatcher import HOME
from handlers.engine.feature import Feature, WiringError, build_registry
from handlers.engine.turn import Flow, Turn

HANDLERS = Path(__file__).resolve().parents[2] / "handlers"
REGISTRY = build_registry(FEATURES)
MOVES = {"goto": 0, "ask": 0, "answer": 0, "command": 1}  # method → argument naming a step


def _steps_modules() -> dict[str, ModuleType]:
    """Feature package name → its `steps` module."""
    return {
        path.parent.name: importlib.import_module(f"handlers.{path.parent.name}.steps")
        for path in sorted(HANDLERS.glob("*/steps.py"))
    }


def _constants() -> list[tuple[str, str, str]]:
    """(package, Class.CONST, value) of every step constant."""
    found = []
    for package, module in _steps_modules().items():
        for cls_name, cls in vars(module).items():
            if isinstance(cls, type) and cls.__module__ == module.__name__:
                for name, value in vars(cls).items():
                    if name.isupper():
                        found.append((package, f"{cls_name}.{name}", value))
    return found


def _feature_package(feature: Feature) -> str:
    """The package under handlers/ that exposes the feature."""
    for path in HANDLERS.glob("*/__init__.py"):
        module = importlib.import_module(f"handlers.{path.parent.name}")
        if any(value is feature for value in vars(module).values()):
            return path.parent.name
    raise AssertionError(f"no package exposes feature {feature.name}")


def _step_arguments() -> list[tuple[str, ast.expr]]:
    """(file:line, expression) of every argument that names a step: `goto`, `ask`,
    `answer`, `command` and menu items, in every module of handlers/."""
    found = []
    for path in sorted(HANDLERS.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            args: list[ast.expr] = []
            func = node.func
            if isinstance(func, ast.Attribute) and len(node.args) > MOVES.get(func.attr, 99):
                args.append(node.args[MOVES[func.attr]])
            elif isinstance(func, ast.Name) and func.id == "MenuItem":
                args += node.args[2:3] + [k.value for k in node.keywords if k.arg == "step"]
            for arg in args:
                branches = [arg.body, arg.orelse] if isinstance(arg, ast.IfExp) else [arg]
                where = f"{path.relative_to(HANDLERS)}:{node.lineno}"
                found += [(where, branch) for branch in branches]
    return found


def _resolve(where: str, node: ast.expr) -> str | None:
    """The step a `Class.CONST` argument names (None for a name computed at run time)."""
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
        return None
    module = "handlers." + where.split(":")[0].removesuffix(".py").replace("/", ".")
    namespace = vars(importlib.import_module(module.removesuffix(".__init__")))
    cls = namespace.get(node.value.id)
    if not (isinstance(cls, type) and cls.__module__.endswith(".steps")):
        return None
    value = getattr(cls, node.attr)
    assert isinstance(value, str)
    return value


def test_steps_are_named_by_constants_never_by_strings() -> None:
    written = [
        f"{where} {ast.unparse(node)}"
        for where, node in _step_arguments()
        if isinstance(node, ast.JoinedStr)
        or (isinstance(node, ast.Constant) and isinstance(node.value, str))
    ]
    assert written == []  # use the constant of the feature's steps module


def test_every_goto_and_every_registration_names_a_registered_step() -> None:
    named = [(where, _resolve(where, node)) for where, node in _step_arguments()]
    resolved = [(where, step) for where, step in named if step is not None]
    assert len(resolved) > 250  # the walk does find the conversations' moves
    assert [f"{where} {step}" for where, step in resolved if step not in REGISTRY.steps] == []


def test_every_registered_step_is_named_once_in_its_features_steps_module() -> None:
    constants = _constants()
    values = Counter(value for _, _, value in constants)
    assert [value for value, count in values.items() if count > 1] == []
    assert sorted(values) == sorted(REGISTRY.steps)  # no step unnamed, no name of no step
    package_of = {value: package for package, _, value in constants}
    misplaced = [
        step
        for feature in FEATURES
        for flow in feature.flows
        for step in flow.steps
        if package_of[step] != _feature_package(feature)
    ]
    assert misplaced == []


def test_a_flow_registers_only_steps_under_its_own_name() -> None:
    astray = [
        step
        for feature in FEATURES
        for flow in feature.flows
        for step in flow.steps
        if not step.startswith(f"{flow.name}.")
    ]
    assert astray == []


def test_steps_modules_import_nothing_of_ours() -> None:
    # any feature may name another's steps: a steps module must stay a leaf
    for package in _steps_modules():
        tree = ast.parse((HANDLERS / package / "steps.py").read_text(encoding="utf-8"))
        imported = {
            node.module if isinstance(node, ast.ImportFrom) else node.names[0].name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
        }
        assert imported <= {"__future__", "typing"}, package


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


def test_no_step_name_is_written_as_a_string_outside_the_steps_modules() -> None:
    names = set(REGISTRY.steps)
    found = []
    for path in sorted(HANDLERS.rglob("*.py")):
        if path.name == "steps.py":
            continue
        tree = ast.parse(path.read_text("utf-8"))
        labels = {  # a label key may read like a step name; it names words, not a step
            id(kw.value) for kw in ast.walk(tree) if isinstance(kw, ast.keyword)
            and kw.arg == "label"
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in names and id(node) not in labels:
                found.append(f"{path.relative_to(HANDLERS)}:{node.lineno} {node.value!r}")
    assert found == [f"engine/dispatcher.py:{_home_line()} {HOME!r}"]


def _home_line() -> int:
    """The line where the engine names the main menu (the engine may not import features)."""
    source = (HANDLERS / "engine" / "dispatcher.py").read_text("utf-8").splitlines()
    return next(number for number, line in enumerate(source, 1) if line.startswith("HOME ="))
