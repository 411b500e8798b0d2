"""The account: menus, help, onboarding, profile, settings, linking, invites, data deletion."""

from handlers.account import (
    commune_invites,
    deletion,
    help,
    invites,
    linking,
    menu,
    officer_menu,
    onboarding,
    profile,
    settings,
    web_link,
)
from handlers.common import resume
from handlers.engine.feature import Feature

ACCOUNT = Feature(
    name="account",
    flows=(
        menu.flow,
        officer_menu.flow,
        help.flow,
        onboarding.flow,
        profile.flow,
        settings.flow,
        deletion.flow,
        invites.flow,
        invites.accept,
        commune_invites.flow,
        linking.flow,
        resume.flow,  # resuming drafts any feature keeps
        web_link.flow,
    ),
    exporters=(linking.export,),
)
