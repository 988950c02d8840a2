import pytest

from indsatsteam.domain.cvr import check_cvr, check_p_number
from indsatsteam.domain.errors import DomainError

from helpers import is_valid_cvr

LENGTH = "Indtast et CVR-nummer på 8 cifre"
CHECKSUM = "CVR-nummeret er ikke gyldigt. Tjek at du har skrevet det rigtigt"

VALID_CVRS = [
    "24256790",  # Novo Nordisk A/S
    "61126228",  # Danske Bank A/S
    "61056416",  # Carlsberg A/S
    "22756214",  # A.P. Møller - Mærsk A/S
    "12345674",  # computed: 2+14+18+20+20+18+14+4 = 110
]


@pytest.mark.parametrize("cvr", VALID_CVRS)
def test_valid_cvr_is_returned_unchanged(cvr):
    assert check_cvr(cvr) == cvr
    assert is_valid_cvr(cvr)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2425 6790", "24256790"),
        (" 24256790 ", "24256790"),
        ("24 25 67 90", "24256790"),
        ("2425\u00a06790", "24256790"),  # non-breaking space, pasted from a web page
    ],
)
def test_spaces_are_removed(typed, expected):
    assert check_cvr(typed) == expected


@pytest.mark.parametrize(
    "value",
    ["", "   ", "1234567", "123456789", "2425679O", "ABCDEFGH", "2425-6790", "DK24256790",
     "٢٤٢٥٦٧٩٠", None],
)
def test_wrong_length_or_not_digits(value):
    with pytest.raises(DomainError) as caught:
        check_cvr(value)
    assert caught.value.message == LENGTH
    assert str(caught.value) == LENGTH
    assert caught.value.field == "cvr"
    assert not is_valid_cvr(value)


@pytest.mark.parametrize(
    "value",
    [
        "24256791",  # last digit off by one
        "12345678",
        "11111111",
        "01234560",  # passes modulus 11, but a CVR never starts with 0
        "00000000",
    ],
)
def test_failing_check_gets_the_checksum_message(value):
    with pytest.raises(DomainError, match="^CVR-nummeret er ikke gyldigt") as caught:
        check_cvr(value)
    assert caught.value.message == CHECKSUM


@pytest.mark.parametrize("position", range(8))
def test_any_single_digit_typo_is_caught(position):
    cvr = "24256790"
    for digit in "0123456789":
        if digit == cvr[position]:
            continue
        typo = cvr[:position] + digit + cvr[position + 1 :]
        assert not is_valid_cvr(typo), typo


@pytest.mark.parametrize("position", range(7))
def test_swapped_neighbouring_digits_are_caught(position):
    cvr = "61056416"
    if cvr[position] == cvr[position + 1]:
        pytest.skip("swapping equal digits changes nothing")
    swapped = cvr[:position] + cvr[position + 1] + cvr[position] + cvr[position + 2 :]
    assert not is_valid_cvr(swapped)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("1234567890", "1234567890"), ("1003 3889 32", "1003388932"), ("0000000001", "0000000001")],
)
def test_valid_p_number(typed, expected):
    assert check_p_number(typed) == expected


@pytest.mark.parametrize("value", ["", "123456789", "12345678901", "12345678A0", None])
def test_invalid_p_number(value):
    with pytest.raises(DomainError) as caught:
        check_p_number(value)
    assert caught.value.message == "Indtast et P-nummer på 10 cifre"
    assert caught.value.field == "p_number"
