"""verspec: semantic version parsing and constraint matching."""

from typing import Iterable, List, Optional, Union

from .constraints import Comparator, Constraint, VersionLike
from .errors import InvalidConstraint, InvalidVersion, VerspecError
from .version import Version, as_version

__all__ = [
    "Comparator", "Constraint", "InvalidConstraint", "InvalidVersion", "Version",
    "VerspecError", "max_satisfying", "parse", "satisfies", "sort_versions",
]

__version__ = "0.4.1"

ConstraintLike = Union[Constraint, str]


def parse(text: str) -> Version:
    """Parse *text* into a :class:`Version`."""
    return Version.parse(text)


def _as_constraint(constraint: ConstraintLike, include_prerelease: bool) -> Constraint:
    if isinstance(constraint, Constraint):
        if include_prerelease and not constraint.include_prerelease:
            return Constraint(constraint.text, include_prerelease=True)
        return constraint
    return Constraint(constraint, include_prerelease=include_prerelease)


def satisfies(
    version: Union[Version, str], constraint: ConstraintLike, *, include_prerelease: bool = False
) -> bool:
    """Return whether *version* satisfies *constraint*."""
    return _as_constraint(constraint, include_prerelease).allows(version)


def max_satisfying(
    versions: Iterable[VersionLike], constraint: ConstraintLike, *, include_prerelease: bool = False
) -> Optional[VersionLike]:
    """The highest of *versions* that satisfies *constraint*, or ``None``."""
    return _as_constraint(constraint, include_prerelease).max_satisfying(versions)


def sort_versions(versions: Iterable[VersionLike], *, reverse: bool = False) -> List[VersionLike]:
    """Sort version strings or objects by SemVer precedence."""
    return sorted(versions, key=as_version, reverse=reverse)
