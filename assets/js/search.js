// Site search that works the same on the web and from the offline bundle over file://, where
// fetch, XHR, modules and workers are blocked. Hugo's js.Build bundles this file with lunr and
// lunr-languages into one classic script (layouts/_partials/search-bundle.html).
//
// - The index of the page's language is a classic script that sets
//   window.VEIVISER_INDEX_<LANG> (layouts/home.searchindex.js). It is loaded, by adding
//   a <script> element, only when a reader first focuses a search box, and the lunr index is
//   built from it then, once, in slices that leave the page responsive.
// - Paths in the index are relative to the site root. The root is this script's own resolved
//   src without its path from the root (data-search-self), so it is right over http and from
//   any folder over file://; over file:// a link to a folder gets its index.html.
// - The query is never written as HTML (results are built with DOM methods and textContent),
//   never stored and never put in the URL: the form does not submit, its input has no name.
import lunr from "lunr";
import stemmerSupport from "lunr-languages/lunr.stemmer.support.js";
import norwegian from "lunr-languages/lunr.no.js";

stemmerSupport(lunr);
norwegian(lunr);

// What each language needs: the plugin for the index (Norwegian Snowball stemming and stop
// words; lunr's own are English) and the same steps for the words of a query.
const LANGUAGES = {
  nb: { plugin: lunr.no, trimmer: lunr.no.trimmer, stopWord: lunr.no.stopWordFilter, stemmer: lunr.no.stemmer },
  en: { plugin: null, trimmer: lunr.trimmer, stopWord: lunr.stopWordFilter, stemmer: lunr.stemmer },
};

const SNIPPET = 170; // characters of text around the first match
const ANNOUNCE_AFTER = 500; // ms of quiet typing before the count is announced
const BUILD_SLICE = 12; // ms of work on the index before the browser may draw and take input

const script = document.currentScript;

// siteRoot is the site's root folder as an absolute URL ending in "/", or "" if unknown.
function siteRoot() {
  if (!script || !script.src) return "";
  const self = script.getAttribute("data-search-self") || "";
  const src = script.src.split(/[?#]/)[0];
  if (!self || !src.endsWith(self)) return "";
  return src.slice(0, src.length - self.length);
}

const root = siteRoot();
const overFile = root.startsWith("file:");

// href is the address of the page at path u (relative to the site root, "" for the root).
function href(u) {
  let url = root + u;
  if (overFile && (u === "" || u.endsWith("/"))) url += "index.html";
  return url;
}

// One index per language, shared by the search boxes of a page.
const indexes = {};

function indexFor(form) {
  const lang = form.getAttribute("data-search-lang");
  if (!indexes[lang]) {
    indexes[lang] = { lang, state: "idle", docs: null, index: null, waiting: [], src: form.getAttribute("data-search-index") };
  }
  return indexes[lang];
}

// load adds the index's script once and calls done(ix) when the index is built, or done(null)
// when it cannot be loaded.
function load(ix, done) {
  if (ix.state === "ready") return done(ix);
  if (ix.state === "failed") return done(null);
  ix.waiting.push(done);
  if (ix.state === "loading") return;
  ix.state = "loading";
  const finish = (ok) => {
    ix.state = ok ? "ready" : "failed";
    const waiting = ix.waiting;
    ix.waiting = [];
    waiting.forEach((fn) => fn(ok ? ix : null));
  };
  const el = document.createElement("script");
  el.src = root + ix.src;
  el.addEventListener("load", () => {
    const name = "VEIVISER_INDEX_" + ix.lang.toUpperCase();
    const docs = window[name];
    if (!Array.isArray(docs)) return finish(false);
    build(ix, docs, () => finish(true));
  });
  el.addEventListener("error", () => finish(false));
  document.head.appendChild(el);
}

// build makes the lunr index of docs and then calls done. It adds the pages a few at a time,
// yielding between, so that a slow phone keeps showing what the reader types meanwhile.
function build(ix, docs, done) {
  const start = performance.now();
  const lang = LANGUAGES[ix.lang] || LANGUAGES.en;
  // What lunr(config) does, with the pages added in slices.
  const builder = new lunr.Builder();
  builder.pipeline.add(lunr.trimmer, lunr.stopWordFilter, lunr.stemmer);
  builder.searchPipeline.add(lunr.stemmer);
  if (lang.plugin) builder.use(lang.plugin);
  builder.ref("i");
  builder.field("t", { boost: 10 });
  builder.field("k", { boost: 8 });
  builder.field("d", { boost: 3 });
  builder.field("x");
  builder.metadataWhitelist = ["position"];
  let next = 0;
  const slice = () => {
    const until = performance.now() + BUILD_SLICE;
    while (next < docs.length && performance.now() < until) {
      const d = docs[next];
      builder.add({ i: String(next), t: d.t, k: d.k, d: d.d, x: d.x });
      next++;
    }
    if (next < docs.length) {
      setTimeout(slice, 0);
      return;
    }
    ix.docs = docs;
    ix.index = builder.build();
    measure("search-index-build", start);
    done();
  };
  slice();
}

// measure records a User Timing entry (the benchmark reads them); only the latest is kept.
function measure(name, start) {
  if (!performance.measure) return;
  performance.clearMeasures(name);
  try {
    performance.measure(name, { start, end: performance.now() });
  } catch (e) {
    // an old browser without the options form: no timing, no harm
  }
}

// words splits a query into the words lunr knows: trimmed, stop words marked, stemmed.
function words(ix, text) {
  const lang = LANGUAGES[ix.lang] || LANGUAGES.en;
  const out = [];
  lunr.tokenizer(text).forEach((token) => {
    const raw = lang.trimmer(token).toString().replace(/\*/g, "");
    if (!raw) return;
    const stop = !lang.stopWord(new lunr.Token(raw, {}));
    const stem = lang.stemmer(new lunr.Token(raw, {})).toString();
    out.push({ raw, stem, stop });
  });
  return out;
}

// search returns lunr's results for text: each word as its stem, the last word also as a
// prefix (the reader may still be typing it), and words of five letters or more also with one
// typo.
function search(ix, text) {
  const ws = words(ix, text);
  if (!ws.length) return [];
  const last = ws.length - 1;
  return ix.index.query((q) => {
    ws.forEach((w, i) => {
      if (!w.stop) q.term(w.stem, { usePipeline: false, boost: 10 });
      if (i === last && w.raw.length >= 2) {
        q.term(w.raw, { usePipeline: false, wildcard: lunr.Query.wildcard.TRAILING, boost: 3 });
      }
      if (!w.stop && w.raw.length >= 5) q.term(w.stem, { usePipeline: false, editDistance: 1, boost: 1 });
    });
  });
}

// positions gathers, per field, the [start, length] of every match of a result.
function positions(result) {
  const out = {};
  const md = result.matchData.metadata;
  Object.keys(md).forEach((term) => {
    Object.keys(md[term]).forEach((field) => {
      (md[term][field].position || []).forEach((p) => (out[field] = out[field] || []).push(p));
    });
  });
  Object.keys(out).forEach((f) => out[f].sort((a, b) => a[0] - b[0]));
  return out;
}

const LETTER = /[\p{L}\p{N}]/u;

// appendMarked appends text[from:to] to el, with the matches at marks in <mark> elements.
// lunr's positions are of whole tokens, punctuation included: only the word is marked.
function appendMarked(el, text, marks, from, to) {
  let at = from;
  (marks || []).forEach(([s, length]) => {
    let start = s;
    let end = s + length;
    while (start < end && !LETTER.test(text[start])) start++;
    while (end > start && !LETTER.test(text[end - 1])) end--;
    if (start === end || start < at || end > to) return; // overlapping or outside
    if (start > at) el.appendChild(document.createTextNode(text.slice(at, start)));
    const m = document.createElement("mark");
    m.textContent = text.slice(start, end);
    el.appendChild(m);
    at = end;
  });
  if (at < to) el.appendChild(document.createTextNode(text.slice(at, to)));
}

// snippet appends to el about SNIPPET characters of text around its first match.
function snippet(el, text, marks) {
  const first = marks && marks.length ? marks[0][0] : 0;
  let start = Math.max(0, first - 50);
  if (start > 0) {
    const space = text.indexOf(" ", start);
    if (space >= 0 && space < first) start = space + 1;
  }
  let end = Math.min(text.length, start + SNIPPET);
  if (end < text.length) {
    const space = text.lastIndexOf(" ", end);
    if (space > first) end = space;
  }
  if (start > 0) el.appendChild(document.createTextNode("… "));
  appendMarked(el, text, marks, start, end);
  if (end < text.length) el.appendChild(document.createTextNode(" …"));
}

function resultItem(doc, pos) {
  const li = document.createElement("li");
  const a = document.createElement("a");
  a.href = href(doc.u);
  a.className = "search-result-title";
  appendMarked(a, doc.t, pos.t, 0, doc.t.length);
  li.appendChild(a);
  if (doc.s) {
    const s = document.createElement("p");
    s.className = "search-section";
    s.textContent = doc.s;
    li.appendChild(s);
  }
  const field = pos.x ? "x" : pos.d || !doc.x ? "d" : "x";
  const text = field === "x" ? doc.x : doc.d;
  if (text) {
    const p = document.createElement("p");
    p.className = "search-snippet";
    snippet(p, text, pos[field]);
    li.appendChild(p);
  }
  return li;
}

function setup(form) {
  const input = form.querySelector("input[type=search]");
  const list = form.querySelector(".search-results");
  const status = form.querySelector(".search-status");
  if (!input || !list || !status) return;
  const ix = indexFor(form);
  const text = (name) => form.getAttribute("data-" + name) || "";
  let announce = 0;
  let pending = false; // a search waits for the index

  form.querySelector(".search-field").hidden = false;
  const noJS = form.querySelector(".search-nojs");
  if (noJS) noJS.hidden = true;

  const say = (message, later) => {
    clearTimeout(announce);
    if (!later) {
      status.textContent = message;
      return;
    }
    announce = setTimeout(() => (status.textContent = message), ANNOUNCE_AFTER);
  };

  const show = () => {
    const query = input.value.trim();
    if (!query) {
      list.textContent = "";
      list.hidden = true;
      say("");
      return;
    }
    if (ix.state !== "ready") {
      if (!pending) {
        pending = true;
        load(ix, (ok) => {
          pending = false;
          if (ok) show();
          else say(text("error"));
        });
      }
      if (ix.state === "loading") say(text("loading"));
      return;
    }
    const start = performance.now();
    const results = search(ix, query);
    const items = document.createDocumentFragment();
    results.forEach((r) => items.appendChild(resultItem(ix.docs[Number(r.ref)], positions(r))));
    list.textContent = "";
    list.appendChild(items);
    list.hidden = results.length === 0;
    measure("search-query", start);
    const n = results.length;
    if (status.textContent === text("loading") || status.textContent === text("error")) say("");
    say(n === 0 ? text("none") : n === 1 ? text("count-one") : text("count-other").replace("{n}", String(n)), true);
  };

  input.addEventListener("focus", () => {
    if (ix.state === "idle") load(ix, (ok) => ok || say(text("error")));
  });
  input.addEventListener("input", show);
  input.addEventListener("keydown", (e) => {
    if (e.key === "ArrowDown") {
      const first = list.querySelector("a");
      if (first) {
        e.preventDefault();
        first.focus();
      }
    } else if (e.key === "Escape" && input.value) {
      e.preventDefault();
      input.value = "";
      show();
    }
  });
  list.addEventListener("keydown", (e) => {
    const links = Array.from(list.querySelectorAll("a"));
    const i = links.indexOf(document.activeElement);
    if (i < 0) return;
    if (e.key === "ArrowDown" && i < links.length - 1) {
      e.preventDefault();
      links[i + 1].focus();
    } else if (e.key === "ArrowUp") {
      e.preventDefault();
      (i > 0 ? links[i - 1] : input).focus();
    } else if (e.key === "Escape") {
      e.preventDefault();
      input.focus();
    }
  });
  // Enter goes to the first result; the form never submits, so the query reaches no URL.
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    show();
    const first = list.querySelector("a");
    if (first) first.focus();
  });
}

if (root) document.querySelectorAll("form.search[data-search-index]").forEach(setup);
