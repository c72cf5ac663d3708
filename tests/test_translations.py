"""The Welsh translation is complete: every piece of text a template shows is marked for
translation, and every marked string (templates and Python) has a Welsh translation.

The second test gathers the strings again exactly as `make messages` does, into a copy of the
tree, so a string added without running `make messages` fails here too."""

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "minipolice"
TEMPLATES = sorted(
    path
    for path in PACKAGE.rglob("*")
    if path.suffix in {".html", ".txt"} and "templates" in path.relative_to(PACKAGE).parts
)

# Text shown to people that is the same in every language.
SAME_IN_EVERY_LANGUAGE = {
    "Mini Police Hub",
    "GOV.UK",
    "OpenAPI",
    "API",
    "CSV",
    "XLSX",
    "PDF",
    "Welsh",
}
ATTRIBUTES_READ_BY_PEOPLE = re.compile(
    r"""\b(?:alt|title|aria-label|aria-description|placeholder|aria-roledescription)\s*=\s*"([^"]*)\"""",
)
WORD = re.compile(r"[A-Za-z]{2,}")
PLACEHOLDER = "\x00"
UNTRANSLATED_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim"}
TRANSLATED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}


def _text_outside_translation(source: str) -> str:
    """The template with every tag, variable and translated block replaced by a placeholder."""
    parts, closing = [], None
    for token in Lexer(source).tokenize():
        name = token.contents.split()[0] if token.contents.split() else ""
        if closing:
            if token.token_type == TokenType.BLOCK and name == closing:
                closing = None
            continue
        if token.token_type == TokenType.BLOCK and name in UNTRANSLATED_BLOCKS | TRANSLATED_BLOCKS:
            closing = (UNTRANSLATED_BLOCKS | TRANSLATED_BLOCKS)[name]
            parts.append(PLACEHOLDER)
        elif token.token_type == TokenType.TEXT:
            parts.append(token.contents)
        else:
            parts.append(PLACEHOLDER)
    return "".join(parts)


def untranslated_text(source: str) -> list[str]:
    markup = _text_outside_translation(source)
    markup = re.sub(r"<!--.*?-->", PLACEHOLDER, markup, flags=re.S)
    markup = re.sub(r"<(script|style)\b.*?</\1>", PLACEHOLDER, markup, flags=re.S | re.I)
    found = [value for value in ATTRIBUTES_READ_BY_PEOPLE.findall(markup)]
    text = re.sub(r"<[^>]*>", PLACEHOLDER, markup)
    found += text.split(PLACEHOLDER)
    untranslated = []
    for chunk in found:
        for piece in chunk.split(PLACEHOLDER):
            piece = " ".join(html.unescape(piece).split())
            if WORD.search(piece) and piece not in SAME_IN_EVERY_LANGUAGE:
                untranslated.append(piece)
    return untranslated


def test_the_checker_finds_text_outside_translate_tags():
    source = """{% load i18n %}<h1 class="govuk-heading-l">{% translate "Units" %}</h1>
    <p>Not marked</p><img alt="A photo" src="{{ url }}">
    {% blocktranslate %}Marked {{ name }}{% endblocktranslate %}{# Hidden #}
    {% comment %}Hidden too{% endcomment %}<a href="{% url 'x' %}" class="govuk-link">Link text</a>
    <span title="{% translate 'Fine' %}">{{ value }}</span>"""
    assert untranslated_text(source) == ["A photo", "Not marked", "Link text"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_text_in_a_template_is_marked_for_translation(template):
    untranslated = untranslated_text(template.read_text())
    assert not untranslated, (
        f"{template.relative_to(ROOT)} shows text not marked for translation: {untranslated}"
    )


def _apps() -> list[str]:
    return sorted(path.parent.name for path in PACKAGE.glob("*/apps.py"))


@pytest.fixture(scope="module")
def gathered_catalogues(tmp_path_factory) -> Path:
    """The strings of templates and Python gathered again into a copy of the tree, as
    `make messages` does, keeping the committed translations."""
    copy = tmp_path_factory.mktemp("gathered") / "minipolice"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__", "*.mo"))
    command = [
        str(Path(sys.executable).parent / "django-admin"),
        *("makemessages", "-l", "cy", "--no-obsolete", "--no-location", "--no-wrap"),
        *("-i", "tests", "-i", "migrations", "-v", "0"),
    ]
    environment = {
        "DEBUG": "true",
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "minipolice.settings",
        "PATH": "/usr/bin:/bin",
    }
    for app in _apps():
        (copy / app / "locale").mkdir(exist_ok=True)
        subprocess.run(command, cwd=copy / app, env=environment, check=True)  # noqa: S603
    ignore_apps = [flag for app in _apps() for flag in ("-i", app)]
    (copy / "locale").mkdir(exist_ok=True)
    subprocess.run([*command, "-i", "static", *ignore_apps], cwd=copy, env=environment, check=True)  # noqa: S603
    return copy


@pytest.mark.parametrize("app", ["templates", *_apps()])
def test_every_string_has_a_welsh_translation(gathered_catalogues, app):
    """Fails on any string of the app (templates and Python) without a Welsh translation, or
    marked fuzzy; "templates" is the project-wide catalogue (minipolice/locale)."""
    folder = gathered_catalogues if app == "templates" else gathered_catalogues / app
    catalogue = folder / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    if not catalogue.exists():
        return  # nothing in the app is marked for translation (the template test covers text)
    po = polib.pofile(str(catalogue))
    assert "nplurals=4" in po.metadata.get("Plural-Forms", ""), "Welsh has four plural forms"
    missing = [entry.msgid for entry in po.untranslated_entries() + po.fuzzy_entries()]
    assert not missing, (
        f"{app}: strings without a Welsh translation (run `make messages`): {missing}"
    )


def test_a_string_has_one_welsh_translation_in_every_catalogue():
    """Django merges the catalogues and the first one holding a string wins (the project's,
    then the apps' in INSTALLED_APPS order): a string translated two ways would show the
    other app's wording. Different meanings of one English word need a context
    (`pgettext`, `{% translate "To" context "email recipient" %}`)."""
    from django.conf import settings

    order = [PACKAGE / "locale"] + [
        PACKAGE / app.split(".")[1] / "locale"
        for app in settings.INSTALLED_APPS
        if app.startswith("minipolice.")
    ]
    first: dict[tuple, tuple] = {}
    different = []
    for folder in order:
        catalogue = folder / "cy" / "LC_MESSAGES" / "django.po"
        if not catalogue.exists():
            continue
        for entry in polib.pofile(str(catalogue)):
            key = (entry.msgctxt, entry.msgid)
            value = entry.msgstr or tuple(sorted(entry.msgstr_plural.items()))
            where = str(catalogue.relative_to(PACKAGE))
            if key not in first:
                first[key] = (value, where)
            elif first[key][0] != value:
                different.append(f"{entry.msgid!r}: {first[key][1]} and {where}")
    assert not different, "translated differently in two catalogues: " + "; ".join(different)
