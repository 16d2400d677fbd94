import pytest

import verspec
from verspec import Constraint, Version, max_satisfying, satisfies, sort_versions


def test_parse_helper():
    assert verspec.parse("3.1.4-beta.2") == Version(3, 1, 4, "beta.2")


def test_satisfies_accepts_strings_and_objects():
    assert satisfies("1.4.2", "^1.2")
    assert satisfies(Version(1, 4, 2), Constraint("~1.4"))
    assert not satisfies("2.0.0", ">=1.0,<2.0")


def test_max_satisfying_returns_original_item():
    versions = ["1.2.0", "1.10.1", "1.9.9", "2.0.0", "not-a-version"]
    assert max_satisfying(versions, "^1.2") == "1.10.1"
    objs = [Version(1, 0, 0), Version(1, 1, 0)]
    assert max_satisfying(objs, "1.x") is objs[1]
    assert max_satisfying(versions, ">=3") is None


def test_max_satisfying_skips_prereleases_of_next_major():
    versions = ["1.8.0", "1.9.0", "2.0.0-rc.1", "2.0.0-rc.2"]
    assert max_satisfying(versions, "^1.2") == "1.9.0"
    assert max_satisfying(versions, ">=2.0.0-rc.1") == "2.0.0-rc.2"


def test_include_prerelease_in_helpers():
    versions = ["1.8.0", "1.9.0-rc.1", "2.0.0-rc.1"]
    assert max_satisfying(versions, "^1.2", include_prerelease=True) == "1.9.0-rc.1"
    assert max_satisfying(versions, Constraint("^1.2"), include_prerelease=True) == "1.9.0-rc.1"
    assert satisfies("1.9.0-rc.1", "1.x", include_prerelease=True)
    assert not satisfies("1.9.0-rc.1", "1.x")


def test_constraint_objects_keep_their_prerelease_setting():
    assert satisfies("1.1.0-rc.1", Constraint("^1.0")) is False
    assert max_satisfying(["1.0.0", "1.1.0-rc.1"], Constraint("^1.0")) == Version.parse("1.0.0")
    lenient = Constraint("^1.0", include_prerelease=True)
    assert satisfies("1.1.0-rc.1", lenient) is True


def test_sort_versions():
    versions = ["1.10.0", "1.2.0", "1.2.0-rc.1", Version(0, 9, 0), "1.2.0-alpha"]
    assert [str(v) for v in sort_versions(versions)] == [
        "0.9.0", "1.2.0-alpha", "1.2.0-rc.1", "1.2.0", "1.10.0"]
    assert sort_versions(["1.0.0", "2.0.0"], reverse=True) == ["2.0.0", "1.0.0"]


def test_errors_are_value_errors():
    assert issubclass(verspec.InvalidVersion, verspec.VerspecError)
    assert issubclass(verspec.InvalidConstraint, ValueError)
    with pytest.raises(ValueError):
        verspec.parse("1.2")
    with pytest.raises(verspec.VerspecError):
        satisfies("1.0.0", "~>1.0")
