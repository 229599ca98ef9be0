"""Click's own words in Indonesian: the help pages and the usage errors of the command line.

Click writes its texts in English through ``gettext`` with no catalogue of ours to plug in, so
the command classes below use an Indonesian help formatter, and :func:`usage_error` words a
usage error from the exception's fields (the parameter, the option, the value) instead of from
its English sentence. A message click words in a way not known here is translated by pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click
from click import exceptions as E

HELP_TEXT = "Tampilkan bantuan ini lalu keluar."
VERSION_TEXT = "Tampilkan versi lalu keluar."
VERSION_MESSAGE = "%(prog)s, versi %(version)s"
OPTIONS_METAVAR = "[OPSI]"
SUBCOMMAND_METAVAR = "PERINTAH [ARGUMEN]..."

_SECTIONS = {"Options": "Opsi", "Commands": "Perintah", "Positional arguments": "Argumen",
             "Arguments": "Argumen"}
# Metavars of click's types, as they appear after an option in the help.
_METAVARS = {"INTEGER RANGE": "ANGKA", "INTEGER": "ANGKA", "FLOAT": "BILANGAN", "TEXT": "TEKS",
             "PATH": "BERKAS", "FILE": "BERKAS", "FILENAME": "BERKAS", "DIRECTORY": "FOLDER",
             "BOOLEAN": "YA/TIDAK"}
_METAVAR = re.compile(r"\b(" + "|".join(sorted(_METAVARS, key=len, reverse=True)) + r")\b")
_HELP_EXTRAS = ((re.compile(r"\[default: (.*?)\]"), r"[bawaan: \1]"),
                (re.compile(r"\[required\]"), "[wajib]"),
                (re.compile(r"; required\]"), "; wajib]"),
                (re.compile(r"\[default: (.*?); "), r"[bawaan: \1; "),
                (re.compile(r"\[env var: (.*?)\]"), r"[variabel lingkungan: \1]"))
_FIXED = {"Show this message and exit.": HELP_TEXT, "Show the version and exit.": VERSION_TEXT}

_NAME = r"'?([^']+?)'?"  # click quotes names with repr(): 'x'
# English sentences of click (core, parser, types) -> Indonesian, for what is not worded below.
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(english, re.DOTALL), indonesian) for english, indonesian in (
        (r"^Got unexpected extra arguments? \((.*)\)$", r"argumen berlebih: \1"),
        (rf"^Option {_NAME} requires an argument\.$", r"opsi \1 memerlukan nilai"),
        (rf"^Option {_NAME} requires (\d+) arguments\.$", r"opsi \1 memerlukan \2 nilai"),
        (rf"^Option {_NAME} does not take a value\.$", r"opsi \1 tidak menerima nilai"),
        (rf"^Argument {_NAME} takes (\d+) values\.$", r"argumen \1 memerlukan \2 nilai"),
        (r"^Missing command\.$", "perintah belum diberikan"),
        (rf"^No such option:? {_NAME}\.?$", r"opsi \1 tidak dikenal"),
        (rf"^No such command:? {_NAME}\.?$", r"perintah \1 tidak dikenal"),
        (r"^(.+?) is not a valid integer\.$", r"\1 bukan bilangan bulat"),
        (r"^(.+?) is not a valid (float|integer|float range|integer range)\.$",
         r"\1 bukan bilangan"),
        (r"^(.+?) is not a valid boolean\..*$", r"\1 bukan ya/tidak"),
        (r"^(.+?) is not in the range (.+)\.$", r"\1 di luar rentang \2"),
        (r"^(.+?) is not one of (.+)\.$", r"\1 bukan salah satu dari \2"),
        (r"^(.+?) is not (.+)\.$", r"\1 bukan \2"),
        (r"^(?:File|Path) (.+) does not exist\.$", r"berkas \1 tidak ada"),
        (r"^Directory (.+) does not exist\.$", r"folder \1 tidak ada"),
        (r"^(?:File|Path|Directory) (.+) is a directory\.$", r"\1 adalah folder, bukan berkas"),
        (r"^(?:File|Path|Directory) (.+) is a file\.$", r"\1 adalah berkas, bukan folder"),
        (r"^(?:File|Path|Directory) (.+) is not readable\.$", r"\1 tidak dapat dibaca"),
        (r"^(?:File|Path|Directory) (.+) is not writable\.$", r"\1 tidak dapat ditulisi"),
        (r"^Choose from:\s*(.*)$", r"pilih salah satu: \1"),
    ))


def translate(message: str) -> str:
    """One of click's English sentences in Indonesian; anything else unchanged."""
    text = message.strip()
    for pattern, replacement in _PATTERNS:
        if pattern.match(text):
            return re.sub(r"\s*,\s*\n\s*", ", ", pattern.sub(replacement, text))
    return text


def _hint(param: click.Parameter | None, ctx: click.Context | None,
          given: str | Sequence[str] | None = None) -> str:
    if given is not None:
        return given if isinstance(given, str) else " / ".join(given)
    if param is None:
        return ""
    if isinstance(param, click.Option):
        return "/".join(param.opts)
    return param.make_metavar(ctx) if ctx is not None else (param.name or "").upper()


def _choices(param: click.Parameter | None) -> str:
    if param is not None and isinstance(param.type, click.Choice):
        return ", ".join(str(c) for c in param.type.choices)
    return ""


def _possibilities(names: Iterable[str] | None) -> str:
    found = sorted(names or ())
    return f" (maksudnya {' atau '.join(found)}?)" if found else ""


def usage_error(exc: click.UsageError) -> str:
    """What went wrong, in Indonesian, without click's English framing."""
    if isinstance(exc, E.MissingParameter):
        kind = {"option": "opsi", "argument": "argumen"}.get(
            exc.param_type or (exc.param.param_type_name if exc.param else ""), "parameter")
        text = f"{kind} {_hint(exc.param, exc.ctx, exc.param_hint)} wajib diisi"
        choices = _choices(exc.param)
        return text + (f"; pilih salah satu: {choices}" if choices else "")
    if isinstance(exc, E.NoSuchOption):
        return f"opsi {exc.option_name} tidak dikenal{_possibilities(exc.possibilities)}"
    no_such_command = getattr(E, "NoSuchCommand", None)  # click >= 8.4
    if no_such_command is not None and isinstance(exc, no_such_command):
        return f"perintah {exc.command_name} tidak dikenal{_possibilities(exc.possibilities)}"
    if isinstance(exc, E.BadParameter):
        hint = _hint(exc.param, exc.ctx, exc.param_hint)
        what = f"nilai {hint}" if hint else "nilai"
        return f"{what} tidak sah: {translate(exc.message)}"
    return translate(exc.format_message())


def help_page_error(exc: click.UsageError) -> bool:
    """True for the error click raises to show the help (the command given nothing)."""
    no_args = getattr(E, "NoArgsIsHelpError", None)  # click >= 8.2
    return no_args is not None and isinstance(exc, no_args)


class IndonesianFormatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Penggunaan: " if prefix is None else prefix)

    @contextmanager
    def section(self, name: str) -> Iterator[None]:
        with super().section(_SECTIONS.get(name, name)):
            yield

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        super().write_dl([(_METAVAR.sub(lambda m: _METAVARS[m.group()], term),
                           _help_text(text)) for term, text in rows], col_max, col_spacing)


def _help_text(text: str) -> str:
    text = _FIXED.get(text, text)
    for pattern, replacement in _HELP_EXTRAS:
        text = pattern.sub(replacement, text)
    return text


class IndonesianContext(click.Context):
    formatter_class = IndonesianFormatter


class IndonesianCommand(click.Command):
    context_class = IndonesianContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", OPTIONS_METAVAR)
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:  # the parser's errors come without the command
            if exc.ctx is None:
                exc.ctx = ctx
            raise

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option


class IndonesianGroup(IndonesianCommand, click.Group):
    command_class = IndonesianCommand

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("subcommand_metavar", SUBCOMMAND_METAVAR)
        super().__init__(*args, **kwargs)


IndonesianGroup.group_class = IndonesianGroup
