"""Every domain error derives from one base and carries a code, an optional field and
params: views can catch :class:`portal.errors.DomainError` and read the same attributes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from portal.auth.nip import InvalidNip, parse_nip
from portal.auth.services import AccountError, AuthError
from portal.courses.frontmatter import ContentError
from portal.courses.loader import ContentErrors
from portal.errors import DomainError
from portal.progress.services import ProgressError
from portal.quizzes.services import QuizError


def test_base_keeps_code_field_params_and_message():
    error = DomainError("too_early", "not yet", field="done", params={"minutes": 5})
    assert (error.code, error.field, error.params, str(error)) == (
        "too_early", "done", {"minutes": 5}, "not yet")
    bare = DomainError("locked")
    assert (bare.field, bare.params, str(bare)) == (None, {}, "locked")


@pytest.mark.parametrize("error, code, field", [
    (AuthError("inactive"), "inactive", None),
    (AccountError("duplicate_nip", "nip"), "duplicate_nip", "nip"),
    (ProgressError("wrong_course"), "wrong_course", None),
    (QuizError("no_attempts_left"), "no_attempts_left", None),
    (InvalidNip("digits", "NIP must contain digits only."), "digits", "nip"),
])
def test_each_domain_error_derives_from_the_base(error, code, field):
    assert isinstance(error, DomainError)
    assert (error.code, error.field) == (code, field)


def test_progress_error_carries_ready_at_as_attribute_and_param():
    ready = datetime(2026, 11, 2, 1, 30, tzinfo=timezone.utc)
    error = ProgressError("too_early", ready_at=ready)
    assert error.ready_at == ready and error.params == {"ready_at": ready}


def test_content_error_keeps_path_and_line():
    error = ContentError("content/x/course.md", 3, "unknown key")
    assert isinstance(error, DomainError)
    assert str(error) == "content/x/course.md:3: unknown key"
    assert error.code == "content"
    assert error.params == {"path": "content/x/course.md", "line": 3}
    both = ContentErrors([error])
    assert isinstance(both, DomainError) and str(both) == str(error)


def test_invalid_nip_is_still_a_value_error():
    with pytest.raises(ValueError) as caught:
        parse_nip("12ab")
    assert isinstance(caught.value, DomainError) and caught.value.code == "digits"
