from indsatsteam.domain.errors import DomainError


def test_message_and_field():
    err = DomainError("Vælg en kommune fra listen", field="municipality")
    assert err.message == "Vælg en kommune fra listen"
    assert err.field == "municipality"
    assert str(err) == "Vælg en kommune fra listen"


def test_field_is_optional():
    err = DomainError("Noget gik galt")
    assert err.field is None
    assert isinstance(err, Exception)
