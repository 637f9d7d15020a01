"""Bad import files: each gets a message a researcher can act on, every row's errors at once,
and never a traceback or a page that echoes a huge cell."""

import io
import zipfile

import openpyxl
import pytest

from policies.models import Commitment
from tests import factories
from tests.test_import import CSV, GOOD_ROWS, HEADER, XLSX, confirm, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def references():
    factories.policy(slug="ru-ai")
    factories.source(slug="report")


@pytest.fixture
def production(settings):
    settings.DEBUG = False


def xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_table():
    return [line.split(",") for line in (HEADER + GOOD_ROWS).strip().split("\n")]


def form_errors(response) -> str:
    return " ".join(str(e) for errors in response.context["form"].errors.values() for e in errors)


def test_a_file_without_a_slug_column_is_a_form_error_not_a_traceback(
    contributor_client, production
):
    response = upload(contributor_client, b"title,policy\nSomething,ru-ai\n")

    assert response.status_code == 200
    assert "The file needs a column named slug" in form_errors(response)
    assert "Traceback" not in response.text and "traceback" not in response.text
    assert response.context.get("result") is None
    assert not Commitment.objects.exists()


def test_a_bad_number_is_named_by_row_and_column_and_every_rows_errors_are_listed(
    contributor_client,
):
    header = "slug,policy,title,kind,metric,target_value\n"
    rows = (
        'first,ru-ai,First,quantitative_target,share,"12,5x"\n'
        "second,ru-ai,Second,quantitative_target,share,30\n"
        "third,no-such-policy,Third,quantitative_target,share,lots\n"
    )

    response = upload(contributor_client, (header + rows).encode())

    result = response.context["result"]
    assert not result.has_errors()  # no row is a crash: each is a validation error
    invalid = {row.number: row.error_dict for row in result.invalid_rows}
    assert set(invalid) == {1, 3}
    assert invalid[1]["target_value"] == ["'12,5x' is not a number."]
    assert invalid[3]["target_value"] == ["'lots' is not a number."]
    assert "No policy has the slug 'no-such-policy'." in invalid[3]["policy"]
    assert "ConversionSyntax" not in response.text
    assert "&#x27;12,5x&#x27; is not a number." in response.text
    assert not Commitment.objects.exists()


def test_a_utf8_file_with_a_byte_order_mark_imports(contributor_client):
    content = "\ufeff" + HEADER + GOOD_ROWS.replace("Global leadership", "Лидерство")
    confirm(contributor_client, upload(contributor_client, content.encode("utf-8")))

    assert Commitment.objects.get(slug="leadership-2030").title == "Лидерство"


def test_a_utf16_file_with_a_byte_order_mark_imports(contributor_client):
    content = HEADER + GOOD_ROWS.replace("Global leadership", "Лидерство")
    confirm(contributor_client, upload(contributor_client, content.encode("utf-16")))

    assert Commitment.objects.get(slug="leadership-2030").title == "Лидерство"


def test_a_latin1_file_is_refused_by_name_and_says_how_to_save_it(contributor_client, production):
    content = HEADER + GOOD_ROWS.replace("Global leadership", "Leadership réelle")
    response = upload(contributor_client, content.encode("latin-1"))

    message = form_errors(response)
    assert "not UTF-8" in message
    assert "CSV UTF-8" in message
    assert "UnicodeDecodeError" not in response.text
    assert not Commitment.objects.exists()


def test_an_xlsx_with_a_huge_cell_is_refused_before_it_is_read_into_memory(
    contributor_client, settings, production
):
    settings.IMPORT_MAX_CELL_CHARS = 1000
    table = good_table()
    table[1][2] = "x" * 5000

    response = upload(contributor_client, xlsx(table), name="c.xlsx", format=XLSX)

    message = form_errors(response)
    assert "row 2, column title has 5,000 characters; a cell may hold at most 1,000" in message
    assert "x" * 1001 not in response.text
    assert not Commitment.objects.exists()


def test_an_xlsx_that_expands_to_more_than_the_limit_is_refused_unread(
    contributor_client, settings
):
    # A zip bomb: a few kilobytes that would unpack to a huge sheet.
    settings.IMPORT_MAX_UNPACKED_SIZE = 100_000
    table = good_table()
    table[1] += ["y" * 30_000] * 10  # a cell holds at most 32,767 characters in Excel
    response = upload(contributor_client, xlsx(table), name="c.xlsx", format=XLSX)

    assert "unpacks to" in form_errors(response)


def test_a_file_with_too_many_rows_is_refused_with_the_limit(contributor_client, settings):
    settings.IMPORT_MAX_ROWS = 2
    rows = GOOD_ROWS + "third,ru-ai,Third,deliverable,2020,report,Introduction,a quote\n"

    response = upload(contributor_client, (HEADER + rows).encode())

    assert "more than 2 rows" in form_errors(response)
    assert "Split it into smaller files" in form_errors(response)


def test_an_xlsx_with_too_many_rows_is_refused_with_the_limit(contributor_client, settings):
    settings.IMPORT_MAX_ROWS = 1
    response = upload(contributor_client, xlsx(good_table()), name="c.xlsx", format=XLSX)

    assert "more than 1 rows" in form_errors(response)


def test_a_file_with_too_many_columns_is_refused_with_the_limit(contributor_client, settings):
    settings.IMPORT_MAX_COLUMNS = 5

    response = upload(contributor_client, (HEADER + GOOD_ROWS).encode())
    assert "8 columns; imports take at most 5" in form_errors(response)

    response = upload(contributor_client, xlsx(good_table()), name="c.xlsx", format=XLSX)
    assert "columns; imports take at most 5" in form_errors(response)


def test_a_csv_with_a_huge_cell_is_refused(contributor_client, settings):
    settings.IMPORT_MAX_CELL_CHARS = 1000
    rows = GOOD_ROWS.replace("Global leadership", "z" * 3000)

    response = upload(contributor_client, (HEADER + rows).encode())

    assert "row 3, column title has 3,000 characters" in form_errors(response)
    assert "z" * 1001 not in response.text


def test_the_result_page_shows_long_values_shortened(contributor_client, settings):
    settings.IMPORT_MAX_CELL_CHARS = 100_000
    long_text = "w" * 20_000
    content = f"slug,policy,title,description\nlong-one,ru-ai,Long,{long_text}\n"

    dry_run = upload(contributor_client, content.encode())
    assert dry_run.context["confirm_form"] is not None
    assert long_text not in dry_run.text
    assert "w" * 50 in dry_run.text

    invalid = upload(contributor_client, content.replace("ru-ai", "missing").encode())
    assert invalid.context["result"].has_validation_errors()
    assert long_text not in invalid.text

    confirm(contributor_client, dry_run)
    assert Commitment.objects.get(slug="long-one").description == long_text  # stored whole


def test_the_wrong_format_for_the_file_is_named(contributor_client, production):
    response = upload(contributor_client, (HEADER + GOOD_ROWS).encode(), name="c.xlsx", format=XLSX)

    assert "not an Excel workbook" in form_errors(response)
    assert "encountered" not in form_errors(response)


def test_a_csv_posted_as_binary_garbage_is_refused_by_name(contributor_client, production):
    response = upload(contributor_client, b"\x00\x01\x02\xff\xfe garbage", format=CSV)

    assert "not UTF-8" in form_errors(response)


def test_an_xlsx_zip_without_a_sheet_is_refused(contributor_client, production):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    response = upload(contributor_client, buffer.getvalue(), name="c.xlsx", format=XLSX)

    assert "not an Excel workbook" in form_errors(response)


def test_a_row_breaking_a_rule_of_its_kind_is_named_with_the_rule_and_nothing_is_imported(
    contributor_client,
):
    header = "slug,policy,title,kind,pledged,due,metric,target_value\n"
    rows = (
        "fine,ru-ai,Fine,deliverable,2019,2024,,\n"
        "early,ru-ai,Due before pledged,deliverable,2024,2019,,\n"
        "no-metric,ru-ai,Target without metric,quantitative_target,,2024,,30\n"
    )

    response = upload(contributor_client, (header + rows).encode())

    invalid = {row.number: row.error_dict for row in response.context["result"].invalid_rows}
    assert invalid == {
        2: {"__all__": ["A commitment cannot be due before it was pledged."]},
        3: {"__all__": ["A target value needs the metric it measures."]},
    }
    assert response.context.get("confirm_form") is None
    assert not Commitment.objects.exists()
