"""One plugin registry: an entry-point group name plus the built-ins pantau ships, one loader.

Users extend pantau where their office differs: a source (connector), an alert channel, a
writing-linter rule family, a report kind. A third-party package adds one the standard way, in
its own ``pyproject.toml``::

    [project.entry-points."pantau.alert_channels"]
    whatsapp = "pantau_whatsapp:WhatsAppChannel"

pantau's own plugins are :class:`importlib.metadata.EntryPoint` objects too, listed once beside
the code of their stage and loaded by the same :meth:`PluginGroup.load`, so a built-in behaves
exactly as an installed plugin would and the list is not repeated in ``pyproject.toml`` (an
editable install would otherwise miss a built-in added after it was made). An installed plugin
may not take a built-in's name: it could silently replace, say, the e-mail channel, so it is
skipped with a warning. The contract tests in ``tests/plugins`` run over every plugin of every
group, installed ones included.

>>> group = PluginGroup("pantau.examples", "contoh", {"join": "posixpath:join"})
>>> group.names()
['join']
>>> group.load("join")("laporan", "harian.pdf")
'laporan/harian.pdf'
>>> group.load("gabung")
Traceback (most recent call last):
...
pantau.plugins.PluginNotFound: contoh 'gabung' tidak dikenal; tersedia: join
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType
from typing import Any

__all__ = ["PluginError", "PluginGroup", "PluginNotFound", "refresh"]

logger = logging.getLogger(__name__)


class PluginNotFound(LookupError):
    """No plugin of that name in the group; the message lists the ones there are."""


class PluginError(ImportError):
    """A plugin is listed but cannot be loaded; the message names the plugin and its target."""


@cache
def _resolve(
    group: str, builtins: tuple[tuple[str, str], ...]
) -> MappingProxyType[str, EntryPoint]:
    """The group's plugins by name, read once: routing asks per person and channel."""
    found = {name: EntryPoint(name, target, group) for name, target in builtins}
    for ep in entry_points(group=group):
        known = found.get(ep.name)
        if known is None:
            found[ep.name] = ep
        elif known.value != ep.value:  # the same target is pantau's own, installed earlier
            logger.warning(
                "%s: plugin %s=%s ignored: %r is a built-in name", group, ep.name, ep.value, ep.name
            )
    return MappingProxyType(found)


def refresh() -> None:
    """Forget the installed plugins read so far (after installing one into a running process)."""
    _resolve.cache_clear()


@dataclass(frozen=True)
class PluginGroup:
    """A kind of plugin: its entry-point ``group``, its Indonesian ``noun``, pantau's built-ins.

    ``builtins`` maps a name to its target, ``"module:attribute"`` or a module.
    """

    group: str
    noun: str
    builtins: Mapping[str, str]
    missing: type[PluginNotFound] = field(default=PluginNotFound, compare=False)

    def entry_points(self) -> Mapping[str, EntryPoint]:
        """Every plugin of the group by name: the built-ins first, then the installed ones."""
        return _resolve(self.group, tuple(self.builtins.items()))

    def names(self) -> list[str]:
        """The names of every plugin of the group."""
        return list(self.entry_points())

    def load(self, name: str) -> Any:
        """The object the plugin called ``name`` points at (a class, a module, a record)."""
        ep = self.entry_points().get(name)
        if ep is None:
            raise self.missing(
                f"{self.noun} {name!r} tidak dikenal; tersedia: {', '.join(sorted(self.names()))}"
            )
        try:
            return ep.load()
        except (ImportError, AttributeError) as exc:
            raise PluginError(
                f"{self.noun} {name!r} ({ep.value}) tidak dapat dimuat: {exc}"
            ) from exc

    def load_all(self) -> dict[str, Any]:
        """Every plugin of the group, loaded; an installed one that fails is logged and left out
        (one broken add-on must not stop the rest), a built-in that fails raises."""
        out: dict[str, Any] = {}
        for name in self.entry_points():
            try:
                out[name] = self.load(name)
            except PluginError:
                if name in self.builtins:
                    raise
                logger.exception("%s: plugin %s skipped", self.group, name)
        return out
