// The first part of site search (layouts/_partials/search/search-script.html), on the pages
// with a search box: it shows the search fields, which stay hidden without JavaScript, and
// loads the search itself (assets/js/search.js with lunr) only when a reader first focuses or
// touches a search box. Until someone searches, a page with a search box costs a phone this
// small script and nothing more.
//
// Like search.js, it finds the site root from its own resolved src without its path from the
// root (data-search-self), so the search loads over http and from any folder over file://.
(() => {
  const me = document.currentScript;
  const self = me.getAttribute("data-search-self") || "";
  const bundle = me.getAttribute("data-search-bundle") || "";
  const src = me.src.split(/[?#]/)[0];
  if (!self || !bundle || !src.endsWith(self)) return;
  const root = src.slice(0, src.length - self.length);
  const forms = document.querySelectorAll("form.search[data-search-index]");

  let asked = false;
  const load = () => {
    if (asked) return;
    asked = true;
    const el = document.createElement("script");
    el.src = root + bundle;
    el.setAttribute("data-search-self", bundle);
    el.addEventListener("error", () =>
      forms.forEach((form) => {
        const status = form.querySelector(".search-status");
        if (status) status.textContent = form.getAttribute("data-error") || "";
      }),
    );
    document.head.appendChild(el);
  };

  forms.forEach((form) => {
    const field = form.querySelector(".search-field");
    if (field) field.hidden = false;
    const noJS = form.querySelector(".search-nojs");
    if (noJS) noJS.hidden = true;
    form.addEventListener("focusin", load);
    form.addEventListener("pointerdown", load, { passive: true });
  });
})();
