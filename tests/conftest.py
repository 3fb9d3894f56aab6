"""Fixtures for every test."""

import ipywidgets as W
import pytest

from communitylab import i18n


@pytest.fixture(autouse=True)
def close_the_labs_a_test_made():
    """Close every lab, dashboard and course map a test built, once the test is over.

    ipywidgets keeps every widget until it is closed, so without this each language switch in a later test
    relabels and redraws every lab built before it: hundreds by the end of a full run, slow enough to make a test
    that waits for a listener time out.
    """
    before = {id(reference) for reference in i18n._listeners}
    yield
    for reference in list(i18n._listeners):
        owner = getattr(reference(), "__self__", None) if id(reference) not in before else None
        if isinstance(owner, W.Widget):
            owner.close()
