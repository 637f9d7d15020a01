"""A filter value the form cannot read is shown back as an error beside the field, as typed,
so the reader can correct it; it is never put into a number input that cannot hold it."""

import re

import pytest

pytestmark = pytest.mark.django_db


def field_html(html, name):
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/commitments/", "due_year"),
        ("/commitments/", "pledged_year"),
        ("/policies/", "year"),
        ("/events/", "year"),
        ("/funding/", "year"),
        ("/sources/", "year"),
    ],
)
def test_a_year_that_is_not_a_number_is_an_error_and_no_number_input_holds_it(client, path, name):
    response = client.get(path, {name: "abc"})
    assert response.status_code == 400
    field = field_html(response.text, name)
    assert 'type="number"' not in field
    assert 'value="abc"' in field  # kept as typed, to correct
    assert 'aria-invalid="true"' in field
    assert "“abc” is not a year" in response.text


def test_a_valid_year_stays_a_number_input(client):
    response = client.get("/commitments/", {"due_year": "2024"})
    assert response.status_code == 200
    field = field_html(response.text, "due_year")
    assert 'type="number"' in field
    assert 'value="2024"' in field


def test_a_year_out_of_range_keeps_its_number_input_and_says_why(client):
    response = client.get("/commitments/", {"due_year": "99999"})
    assert response.status_code == 400
    assert 'type="number"' in field_html(response.text, "due_year")
    assert "less than or equal to 9999" in response.text
