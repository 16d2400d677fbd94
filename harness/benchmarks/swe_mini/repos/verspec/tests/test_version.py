import pytest

from verspec import InvalidVersion, Version


def test_parse_full_version():
    v = Version.parse("1.2.3-rc.1+build.5")
    assert (v.major, v.minor, v.patch) == (1, 2, 3)
    assert v.prerelease == ("rc", "1")
    assert v.build == ("build", "5")
    assert v.release == (1, 2, 3)


def test_str_round_trip():
    for text in ["0.0.0", "1.2.3", "1.0.0-alpha", "1.0.0-x.7.z.92", "1.0.0-x-y-z.--",
                 "1.0.0+20130313144700", "1.0.0-beta+exp.sha.5114f85", "10.20.30"]:
        assert str(Version.parse(text)) == text
    assert repr(Version.parse("1.2.3-rc.1")) == "Version('1.2.3-rc.1')"


def test_parse_strips_whitespace():
    assert Version.parse("  1.2.3\n") == Version(1, 2, 3)


def test_parse_rejects_malformed():
    for text in ["", "1", "1.2", "1.2.3.4", "1.2.3-", "1.2.3+", "1.2.3-rc..1",
                 "1.2.3-rc_1", "a.b.c", "1.2.-3", "1.2.3 4"]:
        with pytest.raises(InvalidVersion):
            Version.parse(text)
    with pytest.raises(TypeError):
        Version.parse(123)


def test_parse_rejects_leading_zeros():
    for text in ["01.2.3", "1.02.3", "1.2.03", "1.2.3-rc.01", "00.0.0"]:
        with pytest.raises(InvalidVersion):
            Version.parse(text)
    assert str(Version.parse("0.10.0-rc.0+build.007")) == "0.10.0-rc.0+build.007"
    assert str(Version.parse("1.0.0-0a.01a")) == "1.0.0-0a.01a"


def test_parse_accepts_v_prefix():
    assert Version.parse("v1.4.0") == Version(1, 4, 0)
    assert str(Version.parse("v2.0.0-rc.1+b7")) == "2.0.0-rc.1+b7"
    with pytest.raises(InvalidVersion):
        Version.parse("vv1.4.0")


def test_constructor_validates_fields():
    assert str(Version(1, 2, 3, "rc.1", ("build", 5))) == "1.2.3-rc.1+build.5"
    assert Version(1, 2, 3, ("rc", 1)) == Version.parse("1.2.3-rc.1")
    for args in [(-1, 0, 0), (1, True, 0), (1, 2, "3"), (1, 0, 0, "rc..1"), (1, 0, 0, (), "a+b")]:
        with pytest.raises(InvalidVersion):
            Version(*args)
    with pytest.raises(AttributeError):
        Version(1, 2, 3).major = 2


def test_release_precedence():
    assert Version.parse("1.0.0") < Version.parse("2.0.0") < Version.parse("2.1.0")
    assert Version.parse("2.1.0") < Version.parse("2.1.1") < Version.parse("10.0.0")
    assert max(Version.parse(t) for t in ["1.9.0", "1.10.0", "1.2.0"]) == Version(1, 10, 0)


def test_prerelease_precedes_release():
    assert Version.parse("1.0.0-alpha") < Version.parse("1.0.0")
    assert Version.parse("1.0.0") < Version.parse("1.0.1-alpha")
    assert Version.parse("1.0.0-alpha") < Version.parse("1.0.0-alpha.1")
    assert Version.parse("1.0.0-1") < Version.parse("1.0.0-alpha")


def test_semver_spec_precedence_example():
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
               "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0"]
    shuffled = [ordered[i] for i in (5, 2, 7, 0, 4, 6, 1, 3)]
    assert [str(v) for v in sorted(map(Version.parse, shuffled))] == ordered


def test_numeric_prerelease_identifiers_compare_numerically():
    assert Version.parse("1.0.0-rc.2") < Version.parse("1.0.0-rc.10")
    assert Version.parse("2.0.0-9") < Version.parse("2.0.0-10")
    assert Version.parse("1.0.0-alpha.100") > Version.parse("1.0.0-alpha.99")


def test_build_metadata_ignored_in_comparison():
    a, b = Version.parse("1.0.0+a"), Version.parse("1.0.0+b")
    assert a == b and not a < b and not b < a
    assert len({a, b, Version(1, 0, 0)}) == 1


def test_compare_with_strings_and_other_types():
    v = Version(1, 2, 3)
    assert v == "1.2.3"
    assert v < "1.10.0"
    assert v >= "1.2.3-rc.1"
    assert v != "not a version"
    assert v != (1, 2, 3)
    with pytest.raises(TypeError):
        v < 2


def test_bump_major():
    assert str(Version.parse("1.2.3").bump_major()) == "2.0.0"
    assert str(Version.parse("2.0.0-rc.1").bump_major()) == "2.0.0"
    assert str(Version.parse("2.1.0-rc.1").bump_major()) == "3.0.0"


def test_bump_minor():
    assert str(Version.parse("1.2.3").bump_minor()) == "1.3.0"
    assert str(Version.parse("1.3.0-rc.1").bump_minor()) == "1.3.0"


def test_bump_minor_from_patch_prerelease():
    v = Version.parse("1.2.3-rc.1")
    assert str(v.bump_minor()) == "1.3.0"
    assert v.bump_minor() > v
    assert str(Version.parse("0.4.1-beta").bump_minor()) == "0.5.0"


def test_bump_patch():
    assert str(Version.parse("1.2.3").bump_patch()) == "1.2.4"
    assert str(Version.parse("1.2.4-rc.1").bump_patch()) == "1.2.4"


def test_bump_prerelease():
    assert str(Version.parse("1.2.3").bump_prerelease()) == "1.2.4-rc.0"
    assert str(Version.parse("1.2.3").bump_prerelease("beta")) == "1.2.4-beta.0"
    assert str(Version.parse("1.2.4-rc.0").bump_prerelease()) == "1.2.4-rc.1"
    assert str(Version.parse("1.2.4-beta").bump_prerelease()) == "1.2.4-beta.0"


def test_bump_drops_build_metadata():
    v = Version.parse("1.2.3+build.9")
    for bumped in (v.bump_major(), v.bump_minor(), v.bump_patch(), v.bump_prerelease()):
        assert bumped.build == ()
