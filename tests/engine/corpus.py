"""The corpus of typed messages (sentences.tsv) and the screens they are typed at.

Each line: screen, message, meaning. A meaning is `choice:<key>`, `command:<name>`,
`leave`, `answer` (the step's own answer), `ask` (the bot asks which was meant),
`greeting`, `home`, or `refuse` (a polite "not understood").
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from handlers import FEATURES
from handlers.engine.events import InputKind
from handlers.engine.feature import build_registry
from handlers.engine.reading import Reading, read
from handlers.engine.turn import CHOICES_ONLY, FILES, TEXT, Step
from messages import Renderer
from messages.answers import sense_of
from messages.text import normalize
from storage.models import ConversationState, OfferedChoice, Role

CORPUS = Path(__file__).with_name("sentences.tsv")
ITEMS = Path(__file__).parents[2] / "storage" / "data" / "dossier_items.json"


@dataclass(frozen=True)
class Screen:
    """What the person sees when typing: the step and the choices it offers."""

    step: Step
    state: ConversationState


@dataclass(frozen=True)
class Line:
    """One corpus message and the meaning it has."""

    screen: str
    text: str
    meaning: str


def _step(name: str, accepts: frozenset[InputKind]) -> Step:
    async def nothing(_: object) -> list[object]:
        return []

    return Step(name=name, ask=nothing, answer=nothing, accepts=accepts,  # type: ignore[arg-type]
                role=Role.PRODUCER, needs_profile=False, digits_are_text=False)


def _offered(pairs: list[tuple[str, str]], renderer: Renderer) -> list[OfferedChoice]:
    """Choices by (key, label key); a label starting with "=" is literal text."""
    return [
        OfferedChoice(key=key, words=(label[1:],), sense=None)
        if label.startswith("=")
        else OfferedChoice(key=key, words=(renderer.label("vi", label),), sense=sense_of(label))
        for key, label in pairs
    ]


@cache
def screens() -> dict[str, Screen]:
    """The screens the corpus is typed at, with the words the bot shows on them."""
    r = Renderer()
    items = json.loads(ITEMS.read_text("utf-8"))
    menu = [("m:reg", "menu.register_product"), ("m:prod", "menu.my_products"),
            ("m:dl", "menu.deadlines"), ("m:tr", "menu.trainings"),
            ("m:ann", "menu.announcements"), ("m:me", "menu.profile"),
            ("m:set", "menu.settings"), ("m:help", "menu.help")]
    summary = [("sm:ok", "products.submit"), ("sm:chk", "=📋 Giấy tờ hồ sơ (3/12)"),
               *((f"sm:{s}", f"products.edit_{s}")
                 for s in ("name", "group", "kind", "desc", "material", "origin", "photos")),
               ("sm:later", "products.later")]
    checklist = [(f"i:{i['code']}", f"=⬜ {i['name_vi']}") for i in items]
    table: dict[str, tuple[str, frozenset[InputKind], list[tuple[str, str]]]] = {
        "menu": ("menu.main", CHOICES_ONLY, menu),
        "text": ("products.material", TEXT, []),
        "photos": ("products.photos", FILES, [("ph:done", "products.photos_skip")]),
        "consent": ("onboarding.consent", CHOICES_ONLY,
                    [("c:yes", "consent.yes"), ("c:no", "consent.no")]),
        "delete": ("deletion.confirm", CHOICES_ONLY,
                   [("d:yes", "deletion.confirm"), ("d:no", "deletion.keep")]),
        "language": ("preferences.language", CHOICES_ONLY,
                     [("l:vi", "language.vi"), ("l:en", "language.en")]),
        "summary": ("products.summary", CHOICES_ONLY, summary),
        "checklist": ("dossier.checklist", CHOICES_ONLY, [*checklist, ("i:back", "common.back")]),
        "item": ("dossier.item", FILES,
                 [("m:paper", "dossier.on_paper"), ("m:back", "dossier.back_to_list")]),
    }
    return {
        name: Screen(_step(step, accepts), ConversationState(step=step, offered=_offered(c, r)))
        for name, (step, accepts, c) in table.items()
    }


@cache
def command_names() -> frozenset[str]:
    """The commands of the running features."""
    return frozenset(build_registry(FEATURES).commands)


def lines() -> list[Line]:
    """Every corpus line."""
    with CORPUS.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.reader(f, delimiter="\t") if r and not r[0].startswith("#")]
    return [Line(screen, text, meaning) for screen, text, meaning in rows]


def meaning(reading: Reading) -> str:
    """What the bot took the message for, in the corpus's words."""
    if reading.choice is not None:
        return f"choice:{reading.choice}"
    if reading.command is not None:
        return f"command:{reading.command}"
    for name in ("leave", "answer", "greeting", "home"):
        if getattr(reading, name):
            return name
    return "ask" if reading.question or reading.asked else "refuse"


def read_line(line: Line) -> str:
    """Read one corpus message at its screen."""
    screen = screens()[line.screen]
    return meaning(read(normalize(line.text), screen.state, screen.step, command_names()))
