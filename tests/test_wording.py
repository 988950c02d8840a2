"""Singular and plural with Babel's ngettext."""

from indsatsteam.wording import ngettext


def test_one_is_singular_everything_else_plural():
    forms = ("%(num)s aktivt forløb", "%(num)s aktive forløb")
    assert ngettext(*forms, 1) == "1 aktivt forløb"
    assert ngettext(*forms, 0) == "0 aktive forløb"
    assert ngettext(*forms, 2) == "2 aktive forløb"


def test_other_values_and_a_formatted_number():
    assert ngettext("%(num)s opgave om %(days)s dage", "%(num)s opgaver om %(days)s dage",
                    1200, num="1.200", days=14) == "1.200 opgaver om 14 dage"
