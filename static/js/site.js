// Progressive enhancement only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to a form's error summary so screen readers announce it (GOV.UK pattern).
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
  // The search filters stay open on wide screens; browsers without ::details-content
  // (site.css) open their <details> here.
  const filters = document.querySelector("[data-filter-toggle]");
  if (filters && window.CSS && !CSS.supports("selector(::details-content)")) {
    const wide = window.matchMedia("(min-width: 52rem)");
    const follow = () => {
      if (wide.matches) {
        filters.open = true;
      }
    };
    follow();
    wide.addEventListener("change", follow);
  }
  enhanceHeaderMenus();
});

// The header's menus are <details> and work without this. It adds what a menu is expected to
// do: Escape closes it (focus back on its button), a click elsewhere closes the account menu,
// and browsers without ::details-content (site.css) get the menus open where they are shown
// in line (the main menu on wide screens, the account part inside the phone's menu).
function enhanceHeaderMenus() {
  const menu = document.querySelector("[data-site-menu]");
  const account = document.querySelector("[data-account-menu]");
  const menus = [menu, account].filter(Boolean);
  if (!menus.length) {
    return;
  }
  if (window.CSS && !CSS.supports("selector(::details-content)")) {
    const wide = window.matchMedia("(min-width: 72rem)");
    const follow = () => {
      if (menu) {
        menu.open = wide.matches;
        menu.classList.toggle("site-menu--static", wide.matches);
      }
      if (account) {
        account.open = !wide.matches;
        account.classList.toggle("account-menu--static", !wide.matches);
      }
    };
    follow();
    wide.addEventListener("change", follow);
  }
  const shownInLine = (details) =>
    getComputedStyle(details.querySelector(":scope > summary")).display === "none";
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") {
      return;
    }
    // The innermost open menu whose button can be seen closes first.
    const open = menus
      .filter((details) => details.open && !shownInLine(details))
      .find((details) => details.contains(document.activeElement)) ||
      menus.find((details) => details.open && !shownInLine(details));
    if (open) {
      open.open = false;
      open.querySelector(":scope > summary").focus();
    }
  });
  document.addEventListener("click", (event) => {
    if (account && account.open && !shownInLine(account) && !account.contains(event.target)) {
      account.open = false;
    }
  });
}
