"""Spreadsheets that explode inside the size limits are refused quickly, in little memory."""

from __future__ import annotations

import asyncio
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from bot.cli.sheet_read import TooLarge, Unreadable, read_apart
from messages import Renderer
from tests.cli.test_sheet_formulas import _seed_products
from tests.cli.test_sheet_limits import RESULTS_HEADER, _measured, _nothing_recorded, _run


def _rewritten(path: Path, member: str, write_body: object) -> Path:
    """A real xlsx (header and one row) whose `member` is rewritten by `write_body(head, out)`."""
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.append(RESULTS_HEADER.split(","))
    sheet.append(["1", "Kẹo dừa", 70, "1/QĐ", "2026-11-20", "X-1"])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(
        path, "w", zipfile.ZIP_DEFLATED, compresslevel=9
    ) as out:
        for item in source.infolist():
            if item.filename != member:
                out.writestr(item, source.read(item.filename))
        with out.open(member, "w", force_zip64=True) as stream:
            write_body(source.read(member) if member in source.namelist() else b"", stream)
    return path


def cell_bomb(path: Path, cells: int) -> Path:
    """One row of `cells` empty cells: a few KB packed, gigabytes once openpyxl parses it."""

    def body(data: bytes, stream: zipfile.ZipExtFile) -> None:
        head, tail = data.split(b"</sheetData>")
        stream.write(head + b'<row r="3">')
        chunk = b"<c/>" * (1 << 18)
        for _ in range(cells // (1 << 18)):
            stream.write(chunk)
        stream.write(b"</row></sheetData>" + tail)

    return _rewritten(path, "xl/worksheets/sheet1.xml", body)


def strings_bomb(path: Path, strings: int) -> Path:
    """A shared-strings table of `strings` tiny entries: packs to almost nothing."""

    def body(data: bytes, stream: zipfile.ZipExtFile) -> None:
        stream.write(b'<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/'
                     b'spreadsheetml/2006/main">')
        chunk = b"<si><t>x</t></si>" * (1 << 16)
        for _ in range(strings // (1 << 16)):
            stream.write(chunk)
        stream.write(b"</sst>")

    return _rewritten(path, "xl/sharedStrings.xml", body)


@pytest.mark.slow  # a real process, measured
@pytest.mark.parametrize("cells", [2_500_000, 24_000_000])  # 10 MB and 96 MB unpacked
def test_a_bomb_of_empty_cells_is_refused_with_little_memory(
    tmp_path: Path, cells: int
) -> None:
    db_path = tmp_path / "ocop.db"
    asyncio.run(_seed_products(db_path))
    bomb = cell_bomb(tmp_path / "ketqua.xlsx", cells)
    assert bomb.stat().st_size < 200_000
    code, output, peak_mb, seconds = _measured(db_path, "import", "results", str(bomb), "--yes")
    assert code == 2, output
    assert "Traceback" not in output
    assert "nén chặt bất thường" in output and "packed unusually tightly" in output
    assert peak_mb < 200, (seconds, peak_mb)  # the time is printed by bench.sheet_bomb
    asyncio.run(_nothing_recorded(db_path))


def test_a_shared_strings_bomb_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    bomb = strings_bomb(tmp_path / "ketqua.xlsx", 4 << 20)  # 4 million strings, 70 MB
    with pytest.raises(TooLarge) as refused:
        read_apart(bomb, "xlsx")
    assert refused.value.template == "sheets/packed_too_tightly"


def test_a_sheet_declaring_a_million_rows_is_refused_before_it_is_parsed(
    tmp_path: Path
) -> None:

    def body(data: bytes, stream: zipfile.ZipExtFile) -> None:
        stream.write(data.replace(b'<dimension ref="A1:F2"/>', b'<dimension ref="A1:F1048576"/>'))

    declared = _rewritten(tmp_path / "ketqua.xlsx", "xl/worksheets/sheet1.xml", body)
    with pytest.raises(TooLarge) as refused:
        read_apart(declared, "xlsx")
    assert refused.value.template == "sheets/too_many_rows"


def test_a_sheet_with_too_many_cells_is_refused_before_it_is_parsed(tmp_path: Path) -> None:

    def body(data: bytes, stream: zipfile.ZipExtFile) -> None:
        head, tail = data.split(b"</sheetData>")
        stream.write(head)
        for row in range(3, 3 + 2100):  # 2,100 rows of 1,000 cells each, numbers that vary
            cells = b"".join(b'<c t="n"><v>%d</v></c>' % (row * 1000 + n) for n in range(1000))
            stream.write(b'<row r="%d">' % row + cells + b"</row>")
        stream.write(b"</sheetData>" + tail)

    dense = _rewritten(tmp_path / "ketqua.xlsx", "xl/worksheets/sheet1.xml", body)
    with pytest.raises(TooLarge) as refused:
        read_apart(dense, "xlsx")
    assert refused.value.template == "sheets/too_many_cells"
    assert "2.000.000 ô" in refused.value.explain(Renderer())


def _rows_file(path: Path, rows: int) -> Path:
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(RESULTS_HEADER.split(","))
    for n in range(rows):
        sheet.append([n, f"Sản phẩm {n}", 70, f"{n}/QĐ", "2026-11-20", f"X-{n}"])
    book.save(path)
    return path


def test_past_the_memory_ceiling_the_file_is_refused_politely(tmp_path: Path) -> None:
    sheet = _rows_file(tmp_path / "ketqua.xlsx", 10)
    assert len(read_apart(sheet, "xlsx")) == 11
    with pytest.raises(TooLarge) as refused:
        read_apart(sheet, "xlsx", memory_bytes=32 << 20)
    explained = refused.value.explain(Renderer())
    assert "quá nhiều bộ nhớ hoặc thời gian" in explained and "32 MB" in explained
    assert "too much memory or time" in explained


def test_past_the_time_ceiling_the_file_is_refused_politely(tmp_path: Path) -> None:
    sheet = _rows_file(tmp_path / "ketqua.xlsx", 20_000)  # several seconds of parsing
    with pytest.raises(TooLarge) as refused:
        read_apart(sheet, "xlsx", seconds=1)
    assert refused.value.template == "sheets/too_costly"
    assert refused.value.context["seconds"] == 1


def test_a_csv_cell_over_the_field_limit_is_refused_like_any_bad_file(tmp_path: Path) -> None:
    db_path = tmp_path / "ocop.db"
    huge = tmp_path / "ds.csv"
    huge.write_text("certificate_number,name\nX-1," + "a" * 131_073 + "\n", encoding="utf-8")
    with pytest.raises(Unreadable):
        read_apart(huge, "csv")
    result = _run(db_path, "import", "certified", str(huge), "--yes")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "dòng 2 có một ô dài quá 131.072 ký tự" in result.output, result.output


@pytest.mark.slow  # several seconds: the reader really runs out of its memory
def test_a_wide_row_that_passes_every_check_meets_the_memory_ceiling(tmp_path: Path) -> None:

    def body(data: bytes, stream: zipfile.ZipExtFile) -> None:
        head, tail = data.split(b"</sheetData>")
        stream.write(head + b'<row r="3">')  # 1.9 million numbered cells in one row
        for start in range(0, 1_900_000, 10_000):
            stream.write(b"".join(b'<c t="n"><v>%d</v></c>' % n
                                  for n in range(start, start + 10_000)))
        stream.write(b"</row></sheetData>" + tail)

    wide = _rewritten(tmp_path / "ketqua.xlsx", "xl/worksheets/sheet1.xml", body)
    with pytest.raises(TooLarge) as refused:
        read_apart(wide, "xlsx")
    assert refused.value.template == "sheets/too_costly"


def _two_sheets(path: Path, first_xml: bytes, second_xml: bytes) -> Path:
    """An xlsx whose workbook reads xl/worksheets/sheet2.xml first (`first_xml`), while
    sheet1.xml (`second_xml`) comes first by name."""
    book = Workbook()
    book.worksheets[0].append(["product_id"])
    book.create_sheet("notes").append(["ghi chú"])
    plain = path.with_suffix(".plain.xlsx")
    book.save(plain)
    rels = "xl/_rels/workbook.xml.rels"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == rels:
                data = (data.replace(b"sheet1.xml", b"TMP").replace(b"sheet2.xml", b"sheet1.xml")
                        .replace(b"TMP", b"sheet2.xml"))
            elif item.filename == "xl/worksheets/sheet1.xml":
                data = second_xml
            elif item.filename == "xl/worksheets/sheet2.xml":
                data = first_xml
            out.writestr(item, data)
    return path


def _sheet_xml(dimension: str, cells: int) -> bytes:
    row = b"".join(b'<c t="n"><v>%d</v></c>' % n for n in range(1000))
    rows = b"".join(b'<row r="%d">' % (r + 1) + row + b"</row>" for r in range(cells // 1000))
    return (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<dimension ref="%s"/><sheetData>' % dimension.encode() + rows
            + b"</sheetData></worksheet>")


def test_the_sheet_read_is_the_workbooks_first_and_every_sheet_counts(tmp_path: Path) -> None:
    declared = _two_sheets(tmp_path / "ketqua.xlsx", _sheet_xml("A1:A1048576", 1000),
                           _sheet_xml("A1:A2", 1000))
    with pytest.raises(TooLarge) as refused:
        read_apart(declared, "xlsx")
    assert refused.value.template == "sheets/too_many_rows"
    split = _two_sheets(tmp_path / "dot.xlsx", _sheet_xml("A1:ALL1100", 1_100_000),
                        _sheet_xml("A1:ALL1100", 1_100_000))
    with pytest.raises(TooLarge) as refused:
        read_apart(split, "xlsx")
    assert refused.value.template == "sheets/too_many_cells"
