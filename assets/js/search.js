// Site search that works the same on the web and from the offline bundle over file://, where
// fetch, XHR, modules and workers are blocked. Hugo's js.Build bundles this file with lunr and
// lunr-languages into one classic script (layouts/_partials/search/search-bundle.html).
//
// - This script is loaded by assets/js/search-loader.js when a reader first focuses or touches
//   a search box.
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

// No input may keep the page busy (issue 13): on a phone four times slower than a PC no task
// may take more than 50 ms, and the quick exit (assets/js/exit.js) must answer at once while
// search works. So the work of a query is bounded, whatever is typed or pasted (lunr's own
// Index.query took 43 s for one word of 10,000 characters, its typo automaton growing with the
// square of the word), and the index is built and every search run in slices of SLICE ms,
// each a task of its own, between which the browser draws and takes input, the exit's keys
// first; a search replaced by a newer query stops at its next slice. The steps between two
// looks at the clock are small (a word of the query, a word of the index and its pages, a few
// dozen words of a page), so a slice overruns SLICE by little. The index and the results are
// the same as lunr's own lunr(config) and Index.query make (cmd/veiviser-bench and
// internal/browsertest measure; see search_test.go for the bounds).
const SLICE = 8; // ms of work before the browser may draw and take input
const MAX_QUERY = 200; // characters of a query searched (the box's maxlength, search/search-form.html)
const MAX_WORDS = 10; // words searched, stop words not counted; the rest are not
const MAX_WORD = 40; // characters of the longest word searched, longer than any word of the site
const MAX_FUZZY = 24; // characters of the longest word also searched with a typo
const MAX_EXPANSION = 64; // words of the index one prefix or one word with a typo stands for
const MAX_VISIT = 2000; // nodes of the index visited to find a prefix's words
const TOKENS_PER_STEP = 50; // words of a page's text indexed in one step
const TERMS_PER_STEP = 100; // words of the index (or of a page) handled in one step

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

// work runs the generator steps in slices of about SLICE ms, each in a task of its own
// (setTimeout), so that input and drawing come in between, and the task of the key that asked
// for the work stays short. It stops when stale() says the work is no longer wanted, and calls
// done with the generator's value when it is finished.
function work(steps, stale, done) {
  const slice = () => {
    if (stale()) return;
    const until = performance.now() + SLICE;
    for (;;) {
      const step = steps.next();
      if (step.done) return done(step.value);
      if (performance.now() >= until) break;
    }
    setTimeout(slice, 0);
  };
  setTimeout(slice, 0);
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
    const start = performance.now();
    work(building(ix, docs), () => false, (index) => {
      ix.docs = docs;
      ix.index = index;
      measure("search-index-build", start);
      finish(true);
    });
  });
  el.addEventListener("error", () => finish(false));
  document.head.appendChild(el);
}

// building makes the lunr index of docs, in small steps: it is what lunr(config) and
// Builder.build do, with each page's text indexed TOKENS_PER_STEP words at a time.
function* building(ix, docs) {
  const lang = LANGUAGES[ix.lang] || LANGUAGES.en;
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
  for (let n = 0; n < docs.length; n++) {
    const d = docs[n];
    yield* adding(builder, { i: String(n), t: d.t, k: d.k, d: d.d, x: d.x, b: d.b });
  }
  builder.calculateAverageFieldLengths();
  yield;
  yield* fieldVectors(builder);
  const terms = Object.keys(builder.invertedIndex).sort();
  yield;
  const tokens = new lunr.TokenSet.Builder();
  for (let i = 0; i < terms.length; i++) {
    tokens.insert(terms[i]);
    if (i % TERMS_PER_STEP === TERMS_PER_STEP - 1) yield;
  }
  tokens.finish();
  return new lunr.Index({
    invertedIndex: builder.invertedIndex,
    fieldVectors: builder.fieldVectors,
    tokenSet: tokens.root,
    fields: Object.keys(builder._fields),
    pipeline: builder.searchPipeline,
  });
}

// tokens gives the tokens of a page's field as lunr's tokenizer makes them (the text in lower
// case cut at its separator, /[\s\-]+/, with the same metadata), TOKENS_PER_STEP at a time. It
// finds the words with one regular expression where lunr tests each character, which on a long
// page is several times faster, and a field's tokens are not all kept until the last is made.
function* tokens(text, fieldName) {
  const str = text == null ? "" : String(text).toLowerCase();
  const fields = [fieldName];
  const word = /[^\s\-]+/g;
  let batch = [];
  let index = 0;
  let m;
  while ((m = word.exec(str)) !== null) {
    batch.push(new lunr.Token(m[0], { fields, position: [m.index, m[0].length], index: index++ }));
    if (batch.length === TOKENS_PER_STEP) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

// adding is lunr's Builder.add for doc, in steps of TOKENS_PER_STEP tokens.
function* adding(builder, doc) {
  const docRef = doc[builder._ref];
  const fields = Object.keys(builder._fields);
  builder._documents[docRef] = doc.b ? { boost: doc.b } : {};
  builder.documentCount += 1;
  for (let i = 0; i < fields.length; i++) {
    const fieldName = fields[i];
    const fieldRef = new lunr.FieldRef(docRef, fieldName);
    const fieldTerms = Object.create(null);
    builder.fieldTermFrequencies[fieldRef] = fieldTerms;
    builder.fieldLengths[fieldRef] = 0;
    for (const batch of tokens(doc[fieldName], fieldName)) {
      const terms = builder.pipeline.run(batch);
      builder.fieldLengths[fieldRef] += terms.length;
      for (let j = 0; j < terms.length; j++) {
        const term = terms[j];
        fieldTerms[term] = (fieldTerms[term] || 0) + 1;
        let posting = builder.invertedIndex[term];
        if (posting === undefined) {
          posting = Object.create(null);
          posting._index = builder.termIndex;
          builder.termIndex += 1;
          fields.forEach((f) => (posting[f] = Object.create(null)));
          builder.invertedIndex[term] = posting;
        }
        const entry = posting[fieldName][docRef] || (posting[fieldName][docRef] = Object.create(null));
        builder.metadataWhitelist.forEach((key) => (entry[key] || (entry[key] = [])).push(term.metadata[key]));
      }
      yield;
    }
  }
}

// fieldVectors is lunr's Builder.createFieldVectors, in steps.
function* fieldVectors(builder) {
  const vectors = {};
  const refs = Object.keys(builder.fieldTermFrequencies);
  const idfs = Object.create(null);
  for (let i = 0; i < refs.length; i++) {
    const fieldRef = lunr.FieldRef.fromString(refs[i]);
    const fieldName = fieldRef.fieldName;
    const fieldLength = builder.fieldLengths[fieldRef];
    const vector = new lunr.Vector();
    const frequencies = builder.fieldTermFrequencies[fieldRef];
    const fieldBoost = builder._fields[fieldName].boost || 1;
    const docBoost = builder._documents[fieldRef.docRef].boost || 1;
    const terms = Object.keys(frequencies);
    for (let j = 0; j < terms.length; j++) {
      const term = terms[j];
      const tf = frequencies[term];
      const posting = builder.invertedIndex[term];
      if (idfs[term] === undefined) idfs[term] = lunr.idf(posting, builder.documentCount);
      let score = (idfs[term] * ((builder._k1 + 1) * tf)) / (builder._k1 * (1 - builder._b + builder._b * (fieldLength / builder.averageFieldLength[fieldName])) + tf);
      score *= fieldBoost * docBoost;
      vector.insert(posting._index, Math.round(score * 1000) / 1000);
      if (j % TERMS_PER_STEP === TERMS_PER_STEP - 1) yield;
    }
    vectors[fieldRef] = vector;
    yield;
  }
  builder.fieldVectors = vectors;
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

// words splits a query into the words lunr knows: trimmed, stop words marked, stemmed. Only
// the first MAX_QUERY characters count, and of them the first MAX_WORDS words (stop words
// aside) of at most MAX_WORD characters: a longer word is in no page, and is left out. The
// last word is marked as a prefix, the reader may still be typing it, unless the query was cut.
function* words(ix, text) {
  const lang = LANGUAGES[ix.lang] || LANGUAGES.en;
  const out = [];
  const tokens = lunr.tokenizer(text.slice(0, MAX_QUERY));
  let searched = 0;
  let i = 0;
  for (; i < tokens.length && searched < MAX_WORDS; i++) {
    if (tokens[i].toString().length > MAX_WORD) continue;
    const raw = lang.trimmer(tokens[i]).toString().replace(/\*/g, "");
    if (!raw) continue;
    const stop = !lang.stopWord(new lunr.Token(raw, {}));
    const stem = lang.stemmer(new lunr.Token(raw, {})).toString();
    out.push({ raw, stem, stop, prefix: false });
    if (!stop) searched++;
    yield;
  }
  if (out.length && i === tokens.length && text.length <= MAX_QUERY) out[out.length - 1].prefix = true;
  return out;
}

// clauses are what search looks up for the words ws: each word as its stem, the last word
// also as a prefix (the reader may still be typing it), and words of five letters or more (up
// to MAX_FUZZY) also with one typo.
function clauses(ws) {
  const out = [];
  ws.forEach((w) => {
    if (!w.stop) out.push({ term: w.stem, boost: 10 });
    if (w.prefix && w.raw.length >= 2) out.push({ term: w.raw, boost: 3, prefix: true });
    if (!w.stop && w.raw.length >= 5 && w.raw.length <= MAX_FUZZY) out.push({ term: w.stem, boost: 1, fuzzy: true });
  });
  return out;
}

// expand returns the words of index a clause stands for, at most MAX_EXPANSION: the word
// itself, the words it begins (the shortest first) or the words one edit away.
function expand(index, clause) {
  if (clause.fuzzy) {
    const near = index.tokenSet.intersect(lunr.TokenSet.fromFuzzyString(clause.term, 1)).toArray();
    return near.slice(0, MAX_EXPANSION);
  }
  if (!clause.prefix) return index.invertedIndex[clause.term] ? [clause.term] : [];
  let node = index.tokenSet;
  for (let i = 0; node && i < clause.term.length; i++) node = node.edges[clause.term.charAt(i)];
  if (!node) return [];
  const out = [];
  let level = [[clause.term, node]];
  let visited = 0;
  while (level.length && out.length < MAX_EXPANSION && visited < MAX_VISIT) {
    const next = [];
    for (let i = 0; i < level.length && out.length < MAX_EXPANSION && visited < MAX_VISIT; i++, visited++) {
      const [word, n] = level[i];
      if (n.final) out.push(word);
      Object.keys(n.edges).forEach((c) => next.push([word + c, n.edges[c]]));
    }
    level = next;
  }
  return out;
}

// searching is what lunr's Index.query does for the words of text, with optional clauses
// (a page matches any word), in steps: it returns the results, the best first.
function* searching(ix, text) {
  const index = ix.index;
  const fields = index.fields;
  const queryVectors = {};
  fields.forEach((f) => (queryVectors[f] = new lunr.Vector()));
  const matchingFields = Object.create(null);
  const seen = Object.create(null);
  const cs = clauses(yield* words(ix, text));
  for (let c = 0; c < cs.length; c++) {
    const terms = expand(index, cs[c]);
    yield;
    for (let t = 0; t < terms.length; t++) {
      const term = terms[t];
      const posting = index.invertedIndex[term];
      fields.forEach((field) => {
        queryVectors[field].upsert(posting._index, cs[c].boost, (a, b) => a + b);
        if (seen[term + "/" + field]) return;
        seen[term + "/" + field] = true;
        const fieldPosting = posting[field];
        Object.keys(fieldPosting).forEach((ref) => {
          const fieldRef = new lunr.FieldRef(ref, field);
          const match = matchingFields[fieldRef];
          if (match === undefined) matchingFields[fieldRef] = new lunr.MatchData(term, field, fieldPosting[ref]);
          else match.add(term, field, fieldPosting[ref]);
        });
      });
      yield;
    }
  }
  const results = [];
  const matches = Object.create(null);
  const refs = Object.keys(matchingFields);
  for (let i = 0; i < refs.length; i++) {
    const fieldRef = lunr.FieldRef.fromString(refs[i]);
    const docRef = fieldRef.docRef;
    const score = queryVectors[fieldRef.fieldName].similarity(index.fieldVectors[fieldRef]);
    const match = matches[docRef];
    if (match !== undefined) {
      match.score += score;
      match.matchData.combine(matchingFields[fieldRef]);
    } else {
      matches[docRef] = { ref: docRef, score, matchData: matchingFields[fieldRef] };
      results.push(matches[docRef]);
    }
    if (i % 10 === 9) yield;
  }
  return results.sort((a, b) => b.score - a.score);
}

// drawing searches for text and makes the list items of its results, in steps; it returns the
// items and their number.
function* drawing(ix, text) {
  const results = yield* searching(ix, text);
  const items = document.createDocumentFragment();
  for (let i = 0; i < results.length; i++) {
    items.appendChild(resultItem(ix.docs[Number(results[i].ref)], positions(results[i])));
    if (i % 4 === 3) yield;
  }
  return { items, n: results.length };
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

  let latest = 0; // the newest search: an older one still working stops at its next slice
  let running = null; // the query being searched
  let shown = ""; // the query whose results the list shows
  let enter = false; // Enter was pressed: the first result gets the focus when they are shown

  // The list is aria-busy from a query until its results are shown: meanwhile it may still
  // show the results of the query before.
  const show = () => {
    const query = input.value.trim();
    const id = ++latest;
    running = null;
    if (!query) {
      list.textContent = "";
      list.hidden = true;
      list.removeAttribute("aria-busy");
      shown = "";
      say("");
      return;
    }
    list.setAttribute("aria-busy", "true");
    if (ix.state !== "ready") {
      if (!pending) {
        pending = true;
        load(ix, (ok) => {
          pending = false;
          if (ok) return show();
          list.removeAttribute("aria-busy");
          say(text("error"));
        });
      }
      if (ix.state === "loading") say(text("loading"));
      return;
    }
    const start = performance.now();
    running = query;
    work(drawing(ix, query), () => id !== latest, ({ items, n }) => {
      running = null;
      list.textContent = "";
      list.appendChild(items);
      list.hidden = n === 0;
      list.removeAttribute("aria-busy");
      shown = query;
      measure("search-query", start);
      if (status.textContent === text("loading") || status.textContent === text("error")) say("");
      say(n === 0 ? text("none") : n === 1 ? text("count-one") : text("count-other").replace("{n}", String(n)), true);
      if (enter) {
        enter = false;
        const first = list.querySelector("a");
        if (first && document.activeElement === input) first.focus();
      }
    });
  };

  input.addEventListener("focus", () => {
    if (ix.state === "idle") load(ix, (ok) => ok || say(text("error")));
  });
  input.addEventListener("input", () => {
    enter = false;
    show();
  });
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
  // Enter goes to the first result, at once or when the search under way is done; the form
  // never submits, so the query reaches no URL.
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const query = input.value.trim();
    if (query && query === shown) {
      const first = list.querySelector("a");
      if (first) first.focus();
      return;
    }
    enter = true;
    if (query !== running) show();
  });
  // This script arrives after the reader focused the box (search-loader.js loads it then), and
  // they may have typed already.
  if (document.activeElement === input) {
    if (ix.state === "idle") load(ix, (ok) => ok || say(text("error")));
    if (input.value.trim()) show();
  }
}

// search-loader.js adds this script when a reader first focuses or touches a search box.
if (root) document.querySelectorAll("form.search[data-search-index]").forEach(setup);
