"""Where each kind of entry lives: its permanent address is the kind's base and its id."""

import pytest

from policies import links, selectors


@pytest.mark.parametrize("kind", sorted(selectors.CITED_MODELS))
def test_a_kind_s_permalink_base_and_an_id_make_an_entry_s_permalink(kind):
    entry = selectors.CITED_MODELS[kind](pk=4021)
    assert links.permalink_base(kind) + "4021/" == links.permalink(entry)
    assert links.permalink_base(kind) == f"/e/{kind}/"
