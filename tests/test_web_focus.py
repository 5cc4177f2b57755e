"""In the browser (`serve`), keys typed right after the page loads reach the app: the page focuses the
terminal once its session is connected, so no click is needed first."""

from __future__ import annotations

import re

from test_web import Screen, chromium, free_port, serve, wait_for_screen  # noqa: F401 (fixtures)


def test_keys_typed_at_once_after_load_reach_the_app_without_a_click(serve, chromium) -> None:  # noqa: F811
    port = free_port()
    server = serve("--port", str(port))
    server.wait_for_port(port)
    context = chromium.new_context(viewport={"width": 1200, "height": 700})
    problems: list[str] = []
    screen = Screen()
    page = context.new_page()
    page.on("websocket", lambda ws: ws.on("framereceived", screen.feed))
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    try:
        page.goto(f"http://127.0.0.1:{port}/")
        wait_for_screen(page, screen, lambda text: re.search(r"[▶▼] Iraq\b", text), "the region tree")
        page.wait_for_function("document.activeElement && document.activeElement.tagName === 'TEXTAREA'")
        page.keyboard.type("/Khorasan")  # no click, no page.focus: typed as the page shows
        page.keyboard.press("Enter")
        found = wait_for_screen(
            page, screen, lambda text: "Esc closes" not in text and "Taliban" in text, "ISIS-Khorasan's record"
        )
        assert "ISIS-Khorasan" in found
    finally:
        context.close()
    assert problems == []
