import pytest

from indsatsteam.domain.login_methods import parse_password_login


@pytest.mark.parametrize("value, expected", [
    (None, {"tilbud", "staff"}), ("tilbud,staff", {"tilbud", "staff"}), ("staff", {"staff"}),
    (" Staff ", {"staff"}), ("off", set()),
])
def test_password_login_setting(value, expected):
    assert parse_password_login(value) == expected


def test_a_typo_is_refused():
    with pytest.raises(ValueError, match="ukendt"):
        parse_password_login("stab")
