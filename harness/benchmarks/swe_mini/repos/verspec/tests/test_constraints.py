import pytest

from verspec import Constraint, InvalidConstraint, Version


def allowed(constraint, candidates):
    c = Constraint(constraint)
    return [v for v in candidates if c.allows(v)]


def test_exact_versions():
    for text in ["1.2.3", "=1.2.3", "==1.2.3"]:
        assert allowed(text, ["1.2.2", "1.2.3", "1.2.3+build.1", "1.2.4"]) == ["1.2.3", "1.2.3+build.1"]


def test_comparison_operators():
    versions = ["0.9.0", "1.0.0", "1.0.1", "2.0.0"]
    assert allowed(">=1.0.0", versions) == ["1.0.0", "1.0.1", "2.0.0"]
    assert allowed(">1.0.0", versions) == ["1.0.1", "2.0.0"]
    assert allowed("<1.0.1", versions) == ["0.9.0", "1.0.0"]
    assert allowed("<=1.0.1", versions) == ["0.9.0", "1.0.0", "1.0.1"]
    assert allowed("!=1.0.1", versions) == ["0.9.0", "1.0.0", "2.0.0"]
    assert allowed(">=1.0", versions) == ["1.0.0", "1.0.1", "2.0.0"]


def test_ranges_with_commas_spaces_and_operator_spacing():
    versions = ["0.9.9", "1.0.0", "1.5.0", "2.0.0"]
    for text in [">=1.0,<2.0", ">=1.0 <2.0", ">=1.0, <2.0", ">= 1.0 < 2.0"]:
        assert allowed(text, versions) == ["1.0.0", "1.5.0"]


def test_wildcards():
    versions = ["0.9.0", "1.0.0", "1.2.0", "1.2.9", "1.3.0", "2.0.0"]
    for text in ["1.x", "1.X", "1.*", "1", "1.x.x"]:
        assert allowed(text, versions) == ["1.0.0", "1.2.0", "1.2.9", "1.3.0"]
    for text in ["1.2.x", "1.2.*", "1.2", "=1.2"]:
        assert allowed(text, versions) == ["1.2.0", "1.2.9"]
    for text in ["*", "x", ">=*"]:
        assert allowed(text, versions) == versions


def test_caret_ranges():
    versions = ["0.0.1", "0.1.0", "0.2.3", "0.2.9", "0.3.0", "1.2.3", "1.9.0", "2.0.0"]
    assert allowed("^1.2.3", versions) == ["1.2.3", "1.9.0"]
    assert allowed("^1.2", versions) == ["1.2.3", "1.9.0"]
    assert allowed("^1", versions) == ["1.2.3", "1.9.0"]
    assert allowed("^0.2.3", versions) == ["0.2.3", "0.2.9"]
    assert allowed("^0.0", versions) == ["0.0.1"]
    assert allowed("^0", versions) == ["0.0.1", "0.1.0", "0.2.3", "0.2.9", "0.3.0"]


def test_caret_zero_zero_patch_is_exact():
    versions = ["0.0.2", "0.0.3", "0.0.3+build.1", "0.0.4", "0.0.9", "0.1.0"]
    assert allowed("^0.0.3", versions) == ["0.0.3", "0.0.3+build.1"]
    assert not Constraint("^0.0.1").allows("0.0.2")


def test_tilde_ranges():
    versions = ["1.2.2", "1.2.3", "1.2.9", "1.3.0", "1.9.0", "2.0.0"]
    assert allowed("~1.2.3", versions) == ["1.2.3", "1.2.9"]
    assert allowed("~1.2", versions) == ["1.2.2", "1.2.3", "1.2.9"]
    assert allowed("~1", versions) == ["1.2.2", "1.2.3", "1.2.9", "1.3.0", "1.9.0"]


def test_less_equal_partial_includes_whole_series():
    versions = ["1.3.9", "1.4.0", "1.4.2", "1.5.0", "2.0.0"]
    assert allowed("<=1.4", versions) == ["1.3.9", "1.4.0", "1.4.2"]
    assert allowed("<=1", versions) == ["1.3.9", "1.4.0", "1.4.2", "1.5.0"]
    assert allowed("<=1.4.x", versions) == ["1.3.9", "1.4.0", "1.4.2"]


def test_greater_than_partial_excludes_whole_series():
    versions = ["1.4.0", "1.4.2", "1.5.0", "2.0.0"]
    assert allowed(">1.4", versions) == ["1.5.0", "2.0.0"]
    assert allowed(">1", versions) == ["2.0.0"]


def test_union():
    c = Constraint("~1.4.2 || ^3 || 5.0.0")
    assert [v for v in ["1.4.1", "1.4.5", "2.0.0", "3.7.1", "4.0.0", "5.0.0"] if c.allows(v)] == [
        "1.4.5", "3.7.1", "5.0.0"]


def test_prereleases_excluded_unless_range_names_one():
    assert not Constraint("^1.2").allows("2.0.0-rc.1")
    assert not Constraint("^1.2").allows("1.5.0-beta")
    assert not Constraint("*").allows("3.0.0-alpha")
    assert not Constraint("<2.0.0").allows("2.0.0-rc.1")


def test_prerelease_in_range_allows_same_release():
    c = Constraint(">=1.2.3-beta.2 <2")
    assert c.allows("1.2.3-beta.2")
    assert c.allows("1.2.3-beta.3") and c.allows("1.2.3-rc.1")
    assert not c.allows("1.2.3-beta.1")
    assert not c.allows("1.3.0-alpha")
    assert c.allows("1.3.0")
    assert Constraint("~1.2.3-beta.2").allows("1.2.3-beta.4")
    assert not Constraint("~1.2.3-beta.2").allows("1.2.4-beta.1")


def test_include_prerelease_option():
    c = Constraint("^1.2", include_prerelease=True)
    assert c.allows("1.5.0-beta") and c.allows("1.2.1-rc.1")
    assert not c.allows("1.2.0-rc.1")
    assert not c.allows("2.0.0-rc.1")
    assert Constraint("*", include_prerelease=True).allows("3.0.0-alpha")
    assert Constraint("1.x", include_prerelease=True).max_satisfying(
        ["1.8.0", "1.9.0-rc.1", "2.0.0-alpha"]) == "1.9.0-rc.1"


def test_hyphen_ranges():
    versions = ["1.2.2", "1.2.3", "1.8.0", "2.3.4", "2.3.5"]
    assert allowed("1.2.3 - 2.3.4", versions) == ["1.2.3", "1.8.0", "2.3.4"]
    assert allowed("1.2.3 - 2.3.4 || 3.0.0", versions + ["3.0.0"]) == [
        "1.2.3", "1.8.0", "2.3.4", "3.0.0"]
    assert not Constraint("1.2.3 - 2.3.4").allows("2.3.4-rc.1")
    with pytest.raises(InvalidConstraint):
        Constraint(">=1.2.3 - 2.3.4")


def test_hyphen_ranges_with_partial_versions():
    versions = ["1.1.9", "1.2.0", "2.3.9", "2.4.0", "2.9.0", "3.0.0"]
    assert allowed("1.2 - 2.3", versions) == ["1.2.0", "2.3.9"]
    assert allowed("1.2 - 2", versions) == ["1.2.0", "2.3.9", "2.4.0", "2.9.0"]
    assert allowed("* - 2.3.9", versions) == ["1.1.9", "1.2.0", "2.3.9"]


def test_invalid_constraints():
    for text in ["", "   ", "^", ">=", "1.2.3.4", ">>1.0", "~>1.0", "1.0 ||", "<*", "!=1.2",
                 "^1.2 foo", ">=1.0.0-rc..1"]:
        with pytest.raises(InvalidConstraint):
            Constraint(text)
    with pytest.raises(TypeError):
        Constraint(None)


def test_constraint_rejects_leading_zeros():
    for text in ["^01.2", "~1.02", ">=1.2.03", "=1.0.0-rc.01", "00.x"]:
        with pytest.raises(InvalidConstraint):
            Constraint(text)
    assert Constraint("^0.10").allows("0.10.3")


def test_constraint_accepts_v_prefix():
    assert Constraint("^v1.4").allows("1.9.0")
    assert Constraint(">=v1.0.0, <v2").allows("v1.4.2")
    assert not Constraint("=v1.4.0").allows("v1.4.1")


def test_str_is_normalised():
    assert str(Constraint("~1.4.2 || 2.x")) == ">=1.4.2 <1.5.0-0 || >=2.0.0 <3.0.0-0"
    assert str(Constraint(">= 1.0, < 2.0")) == ">=1.0.0 <2.0.0"
    assert str(Constraint("*")) == "*"
    assert repr(Constraint("^1.2")) == "Constraint('^1.2')"


def test_in_operator_and_version_objects():
    assert Version(1, 4, 0) in Constraint("^1.2")
    assert "2.0.0" not in Constraint("^1.2")


def test_filter_keeps_order_and_skips_invalid():
    c = Constraint(">=1.0")
    assert c.filter(["1.5.0", "garbage", "0.9.0", Version(1, 0, 0), "1.2"]) == ["1.5.0", Version(1, 0, 0)]


def test_max_satisfying_method():
    c = Constraint("~1.4")
    assert c.max_satisfying(["1.4.0", "1.4.10", "1.4.9", "1.5.0"]) == "1.4.10"
    assert c.max_satisfying(["1.3.0", "2.0.0"]) is None
