"""The one settings registry: every tunable with its type, default, help text and env variable.

Settings are read from ``PANTAU_<NAME>`` environment variables (upper case), falling back to the
default. Secrets may also come from a file named by ``PANTAU_<NAME>_FILE``. ``pantau settings``
prints the registry; a test checks that each entry is documented.

>>> s = Settings.from_env({"PANTAU_TIMEZONE": "Asia/Jakarta"})
>>> s.timezone
'Asia/Jakarta'
>>> Settings.from_env({}).locale
'id'
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["REGISTRY", "Setting", "Settings", "SettingsError", "get_settings", "setting"]

#: Where links point when ``base_url`` is unset and no server address is known: the address
#: ``pantau serve`` listens on by default.
DEFAULT_PUBLIC_URL = "http://127.0.0.1:8000"
#: Listening addresses that mean "every interface"; links then name the host instead.
WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})  # noqa: S104 (compared, never bound)


class SettingsError(ValueError):
    """A setting's value cannot be used; the message names the variable and the problem."""


def _parse_bool(raw: str) -> bool:
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "ya", "on"}:
        return True
    if value in {"0", "false", "no", "tidak", "off", ""}:
        return False
    raise ValueError(f"expected true/false, got {raw!r}")


def _parse_float_map(raw: str) -> dict[str, float]:
    """Parse ``a=1.0,b=2`` into a dict (used for risk weights)."""
    out: dict[str, float] = {}
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        key, sep, val = part.partition("=")
        if not sep:
            raise ValueError(f"expected key=value, got {part!r}")
        out[key.strip()] = float(val)
    return out


_PARSERS: dict[type, Callable[[str], Any]] = {
    str: str,
    int: int,
    float: float,
    bool: _parse_bool,
    dict: _parse_float_map,
}


@dataclass(frozen=True)
class Setting:
    """One registered setting."""

    name: str
    type: type
    default: Any
    help: str
    group: str = "umum"
    secret: bool = False

    @property
    def env(self) -> str:
        return f"PANTAU_{self.name.upper()}"

    def parse(self, raw: str) -> Any:
        try:
            return _PARSERS[self.type](raw)
        except (ValueError, KeyError) as exc:
            raise SettingsError(
                f"{self.env}: cannot read {raw!r} as {self.type.__name__} ({exc})"
            ) from exc


REGISTRY: dict[str, Setting] = {}


def setting(
    name: str, type_: type, default: Any, help_: str, *, group: str = "umum", secret: bool = False
) -> Setting:
    """Register a setting; names are unique across the whole project."""
    if name in REGISTRY:
        raise SettingsError(f"setting {name!r} registered twice")
    if not help_.strip():
        raise SettingsError(f"setting {name!r} needs a help text")
    item = Setting(name, type_, default, help_, group, secret)
    REGISTRY[name] = item
    return item


# --- core -----------------------------------------------------------------------------------
setting(
    "database_url",
    str,
    "sqlite:///pantau.db",
    "SQLAlchemy URL of the store: a SQLite file (default) or postgresql+psycopg://...",
    group="core",
)
setting(
    "data_dir", str, ".", "Folder for the secret-key file and generated artefacts.", group="core"
)
setting(
    "timezone",
    str,
    "Asia/Makassar",
    "IANA time zone in which dates are shown and reports are cut (WITA for Kaltim).",
    group="core",
)
setting("locale", str, "id", "Default interface language: id (Indonesian) or en.", group="core")
setting(
    "province",
    str,
    "64",
    "Kemendagri code of the province this installation watches.",
    group="core",
)
setting(
    "secret_key",
    str,
    "",
    "Key that signs session cookies; generated and stored in data_dir on first init when empty.",
    group="core",
    secret=True,
)
setting(
    "pii_retention_days",
    int,
    90,
    "Days after collection that the originals of citizens' NIK, phone, e-mail, plate and bank "
    "numbers in mentions are kept (sealed; masked text stays); 0 keeps them until erased.",
    group="core",
)
setting(
    "mention_retention_months",
    int,
    0,
    "PostgreSQL: whole months of mentions kept before the current one; older monthly "
    "partitions are dropped by `pantau run` and `pantau retention`. 0 keeps every month.",
    group="core",
)
setting(
    "mention_partitions_ahead",
    int,
    3,
    "PostgreSQL: monthly partitions of mentions made ahead of the current month by "
    "`pantau run` and `pantau partitions`.",
    group="core",
)
setting(
    "base_url",
    str,
    "",
    "Public URL of the dashboard, used for links in alerts and reports; empty: the address "
    "`pantau serve`/`pantau demo` listen on (--host, --port), or http://127.0.0.1:8000 in "
    "other commands. Set it behind a reverse proxy.",
    group="core",
)

# --- web ------------------------------------------------------------------------------------
setting("session_max_age", int, 12 * 3600, "Seconds a login session stays valid.", group="web")
setting(
    "cookie_secure", bool, False, "Mark session cookies Secure (turn on behind HTTPS).", group="web"
)
setting(
    "login_max_failures",
    int,
    5,
    "Failed logins allowed per user name (and per known device) before the backoff starts.",
    group="web",
)
setting(
    "login_max_failures_per_address",
    int,
    20,
    "Failed logins allowed per client address before the backoff starts (offices share NAT).",
    group="web",
)
setting(
    "login_window",
    int,
    60,
    "Seconds of the first backoff wait; each further failure doubles it.",
    group="web",
)
setting(
    "login_backoff_max",
    int,
    900,
    "Longest backoff wait in seconds; failures older than this are forgotten.",
    group="web",
)
setting(
    "login_hash_concurrency",
    int,
    1,
    "Password checks from unknown devices run at once (each argon2 check uses up to 4 cores); "
    "more wait 2 s, then get 503, so a login flood leaves CPU for the push API.",
    group="web",
)
setting(
    "known_device_days",
    int,
    90,
    "Days a browser that logged in stays a known device, exempt from user-name throttling.",
    group="web",
)
setting(
    "metrics_loopback",
    bool,
    True,
    "Serve /metrics without a token to loopback clients (a proxy that adds X-Forwarded-For "
    "does not count as loopback).",
    group="web",
)
setting(
    "ready_max_lag",
    int,
    1800,
    "Seconds the oldest mention may wait for analysis before /readyz answers 503.",
    group="web",
)
setting("api_max_batch", int, 1000, "Most mentions accepted in one push-API request.", group="web")
setting("page_size", int, 50, "Rows per page in lists and search results.", group="web")

# --- newsroom -------------------------------------------------------------------------------
setting(
    "newsroom_name",
    str,
    "Ruang Berita",
    "Name of the public newsroom (/rilis) on its pages, feeds and the Google News sitemap.",
    group="newsroom",
)
setting(
    "newsroom_cache_seconds",
    int,
    30,
    "Seconds a public newsroom page is reused from memory and may be cached by browsers "
    "and proxies (an embargo lifts at most this late).",
    group="newsroom",
)
setting(
    "newsroom_round_seconds",
    float,
    30.0,
    "Seconds between the newsroom rounds of `pantau run`: releases whose embargo passed enter "
    "monitoring, newly analyzed news is linked as pick-up, press-conference reminders go out.",
    group="newsroom",
)
setting(
    "media_max_bounces",
    int,
    2,
    "Hard bounces (address refused for good) after which a media contact receives no more "
    "releases or invitations; the media page shows them. One can be a server's passing "
    "misjudgement (a 5.7.1 content refusal); two in a row mean the address is gone.",
    group="newsroom",
)
setting(
    "newsroom_comment_limit",
    int,
    3,
    "Comments one address may send within newsroom_comment_window; more are refused.",
    group="newsroom",
)
setting(
    "newsroom_comment_window",
    int,
    600,
    "Seconds over which an address's comments are counted for newsroom_comment_limit.",
    group="newsroom",
)

# --- ingest ---------------------------------------------------------------------------------
setting(
    "fetch_allow_private",
    bool,
    False,
    "Let the fetcher reach private, loopback and link-local addresses (tests only).",
    group="ingest",
)
setting("fetch_timeout", float, 20.0, "Seconds before a fetch gives up.", group="ingest")
setting(
    "fetch_max_bytes",
    int,
    5 * 1024 * 1024,
    "Largest response body read (after decompression); longer bodies are cut off.",
    group="ingest",
)
setting(
    "fetch_user_agent",
    str,
    "pantau/0.1 (+https://github.com/pantau-id/pantau)",
    "User-Agent header sent by the fetcher.",
    group="ingest",
)
setting(
    "max_text_chars",
    int,
    100_000,
    "Mention texts longer than this are cut, and the cut is recorded.",
    group="ingest",
)

# --- ingest stage (issue 3): connectors, fetching politeness, source health, runner ----------
setting(
    "fetch_allow_hosts",
    str,
    "",
    "Comma-separated networks (CIDR) the fetcher may reach even though they are private, "
    "e.g. an intranet feed server; safer than fetch_allow_private.",
    group="ingest",
)
setting(
    "fetch_max_redirects",
    int,
    5,
    "Most redirects followed per fetch (each target is checked against the SSRF guard).",
    group="ingest",
)
setting(
    "fetch_host_interval",
    float,
    1.0,
    "Least seconds between two requests to the same host (politeness toward small sites).",
    group="ingest",
)
setting(
    "fetch_robots", bool, True, "Obey robots.txt when fetching feeds and articles.", group="ingest"
)
setting(
    "feed_max_items",
    int,
    200,
    "Most new items taken from one feed or sitemap poll (the rest wait for the next poll).",
    group="ingest",
)
setting(
    "health_silent_intervals",
    float,
    3.0,
    "A source is silent when nothing new came for this many of its usual gaps between items.",
    group="ingest",
)
setting(
    "health_volume_ratio",
    float,
    0.2,
    "A source is low when its last day brought less than this share of its daily baseline.",
    group="ingest",
)
setting(
    "health_error_streak",
    int,
    3,
    "Failed polls in a row after which a source is marked failing and alarms.",
    group="ingest",
)
setting(
    "run_tick",
    float,
    5.0,
    "Seconds the runner sleeps between looks for due sources.",
    group="ingest",
)
setting(
    "flow_max_lag_seconds",
    float,
    2.0,
    "Longest wait, in seconds, before `pantau run` analyzes a stored mention, whatever brought "
    "it (feed, push API, import, LAPOR!): the interval of its look for pending mentions.",
    group="flow",
)
setting(
    "clustering_lease_seconds",
    float,
    60.0,
    "PostgreSQL: seconds a `pantau run` that owns the clustering may stay silent (paused, hung, "
    "cut off) before its lock ends and a standby takes over; its late writes are then refused.",
    group="flow",
)
setting(
    "flow_deliver_alerts",
    bool,
    False,
    "Let `pantau run` also deliver e-mail, Telegram and webhook alerts (a round every 30 s), "
    "for installations without a separate `pantau alerts deliver --watch`.",
    group="flow",
)
setting(
    "import_batch_size",
    int,
    1000,
    "Mentions written per transaction by imports and the runner.",
    group="ingest",
)
setting(
    "mention_earliest_date",
    str,
    "2000-01-01",
    "Mentions published before this date (YYYY-MM-DD) are quarantined: no watched source "
    "predates it, so an earlier date is a placeholder (1970-01-01) or a unit mix-up.",
    group="ingest",
)
setting(
    "mention_future_hours",
    float,
    24.0,
    "Mentions dated more than this many hours after now are quarantined and never move the "
    "issue tracker's clock (a wrong zone shifts a date by 14 hours at most).",
    group="ingest",
)
setting(
    "import_max_depth",
    int,
    64,
    "Deepest nesting of objects and lists kept in a mention's extra fields; a deeper mention "
    "is quarantined (real API responses nest under 10 levels).",
    group="ingest",
)
setting(
    "import_max_field_chars",
    int,
    1_000_000,
    "Longest CSV field read; a longer one (usually a quote left open) is quarantined with "
    "its line and the rows after it are read again line by line.",
    group="ingest",
)
setting(
    "api_max_body_bytes",
    int,
    10 * 1024 * 1024,
    "Largest push-API request body in bytes; larger requests get 413.",
    group="ingest",
)
# --- end ingest stage --------------------------------------------------------------------------

# --- issues stage (issue 5): online clustering, early warning, crossover, risk ---------------
setting(
    "issues_risk_weights",
    dict,
    {},
    "Risk weights per component, e.g. volume=2,growth=2,negativity=1.5,sensitive=1.5; "
    "components not named keep their defaults (see pantau.issues.risk.DEFAULT_WEIGHTS).",
    group="issues",
)
setting(
    "issues_window_minutes",
    float,
    30.0,
    "Width of the window in which an issue's recent volume is measured against expectation "
    "(30 with min support 4 was best on CrisisLexT6 of 60/30, 60/5, 45/4, 30/3).",
    group="issues",
)
setting(
    "issues_reference_rate",
    float,
    30.0,
    "Mentions an hour (over the last day) of a stream busy enough for the window above; a "
    "thinner stream widens the window in proportion, up to 12 times, and asks for less "
    "support (with the square root of its volume, not under 3 mentions), so a sampled export "
    "or a small kabupaten is judged as a busy one would be (0 turns both off). CrisisLexT6 runs "
    "at 30-200 an hour, sampled to 1,000 posts per crisis at 3-25.",
    group="issues",
)
setting(
    "issues_min_support",
    int,
    4,
    "Mentions an issue needs within the window before it can be raised (noise is not news).",
    group="issues",
)
setting(
    "issues_day_support",
    int,
    10,
    "Mentions an issue needs within 24 hours to be raised by the day-long window: the slow "
    "burn (a dozen complaints a day about one road) that never bunches into one short window.",
    group="issues",
)
setting(
    "issues_crisis_risk",
    float,
    60.0,
    "Risk score from which a busy issue is in the crisis stage.",
    group="issues",
)
setting(
    "issues_alert_min_risk",
    float,
    20.0,
    "Risk score an issue needs for its rise to a new lifecycle stage to raise an alert "
    "(the stage is still shown below it).",
    group="issues",
)
setting(
    "issues_retire_hours",
    float,
    72.0,
    "Hours without a mention after which an issue leaves the tracker's memory (it stays in "
    "the store); bounds memory on long streams.",
    group="issues",
)
setting(
    "issues_coordination_minutes",
    float,
    30.0,
    "Window in which accounts posting the same text count as one coordinated group.",
    group="issues",
)
setting(
    "issues_coordination_accounts",
    int,
    3,
    "Distinct accounts posting the same text within the window that make a coordinated group.",
    group="issues",
)
# --- end issues stage --------------------------------------------------------------------------

# --- writing stage (issue 8): composer templates, spelling words, optional assistant ---------
setting(
    "writing_templates_dir",
    str,
    "",
    "Folder searched before the built-in writing templates (siaran_pers.j2, _boilerplate.j2, "
    "...); a file with the same name overrides the built-in one. Empty: built-ins only.",
    group="writing",
)
setting(
    "writing_extra_words",
    str,
    "",
    "File of extra words (one a line: local names, programme terms) the KBBI spelling check "
    "accepts. Empty: none.",
    group="writing",
)
setting(
    "writing_assistant_url",
    str,
    "",
    "Base URL of an OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1) for the "
    "optional writing assistant. Empty: assistant off.",
    group="writing",
)
setting(
    "writing_assistant_model",
    str,
    "",
    "Model name sent to the writing assistant endpoint.",
    group="writing",
)
setting(
    "writing_assistant_key",
    str,
    "",
    "API key for the writing assistant endpoint, if it needs one.",
    group="writing",
    secret=True,
)
setting(
    "writing_assistant_timeout",
    float,
    60.0,
    "Seconds before a writing assistant request gives up.",
    group="writing",
)
# --- end writing stage -------------------------------------------------------------------------


@dataclass
class Settings:
    """Resolved values of every registered setting."""

    values: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for item in REGISTRY.values():
            if item.env in env:
                values[item.name] = item.parse(env[item.env])
            elif item.secret and f"{item.env}_FILE" in env:
                path = Path(env[f"{item.env}_FILE"])
                try:
                    values[item.name] = path.read_text(encoding="utf-8").strip()
                except OSError as exc:
                    raise SettingsError(f"{item.env}_FILE: cannot read {path}: {exc}") from exc
            else:
                values[item.name] = item.default
        for key, val in overrides.items():
            if key not in REGISTRY:
                raise SettingsError(f"unknown setting {key!r}")
            values[key] = val
        return cls(values)

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["values"][name]
        except KeyError:
            raise AttributeError(f"unknown setting {name!r}") from None

    def __iter__(self) -> Iterator[tuple[Setting, Any]]:
        for item in REGISTRY.values():
            yield item, self.values[item.name]

    def replace(self, **overrides: Any) -> Settings:
        for key in overrides:
            if key not in REGISTRY:
                raise SettingsError(f"unknown setting {key!r}")
        return Settings({**self.values, **overrides})

    @property
    def public_url(self) -> str:
        """The dashboard's URL for links in alerts and reports, without a trailing slash."""
        return (self.values["base_url"] or DEFAULT_PUBLIC_URL).rstrip("/")

    def served_at(self, host: str, port: int) -> Settings:
        """These settings for a server on ``host:port``: an unset ``base_url`` becomes its address.

        >>> Settings.from_env({}).served_at("127.0.0.1", 8765).public_url
        'http://127.0.0.1:8765'
        >>> Settings.from_env({}, base_url="https://humas.example/").served_at("::", 80).public_url
        'https://humas.example'
        """
        if self.values["base_url"]:
            return self
        # A wildcard address is where the server listens, not where anyone can reach it.
        shown = socket.gethostname() if host in WILDCARD_HOSTS else host
        if ":" in shown:
            shown = f"[{shown}]"
        return self.replace(base_url=f"http://{shown}:{port}")


def get_settings() -> Settings:
    """Settings from the current environment (not cached: tests change the environment)."""
    return Settings.from_env()


# --- text (issue 4: normalization, language, near-duplicates, regions, watchlists, sentiment) --
setting(
    "region_aliases_path",
    str,
    "",
    "Extra region aliases (CSV alias,code,note) added to the shipped ones; empty for none.",
    group="text",
)
setting(
    "dedup_threshold",
    float,
    0.8,
    "Estimated Jaccard similarity of word bigrams from which two texts are near-duplicates.",
    group="text",
)
setting(
    "dedup_capacity",
    int,
    50_000,
    "Most texts the near-duplicate index remembers (about 2 KB each); oldest forgotten first.",
    group="text",
)
setting(
    "burst_window",
    int,
    1800,
    "Seconds within which copies of one text by different accounts count as one burst.",
    group="text",
)
setting(
    "burst_min_accounts",
    int,
    3,
    "Distinct accounts posting the same text within burst_window that flag a coordinated burst.",
    group="text",
)
setting(
    "sentiment_model_path",
    str,
    "",
    "Sentiment model retrained with officers' corrections (path without .npz/.json); empty: "
    "data_dir/models/sentiment, where `pantau labels retrain` installs it. The shipped model is "
    "used while none is there.",
    group="text",
)
setting(
    "precise_per_minute",
    int,
    # ~50 ms of one core each (benchmarks/text_speed.py): 240 a minute is at most a fifth of a
    # core, and reads everything due in the replayed MBG stream (44% of its mentions are in
    # issues at stage emerging or hotter) as it arrives.
    240,
    "Mentions of issues at stage emerging or hotter that the precise sentiment tier (a sentence "
    "encoder on CPU) reads again per minute, newest first; their stored sentiment becomes the "
    "precise one, the fast one is kept beside it. 0 turns the tier off.",
    group="text",
)
setting(
    "precise_per_round",
    int,
    # one round's extra work at ~50 ms a mention (benchmarks/text_speed.py): about 1.5 s, so new
    # mentions still wait little more than flow_max_lag_seconds while a backlog is read
    32,
    "Most mentions the precise sentiment tier reads in one round of the pipeline (within "
    "precise_per_minute), so a backlog never holds up the analysis of new mentions.",
    group="text",
)
setting(
    "analyze_batch_size",
    int,
    512,
    "Records that pantau analyze reads before processing them as one batch.",
    group="text",
)

# --- alerts (issue 6: routing, channels, outbox, throttling, quiet hours, digest) ------------
setting("alert_smtp_host", str, "127.0.0.1", "SMTP server that sends alert e-mail.", group="alerts")
setting("alert_smtp_port", int, 587, "Port of the SMTP server (587 for STARTTLS).", group="alerts")
setting(
    "alert_smtp_starttls",
    bool,
    True,
    "Upgrade the SMTP connection with STARTTLS before logging in (turn off only on localhost).",
    group="alerts",
)
setting(
    "alert_smtp_ca_file",
    str,
    "",
    "PEM file of a private CA to trust for STARTTLS (an internal mail relay); empty: system CAs.",
    group="alerts",
)
setting("alert_smtp_user", str, "", "SMTP login name; empty for no login.", group="alerts")
setting(
    "alert_smtp_password",
    str,
    "",
    "SMTP password (from PANTAU_ALERT_SMTP_PASSWORD or a file named by ..._FILE).",
    group="alerts",
    secret=True,
)
setting(
    "alert_mail_from", str, "pantau@localhost", "Sender address of alert e-mail.", group="alerts"
)
setting(
    "alert_bounce_address",
    str,
    "",
    "Envelope sender (Return-Path) of outgoing e-mail, where servers return undeliverable mail; "
    "pipe that mailbox into `pantau alerts bounce` to count hard bounces (empty: "
    "alert_mail_from).",
    group="alerts",
)
setting(
    "alert_telegram_api",
    str,
    "https://api.telegram.org",
    "Base URL of the Telegram Bot API (tests point it at a local server).",
    group="alerts",
)
setting(
    "alert_telegram_token",
    str,
    "",
    "Telegram bot token; needed only when a rule or user uses the telegram channel.",
    group="alerts",
    secret=True,
)
setting(
    "alert_webhook_allow_hosts",
    str,
    "",
    "Comma-separated networks (CIDR) webhook alerts may be sent to although they are private or "
    "loopback, e.g. an intranet WhatsApp gateway; every other non-public address is refused.",
    group="alerts",
)
setting(
    "alert_webhook_secret",
    str,
    "",
    "Key for the HMAC-SHA256 signature of webhook alerts; needed when webhooks are used.",
    group="alerts",
    secret=True,
)
setting(
    "alert_http_timeout",
    float,
    10.0,
    "Seconds before a Telegram or webhook delivery gives up (then it is retried).",
    group="alerts",
)
setting(
    "alert_retry_base",
    float,
    30.0,
    "Seconds before the first retry of a failed delivery; doubles with each attempt.",
    group="alerts",
)
setting(
    "alert_retry_max_delay",
    float,
    3600.0,
    "Longest wait between two delivery attempts.",
    group="alerts",
)
setting(
    "alert_max_attempts",
    int,
    8,
    "Attempts before a delivery goes to the dead-letter list (about 2 hours at the defaults).",
    group="alerts",
)
setting(
    "alert_lease_seconds",
    int,
    120,
    "Seconds a delivering process holds a message; a crashed process's messages are retried "
    "after this.",
    group="alerts",
)
setting(
    "alert_throttle_per_hour",
    int,
    10,
    "Alerts pushed to one recipient on one channel per hour; beyond that they wait for the "
    "digest (crisis alerts too are counted but never held).",
    group="alerts",
)
setting(
    "alert_quiet_hours",
    str,
    "",
    "Local quiet hours like 22:00-06:00: pushes wait until they end, unless it is a crisis; "
    "empty for none.",
    group="alerts",
)
setting(
    "alert_digest_time",
    str,
    "07:00",
    "Local time of the daily digest of held alerts (pantau alerts deliver --watch sends it).",
    group="alerts",
)
setting(
    "alert_default_channels",
    str,
    "inapp,email",
    "Channels used by the built-in routing rules when no rules are configured.",
    group="alerts",
)

# --- reports stage (issue 7): scheduled reports -------------------------------------------------
setting(
    "reports_send_time",
    str,
    "06:30",
    "Local time (HH:MM) after which `pantau report send --watch` mails yesterday's daily "
    "report (and, on Mondays, the weekly brief) to subscribed leaders.",
    group="reports",
)
setting(
    "reports_watch_interval",
    float,
    300.0,
    "Seconds `pantau report send --watch` sleeps between looks at the clock.",
    group="reports",
)
# --- end reports stage -------------------------------------------------------------------------
