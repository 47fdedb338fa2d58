"""A catalog is read once per locale and process, however often it is asked for: an alert, a page
and a report look words up through :func:`pantau.i18n.translations` many times each."""

from __future__ import annotations

from pantau.i18n import LOCALES, translations


def test_each_catalog_is_parsed_once_and_unknown_locales_share_the_indonesian_one() -> None:
    catalogs = {locale: translations(locale) for locale in LOCALES}
    for locale in LOCALES:
        assert translations(locale) is catalogs[locale]
    # a locale a request made up falls back to Indonesian without parsing (or caching) anew
    assert translations("xx-made-up") is catalogs["id"]
    assert catalogs["id"] is not catalogs["en"]
    assert catalogs["id"].gettext("crisis") != catalogs["en"].gettext("crisis")
