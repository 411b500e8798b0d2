"""The command line speaks one language: every `--help` and every usage mistake in Vietnamese
by default, with no English left from typer; in English with `--lang en`, with no Vietnamese
beyond names and examples. Run in this process, through the console script's `main`."""

from __future__ import annotations

import io
import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer

from bot.cli.main import app, main
from bot.cli.say import confirm, use

ENGLISH = re.compile(
    r"\b(the|usage|options?|commands?|arguments?|missing|invalid|error|rows?|columns?|files?|"
    r"show|message|exit|default|required|try|of|and|with|for|is|not|no such|got|value)\b",
    re.IGNORECASE,
)
VIETNAMESE = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯàáèéìíòóùúýÀÁÈÉÌÍÒÓÙÚÝãõĩũỹ\u1ea0-\u1ef9]")
QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"")
OPTION = re.compile(r"--[\w-]+")
RANGE = re.compile(r"[<>]=|=<|\bx\b")

MISTAKES = [  # (arguments, what the line must name)
    (["grant", "officer"], "TÀI_KHOẢN"),
    (["target", "set", "--year", "abc", "--province", "VL", "--products", "1"], "abc"),
    (["target", "set", "--year", "1900", "--province", "VL", "--products", "1"], "2018"),
    (["grant", "officer", "--bogus", "telegram:1"], "--bogus"),
    (["nosuch"], "nosuch"),
    (["revoke", "telegram:1", "extra"], "extra"),
    (["target", "set", "--year"], "--year"),
    (["broadcasts", "report", "abc"], "abc"),
    (["outbox", "status", "--jsn"], "--json"),
    (["grant", "officer", "telegram:1", "--province", "Atlantis"], "Atlantis"),
    (["--lang", "xx", "revoke", "telegram:1"], "--lang"),
]


def _paths(command: object, path: list[str]) -> Iterator[list[str]]:
    yield path
    for name, sub in getattr(command, "commands", {}).items():
        yield from _paths(sub, [*path, name])


COMMANDS = list(_paths(typer.main.get_command(app), []))
NAMES = {word for path in COMMANDS for word in path}


def _words(text: str) -> str:
    """`text` without what is not a sentence: options, command names, paths, quoted examples."""
    text = OPTION.sub(" ", QUOTED.sub(" ", text))
    return " ".join(word for word in text.split() if word not in NAMES and "/" not in word)


def _run(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
         args: list[str]) -> tuple[int, str]:
    """`ocop-bot ARGS` in this process: its exit code and everything it printed."""
    monkeypatch.setattr(sys, "argv", ["ocop-bot", *args])
    try:
        main()
        code = 0
    except SystemExit as stop:
        code = int(stop.code or 0)
    printed = capsys.readouterr()
    return code, printed.out + printed.err


@pytest.fixture(autouse=True)
def back_to_vietnamese() -> Iterator[None]:
    """Each test leaves the command line speaking Vietnamese, as a new process would."""
    yield
    use("vi")


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
             capsys: pytest.CaptureFixture[str]) -> Path:
    """A migrated database the usage mistakes get past the database gate with."""
    path = tmp_path / "ocop.db"
    monkeypatch.setenv("OCOP_DB_PATH", str(path))
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert _run(monkeypatch, capsys, ["--create", "migrate"])[0] == 0
    return path


def test_every_help_is_in_vietnamese(database: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert len(COMMANDS) > 40
    for path in COMMANDS:
        code, text = _run(monkeypatch, capsys, [*path, "--help"])
        assert code == 0, (path, text)
        assert "Cách dùng: ocop-bot" in text and "Tùy chọn" in text, (path, text)
        english = ENGLISH.findall(_words(text))
        assert not english, (path, english, text)
        assert not RANGE.search(text), (path, text)  # typer's `[x>=1]`, in words instead


@pytest.mark.parametrize(("args", "named"), MISTAKES)
def test_a_usage_mistake_gets_vietnamese_lines_and_exit_2(
        database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        args: list[str], named: str) -> None:
    code, text = _run(monkeypatch, capsys, args)
    assert code == 2, text
    mistake = text.strip().splitlines()[-1]
    assert mistake.startswith("Sai lệnh:") and named in mistake, text
    assert "Traceback" not in text and not ENGLISH.findall(_words(text)), text


def test_a_group_alone_lists_its_commands_without_a_database(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    absent = tmp_path / "ocop.db"
    monkeypatch.setenv("OCOP_DB_PATH", str(absent))
    code, text = _run(monkeypatch, capsys, ["outbox"])
    assert code == 2 and "Cách dùng: ocop-bot outbox" in text and "status" in text, text
    assert not absent.exists()


def test_a_missing_file_is_named_in_vietnamese(
        database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    absent = tmp_path / "ket-qua.csv"
    code, text = _run(monkeypatch, capsys, ["import", "results", str(absent)])
    assert code == 2 and f"không có tệp hay thư mục {absent}" in text, text
    assert "Errno" not in text and "No such file" not in text


def test_no_arguments_shows_the_help_with_exit_2(
        database: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, text = _run(monkeypatch, capsys, ["grant"])
    assert code == 2 and "Cách dùng: ocop-bot grant" in text and "officer" in text


def test_lang_en_speaks_english_throughout(
        database: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    asked = [[*path, "--help"] for path in COMMANDS] + [args for args, _ in MISTAKES[:-1]]
    for args in asked:
        code, text = _run(monkeypatch, capsys, ["--lang", "en", *args])
        helped = args[-1] == "--help"
        assert code == (0 if helped else 2), (args, text)
        assert ("Usage: ocop-bot" if helped else "Wrong command line:") in text, (args, text)
        leaked = VIETNAMESE.findall(_words(text).replace("Trợ lý OCOP", ""))
        assert not leaked, (args, leaked, text)
        assert not RANGE.search(text), (args, text)


@pytest.mark.parametrize(("typed", "agreed"), [
    ("có", True), ("Có", True), ("c", True), ("đồng ý", True), ("y", True), ("yes", True),
    ("không", False), ("k", False), ("n", False), ("", False),
])
def test_a_question_takes_vietnamese_answers(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        typed: str, agreed: bool) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(f"{typed}\n"))
    use("vi")  # as `main` sets it for a command line without --lang
    assert confirm("Ghi 3 kết quả?") is agreed
    assert "Ghi 3 kết quả? [có/không]" in capsys.readouterr().out


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an Excel 97-2003 file, or an encrypted .xlsx
SHEETS = [  # (file name, its bytes, what the Vietnamese line says, what the English one says)
    ("ket-qua.xlsx", b"%PDF-1.7 not a workbook", "không phải bảng tính", "not an .xlsx"),
    ("ket-qua.xlsx", b"PK\x03\x04" + b"\x00" * 40, "bị hỏng", "is damaged"),
    ("ket-qua.xlsx", OLE2 + b"\x00" * 500, "tệp Excel cũ (.xls)", "old Excel file"),
    ("ket-qua.xlsx", OLE2 + b"\x00" * 200 + "EncryptedPackage".encode("utf-16-le"),
     "có đặt mật khẩu", "password"),
    ("ket-qua.csv", b"a,b\n1,2\n\xff\xfe x\n", "sai từ dòng 3", "from line 3"),
    ("ket-qua.csv", b"a,b\n" + b"1," + b"x" * 131_073 + b"\n", "dòng 2 có một ô dài quá",
     "line 2 has a cell longer"),
]


@pytest.mark.parametrize(("name", "data", "vietnamese", "english"), SHEETS)
def test_an_unreadable_sheet_is_explained_without_the_library_s_english(
        tmp_path: Path, name: str, data: bytes, vietnamese: str, english: str) -> None:
    from bot.cli.sheet_parse import parse_csv, parse_xlsx
    from bot.cli.sheet_read import Unreadable

    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(Unreadable) as refused:
        parse_xlsx(path) if name.endswith(".xlsx") else parse_csv(path)
    line = str(refused.value)
    assert line.startswith(name) and vietnamese in line, line
    assert "(" not in line.replace("(.xls)", "") and not ENGLISH.findall(_words(line)), line
    use("en")
    assert english in str(refused.value) and not VIETNAMESE.findall(str(refused.value))


def test_an_old_xls_import_says_so_in_one_vietnamese_line(
        database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.cli.sheet_read")
    old = tmp_path / "ket-qua.xlsx"
    old.write_bytes(OLE2 + b"\x00" * 500)
    code, text = _run(monkeypatch, capsys, ["import", "results", str(old)])
    assert code == 2 and "là tệp Excel cũ (.xls); anh/chị mở bằng Excel" in text, text
    assert "zip" not in text.lower(), text
    assert "File is not a zip file" in caplog.text  # the library's words stay in the log


@pytest.mark.parametrize(("lang", "year", "products"), [
    ("vi", "[từ 2018 đến 2100]", "[từ 0 đến 10.000]"),
    ("en", "[2018 to 2100]", "[0 to 10,000]"),
])
def test_a_number_s_range_is_said_in_words(
        database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        lang: str, year: str, products: str) -> None:
    code, text = _run(monkeypatch, capsys, ["--lang", lang, "target", "set", "--help"])
    assert code == 0 and year in text and products in text, text
    code, text = _run(monkeypatch, capsys, ["--lang", lang, "criteria", "show", "--help"])
    assert ("[từ 1]" if lang == "vi" else "[at least 1]") in text, text


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "Chưa chép: không có cơ sở dữ liệu SQLite ở"),
    ("en", "Not copied: there is no SQLite database at"),
])
def test_a_refused_copy_is_said_in_the_command_line_s_language(
        database: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path, lang: str, said: str) -> None:
    absent = tmp_path / "cu.db"
    code, text = _run(monkeypatch, capsys, [
        "--lang", lang, "db", "copy", "--to", "postgresql://ocop@127.0.0.1:1/ocop",
        "--from", str(absent)])
    assert code == 1 and f"{said} {absent}." in text, text
    assert not absent.exists()


@pytest.mark.parametrize(("lang", "said"), [
    ("vi", "Lỗi cơ sở dữ liệu ({file}, OCOP_DB_PATH): tệp này không phải cơ sở dữ liệu SQLite"),
    ("en", "Database error ({file}, OCOP_DB_PATH): this file is not a SQLite database"),
])
def test_a_file_that_is_no_database_is_said_without_sqlite_s_english(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path,
        lang: str, said: str) -> None:
    other = tmp_path / "ghi-chu.db"
    other.write_text("không phải cơ sở dữ liệu " * 20, encoding="utf-8")
    monkeypatch.setenv("OCOP_DB_PATH", str(other))
    code, text = _run(monkeypatch, capsys, ["--lang", lang, "outbox", "status"])
    assert code == 1 and said.format(file=other) in text, text
    assert "file is not a database" not in text
