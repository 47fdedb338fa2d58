"""The one permission check that every page and API endpoint goes through.

An action maps each role to a *scope*: ``all`` (anywhere in the province), ``own`` (only objects
of the user's own agency, or objects that belong to no agency yet), or nothing. Later stages add
their actions to :data:`ACTIONS` instead of writing checks of their own.

>>> analyst = Principal(id=1, username="rina", role="analis", agency_id=3)
>>> allowed(analyst, "issue.view")
True
>>> allowed(analyst, "issue.update", agency_id=4)
False
>>> allowed(analyst, "issue.update", agency_id=3)
True
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ACTIONS",
    "PermissionDenied",
    "Principal",
    "ScopeDenied",
    "allowed",
    "authorize",
    "scope_allows",
]

ALL = "all"
OWN = "own"

#: action -> {role: scope}. A role absent from an action may not do it at all.
ACTIONS: dict[str, dict[str, str]] = {
    # reading: the network shares one picture of the province
    "dashboard.view": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    "issue.view": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    "mention.search": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    "mention.export": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    "report.view": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    # reports stage: anyone may receive the reports by e-mail (their own subscription)
    "report.subscribe": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    # changing issues: coordinators anywhere, analysts within their agency
    "issue.update": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    # correcting the machine's grouping: merge, split, move mentions, dismiss, rename
    "issue.correct": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    "watchlist.manage": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    # administration
    "source.manage": {"admin": ALL},
    "quarantine.manage": {"admin": ALL, "koordinator": ALL},
    "user.manage": {"admin": ALL},
    "agency.manage": {"admin": ALL},
    "audit.view": {"admin": ALL, "koordinator": ALL},
    # the province's crisis SOP: the administrator and the coordinator (Kabid IKP) who owns it
    "playbook.manage": {"admin": ALL, "koordinator": ALL},
    # citizens' NIK, phones, e-mails, plates and bank accounts in clear (UU PDP 27/2022): no
    # one needs them to monitor issues, so only the administrator who answers a data subject's
    # request (find, erase) or a court order may see them; every such view is audited
    "pii.view": {"admin": ALL},
    # access: everyone keeps their own API tokens; operations figures are for administrators
    "token.manage": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    "metrics.view": {"admin": ALL},
    # --- workflow (issue 6): statuses, claims, handoffs, comments, actions, escalation --------
    "issue.triage": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    "issue.handle": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    "issue.monitor": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    "issue.close": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    "issue.reopen": {"admin": ALL, "koordinator": ALL},
    "issue.assign": {"admin": ALL, "koordinator": ALL},
    "issue.claim": {"koordinator": ALL, "analis": OWN},
    "issue.handover": {"koordinator": ALL, "analis": OWN},
    "issue.handoff": {"koordinator": ALL, "analis": OWN},
    "issue.act": {"koordinator": ALL, "analis": OWN},
    "issue.escalate": {"koordinator": ALL, "analis": OWN},
    # the network talks together: anyone may comment and follow, internal notes stay in-agency
    "issue.comment": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    "issue.subscribe": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    "notification.view": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    # --- alerts (issue 6) ---------------------------------------------------------------------
    "alert.manage": {"admin": ALL, "koordinator": ALL},
    "alert.deadletter": {"admin": ALL},
    # --- writing desk (issue 8): documents, versions, review flow --------------------------
    "document.view": {"admin": ALL, "koordinator": ALL, "analis": ALL, "pimpinan": ALL},
    "document.edit": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    "document.submit": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    "document.approve": {"admin": ALL, "koordinator": ALL},
    "document.publish": {"admin": ALL, "koordinator": ALL},
    # --- newsroom: citizens' comments on a release wait for its agency's moderation ---------
    "comment.moderate": {"admin": ALL, "koordinator": ALL, "analis": OWN},
    "media.manage": {"admin": ALL, "koordinator": ALL, "analis": OWN},
}


#: Action-name endings a ``read`` token may attempt.
READ_SUFFIXES = (".view", ".search", ".export")


@dataclass(frozen=True)
class Principal:
    """Who is asking: a logged-in user, or a user's API token limited to ``scopes``."""

    id: int
    username: str
    role: str
    agency_id: int | None = None
    full_name: str = ""
    scopes: frozenset[str] | None = None  # None: a person's session, no narrowing
    #: The provinces (tenants) it sees and acts in, ``None`` for a national principal: a user of
    #: a provincial agency sees that province alone (see :mod:`pantau.store.tenancy`).
    tenants: frozenset[str] | None = None

    @property
    def national(self) -> bool:
        """Whether it sees every province (a national agency's user, or one with no agency)."""
        return self.tenants is None

    def covers(self, province: str | None) -> bool:
        """Whether an object of ``province`` (``None``: national) is within its reach.

        >>> kaltim = Principal(id=2, username="dewi", role="admin", tenants=frozenset({"64"}))
        >>> kaltim.covers("64"), kaltim.covers("63"), kaltim.covers(None)
        (True, False, False)
        """
        return self.tenants is None or province in self.tenants

    def require(self, action: str, *, agency_id: int | None = None) -> None:
        """Raise :class:`PermissionDenied` unless this principal may do ``action``."""
        authorize(self, action, agency_id=agency_id)


def scope_allows(scopes: frozenset[str], action: str) -> bool:
    """Whether an API token with ``scopes`` may attempt ``action`` (its role is checked apart).

    ``read`` covers the reading actions, ``write`` all but token management (a leaked token
    must not mint successors), ``metrics`` only the operations figures.

    >>> read = frozenset({"read"})
    >>> scope_allows(read, "issue.view"), scope_allows(read, "issue.update")
    (True, False)
    >>> scope_allows(frozenset({"write"}), "token.manage")
    False
    """
    if action == "token.manage":
        return False
    if action == "metrics.view":
        return "metrics" in scopes
    if "write" in scopes:
        return True
    return "read" in scopes and action.endswith(READ_SUFFIXES)


class PermissionDenied(PermissionError):
    """The principal may not do this; the message says which action and why."""

    def __init__(self, principal: Principal, action: str, agency_id: int | None) -> None:
        where = "" if agency_id is None else f" pada instansi #{agency_id}"
        super().__init__(f"peran {principal.role!r} tidak berhak melakukan {action!r}{where}")
        self.action = action


class ScopeDenied(PermissionDenied):
    """The API token's scopes do not cover the action (the user's role might)."""

    def __init__(self, principal: Principal, action: str, agency_id: int | None) -> None:
        PermissionError.__init__(
            self, f"token API ini tidak mencakup {action!r}; buat token dengan cakupan yang sesuai"
        )
        self.action = action


def allowed(principal: Principal, action: str, *, agency_id: int | None = None) -> bool:
    """Whether ``principal`` may do ``action`` on an object owned by ``agency_id``."""
    try:
        scopes = ACTIONS[action]
    except KeyError:
        raise KeyError(f"unknown action {action!r}: add it to ACTIONS") from None
    if principal.scopes is not None and not scope_allows(principal.scopes, action):
        return False
    scope = scopes.get(principal.role)
    if scope == ALL:
        return True
    if scope == OWN:
        return agency_id is None or agency_id == principal.agency_id
    return False


def authorize(principal: Principal, action: str, *, agency_id: int | None = None) -> None:
    """Raise :class:`PermissionDenied` (:class:`ScopeDenied` for a token) unless :func:`allowed`."""
    if not allowed(principal, action, agency_id=agency_id):
        if principal.scopes is not None and not scope_allows(principal.scopes, action):
            raise ScopeDenied(principal, action, agency_id)
        raise PermissionDenied(principal, action, agency_id)
