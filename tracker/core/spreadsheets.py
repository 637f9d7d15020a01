"""Reading an uploaded CSV or XLSX file into a table, within bounds, or refusing it by name.

Both the import form (which shows the refusal) and django-import-export (which reads the file
again for the dry run and the confirm) go through these formats, so a file is read the same way
each time. Limits (settings IMPORT_MAX_*) are checked while reading, before a table is built:
an XLSX is a zip, and a few kilobytes of it can unpack to gigabytes of cells.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Sequence

import tablib
from django.conf import settings
from import_export.formats import base_formats


class FileRefused(ValueError):
    """A file that is not read; the message says why and what to do, for the person importing."""


def _limits() -> tuple[int, int, int]:
    return (
        settings.IMPORT_MAX_ROWS,
        settings.IMPORT_MAX_COLUMNS,
        settings.IMPORT_MAX_CELL_CHARS,
    )


def _check_width(width: int, max_columns: int) -> None:
    if width > max_columns:
        raise FileRefused(
            f"The file has {width:,} columns; imports take at most {max_columns:,}. "
            "Remove the columns the import does not use."
        )


def _check_cell(value: str, row: int, column: str, max_chars: int) -> None:
    if len(value) > max_chars:
        raise FileRefused(
            f"The cell at row {row:,}, column {column} has {len(value):,} characters; a cell may "
            f"hold at most {max_chars:,}."
        )


def _too_many_rows(max_rows: int) -> FileRefused:
    return FileRefused(
        f"The file has more than {max_rows:,} rows; imports take at most {max_rows:,} at a time. "
        "Split it into smaller files."
    )


def _column_name(headers: Sequence[object], index: int) -> str:
    name = headers[index] if index < len(headers) and headers[index] else ""
    return str(name)[:40] if name else f"#{index + 1}"


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a byte order mark) or UTF-16 with one.

    Other encodings are refused rather than guessed: a Windows-1251 file read as Windows-1252
    (or the reverse) is silently wrong on every accented or Cyrillic letter, and such a file
    would be imported as garbage.
    """
    boms = {
        codecs.BOM_UTF8: "utf-8-sig",
        codecs.BOM_UTF16_LE: "utf-16",
        codecs.BOM_UTF16_BE: "utf-16",
    }
    encoding = next((name for bom, name in boms.items() if data.startswith(bom)), "utf-8")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        name = "UTF-16" if encoding == "utf-16" else "UTF-8"
        raise FileRefused(
            f"This file is not {name} text, the only encodings an import reads (it may be in "
            "Windows-1252, Latin-1 or Windows-1251). Save it as “CSV UTF-8” (in Excel: "
            "File, Save As, CSV UTF-8) and try again."
        ) from None
    if "\x00" in text:
        raise FileRefused(
            "This file holds binary data, not CSV text. Save it as “CSV UTF-8” and try again, "
            "or choose the format that matches it."
        )
    return text


def read_csv(data: bytes) -> tablib.Dataset:
    max_rows, max_columns, max_chars = _limits()
    text = decode(data)
    # The whole text is in memory already (IMPORT_MAX_FILE_SIZE); the csv module's own limit
    # (128 KB a cell) would refuse a long cell without saying where, so the check is below.
    csv.field_size_limit(max(len(text), csv.field_size_limit()))
    reader = csv.reader(io.StringIO(text))
    dataset = tablib.Dataset()
    try:
        headers = next(reader, None)
        if headers is None:
            return dataset
        _check_width(len(headers), max_columns)
        dataset.headers = [h.strip() for h in headers]
        for number, row in enumerate(reader, start=2):
            if number - 1 > max_rows:
                raise _too_many_rows(max_rows)
            _check_width(len(row), max_columns)
            for index, value in enumerate(row):
                _check_cell(value, number, _column_name(headers, index), max_chars)
            # A short row gets empty cells, a row of only the separators is skipped.
            if not any(row):
                continue
            dataset.append(row + [""] * (len(headers) - len(row)))
    except csv.Error as error:
        raise FileRefused(
            f"Row {reader.line_num:,} is not valid CSV ({error}). Save the file as "
            "“CSV UTF-8” and try again."
        ) from None
    return dataset


def read_xlsx(data: bytes) -> tablib.Dataset:
    import openpyxl

    max_rows, max_columns, max_chars = _limits()
    _check_unpacked_size(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as error:
        raise FileRefused(
            "This file is not an Excel workbook (.xlsx). Choose the format that matches it, or "
            "save it from Excel as .xlsx or as “CSV UTF-8”."
        ) from error
    try:
        sheet = book.active
        if sheet is None:
            raise FileRefused("This workbook has no sheet to import.")
        dataset = tablib.Dataset()
        # max_col bounds each row as it is read: a cell at column XFD would otherwise pad
        # every row to 16,384 cells. One column more than the limit tells it was exceeded.
        rows = sheet.iter_rows(max_col=max_columns + 1, values_only=True)
        headers = next(rows, None)
        if headers is None:
            return dataset
        headers = _trimmed(headers)
        _check_width(len(headers), max_columns)
        dataset.headers = ["" if h is None else str(h).strip() for h in headers]
        width = len(headers)
        for number, row in enumerate(rows, start=2):
            if number - 1 > max_rows:
                raise _too_many_rows(max_rows)
            values = _trimmed(row)
            _check_width(len(values), max_columns)
            if not values:
                continue
            for index, value in enumerate(values):
                if isinstance(value, str):
                    _check_cell(value, number, _column_name(dataset.headers, index), max_chars)
            dataset.append((list(values) + [None] * width)[:width])
        return dataset
    finally:
        book.close()


def _trimmed(row: Iterable[object]) -> tuple[object, ...]:
    """The row without its trailing empty cells."""
    values = tuple(row)
    end = len(values)
    while end and values[end - 1] in (None, ""):
        end -= 1
    return values[:end]


def _check_unpacked_size(data: bytes) -> None:
    """Refuse an XLSX whose parts unpack to more than IMPORT_MAX_UNPACKED_SIZE, unread.

    openpyxl reads a workbook's shared strings whole, even in read-only mode, so a huge cell
    costs its full size in memory before any row is seen; the zip's own directory says how
    large each part is.
    """
    limit = settings.IMPORT_MAX_UNPACKED_SIZE
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile:
        raise FileRefused(
            "This file is not an Excel workbook (.xlsx). Choose the format that matches it, or "
            "save it from Excel as .xlsx or as “CSV UTF-8”."
        ) from None
    if unpacked > limit:
        raise FileRefused(
            f"This workbook unpacks to {unpacked / 2**20:,.0f} MB; imports take workbooks of at "
            f"most {limit / 2**20:,.0f} MB unpacked. Split it, or save it as “CSV UTF-8”."
        )


class CSV(base_formats.CSV):
    """CSV read from bytes, so that the encoding is found here rather than assumed."""

    def create_dataset(self, in_stream: bytes | str, **kwargs: object) -> tablib.Dataset:
        if isinstance(in_stream, str):
            in_stream = in_stream.encode()
        return read_csv(in_stream)

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        return read_xlsx(in_stream)
