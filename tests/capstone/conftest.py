import pytest

from communitylab import i18n


@pytest.fixture(autouse=True)
def english():
    """Messages in English unless a test asks for another language."""
    i18n.set_lang("en")
    yield
    i18n.set_lang(None)
