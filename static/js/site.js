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
});
