"""The MIN_STUDY_RATIO setting: a fraction from 0 to 1 (default 0), refused in one clear
line otherwise."""

from __future__ import annotations

import pytest

from portal.config import ConfigError, load_config


@pytest.mark.parametrize("raw, expected", [(None, 0.0), ("", 0.0), ("0.5", 0.5), ("0,5", 0.5),
                                           ("1", 1.0), (" 0.25 ", 0.25)])
def test_min_study_ratio_is_read(monkeypatch, tmp_path, raw, expected):
    monkeypatch.setenv("PORTAL_ENV", "testing")
    if raw is None:
        monkeypatch.delenv("MIN_STUDY_RATIO", raising=False)
    else:
        monkeypatch.setenv("MIN_STUDY_RATIO", raw)
    assert load_config(str(tmp_path))["MIN_STUDY_RATIO"] == expected


@pytest.mark.parametrize("raw", ["50%", "1.5", "-0.1", "setengah"])
def test_a_bad_min_study_ratio_is_one_clear_error(monkeypatch, tmp_path, raw):
    monkeypatch.setenv("PORTAL_ENV", "testing")
    monkeypatch.setenv("MIN_STUDY_RATIO", raw)
    with pytest.raises(ConfigError) as error:
        load_config(str(tmp_path))
    assert str(error.value) == f"MIN_STUDY_RATIO must be a number from 0 to 1, got {raw!r}"
