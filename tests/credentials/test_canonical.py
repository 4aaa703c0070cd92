"""The fast path of ``canonicalize`` gives exactly the bytes of the ``rfc8785`` package for
every value it accepts, and hands everything else to it."""

import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from tests.credentials.helpers import fuzz
from truongso.credentials.rules.data_integrity import _plain, canonicalize

SAFE = 2**53 - 1
scalars = (
    st.none() | st.booleans() | st.integers(-SAFE, SAFE)
    | st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)))
    | st.text()
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=5)
        | st.dictionaries(st.text(alphabet=st.characters(max_codepoint=0xD7FF)), inner, max_size=5)
    ),
    max_leaves=30,
)


@fuzz
@given(values)
def test_same_bytes_as_rfc8785(value):
    try:
        expected = rfc8785.dumps(value)
    except Exception as error:  # noqa: BLE001 - the same refusal either way
        try:
            canonicalize(value)
        except Exception as mine:  # noqa: BLE001
            assert type(mine) is type(error)
            return
        raise AssertionError("canonicalize accepted what rfc8785 refuses") from None
    assert canonicalize(value) == expected


def test_exact_forms_and_what_goes_to_rfc8785():
    assert canonicalize({"b": '\u0007\n"\\é', "a": [1, True, None]}) == (
        b'{"a":[1,true,null],"b":"\\u0007\\n\\"\\\\\xc3\xa9"}'
    )
    # Key order by UTF-16 code units: U+1F600 (surrogates D83D…) sorts before U+E000.
    value = {"\ue000": 1, "\U0001f600": 2}
    assert not _plain(value)
    assert canonicalize(value) == rfc8785.dumps(value)
    assert canonicalize(value).decode()[2] == "\U0001f600"
    for refused in (1.5, 2**53, (1, 2), {1: "x"}):
        assert not _plain(refused)
    assert canonicalize(0.5) == b"0.5"  # floats: rfc8785's number form
