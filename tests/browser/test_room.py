"""A full room, in Chromium: the learner past the kernel cap sees a clear page in their language, not a broken lab."""

from voila_browser import VoilaServer, new_page, offsite_requests, open_lab, screenshot

from communitylab import i18n

LESSON = "notebooks/{folder}/01_value_positioning.ipynb"


def test_the_learner_past_the_cap_gets_a_bilingual_room_full_page(chromium):
    with VoilaServer(args=("--max-kernels", "1")) as server:
        first = new_page(chromium)
        open_lab(first, server.url, LESSON.format(folder="en"))
        for folder, lang in (("zh", "zh_CN"), ("en", "en")):
            page = new_page(chromium)
            response = page.goto(f"{server.url}/voila/render/{LESSON.format(folder=folder)}", timeout=60_000)
            assert response.status == 503 and response.headers["retry-after"] == "60"
            heading = page.inner_text("h1")
            assert heading == i18n.t("serve.full.title", lang)  # the learner's language first
            assert i18n.t("serve.full.title", "en" if lang == "zh_CN" else "zh_CN") in page.inner_text("body")
            screenshot(page, f"room-full-{lang}", selector=None)
            assert offsite_requests(page) == []
            page.context.close()
        first.context.close()
