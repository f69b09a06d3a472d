"""Moving through a page the way a keyboard user does: Tab, Shift+Tab, Enter, typing."""

import pytest

# A page has few enough focusable elements that more presses mean a focus trap or a bug.
MAX_TAB_STOPS = 40

_DESCRIBE_FOCUS = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "(nothing: <body>)";
    const name = (el.getAttribute("aria-label") || el.innerText || el.value || "").trim();
    const id = el.id ? "#" + el.id : "";
    return `<${el.tagName.toLowerCase()}${id}> ${JSON.stringify(name.slice(0, 40))}`;
}"""


def focused(page):
    """A short description of the element that has focus, for failure messages."""
    return page.evaluate(_DESCRIBE_FOCUS)


def has_focus(locator):
    return locator.evaluate("el => el === document.activeElement")


def tab_to(page, locator, *, backwards=False, limit=MAX_TAB_STOPS):
    """Presses Tab (or Shift+Tab) until `locator` has focus; returns the number of presses.

    Fails with the list of elements focused on the way if it is not reached.
    """
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for presses in range(1, limit + 1):
        page.keyboard.press(key)
        if has_focus(locator):
            return presses
        visited.append(focused(page))
    pytest.fail(
        f"{key} never reached {locator} in {limit} presses; focus went through:\n  "
        + "\n  ".join(visited)
    )


def tab_once_to(page, locator):
    """Presses Tab once and asserts that focus landed on `locator` (the next tab stop)."""
    page.keyboard.press("Tab")
    assert has_focus(locator), f"expected the next tab stop to be {locator}, got {focused(page)}"


def press_and_load(page, key="Enter"):
    """Presses `key` (on a link, or in a form to send it) and waits for the next page to load.

    Waiting for the URL alone is not enough: it changes before the new page is parsed,
    and Tab on a half-parsed page skips what has not arrived yet.
    """
    with page.expect_navigation():
        page.keyboard.press(key)
