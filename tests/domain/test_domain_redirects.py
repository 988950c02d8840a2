import pytest

from indsatsteam.domain.redirects import is_safe_next, safe_next

UNSAFE = [
    "",
    None,
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example",
    "http:evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "///evil.example",
    "javascript:alert(1)",
    " /x",
    "/x ",
    "/\t/evil.example",
    "/%09/evil.example",
    "/ansoegninger\r\nSet-Cookie: x=1",
    "/ansoegninger%0D%0ASet-Cookie:%20x=1",
    "ansoegninger/3",
    "evil.example",
    "/\u200b/evil.example",
]
SAFE = [
    "/",
    "/ansoegninger/3?x=1",
    "/ansoegninger/3#tidsplan",
    "/forloeb/7/opgaver?status=aaben&side=2",
    "/soeg?q=bo%20tilbud",
    "/javascript:alert(1)",  # a path on this site, not a scheme
]


@pytest.mark.parametrize("target", UNSAFE)
def test_unsafe_targets(target):
    assert not is_safe_next(target)
    assert safe_next(target, "/forside") == "/forside"


@pytest.mark.parametrize("target", SAFE)
def test_safe_targets(target):
    assert is_safe_next(target)
    assert safe_next(target, "/forside") == target
