// The admin's two-box selector (SelectFilter2) names its search icon with aria-label on a
// plain span, which assistive technology ignores; as an image it is read.
window.addEventListener("load", () => {
  window.setTimeout(() => {
    for (const icon of document.querySelectorAll(".search-label-icon[aria-label]")) {
      icon.setAttribute("role", "img");
    }
  }, 0);
});
