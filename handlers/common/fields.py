"""The producer profile's fields: how each is asked, checked and shown (onboarding and /toi)."""

from __future__ import annotations

from dataclasses import dataclass

import phonenumbers

from handlers.engine.events import Choice, Reply
from handlers.engine.turn import Turn
from messages.text import (
    display_length,
    fold,
    has_letters_or_digits,
    normalize,
    search,
    without_province_prefix,
)
from storage.places import match

LOCALES = ("vi", "en")  # typed words of either language are understood


@dataclass(frozen=True)
class Field:
    """One profile field: its column, the step suffix, and whether typed digits are answers."""

    name: str
    digits_are_text: bool = False


FIELDS = (
    Field("name"),
    Field("entity_type"),
    Field("contact_person"),
    Field("phone", digits_are_text=True),
    Field("province_code"),
    Field("commune"),
)
FIELD_NAMES = tuple(f.name for f in FIELDS)
FIELD_KEYS = {
    "name": "n",
    "entity_type": "t",
    "contact_person": "c",
    "phone": "p",
    "province_code": "v",
    "commune": "x",
}
KEY_FIELDS = {key: name for name, key in FIELD_KEYS.items()}


class Invalid(Exception):
    """An answer that cannot be taken; carries the replies that say why."""

    def __init__(self, *replies: Reply) -> None:
        super().__init__(replies[0].template if replies else "invalid")
        self.replies = list(replies)


async def refusal(turn: Turn, invalid: Invalid) -> list[Reply]:
    """Replies for a refused answer: a narrowed list to pick from, or why and the question."""
    if invalid.replies[-1].choices:
        return invalid.replies  # e.g. the provinces matching what was typed
    return await turn.again(*invalid.replies)


def phone_e164(text: str) -> str | None:
    """A typed Vietnamese phone number in E.164 form, or None if it is not one."""
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException:
        return None
    if (
        not phonenumbers.is_valid_number(number)
        or phonenumbers.region_code_for_number(number) != "VN"
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def clean_name(text: str, limit: int) -> str:
    """A typed name, checked: some letters, not too long."""
    value = normalize(text)
    if not value:
        raise Invalid(Reply(template="profile/need_text"))
    if display_length(value) > limit:
        raise Invalid(
            Reply(
                template="profile/too_long",
                context={"limit": limit, "length": display_length(value)},
            )
        )
    if not has_letters_or_digits(value) or display_length(value) < 2:
        raise Invalid(Reply(template="profile/need_letters"))
    return value


async def question(turn: Turn, field: str, current: str | None = None) -> Reply:
    """The question that asks for one field (with its choices), showing the current value."""
    context: dict[str, object] = {"field": field, "current": current or ""}
    if field == "entity_type":
        kinds = await turn.store.reference.entity_types()
        choices = tuple(Choice(key=f"e:{k.code}", text=k.name(turn.locale)) for k in kinds)
        return Reply(template="profile/ask_entity_type", context=context, choices=choices)
    if field == "province_code":
        provinces = await turn.store.reference.provinces()
        choices = tuple(Choice(key=f"v:{p.code}", text=p.name) for p in provinces)
        return Reply(template="profile/ask_province", context=context, choices=choices, columns=2)
    return Reply(template=f"profile/ask_{field}", context=context)


async def parse(turn: Turn, field: str) -> str:
    """The value of a field from this turn's answer; raises Invalid with the reason."""
    limit = turn.config.max_name_length
    if field == "commune":
        return await _commune(turn, clean_name(turn.text, limit))
    if field in ("name", "contact_person"):
        return clean_name(turn.text, limit)
    if field == "phone":
        value = phone_e164(turn.text)
        if value is None:
            raise Invalid(Reply(template="profile/invalid_phone", context={"typed": turn.text}))
        return value
    if field == "entity_type":
        return await _entity_type(turn)
    if field == "province_code":
        return await _province(turn)
    raise ValueError(field)


async def _entity_type(turn: Turn) -> str:
    """The picked entity type, or the one whose name or usual words were typed ("htx")."""
    if turn.choice and turn.choice.startswith("e:"):
        return turn.choice_arg
    options = []
    for kind in await turn.store.reference.entity_types():
        words = [kind.name("vi"), kind.name("en")]
        for locale in LOCALES:
            typed = turn.renderer.label(locale, f"entity_words.{kind.code}")
            words.extend(word.strip() for word in typed.split(",") if word.strip())
        options.append((kind.code, tuple(words)))
    found = search(turn.text, options)
    if len(found) == 1:
        return found[0]
    raise Invalid(Reply(template="errors/pick_a_choice"))


def as_written(turn: Turn) -> str:
    """The answer of this turn as the person wrote it (spaces tidied, length capped)."""
    return clean_name(turn.text, turn.config.max_name_length)


async def _commune(turn: Turn, typed: str) -> str:
    """The official name of the commune or ward typed ("xa cau ke" → "Xã Cầu Kè") when the
    province has exactly one such place; else the text as typed (officers see it unplaced)."""
    draft = await turn.store.conversations.draft(turn.user.id, "onboarding") or {}
    code = draft.get("province_code")
    if not code and turn.user.producer_id is not None:
        producer = await turn.store.users.producer(turn.user.producer_id)
        code = producer.province_code if producer else None
    province = await turn.store.reference.province(code) if code else None
    found = match(province.name, typed) if province else []
    return found[0][1] if len(found) == 1 else typed


async def _province(turn: Turn) -> str:
    if turn.choice and turn.choice.startswith("v:"):
        return turn.choice_arg
    provinces = await turn.store.reference.provinces()
    options = [(p.code, (p.name, *p.former)) for p in provinces]
    found = search(turn.text, options) or search(without_province_prefix(turn.text), options)
    if len(found) == 1:
        return found[0]
    if not found:
        raise Invalid(Reply(template="profile/province_not_found", context={"typed": turn.text}))
    by_code = {p.code: p for p in provinces}
    choices = tuple(Choice(key=f"v:{code}", text=by_code[code].name) for code in found)
    raise Invalid(
        Reply(
            template="profile/province_ambiguous",
            context={"typed": turn.text},
            choices=choices,
            columns=2,
        )
    )


async def former_typed(turn: Turn, field: str, value: str) -> str | None:
    """The former (pre-2025) province a typed province answer named ("tra vinh"), if any."""
    if field != "province_code" or turn.choice:
        return None
    province = await turn.store.reference.province(value)
    typed = fold(turn.text)
    if province is None or not typed or typed in fold(province.name):
        return None
    return next((name for name in province.former if typed in fold(name)), None)


async def notes(turn: Turn, field: str, value: str) -> list[Reply]:
    """What to say about an accepted answer: a former province name, merged or only renamed."""
    former = await former_typed(turn, field, value)
    province = await turn.store.reference.province(value) if former else None
    if former is None or province is None:
        return []
    return [Reply(template="profile/province_merged",
                  context={"former": former, "name": province.name,
                           "merged": former not in province.aliases})]


async def shown(turn: Turn, values: dict[str, str]) -> dict[str, str]:
    """Field values as a person reads them (entity and province names, not codes)."""
    result = dict(values)
    if code := values.get("entity_type"):
        kind = await turn.store.reference.entity_type(code)
        result["entity_type"] = kind.name(turn.locale) if kind else code
    if code := values.get("province_code"):
        province = await turn.store.reference.province(code)
        result["province_code"] = province.name if province else code
    return result
