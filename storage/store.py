"""The unit of work handed to handlers: every repository on one transaction."""

from __future__ import annotations

import aiosqlite

from storage.assessments import AssessmentsRepo
from storage.audience import AudienceRepo
from storage.audit import AuditRepo
from storage.broadcasts import BroadcastsRepo
from storage.catalog import CatalogRepo
from storage.certifications import CertificationsRepo
from storage.channel_usage import ChannelUsageRepo
from storage.claiming import ClaimingRepo
from storage.code_failures import CodeFailuresRepo
from storage.communes import CommunesRepo
from storage.conversations import ConversationsRepo
from storage.criteria import CriteriaRepo
from storage.existing import ExistingRepo
from storage.figures import FiguresRepo
from storage.invites import InvitesRepo
from storage.leases import LeasesRepo
from storage.linking import LinkingRepo
from storage.official import OfficialRecordsRepo
from storage.outbox import OutboxRepo
from storage.outbox_health import OutboxHealthRepo
from storage.places import PlacesRepo
from storage.products import ProductsRepo
from storage.reference import ReferenceRepo
from storage.reminders import RemindersRepo
from storage.reply_keyboards import ReplyKeyboardsRepo
from storage.revocations import RevocationsRepo
from storage.rounds import RoundsRepo
from storage.rules import RulesRepo
from storage.send_pace import SendPaceRepo
from storage.targets import TargetsRepo
from storage.trainings import TrainingsRepo
from storage.turns import TurnsRepo
from storage.users import UsersRepo
from storage.web_sessions import WebSessionsRepo


class Store:
    """Repositories sharing the connection of the transaction in progress."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self.users = UsersRepo(conn)
        self.conversations = ConversationsRepo(conn)
        self.turns = TurnsRepo(conn)
        self.reference = ReferenceRepo(conn)
        self.audit = AuditRepo(conn)
        self.outbox = OutboxRepo(conn)
        self.outbox_health = OutboxHealthRepo(conn)
        self.linking = LinkingRepo(conn)
        self.broadcasts = BroadcastsRepo(conn)
        self.audience = AudienceRepo(conn)
        self.reminders = RemindersRepo(conn)
        self.rounds = RoundsRepo(conn)
        self.trainings = TrainingsRepo(conn)
        self.catalog = CatalogRepo(conn)
        self.products = ProductsRepo(conn)
        self.certifications = CertificationsRepo(conn)
        self.invites = InvitesRepo(conn)
        self.code_failures = CodeFailuresRepo(conn)
        self.existing = ExistingRepo(conn)
        self.claiming = ClaimingRepo(conn)
        self.figures = FiguresRepo(conn)
        self.targets = TargetsRepo(conn)
        self.web_sessions = WebSessionsRepo(conn)
        self.criteria = CriteriaRepo(conn)
        self.assessments = AssessmentsRepo(conn)
        self.channel_usage = ChannelUsageRepo(conn)
        self.reply_keyboards = ReplyKeyboardsRepo(conn)
        self.rules = RulesRepo(conn)
        self.revocations = RevocationsRepo(conn)
        self.official = OfficialRecordsRepo(conn)
        self.communes = CommunesRepo(conn)
        self.places = PlacesRepo(conn)
        self.leases = LeasesRepo(conn)
        self.send_pace = SendPaceRepo(conn)
