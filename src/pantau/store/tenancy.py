"""Provinces as tenants: which province a row belongs to, and the one place reads are scoped.

A national or regional installation watches several provinces. Each province is a *tenant*,
keyed by its two-digit Kemendagri code ("64" Kalimantan Timur), with its agencies, their users
and watchlists, its sources, and the mentions and issues that are about it. A principal carries
the set of provinces it may see (:attr:`pantau.workflow.permissions.Principal.tenants`, ``None``
for a national one); whoever serves a request enters that set with :func:`scope`, and from then
on every ORM statement of every session in that context is narrowed here, by
:func:`_narrow` (SQLAlchemy's ``with_loader_criteria`` on each ``SELECT``, ``UPDATE`` and
``DELETE``). No page, API route, export or report writes a tenant condition of its own, so
none can forget one: a row of another province is simply not there (a 404, an empty list).

What belongs where, read from the columns a model has (the first rule that applies):

1. ``tenant`` (mentions, issues): the row's province; ``NULL`` is national, seen only by a
   national principal (a national source's post that names no province).
2. ``province`` (agencies, sources): the province it serves, or ``NULL`` for a national agency
   or source, which every principal may see (its posts are placed one by one, rule 1).
3. ``actor_id`` (the audit log): what the province's own people did; users: those of the
   province's agencies (a national user is no province's to see or to administer).
4. ``agency_id``, ``issue_id``, ``source_id``: the agency's, issue's or source's province (a
   row tied to none of them is seen by all: it names no province).

While an installation serves one province, a user of it is treated as national (the guard sees
that their provinces cover every one served): nothing is narrowed, and it works as it always did.

A mention's tenant is its place's province, else its source's (:func:`mention_tenant`); the
tracker clusters each tenant apart (:mod:`pantau.flow.pipeline`), so two provinces' floods
never share an issue. An installation that watches one province keeps working as it did: the
migration files every existing row under the ``province`` setting, and everyone sees it.

>>> mention_tenant(["63.71", "64.72", "64.72.01"], "64", {"63", "64"})
'64'
>>> mention_tenant(["63.71"], "64", {"63", "64"})
'63'
>>> mention_tenant(["31.71"], "64", {"63", "64"}), mention_tenant([], None, {"64"})
('64', None)
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import ColumnElement, event, false, inspect, or_, select, true, union
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from pantau.store.models import Agency, Base, Issue, Source, User

__all__ = [
    "NATIONAL",
    "NATIONAL_WORD",
    "Tenants",
    "current",
    "default_province",
    "effective",
    "known_tenants",
    "mention_tenant",
    "partition_of",
    "province_of",
    "scope",
    "shown_provinces",
    "sole_province",
    "tenant_in",
    "tenant_label",
    "within",
]

logger = logging.getLogger(__name__)

#: The tenant set of a national principal: every province, and rows that belong to none.
NATIONAL = None
#: How people and files name the national tenant (an agency or source of no one province).
NATIONAL_WORD = "nasional"
#: A principal's provinces, or ``None`` (:data:`NATIONAL`) for all of them.
Tenants = frozenset[str] | None

_SCOPE: ContextVar[Tenants] = ContextVar("pantau_tenants", default=NATIONAL)


def province_of(code: str | None) -> str | None:
    """The province (first segment) of a Kemendagri code at any level.

    >>> province_of("64.72.01.2001"), province_of("64"), province_of(None)
    ('64', '64', None)
    """
    return code.split(".", 1)[0] if code else None


def tenant_label(tenant: str | None) -> str:
    """How a tenant is named to people: the province's name, or "nasional"."""
    from pantau.store.regions import region_name

    return region_name(tenant) if tenant else NATIONAL_WORD


def mention_tenant(
    regions: Sequence[str], source_province: str | None, tenants: Collection[str]
) -> str | None:
    """The province a mention belongs to, in this order:

    1. the place it names: the province of its region codes that are tenants here, the most
       named one (a tie goes to the source's province, then to the first named);
    2. its source's province (a post that names no place, or only places nobody here watches);
    3. ``None``, national: a national source's post that names no province here.
    """
    named = [p for p in (province_of(code) for code in regions) if p in tenants]
    if named:
        counts = Counter(named)
        top = max(counts.values())
        best = [p for p in dict.fromkeys(named) if counts[p] == top]
        return source_province if source_province in best else best[0]
    return source_province


def _served(session: Session) -> set[str]:
    agencies = Agency.__table__
    sources = Source.__table__
    return set(
        session.execute(
            union(
                select(agencies.c.province).where(agencies.c.province.is_not(None)),
                select(sources.c.province).where(sources.c.province.is_not(None)),
            )
        ).scalars()
    )


def partition_of(tenant: str | None) -> str:
    """The clustering partition of a mention's or issue's tenant: its province, or the
    national word for ``None``.

    >>> partition_of("64"), partition_of(None)
    ('64', 'nasional')
    """
    return tenant or NATIONAL_WORD


def tenant_in(column: Any, partitions: Collection[str]) -> ColumnElement[bool]:
    """``column`` (a tenant) lies in ``partitions`` (the national word is ``NULL``)."""
    codes = sorted(p for p in partitions if p != NATIONAL_WORD)
    test = column.in_(codes)
    return or_(test, column.is_(None)) if NATIONAL_WORD in partitions else test


def known_tenants(session: Session, home: str) -> frozenset[str]:
    """The provinces this installation serves: those of its agencies and sources, and ``home``
    (the ``province`` setting, so a fresh single-province installation has its tenant)."""
    return frozenset({home, *_served(session)})


def shown_provinces(session: Session, home: str) -> frozenset[str]:
    """The provinces whose regions a form offers: the current scope's, or every one served."""
    tenants = _SCOPE.get()
    return tenants if tenants is not NATIONAL else known_tenants(session, home)


def effective(tenants: Tenants, served: frozenset[str]) -> Tenants:
    """``tenants``, or national when they cover every province the installation serves (then
    there is nothing to narrow: a single-province installation works as it always did).

    >>> kaltim = frozenset({"64"})
    >>> effective(kaltim, frozenset({"64"})), effective(kaltim, frozenset({"63", "64"}))
    (None, frozenset({'64'}))
    """
    return None if tenants is None or tenants >= served else tenants


def sole_province(session: Session) -> str | None:
    """The one province the installation's agencies and sources serve (``None`` when they serve
    none or several): the default for an agency or source added without one."""
    found = _served(session)
    return found.pop() if len(found) == 1 else None


# --- the scope of a request ----------------------------------------------------------------
def current() -> Tenants:
    """The provinces the code running now may see (``None``: national, no narrowing)."""
    return _SCOPE.get()


def within(province: str | None) -> bool:
    """Whether an object of ``province`` (``None``: national) is within the current scope:
    what code that holds no principal (creating a user) checks before it files something."""
    tenants = _SCOPE.get()
    return tenants is NATIONAL or province in tenants


@contextmanager
def scope(tenants: Tenants) -> Iterator[None]:
    """Narrow every ORM statement run inside the block to ``tenants``."""
    token = _SCOPE.set(tenants)
    try:
        yield
    finally:
        _SCOPE.reset(token)


def enter(tenants: Tenants) -> None:
    """Narrow the rest of the current context (a request's task) to ``tenants``.

    For a web request the guard calls this: the context is the request's own, so nothing leaks
    to the next request, and the endpoint (run in a worker thread with a copy of the context)
    and the response's streaming body see the same scope.
    """
    _SCOPE.set(tenants)


def _ids(table: Any, condition: ColumnElement[bool]) -> Any:
    # Core tables, not mapped classes: the narrowing must not narrow its own sub-selects again.
    return select(table.c.id).where(condition)


def _rule(cls: type[Any], tenants: frozenset[str]) -> ColumnElement[bool] | None:
    """The condition a row of ``cls`` must meet to belong to ``tenants`` (None: no rule)."""
    columns = inspect(cls).columns
    names = set(columns.keys())
    if "tenant" in names:
        return columns["tenant"].in_(tenants)
    if "province" in names:
        return or_(columns["province"].in_(tenants), columns["province"].is_(None))
    if "actor_id" in names:
        return columns["actor_id"].in_(_users(tenants))
    if cls is User:  # a national user (no agency, or a national one) is no province's to see
        return columns["id"].in_(_users(tenants))
    agencies = Agency.__table__
    issues = Issue.__table__
    sources = Source.__table__
    conditions = []
    for name, table, belongs in (
        (
            "agency_id",
            agencies,
            or_(agencies.c.province.in_(tenants), agencies.c.province.is_(None)),
        ),
        ("issue_id", issues, issues.c.tenant.in_(tenants)),
        ("source_id", sources, or_(sources.c.province.in_(tenants), sources.c.province.is_(None))),
    ):
        if name in names:
            column = columns[name]
            conditions.append(or_(column.is_(None), column.in_(_ids(table, belongs))))
    if not conditions:
        return None
    return conditions[0] if len(conditions) == 1 else conditions[0] & conditions[1]


def _users(tenants: frozenset[str]) -> Any:
    users = User.__table__
    agencies = Agency.__table__
    return select(users.c.id).where(
        users.c.agency_id.in_(_ids(agencies, agencies.c.province.in_(tenants)))
    )


@cache
def _scoped_classes() -> tuple[type[Any], ...]:
    import pantau.store.all_models  # noqa: F401  (every stage's tables)

    found = []
    for mapper in Base.registry.mappers:
        if _rule(mapper.class_, frozenset({"00"})) is not None:
            found.append(mapper.class_)
    return tuple(sorted(found, key=lambda c: c.__name__))


def scoped_classes() -> tuple[type[Any], ...]:
    """Every model a provincial principal sees only part of (for the documentation and tests)."""
    return _scoped_classes()


def rules(tenants: Iterable[str]) -> dict[type[Any], ColumnElement[bool]]:
    """Each scoped model's condition for ``tenants`` (``false()`` for an empty set)."""
    chosen = frozenset(tenants)
    out: dict[type[Any], ColumnElement[bool]] = {}
    for cls in _scoped_classes():
        rule = _rule(cls, chosen) if chosen else false()
        out[cls] = rule if rule is not None else true()
    return out


@event.listens_for(Session, "do_orm_execute")
def _narrow(state: ORMExecuteState) -> None:
    tenants = _SCOPE.get()
    if tenants is NATIONAL:
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        # a deferred column or a relationship of a row already seen: the row itself was narrowed
        return
    state.statement = state.statement.options(*_options(tenants))


@lru_cache(maxsize=256)
def _options(tenants: frozenset[str]) -> tuple[Any, ...]:
    # built once per set of provinces: the same option objects each time keep SQLAlchemy's
    # statement cache warm (built anew, they cost a provincial query ~5 ms; benchmarks/)
    return tuple(
        with_loader_criteria(cls, condition, include_aliases=True)
        for cls, condition in rules(tenants).items()
    )


def default_province(session: Session) -> str:
    """The province of an agency, source or issue added without one: the province of whoever
    adds it, when that is one; else the one province the installation's agencies and sources
    serve; else the ``province`` setting."""
    from pantau.settings import get_settings

    tenants = _SCOPE.get()
    if tenants is not NATIONAL and len(tenants) == 1:
        return next(iter(tenants))
    return sole_province(session) or get_settings().province


@event.listens_for(Session, "before_flush")
def _file_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    """File a new row added without its province (``None``, national, is a choice, kept):

    - a mention (a published release, an approved comment): its issue's, else its source's;
    - an agency: its region's, else its parent's, else :func:`default_province`;
    - a source: :func:`default_province`;
    - an issue (the tracker's carry theirs; one made by hand): its agency's, else
      :func:`default_province`.
    """
    from pantau.store.models import Mention

    # asked once per flush, not per row: _served reads the flushed tables, which the rows of this
    # flush cannot change, and a 1,000-issue insert asked it 1,000 times (tests/alerts/test_burst)
    fallback: list[str] = []

    def default() -> str:
        if not fallback:
            fallback.append(default_province(session))
        return fallback[0]

    for obj in list(session.new):
        state = inspect(obj).dict
        if isinstance(obj, Mention) and "tenant" not in state:
            issue = session.get(Issue, obj.issue_id) if obj.issue_id is not None else None
            source = session.get(Source, obj.source_id) if obj.source_id is not None else None
            if issue is not None:
                obj.tenant = issue.tenant
            elif source is not None:
                obj.tenant = source.province
        elif isinstance(obj, Agency) and "province" not in state:
            parent = session.get(Agency, obj.parent_id) if obj.parent_id is not None else None
            if obj.region_code:
                obj.province = province_of(obj.region_code)
            elif parent is not None:
                obj.province = parent.province
            else:
                obj.province = default()
        elif isinstance(obj, Source) and "province" not in state:
            obj.province = default()
        elif isinstance(obj, Issue) and "tenant" not in state:
            agency = session.get(Agency, obj.agency_id) if obj.agency_id is not None else None
            obj.tenant = agency.province if agency is not None else default()
