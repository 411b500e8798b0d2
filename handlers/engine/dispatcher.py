"""The one entry point for every channel: order per user, one transaction, checked choices."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from handlers.engine.config import HandlerConfig
from handlers.engine.events import Incoming, InputKind, Outcome, Reply
from handlers.engine.feature import Feature, build_registry
from handlers.engine.gates import allowed, not_expected, offers
from handlers.engine.locks import KeyedLocks
from handlers.engine.newcomers import Newcomers
from handlers.engine.pause import keep_unfinished, leave
from handlers.engine.reading import KEEP, LEAVE, STAY, WHICH, Reading, read
from handlers.engine.recent import RecentKeys
from handlers.engine.turn import Step, Turn, with_config_role
from messages import Renderer
from messages.answers import is_thanks, sense_of
from messages.render import command_aliases
from messages.text import normalize
from storage import Database, DatabaseBusy, Store
from storage.models import ConversationState, OfferedChoice, Role

log = logging.getLogger(__name__)

HOME = "menu.main"
HANDLED_MEMORY = 50_000  # update keys handled by this process, remembered in memory
TYPED = "_typed"  # flow data: a message kept while the bot asks whether it was the answer
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


class Dispatcher:
    """Turns one `Incoming` into replies, with its effects committed in one transaction."""

    def __init__(
        self,
        db: Database,
        config: HandlerConfig,
        renderer: Renderer,
        clock: Clock = utc_now,
        *,
        features: Sequence[Feature],
    ) -> None:
        self._registry = build_registry(features)
        self._db = db
        self._config = config
        self._renderer = renderer
        self._clock = clock
        self._locks = KeyedLocks()
        self._newcomers = Newcomers(db)
        self._handled_here = RecentKeys(HANDLED_MEMORY)  # older keys are in the database

    async def handle(self, event: Incoming, *, resume: bool = False) -> Outcome:
        """Handle one update; a re-delivered update is recognised and changes nothing.

        `resume` (a chat opened again, e.g. the terminal restarted): a user who has begun
        gets the question of the step they were on; a newcomer's message is handled as sent.
        """
        event = event.model_copy(update={"text": normalize(event.text)})
        person = f"{event.channel}:{event.external_id}"
        async with self._locks.hold(person):
            try:
                now = self._clock()
                if event.update_key not in self._handled_here:  # not a duplicate
                    await self._newcomers.admit(event, now)
                # The whole turn is one transaction, retried whole while another program
                # holds the database's write lock (nothing of a failed attempt is kept); on
                # a shared server it holds the person's lock, so other workers wait for it.
                outcome = await self._db.run(
                    lambda store: self._handle(event, store, now, resume), chat=person)
            except DatabaseBusy:
                log.warning("update %s: database still busy, asked to resend", event.update_key)
                return await self._busy(event)
            except Exception:
                log.exception("update %s failed", event.update_key)
                return await self._failed(event)
            self._remember(event.update_key)
            return outcome

    async def already_handled(self, update_key: str | None) -> bool:
        """Whether an update was handled before, here or by an earlier run (a replay)."""
        if not update_key:
            return False
        if update_key in self._handled_here:
            return True
        async with self._db.reading() as store:
            return await store.conversations.was_handled(update_key)

    async def _handle(
        self, event: Incoming, store: Store, now: datetime, resume: bool = False
    ) -> Outcome:
        start = await store.turns.start(
            event.update_key, event.channel, event.external_id, event.chat_id, now)
        redelivered = not start.first_delivery
        if redelivered and event.update_key in self._handled_here:
            return Outcome(duplicate=True, chat_id=event.chat_id)
        user = with_config_role(start.user, self._config)
        state = start.state
        turn = Turn(
            event=event,
            store=store,
            user=user,
            step=state.step,
            data=dict(state.data),
            now=now,
            config=self._config,
            renderer=self._renderer,
            registry=self._registry,
        )
        # an officer granted before writing has nothing to register: the menu is their step
        begun = user.consent_at is not None or state.step != HOME or user.is_officer
        if redelivered or (resume and begun):
            # Handled before a restart: its effects are kept, but its reply may have been
            # lost with the old process, so the current question is asked again (and so it
            # is when a chat is opened again on a step begun before).
            replies, toast = await turn.again(), None
        else:
            replies, toast = await self._route(turn, state)
        new_state = self._next_state(turn, state, replies)
        await store.conversations.save_state(turn.user.id, new_state, now)
        return Outcome(
            replies=replies,
            locale=turn.user.locale,
            chat_id=turn.user.chat_id,
            menu_version=new_state.menu_version,
            toast=toast,
        )

    async def _busy(self, event: Incoming) -> Outcome:
        """Ask the user to resend: the database stayed locked, nothing of the update was kept."""
        locale, menu_version = "vi", 0
        try:  # a read needs no write lock, so the user's language is known even now
            async with self._db.reading() as store:
                user = await store.users.find(event.channel, event.external_id)
                if user is not None:
                    locale = user.locale
                    menu_version = (await store.conversations.state_of(user.id)).menu_version
        except Exception:
            log.warning("update %s: could not read the user's language", event.update_key)
        return Outcome(
            replies=[Reply(template="errors/busy")],
            locale=locale,
            chat_id=event.chat_id,
            menu_version=menu_version,
        )

    def _remember(self, update_key: str | None) -> None:
        """Note an update handled by this process (bounded; older keys are in the database)."""
        if update_key is None:
            return
        self._handled_here.add(update_key)

    async def _failed(self, event: Incoming) -> Outcome:
        """Record a failing update as handled (so it is not retried forever) and apologise."""
        now = self._clock()
        user, state = None, ConversationState()
        try:
            async with self._db.transaction() as store:
                if event.update_key:
                    await store.conversations.claim_update(event.update_key, now)
                user = await store.users.find(event.channel, event.external_id)
                state = await store.conversations.state_of(user.id) if user else state
        except Exception:  # the apology goes out all the same: the update is answered
            log.exception("update %s: could not record the failure", event.update_key)
        return Outcome(
            replies=[Reply(template="errors/generic")],
            locale=user.locale if user else "vi",
            chat_id=event.chat_id,
            menu_version=state.menu_version,
        )

    async def _route(self, turn: Turn, state: ConversationState) -> tuple[list[Reply], str | None]:
        event = turn.event
        steps = self._registry.steps
        step = steps.get(turn.step) or steps[HOME]
        reading = Reading()
        if event.kind is InputKind.TEXT:
            reading = read(event.text, state, step, self._registry.commands.keys())
            if reading.command is not None:
                return await self._command(turn, reading.command), None
            if reading.home:
                await keep_unfinished(turn)
                return await turn.goto(HOME), None
            if reading.leave:
                return await leave(turn, HOME), None
        if (refusal := await self._refusal(turn, step)) is not None:
            return refusal, None
        if event.kind is InputKind.CHOICE:
            if event.menu_version != state.menu_version or not offers(state, event.choice):
                if (
                    event.choice == state.last_choice
                    and event.menu_version == state.menu_version - 1
                ):
                    return [], "toast.already_done"  # a second quick tap on the same button
                return await turn.again(Reply(template="errors/stale_menu")), "toast.stale"
            turn.choice = event.choice
        elif event.kind is InputKind.TEXT:
            if reading.asked:
                return await turn.again(*reading.asked), None
            if reading.question:
                if reading.keep_typed:  # kept with the question, for "save it as typed"
                    turn.data[TYPED] = event.text
                return list(reading.question), None
            if reading.greeting:
                return await self._greeting(turn), None
            turn.choice = reading.choice
        typed = str(turn.data.pop(TYPED, ""))
        if turn.choice is not None and turn.choice.startswith((WHICH, STAY, LEAVE, KEEP)):
            if turn.choice.startswith(WHICH):  # the reading the bot asked about
                return await self._command(turn, turn.choice.removeprefix(WHICH)), None
            if turn.choice == LEAVE:
                return await leave(turn, HOME), None
            if turn.choice == KEEP and typed and step.answer is not None:
                turn.choice = None
                turn.event = event.model_copy(update={"kind": InputKind.TEXT, "text": typed})
                return await step.answer(turn), None
            return await turn.again(), None
        if turn.choice is None and event.kind not in step.accepts:
            typed_in = {"typed": event.text} if event.kind is InputKind.TEXT else {}
            refused = Reply(template=not_expected(event.kind, state), context=typed_in)
            return await turn.again(refused), None
        if step.answer is None:
            return await turn.again(), None
        return await step.answer(turn), None

    async def _greeting(self, turn: Turn) -> list[Reply]:
        """Greet back warmly, then ask the current question (a newcomer starts registering)."""
        known = turn.user.producer_id is not None or turn.user.is_officer
        if not known and turn.step == HOME:
            return await self._command(turn, "start")
        context = {"known": known, "thanks": is_thanks(turn.text)}
        return await turn.again(Reply(template="menu/hello", context=context))

    async def _refusal(self, turn: Turn, step: Step) -> list[Reply] | None:
        if step.role is not Role.PRODUCER and not allowed(turn, step.role):
            await turn.store.audit.record(turn.user.address, "denied", turn.now, subject=step.name)
            return [Reply(template="errors/forbidden"), *await turn.goto(HOME)]
        if step.needs_profile and turn.user.producer_id is None:
            officers = self._registry.commands.get("canbo")
            if turn.user.is_officer and officers is not None:  # never told to register
                return [Reply(template="errors/producers_only"), *await turn.goto(officers.step)]
            return [Reply(template="errors/profile_needed"), *await turn.goto(HOME)]
        return None

    async def _command(self, turn: Turn, name: str) -> list[Reply]:
        command = self._registry.commands.get(name)
        kept = await keep_unfinished(turn)  # leaving a broadcast or round half made: kept
        if command is not None and command.cancels:
            return [Reply(template="menu/cancelled", context={"kept": kept or ""}),
                    *await turn.goto(HOME)]
        if command is None:
            if name in command_aliases():  # a known word whose feature has not landed yet
                return [Reply(template="menu/coming_soon"), *await turn.goto(HOME)]
            unknown = Reply(template="errors/unknown_command", context={"command": name})
            return [unknown, *await turn.goto(HOME)]
        target = command.step
        if command.officers and turn.user.is_officer and turn.user.producer_id is None:
            target = command.officers  # "tập huấn" typed by an officer: the officer's side
        if (refusal := await self._refusal(turn, self._registry.steps[target])) is not None:
            return refusal
        return await turn.goto(target)

    def _next_state(
        self, turn: Turn, old: ConversationState, replies: list[Reply]
    ) -> ConversationState:
        # Every choice of this answer's messages, numbered in order across them.
        offering = [choice for reply in replies for choice in reply.choices]
        version = old.menu_version
        offered: list[OfferedChoice] = []
        if offering:
            version += 1
            offered = [
                OfferedChoice(
                    key=c.key,
                    words=(c.text,)
                    if c.text is not None
                    else (self._renderer.label(turn.locale, c.label, **c.context),),
                    sense=None if c.text is not None else sense_of(c.label),
                )
                for c in offering
            ]
        elif not replies:
            offered = old.offered  # a silent answer (a repeated tap) keeps the menu alive
        elif old.offered:
            version += 1  # the buttons shown before are withdrawn: a second tap is recognised
        return ConversationState(
            step=turn.step,
            data=turn.data,
            offered=offered,
            menu_version=version,
            last_choice=turn.choice if turn.event.kind is InputKind.CHOICE else old.last_choice,
        )
