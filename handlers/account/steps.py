"""Step names of the account feature, one class per flow.

The values are what users' saved conversations hold: never change one.
"""

from typing import Final


class Menu:
    """The main menu (`/menu`, `/huy`)."""

    MAIN: Final = "menu.main"


class Officer:
    """The officers' menu (`/canbo`)."""

    MAIN: Final = "officer.main"


class Help:
    """Help (`/trogiup`)."""

    SHOW: Final = "help.show"


class Onboarding:
    """`/start`: language, consent, each profile field, the summary."""

    START: Final = "onboarding.start"
    CONSENT: Final = "onboarding.consent"
    NAME: Final = "onboarding.name"
    ENTITY_TYPE: Final = "onboarding.entity_type"
    CONTACT_PERSON: Final = "onboarding.contact_person"
    PHONE: Final = "onboarding.phone"
    PROVINCE_CODE: Final = "onboarding.province_code"
    COMMUNE: Final = "onboarding.commune"
    SUMMARY: Final = "onboarding.summary"


class Profile:
    """`/toi`: the producer's profile and the edit of each field."""

    SHOW: Final = "profile.show"
    NAME: Final = "profile.name"
    ENTITY_TYPE: Final = "profile.entity_type"
    CONTACT_PERSON: Final = "profile.contact_person"
    PHONE: Final = "profile.phone"
    PROVINCE_CODE: Final = "profile.province_code"
    COMMUNE: Final = "profile.commune"


class Preferences:
    """`/caidat`: language and reminder settings."""

    SHOW: Final = "preferences.show"
    LANGUAGE: Final = "preferences.language"


class Deletion:
    """`/xoadulieu`: the export of a user's data, then its deletion."""

    EXPORT: Final = "deletion.export"
    CONFIRM: Final = "deletion.confirm"


class Invites:
    """Admins invite officers of a province."""

    PROVINCE: Final = "invites.province"
    STAFF: Final = "invites.staff"


class CommuneInvites:
    """`/moicanboxa`: an officer invites the commune officer of a commune of the province."""

    COMMUNE: Final = "commune_invites.commune"


class InviteAccept:
    """`/macanbo`: an invited officer enters their code."""

    CODE: Final = "invite_accept.code"


class Linking:
    """`/lienket`: linking a Telegram and a Zalo account of one producer."""

    START: Final = "linking.start"
    CODE: Final = "linking.code"
    ENTER: Final = "linking.enter"
    CONFIRM: Final = "linking.confirm"
    NOTIFY: Final = "linking.notify"


class Resume:
    """The `resume` steps."""

    ASK: Final = "resume.ask"
    LATEST: Final = "resume.latest"


class Web:
    """The `web` steps."""

    LINK: Final = "web.link"
