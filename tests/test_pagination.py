"""The one page type every paginated list uses."""

from portal.pagination import ResultPage


def test_pages_are_at_least_one_and_round_up():
    assert ResultPage(items=[], page=1, per_page=20, total=0).pages == 1
    assert ResultPage(items=[], page=1, per_page=20, total=20).pages == 1
    assert ResultPage(items=[], page=1, per_page=20, total=21).pages == 2


def test_prev_and_next_follow_the_page():
    first = ResultPage(items=[], page=1, per_page=10, total=25)
    middle = ResultPage(items=[], page=2, per_page=10, total=25)
    last = ResultPage(items=[], page=3, per_page=10, total=25)
    assert (first.has_prev, first.has_next) == (False, True)
    assert (middle.has_prev, middle.has_next) == (True, True)
    assert (last.has_prev, last.has_next) == (True, False)
