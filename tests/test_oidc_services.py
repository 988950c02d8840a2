"""The plain-value rules of the OIDC logins (the flow itself needs the provider: not yet)."""

import pytest

from indsatsteam.auth.oidc_services import OidcRefused, check_acr, mapped_role, parse_role_map
from indsatsteam.models import Role

LOA = "https://data.gov.dk/concept/core/nsis/loa/"


def test_too_low_acr_is_refused():
    check_acr(LOA + "Substantial", LOA + "Substantial")
    check_acr(LOA + "High", LOA + "Substantial")
    for acr in (LOA + "Low", None, "noget-andet"):
        with pytest.raises(OidcRefused) as err:
            check_acr(acr, LOA + "Substantial")
        assert err.value.reason == "acr" and "sikringsniveau" in err.value.message


def test_the_highest_mapped_role_wins():
    roles = parse_role_map("konsulent=consultant,leder=manager,admin=admin")
    assert mapped_role(("konsulent", "leder"), roles) == Role.MANAGER
    assert mapped_role(("ukendt",), roles) is None
