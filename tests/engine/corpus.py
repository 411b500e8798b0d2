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
HELD_OUT = Path(__file__).with_name("held_out.tsv")  # written before the reader was tuned to it
FRESH = Path(__file__).with_name("fresh.tsv")  # written after the reader's last change
BLIND = Path(__file__).with_name("blind.tsv")  # written before the reader was last changed
ITEMS = Path(__file__).parents[2] / "storage" / "data" / "dossier_items.json"
GROUPS = ITEMS.with_name("product_groups.json")


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


DIGITS = frozenset({"products.name", "claims.verify", "figures.target"})  # digits are text


def _step(name: str, accepts: frozenset[InputKind]) -> Step:
    async def nothing(_: object) -> list[object]:
        return []

    digits = name in DIGITS
    return Step(name=name, ask=nothing, answer=nothing, accepts=accepts,  # type: ignore[arg-type]
                role=Role.PRODUCER, needs_profile=False, digits_are_text=digits)


def _offered(
    pairs: list[tuple[str, str]], renderer: Renderer, locale: str = "vi"
) -> list[OfferedChoice]:
    """Choices by (key, label key); a label starting with "=" is literal text."""
    return [
        OfferedChoice(key=key, words=(label[1:],), sense=None)
        if label.startswith("=")
        else OfferedChoice(key=key, words=(renderer.label(locale, label),), sense=sense_of(label))
        for key, label in pairs
    ]


ScreenTable = dict[str, tuple[str, frozenset[InputKind], list[tuple[str, str]]]]


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
    table: ScreenTable = {
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
    table.update(_more_screens(menu))
    return {
        name: Screen(
            _step(step, accepts),
            ConversationState(step=step, offered=_offered(c, r, "en" if name.endswith("_en")
                                                          else "vi")),
        )
        for name, (step, accepts, c) in table.items()
    }



def _more_screens(menu: list[tuple[str, str]]) -> ScreenTable:
    """Registration steps, rounds, trainings, the claim and the officers' screens."""
    groups = json.loads(GROUPS.read_text("utf-8"))
    officer = [("o:bc", "officer.broadcast"), ("o:bcl", "officer.broadcasts"),
               ("o:rev", "officer.review"), ("o:res", "officer.results"),
               ("o:xa", "officer.communes"), ("o:ixa", "officer.commune_invite"),
               ("o:rnd", "officer.rounds"), ("o:trn", "officer.trainings"),
               ("o:fig", "figures.menu"), ("o:web", "officer.web"), ("o:staff", "officer.staff"),
               ("o:back", "common.back")]
    figures = [("f:commune", "figures.commune"), ("f:group", "figures.group"),
               ("f:former", "figures.former"), ("f:year", "figures.year"),
               ("f:target", "figures.target"), ("f:report", "figures.report"),
               ("f:monthly_on", "figures.monthly_on"), ("f:coach", "assessment.coach"),
               ("f:back", "figures.back")]
    return {
        "menu_en": ("menu.main", CHOICES_ONLY, menu),
        "name": ("products.name", TEXT, []),
        "origin": ("products.origin", TEXT, []),
        "group": ("products.group", CHOICES_ONLY,
                  [(f"g:{g['code']}", f"={g['name_vi']}") for g in groups]),
        "kind": ("products.kind", CHOICES_ONLY,
                 [(f"k:{k}", f"product_kind.{k}") for k in ("first", "rerating", "upgrade")]),
        "rounds": ("rounds.deadlines", CHOICES_ONLY,
                   [("e:1", "=➕ Đăng ký sản phẩm vào Đợt 1/2027"), ("b:menu", "common.to_menu")]),
        "trainings": ("trainings.upcoming", CHOICES_ONLY,
                      [("t:5", "=Kỹ thuật đóng gói sản phẩm (15/01/2027)"),
                       ("t:6", "=Xây dựng câu chuyện sản phẩm (20/01/2027)"),
                       ("t:mine", "trainings.mine"), ("t:menu", "common.to_menu")]),
        "training": ("trainings.view", CHOICES_ONLY,
                     [("en", "trainings.enrol"), ("v:back", "common.back")]),
        "claim": ("claims.verify", TEXT, [("v:code", "claims.have_code"),
                                          ("v:officer", "claims.ask_officer"),
                                          ("k:back", "common.to_menu")]),
        "officer": ("officer.main", CHOICES_ONLY, officer),
        "review": ("review.open", CHOICES_ONLY,
                   [("ra:files", "=📎 Xem giấy tờ đã gửi (3)"), ("ra:ok", "review.accept"),
                    ("ra:ret", "review.return"), ("ra:back", "review.back_to_queue")]),
        "target": ("figures.target", TEXT,
                   [("y:2026", "=📅 Năm 2026"), ("t:back", "common.back")]),
        "figures": ("figures.main", CHOICES_ONLY, figures),
    }


@cache
def command_names() -> frozenset[str]:
    """The commands of the running features."""
    return frozenset(build_registry(FEATURES).commands)


def lines(path: Path = CORPUS) -> list[Line]:
    """Every line of a corpus file."""
    with path.open(encoding="utf-8", newline="") as f:
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
