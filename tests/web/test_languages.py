"""The platform in French, Spanish and Russian, through HTTP: the switcher and the browser's
Accept-Language choose the language; the committed catalogs translate every string the pages
mark, and their compiled .mo files (served without any gettext tool) say the same as the .po."""

from __future__ import annotations

import gettext
import html
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import translation

import frombelow.web
from frombelow.web.models import CouncilRow

pytestmark = pytest.mark.django_db

WEB = Path(frombelow.web.__file__).parent
LOCALE = WEB / "locale"
LANGUAGES = ("fr", "es", "ru")

# What each page must say in each language, and English it must no longer say.
SAYS = {
    "fr": {
        "/": ["Tous les conseils", "Les membres se réunissent en conseils de base", "Registre", "Tendances"],
        "/councils/local-1": ["Conseil de base : ses membres sont des personnes.", "Ordre du jour", "Élections"],
        "/login": ["Mot de passe", "Identifiant", "L'adhésion se fait sur invitation"],
    },
    "es": {
        "/": ["Todos los consejos", "Los miembros se reúnen en consejos de base", "Registro", "Corrientes"],
        "/councils/local-1": ["Consejo de base: sus miembros son personas.", "Orden del día", "Elecciones"],
        "/login": ["Contraseña", "Usuario", "La afiliación es por invitación"],
    },
    "ru": {
        "/": ["Все советы", "Члены собираются в низовых советах", "Реестр", "Фракции"],
        "/councils/local-1": ["Низовой совет: его члены — люди.", "Повестка дня", "Выборы"],
        "/login": ["Пароль", "Имя пользователя", "Членство — по приглашению"],
    },
}
ENGLISH = {
    "/": ["Every council", "Members meet in base councils", "Check a receipt"],
    "/councils/local-1": ["Base council: its members are people.", "Agenda", "Elections"],
    "/login": ["Membership is by invitation", "Username", "Log in"],
}


def _page(client: Client, path: str, **headers: str) -> str:
    response = client.get(path, **headers)
    assert response.status_code == 200, path
    return html.unescape(response.content.decode())


def _says(page: str, language: str, path: str) -> None:
    assert f'<html lang="{language}">' in page
    for text in SAYS[language][path]:
        assert text in page, (language, path, text)
    for text in ENGLISH[path]:
        assert text not in page, (language, path, text)


def _members(language: str, count: int) -> str:
    with translation.override(language):
        return translation.ngettext("%(members)s member", "%(members)s members", count) % {"members": count}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_switcher_sets_the_language_of_every_page_after_it(client: Client, language: str):
    switched = client.post("/i18n/setlang/", {"language": language, "next": "/councils/local-1"})
    assert switched.status_code == 302 and switched["Location"] == "/councils/local-1"
    for path in SAYS[language]:
        _says(_page(client, path), language, path)
    local = CouncilRow.objects.get(id="local-1")
    assert _members(language, local.members) in _page(client, "/councils/local-1")
    assert _members(language, local.represented) in _page(client, "/")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_browsers_accept_language_chooses_it_when_nothing_was_switched(client: Client, language: str):
    for path in SAYS[language]:
        _says(_page(client, path, HTTP_ACCEPT_LANGUAGE=f"{language};q=0.9,en;q=0.5"), language, path)


def test_english_without_a_choice_and_for_a_language_the_platform_lacks(client: Client):
    for headers in ({}, {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9"}):
        for path, texts in ENGLISH.items():
            page = _page(client, path, **headers)
            assert '<html lang="en">' in page
            assert all(text in page for text in texts), (headers, path)


def test_switching_back_to_english_after_russian(client: Client):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/login"})
    client.post("/i18n/setlang/", {"language": "en", "next": "/login"})
    page = _page(client, "/login", HTTP_ACCEPT_LANGUAGE="ru")  # the choice outranks the browser
    assert "Membership is by invitation" in page and "Пароль" not in page


def test_the_switcher_offers_every_language_by_its_own_name(client: Client):
    page = _page(client, "/")
    for code, name in (("en", "English"), ("fr", "Français"), ("es", "Español"), ("ru", "Русский")):
        assert f'<option value="{code}"' in page and name in page


@pytest.mark.parametrize(
    ("count", "expected"),
    [(1, "1 член"), (2, "2 члена"), (4, "4 члена"), (5, "5 членов"), (11, "11 членов"), (12, "12 членов")]
    + [(21, "21 член"), (22, "22 члена"), (25, "25 членов"), (111, "111 членов"), (1000, "1000 членов")],
)
def test_russian_counts_take_the_right_plural_form(count: int, expected: str):
    assert _members("ru", count) == expected


# The catalogs.


@dataclass(frozen=True)
class Message:
    flags: tuple[str, ...]
    msgid: str
    plural: str | None
    translations: tuple[str, ...]  # msgstr, or msgstr[0], msgstr[1], ...


def _read_po(path: Path) -> list[Message]:
    """The live messages of a .po file (the header and obsolete ones left out)."""
    messages = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        flags: list[str] = []
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags += [flag.strip() for flag in line[2:].split(",")]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                fields[key] += _unquote(line)
            elif line.strip():
                key, _, value = line.partition(" ")
                fields[key] = _unquote(value)
        if fields.get("msgid"):
            forms = [fields[k] for k in sorted(k for k in fields if k.startswith("msgstr"))]
            messages.append(Message(tuple(flags), fields["msgid"], fields.get("msgid_plural"), tuple(forms)))
    return messages


def _unquote(quoted: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], quoted.strip()[1:-1])


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"%\(\w+\)[sdr]", text))


def _compiled(language: str) -> gettext.GNUTranslations:
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo.is_file(), f"{mo} is missing: run django-admin compilemessages in src/frombelow/web and commit it"
    with mo.open("rb") as file:
        return gettext.GNUTranslations(file)


# n that select each plural form in turn, per language (from each catalog's Plural-Forms).
FORM_SAMPLES = {"fr": (1, 2), "es": (1, 1_000_000, 2), "ru": (1, 2, 5)}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_keeping_its_placeholders(language: str):
    messages = _read_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(messages) > 300
    for message in messages:
        assert "fuzzy" not in message.flags, message.msgid
        assert all(message.translations), f"{language}: untranslated {message.msgid!r}"
        wanted = _placeholders(message.msgid) | _placeholders(message.plural or "")
        for translated in message.translations:
            assert _placeholders(translated) == wanted, (language, message.msgid, translated)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalog_says_what_the_po_says(language: str):
    compiled = _compiled(language)
    for message in _read_po(LOCALE / language / "LC_MESSAGES" / "django.po"):
        if message.plural is None:
            assert compiled.gettext(message.msgid) == message.translations[0], (language, message.msgid)
        else:
            for form, n in enumerate(FORM_SAMPLES[language]):
                shown = compiled.ngettext(message.msgid, message.plural, n)
                assert shown == message.translations[form], (language, message.msgid, n)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="makemessages needs GNU gettext (serving does not)")
def test_the_catalogs_hold_every_string_the_code_marks(tmp_path: Path, settings, monkeypatch):
    """makemessages run afresh on a copy of the code finds nothing the committed catalogs lack."""
    code = tmp_path / "web"
    shutil.copytree(WEB, code, ignore=shutil.ignore_patterns("locale", "vendor", "__pycache__"))
    settings.LOCALE_PATHS = [tmp_path / "locale"]
    monkeypatch.chdir(code)
    call_command("makemessages", locale=["fr"], no_location=True, verbosity=0)
    marked = {m.msgid for m in _read_po(tmp_path / "locale" / "fr" / "LC_MESSAGES" / "django.po")}
    for language in LANGUAGES:
        committed = {m.msgid for m in _read_po(LOCALE / language / "LC_MESSAGES" / "django.po")}
        assert marked <= committed, (
            f"{language} lacks {sorted(marked - committed)}: run makemessages -l {language} in src/frombelow/web, "
            "translate, then compilemessages"
        )
