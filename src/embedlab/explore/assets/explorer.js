// The embedlab explorer page: search, neighbours, analogies, a canvas map and two models side
// by side. No library and no network beyond the page's own server: the answers come from the
// server's /api routes, or, in a page written by `embedlab explore --static`, from the data
// embedded in the page (StaticSource answers the same routes in the same shapes).
"use strict";

(() => {
  const $ = (id) => document.getElementById(id);
  // group colours leave out red, which marks the searched word and its neighbours
  const COLOURS = ["#1f77b4", "#2ca02c", "#9467bd", "#17becf", "#8c564b", "#e377c2",
    "#bcbd22", "#ff7f0e", "#7f7f7f", "#0b3d91"];
  const SECOND_COLOUR = "#e8731a";
  const HIGHLIGHT = "#d11";
  const LABEL_FONT = "11px system-ui, sans-serif";
  const timings = (window.explorerTimings = {});

  class ApiError extends Error {
    constructor(message, status, body) {
      super(message);
      this.status = status;
      this.body = body || {};
    }
  }

  function queryString(params) {
    const q = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== "") q.set(key, String(value));
    }
    return q.toString();
  }

  // ---- where the answers come from ------------------------------------------------------

  class ServerSource {
    constructor() { this.live = true; }

    async get(route, params = {}) {
      const response = await fetch(`${route}?${queryString(params)}`);
      let body;
      try { body = await response.json(); } catch (err) { body = {}; }
      if (!response.ok) {
        throw new ApiError(body.error || `the server answered ${response.status}`,
          response.status, body);
      }
      return body;
    }

    exportUrl(route, params) { return `${route}?${queryString(params)}`; }
  }

  class StaticSource {
    constructor(data) {
      this.live = false;
      this.data = data;
      this.count = data.count;
      this.index = new Map(data.words.slice(0, data.count).map((w, i) => [w, i]));
      this.folded = data.words.slice(0, data.count).map((w) => w.toLowerCase());
    }

    needsServer(what) {
      return new ApiError(`${what} needs the live explorer: run embedlab explore on the ` +
        "vectors file (this page holds precomputed answers only)", 400);
    }

    find(word) {
      const i = this.index.get(word);
      if (i === undefined) {
        throw new ApiError(`'${word}' is not among the ${this.count.toLocaleString()} words ` +
          "saved in this page (the live explorer answers every word)", 404, { unknown: [word] });
      }
      return i;
    }

    list(table, i, k) {
      const ids = table.ids[i].slice(0, k);
      return ids.map((id, r) => ({ word: this.data.words[id], similarity: table.scores[i][r] }));
    }

    async get(route, p = {}) {
      const k = Number(p.k) || 10;
      const models = this.data.models.models.map((m) => m.name);
      switch (route) {
        case "/api/models":
          return this.data.models;
        case "/api/complete": {
          const prefix = (p.prefix || "").toLowerCase();
          const out = [];
          for (let i = 0; i < this.folded.length && out.length < (Number(p.limit) || 10); i++) {
            if (prefix && this.folded[i].startsWith(prefix)) out.push(this.data.words[i]);
          }
          return { prefix: p.prefix, words: out };
        }
        case "/api/neighbours": {
          if (!this.data.neighbours) throw this.needsServer("one model's own neighbours");
          const i = this.find(p.q);
          return { model: models[0], query: { positive: [p.q], negative: [] }, composed: [],
            results: this.list(this.data.neighbours, i, k) };
        }
        case "/api/compare": {
          const c = this.data.compare;
          const i = this.find(p.q);
          const lists = [0, 1].map((m) => this.list({ ids: c.ids[m], scores: c.scores[m] }, i,
            c.k));
          return { models, word: p.q, k: c.k, candidates: c.candidates, composed: [false, false],
            lists, shared_neighbours: c.shared[i], jaccard: c.jaccard[i],
            aligned_cosine: c.aligned_cosine ? c.aligned_cosine[i] : null };
        }
        case "/api/map":
          return this.map(p);
        case "/api/survey":
          return this.data.survey;
        case "/api/disagreements": {
          const found = this.data.disagreements[p.dataset || "ws353"];
          if (!found) throw this.needsServer(`the ${p.dataset} pairs`);
          return found;
        }
        case "/api/analogy":
          throw this.needsServer("An analogy");
        default:
          throw this.needsServer(route);
      }
    }

    map(p) {
      const m = this.data.map;
      if ((p.method || "pca") !== "pca") throw this.needsServer(`A ${p.method} map`);
      if (p.model && p.model !== "0") throw this.needsServer("A map of the second model");
      if (p.x || p.y) throw this.needsServer("A map on formula axes");
      const groups = parseGroups(p.groups || "");
      let ids;
      if (p.words) {
        ids = p.words.split(",").map((w) => w.trim()).filter((w) => w);
      } else {
        ids = this.data.words.slice(0, Math.min(Number(p.top) || this.count, this.count));
      }
      for (const members of groups.values()) ids = ids.concat(members);
      ids = [...new Set(ids)];
      const unknown = ids.filter((w) => !this.index.has(w));
      if (unknown.length) {
        throw new ApiError(`not among the words saved in this page: ${unknown.join(", ")}`, 404,
          { unknown });
      }
      const rows = ids.map((w) => this.index.get(w));
      const groupOf = new Map();
      for (const [name, members] of groups) {
        for (const w of members) if (!groupOf.has(w)) groupOf.set(w, name);
      }
      return { method: "pca", model: this.data.models.models[0].name, words: ids,
        x: rows.map((r) => m.x[r]), y: rows.map((r) => m.y[r]), axes: m.axes,
        explained_variance_ratio: m.explained_variance_ratio,
        group: ids.map((w) => groupOf.get(w) || null), group_names: [...groups.keys()] };
    }
  }

  // The static page parses groups itself (the server does it for the live page).
  function parseGroups(text) {
    const groups = new Map();
    for (const spec of text.split(";")) {
      const at = spec.indexOf(":");
      if (at < 1) continue;
      const words = spec.slice(at + 1).split(",").map((w) => w.trim()).filter((w) => w);
      groups.set(spec.slice(0, at).trim(), words);
    }
    return groups;
  }

  // ---- page state and the URL ---------------------------------------------------------------

  const page = { source: null, info: null, two: false, lists: [], highlight: new Set(),
    focus: null };
  const MAP_KEYS = ["method", "top", "words", "groups", "x", "y", "model"];

  function readUrl() {
    const params = new URLSearchParams(location.search);
    const get = (key) => params.get(key) || "";
    if (get("k")) $("k").value = get("k");
    $("map-method").value = get("method") || "pca";
    if (get("top")) $("map-top").value = get("top");
    $("map-words").value = get("words");
    $("map-groups").value = get("groups");
    $("map-x").value = get("x");
    $("map-y").value = get("y");
    if (get("model")) $("map-model").value = get("model");
    if (!$("map-model").value) $("map-model").value = "0";
    return get("q");
  }

  function saveUrl() {
    const state = { q: $("search").value.trim(), k: $("k").value, ...mapParams() };
    try {
      history.replaceState(null, "", `?${queryString(state)}`);
    } catch (err) {
      // a page opened from a file may not rewrite its address; nothing is lost
    }
  }

  function showError(err) {
    const box = $("message");
    box.textContent = err && err.message ? err.message : String(err);
    box.hidden = false;
  }

  function clearError() { $("message").hidden = true; }

  function readK() {
    const k = Math.round(Number($("k").value));
    const most = page.info.limits.k;
    return Number.isFinite(k) ? Math.min(Math.max(k, 1), most) : 10;
  }

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function number(value, digits = 3) {
    return value === null || value === undefined ? "-" : Number(value).toFixed(digits);
  }

  // ---- start ------------------------------------------------------------------------------

  async function start() {
    const embedded = $("explorer-data");
    page.source = embedded ? new StaticSource(JSON.parse(embedded.textContent))
      : new ServerSource();
    try {
      page.info = await page.source.get("/api/models");
    } catch (err) {
      showError(err);
      return;
    }
    page.two = page.info.models.length === 2;
    setUpControls();
    const word = readUrl();
    const tasks = [drawMap()];
    if (word) tasks.push(search(word));
    if (page.two) tasks.push(runSurvey(), runPairs());
    await Promise.all(tasks);
  }

  function setUpControls() {
    const info = page.info;
    const models = $("models");
    info.models.forEach((m, i) => {
      const item = element("li", m.name, i === 1 ? "second" : "");
      item.title = `${m.words.toLocaleString()} words x ${m.vectors_dim} dims` +
        (m.sparse ? " (sparse)" : "") + (m.method ? `, ${m.method}` : "");
      models.append(item);
    });
    for (const method of info.projections) {
      $("map-method").append(new Option({ pca: "PCA", tsne: "t-SNE", umap: "UMAP",
        axes: "formula axes" }[method] || method, method));
    }
    for (const method of info.analogy_methods) {
      $("analogy-method").append(new Option(method, method));
    }
    info.models.forEach((m, i) => {
      $("analogy-model").append(new Option(m.name, String(i)));
      $("map-model").append(new Option(m.name, String(i)));
    });
    if (page.two && info.aligned) $("map-model").append(new Option("both (aligned)", "both"));
    $("analogy-model").hidden = !page.two;
    $("map-model").parentElement.hidden = !page.two;
    $("map-top").value = info.top;
    $("map-top").max = info.limits.map_words;
    $("k").max = info.limits.k;
    if (!page.source.live) {
      $("exports").hidden = true;
      $("analogy-panel").querySelector("form").append(element("span",
        "(analogies need the live explorer)", "note"));
    }
    if (page.two) {
      $("compare-panel").hidden = false;
      for (const name of info.datasets) $("pairs-dataset").append(new Option(name, name));
      $("survey-n").max = info.limits.survey_words;
      $("pairs-dataset").addEventListener("change", runPairs);
      $("survey-form").addEventListener("submit", (e) => { e.preventDefault(); runSurvey(); });
    }
    $("search-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const active = $("suggestions").querySelector("li.active");
      search(active ? active.textContent : $("search").value);
    });
    $("search").addEventListener("input", suggestSoon);
    $("search").addEventListener("keydown", moveInSuggestions);
    $("search").addEventListener("blur", () => setTimeout(hideSuggestions, 150));
    $("analogy-form").addEventListener("submit", (e) => { e.preventDefault(); solve(); });
    $("map-form").addEventListener("submit", (e) => { e.preventDefault(); drawMap(); });
    $("map-method").addEventListener("change", () => drawMap());
    $("map-model").addEventListener("change", () => drawMap());
    setUpCanvas();
  }

  // ---- search and autocomplete ----------------------------------------------------------------

  let suggestTimer = null;
  let suggestSerial = 0;

  function suggestSoon() {
    clearTimeout(suggestTimer);
    suggestTimer = setTimeout(suggest, 80);
  }

  async function suggest() {
    const prefix = $("search").value.trim();
    const serial = ++suggestSerial;
    if (!prefix) { hideSuggestions(); return; }
    let answer;
    try {
      answer = await page.source.get("/api/complete", { prefix, limit: 10 });
    } catch (err) {
      return; // suggestions are a convenience; the search itself reports problems
    }
    if (serial !== suggestSerial) return;
    const list = $("suggestions");
    list.replaceChildren(...answer.words.map((word) => {
      const item = element("li", word);
      item.setAttribute("role", "option");
      item.addEventListener("mousedown", (e) => { e.preventDefault(); search(word); });
      return item;
    }));
    list.hidden = answer.words.length === 0;
  }

  function hideSuggestions() {
    suggestSerial++;
    $("suggestions").hidden = true;
    $("suggestions").replaceChildren();
  }

  function moveInSuggestions(event) {
    const items = [...$("suggestions").children];
    if (event.key === "Escape") { hideSuggestions(); return; }
    if (!items.length || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
    event.preventDefault();
    const at = items.findIndex((item) => item.classList.contains("active"));
    const next = event.key === "ArrowDown" ? (at + 1) % items.length
      : (at - 1 + items.length) % items.length;
    items.forEach((item, i) => item.classList.toggle("active", i === next));
  }

  async function search(word) {
    word = (word || "").trim();
    if (!word) return;
    $("search").value = word;
    hideSuggestions();
    saveUrl();
    const k = readK();
    try {
      if (page.two) await showComparison(word, k);
      else showLists([await page.source.get("/api/neighbours", { q: word, k })], word, null);
      clearError();
    } catch (err) {
      showError(err);
    }
  }

  async function showComparison(word, k) {
    let answer;
    try {
      answer = await page.source.get("/api/compare", { q: word, k });
    } catch (err) {
      if (err.status !== 404 || !page.source.live) throw err;
      // one model may know the word: show what each can say, and why the other cannot
      const each = await Promise.all([0, 1].map((model) => page.source.get("/api/neighbours",
        { q: word, k, model }).catch((e) => ({ error: e.message }))));
      showLists(each, word, null);
      throw err;
    }
    const lists = answer.lists.map((results, i) => ({ model: answer.models[i], results,
      composed: answer.composed[i] ? [word] : [] }));
    showLists(lists, word, answer);
  }

  function showLists(answers, word, comparison) {
    const names = answers.map((a) => new Set((a.results || []).map((r) => r.word)));
    const inBoth = (w) => answers.length === 2 && names[0].has(w) && names[1].has(w);
    const box = $("neighbours");
    box.replaceChildren(...answers.map((answer, i) => {
      if (answer.error) return element("p", answer.error, "note");
      const table = element("table");
      table.className = `neighbours model-${i}`;
      const caption = element("caption", page.info.models[i].name);
      if (answer.composed && answer.composed.length) {
        caption.append(element("span", " (composed from subwords)", "composed"));
      }
      table.append(caption);
      answer.results.forEach((r, rank) => {
        const row = element("tr", null, inBoth(r.word) ? "both" : "");
        row.dataset.word = r.word;
        const cell = element("td", r.word, "word");
        cell.addEventListener("click", () => search(r.word));
        row.append(element("td", String(rank + 1), "num"), cell,
          element("td", number(r.similarity), "num"));
        table.append(row);
      });
      return table;
    }));
    $("neighbours-title").textContent = `Nearest neighbours of ${word}`;
    const overlap = $("overlap");
    if (comparison) {
      const aligned = comparison.aligned_cosine === null ? ""
        : `; cosine with itself after alignment ${number(comparison.aligned_cosine)}`;
      overlap.textContent = `Jaccard ${number(comparison.jaccard)}: ` +
        `${comparison.shared_neighbours} of ${comparison.k} neighbours shared, ranked among the ` +
        `${comparison.candidates.toLocaleString()} words both models know${aligned}`;
      overlap.hidden = false;
    } else {
      overlap.hidden = true;
    }
    page.focus = word;
    page.lists = answers.map((a) => (a.results || []).map((r) => r.word));
    markNeighbours();
  }

  // The searched word and its neighbours in the model the map shows (both for a joint map).
  function markNeighbours() {
    const shown = $("map-model").value;
    const lists = page.lists.filter((_, i) => shown === "both" || String(i) === (shown || "0"));
    page.highlight = new Set([page.focus, ...lists.flat()].filter((w) => w));
    render();
  }

  // ---- analogies ----------------------------------------------------------------------------

  async function solve() {
    const params = { a: $("analogy-a").value, b: $("analogy-b").value,
      c: $("analogy-c").value, method: $("analogy-method").value,
      model: $("analogy-model").value || "0", k: readK() };
    const list = $("analogy-results");
    try {
      const answer = await page.source.get("/api/analogy", params);
      list.replaceChildren(...answer.results.map((r) => {
        const item = element("li", `${r.word} `);
        item.dataset.word = r.word;
        item.append(element("span", number(r.similarity), "note"));
        item.addEventListener("click", () => search(r.word));
        return item;
      }));
      if (answer.composed.length) {
        list.append(element("li", `composed from subwords: ${answer.composed.join(", ")}`,
          "composed"));
      }
      clearError();
    } catch (err) {
      list.replaceChildren();
      showError(err);
    }
  }

  // ---- the map ------------------------------------------------------------------------------

  const view = { kx: 1, ky: 1, cx: 0, cy: 0 };
  let map = null;
  let mapSerial = 0;
  let drag = null;
  let frame = 0;

  function mapParams() {
    const words = $("map-words").value.trim();
    return { method: $("map-method").value, top: words ? "" : $("map-top").value, words,
      groups: $("map-groups").value.trim(), x: $("map-x").value.trim(),
      y: $("map-y").value.trim(), model: $("map-model").value };
  }

  async function drawMap() {
    const params = mapParams();
    const serial = ++mapSerial;
    const started = performance.now();
    saveUrl();
    $("map-status").textContent = "computing the map\u2026";
    let answer;
    try {
      answer = await page.source.get("/api/map", params);
    } catch (err) {
      if (serial === mapSerial) $("map-status").textContent = "";
      showError(err);
      return;
    }
    if (serial !== mapSerial) return;
    setMap(answer);
    fit();
    paint();
    const drawn = performance.now();
    if (timings.firstMap === undefined) timings.firstMap = drawn;
    timings.lastMap = drawn - started;
    const name = { pca: "PCA", tsne: "t-SNE", umap: "UMAP", axes: "Formula" }[answer.method];
    const of = Array.isArray(answer.model) ? "both models" : answer.model;
    $("map-status").textContent = `${name} map of ${answer.words.length.toLocaleString()} ` +
      `words of ${of}, drawn in ${Math.round(drawn - started)} ms. Drag to pan, wheel to ` +
      "zoom, double-click to fit, click a point to search it.";
    document.body.dataset.mapDrawn = String(answer.words.length);
    showLegend(answer);
    exportLinks(params);
    markNeighbours();
  }

  function setMap(answer) {
    const n = answer.words.length;
    const groupNames = answer.group_names || [];
    const groupIndex = new Map(groupNames.map((g, i) => [g, i]));
    map = { words: answer.words, n, x: Float64Array.from(answer.x),
      y: Float64Array.from(answer.y), axes: answer.axes,
      x2: answer.x2 ? Float64Array.from(answer.x2) : null,
      y2: answer.y2 ? Float64Array.from(answer.y2) : null,
      group: Int32Array.from((answer.group || []).map((g) => (g === null ? -1
        : groupIndex.get(g)))),
      groupNames, index: new Map(answer.words.map((w, i) => [w, i])) };
    if (map.group.length !== n) map.group = new Int32Array(n).fill(-1);
    buildGrid();
  }

  function showLegend(answer) {
    const items = (answer.group_names || []).map((name, i) => {
      const item = element("li");
      const swatch = element("span", null, "swatch");
      swatch.style.background = COLOURS[i % COLOURS.length];
      item.append(swatch, document.createTextNode(name));
      return item;
    });
    if (map.x2) {
      answer.model.forEach((name, i) => {
        const item = element("li");
        const swatch = element("span", null, "swatch");
        swatch.style.background = i === 0 ? "#444" : SECOND_COLOUR;
        item.append(swatch, document.createTextNode(name));
        items.push(item);
      });
    }
    $("legend").replaceChildren(...items);
  }

  function exportLinks(params) {
    if (!page.source.live) return;
    const single = { ...params, model: params.model === "both" ? "0" : params.model };
    $("export-map").href = page.source.exportUrl("/api/export/map.csv", params);
    $("export-neighbours").href = page.source.exportUrl("/api/export/neighbours.csv",
      { ...single, method: "", x: "", y: "", k: readK() });
    $("export-vectors").href = page.source.exportUrl("/api/export/vectors.tsv",
      { ...single, method: "", x: "", y: "" });
    $("export-metadata").href = page.source.exportUrl("/api/export/metadata.tsv",
      { ...single, method: "", x: "", y: "" });
  }

  function bounds() {
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    const scan = (xs, ys) => {
      for (let i = 0; i < xs.length; i++) {
        if (xs[i] < minX) minX = xs[i];
        if (xs[i] > maxX) maxX = xs[i];
        if (ys[i] < minY) minY = ys[i];
        if (ys[i] > maxY) maxY = ys[i];
      }
    };
    scan(map.x, map.y);
    if (map.x2) scan(map.x2, map.y2);
    return { minX, maxX, minY, maxY };
  }

  function fit() {
    if (!map) return;
    const canvas = $("map-canvas");
    const b = bounds();
    const w = canvas.clientWidth - MARGIN.left - MARGIN.right;
    const h = canvas.clientHeight - MARGIN.top - MARGIN.bottom;
    view.kx = w / (b.maxX - b.minX || 1);
    view.ky = h / (b.maxY - b.minY || 1);
    view.cx = (b.minX + b.maxX) / 2;
    view.cy = (b.minY + b.maxY) / 2;
  }

  // Room around the points for the axis titles and for labels, which sit right of a point.
  const MARGIN = { left: 40, right: 90, top: 15, bottom: 35 };
  const middleX = (w) => (w + MARGIN.left - MARGIN.right) / 2;
  const middleY = (h) => (h + MARGIN.top - MARGIN.bottom) / 2;
  const toScreenX = (x, w) => (x - view.cx) * view.kx + middleX(w);
  const toScreenY = (y, h) => (view.cy - y) * view.ky + middleY(h);
  const fromScreenX = (px, w) => view.cx + (px - middleX(w)) / view.kx;
  const fromScreenY = (py, h) => view.cy - (py - middleY(h)) / view.ky;

  // A uniform grid over the points (in data units) so hovering finds the nearest point by
  // looking at a few cells, not at 100,000 points.
  function buildGrid() {
    const b = bounds();
    const total = map.n * (map.x2 ? 2 : 1);
    const side = Math.max(1, Math.ceil(Math.sqrt(total / 4)));
    const sx = (b.maxX - b.minX || 1) / side, sy = (b.maxY - b.minY || 1) / side;
    const cellOf = (x, y) => Math.min(side - 1, Math.floor((x - b.minX) / sx)) * side +
      Math.min(side - 1, Math.floor((y - b.minY) / sy));
    const cells = new Int32Array(total);
    const starts = new Int32Array(side * side + 1);
    for (let p = 0; p < total; p++) {
      const i = p % map.n;
      cells[p] = p < map.n ? cellOf(map.x[i], map.y[i]) : cellOf(map.x2[i], map.y2[i]);
      starts[cells[p] + 1]++;
    }
    for (let c = 0; c < side * side; c++) starts[c + 1] += starts[c];
    const fill = starts.slice(0, side * side);
    const items = new Int32Array(total);
    for (let p = 0; p < total; p++) items[fill[cells[p]]++] = p;
    map.grid = { side, sx, sy, minX: b.minX, minY: b.minY, starts, items };
  }

  function nearestPoint(px, py) {
    if (!map) return -1;
    const canvas = $("map-canvas");
    const w = canvas.clientWidth, h = canvas.clientHeight;
    const g = map.grid;
    const x = fromScreenX(px, w);
    const y = fromScreenY(py, h);
    const radius = 8;
    const cx0 = Math.max(0, Math.floor((x - radius / view.kx - g.minX) / g.sx));
    const cx1 = Math.min(g.side - 1, Math.floor((x + radius / view.kx - g.minX) / g.sx));
    const cy0 = Math.max(0, Math.floor((y - radius / view.ky - g.minY) / g.sy));
    const cy1 = Math.min(g.side - 1, Math.floor((y + radius / view.ky - g.minY) / g.sy));
    if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > 2500) return -1; // zoomed far out: no hover
    let best = -1, bestDistance = radius * radius;
    for (let a = cx0; a <= cx1; a++) {
      for (let c = cy0; c <= cy1; c++) {
        const cell = a * g.side + c;
        for (let k = g.starts[cell]; k < g.starts[cell + 1]; k++) {
          const p = g.items[k];
          const i = p % map.n;
          const second = p >= map.n;
          const dx = toScreenX(second ? map.x2[i] : map.x[i], w) - px;
          const dy = toScreenY(second ? map.y2[i] : map.y[i], h) - py;
          const d = dx * dx + dy * dy;
          if (d < bestDistance) { bestDistance = d; best = p; }
        }
      }
    }
    return best;
  }

  function render() {
    if (frame) return;
    frame = requestAnimationFrame(() => { frame = 0; paint(); });
  }

  function paint() {
    const started = performance.now();
    paintMap();
    timings.lastPaint = performance.now() - started;
  }

  function paintMap() {
    const canvas = $("map-canvas");
    const ratio = window.devicePixelRatio || 1;
    const w = canvas.clientWidth, h = canvas.clientHeight;
    if (canvas.width !== Math.round(w * ratio) || canvas.height !== Math.round(h * ratio)) {
      canvas.width = Math.round(w * ratio);
      canvas.height = Math.round(h * ratio);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, w, h);
    if (!map) return;
    const n = map.n;
    const size = n > 20000 ? 1.6 : n > 2000 ? 2.4 : 4;
    if (map.x2 && n <= 3000) {
      ctx.strokeStyle = "rgba(232, 115, 26, 0.3)";
      ctx.beginPath();
      for (let i = 0; i < n; i++) {
        ctx.moveTo(toScreenX(map.x[i], w), toScreenY(map.y[i], h));
        ctx.lineTo(toScreenX(map.x2[i], w), toScreenY(map.y2[i], h));
      }
      ctx.stroke();
    }
    if (map.x2) paintPoints(ctx, map.x2, map.y2, w, h, size, SECOND_COLOUR, (i) => true);
    if (n > 20000 && !map.x2) {
      paintPixels(ctx, canvas, w, h, ratio);
    } else {
      paintPoints(ctx, map.x, map.y, w, h, size, "rgba(60, 60, 60, 0.6)",
        (i) => map.group[i] < 0);
    }
    map.groupNames.forEach((_, g) => paintPoints(ctx, map.x, map.y, w, h, 6,
      COLOURS[g % COLOURS.length], (i) => map.group[i] === g));
    const marked = [...page.highlight].map((word) => map.index.get(word))
      .filter((i) => i !== undefined);
    ctx.strokeStyle = HIGHLIGHT;
    ctx.lineWidth = 1.5;
    for (const i of marked) {
      ctx.beginPath();
      ctx.arc(toScreenX(map.x[i], w), toScreenY(map.y[i], h), 4.5, 0, 2 * Math.PI);
      ctx.stroke();
    }
    paintLabels(ctx, w, h, marked);
    paintAxes(ctx, w, h);
  }

  // Many points: write 2 x 2 device pixels each straight into an image, about ten times
  // faster than a rectangle per point, so 100,000 points pan and zoom smoothly. Done first:
  // putImageData replaces what is under it.
  function paintPixels(ctx, canvas, w, h, ratio) {
    const width = canvas.width, height = canvas.height;
    const image = ctx.createImageData(width, height);
    const pixels = new Uint32Array(image.data.buffer);
    const grey = new Uint32Array(new Uint8ClampedArray([90, 90, 90, 255]).buffer)[0];
    for (let i = 0; i < map.n; i++) {
      if (map.group[i] >= 0) continue;
      const px = Math.round(toScreenX(map.x[i], w) * ratio);
      const py = Math.round(toScreenY(map.y[i], h) * ratio);
      if (px < 0 || py < 0 || px >= width - 1 || py >= height - 1) continue;
      const at = py * width + px;
      pixels[at] = pixels[at + 1] = pixels[at + width] = pixels[at + width + 1] = grey;
    }
    ctx.putImageData(image, 0, 0);
  }

  function paintPoints(ctx, xs, ys, w, h, size, colour, keep) {
    ctx.fillStyle = colour;
    const half = size / 2;
    for (let i = 0; i < xs.length; i++) {
      if (!keep(i)) continue;
      const sx = toScreenX(xs[i], w), sy = toScreenY(ys[i], h);
      if (sx < -2 || sy < -2 || sx > w + 2 || sy > h + 2) continue;
      ctx.fillRect(sx - half, sy - half, size, size);
    }
  }

  // Labels where they fit: the searched word and its neighbours first, then grouped words,
  // then the most frequent words in view; a label that would overlap a drawn one is skipped.
  function paintLabels(ctx, w, h, marked) {
    ctx.font = LABEL_FONT;
    ctx.textBaseline = "middle";
    const cell = 10, columns = Math.ceil(w / cell) + 1;
    const taken = new Uint8Array(columns * (Math.ceil(h / cell) + 1));
    const order = [...marked];
    for (let i = 0; i < map.n; i++) if (map.group[i] >= 0) order.push(i);
    for (let i = 0; i < map.n && order.length < 4000; i++) order.push(i);
    let drawn = 0;
    const seen = new Set();
    for (const i of order) {
      if (seen.has(i) || drawn >= 250) continue;
      seen.add(i);
      const sx = toScreenX(map.x[i], w) + 5, sy = toScreenY(map.y[i], h);
      if (sx < 0 || sy < 6 || sx > w || sy > h - 6) continue;
      const width = ctx.measureText(map.words[i]).width;
      const c0 = Math.floor(sx / cell), c1 = Math.floor((sx + width) / cell);
      const r0 = Math.floor((sy - 6) / cell), r1 = Math.floor((sy + 6) / cell);
      let free = true;
      for (let r = r0; r <= r1 && free; r++) {
        for (let c = c0; c <= c1; c++) if (c < columns && taken[r * columns + c]) free = false;
      }
      if (!free) continue;
      for (let r = r0; r <= r1; r++) for (let c = c0; c <= Math.min(c1, columns - 1); c++) {
        taken[r * columns + c] = 1;
      }
      const isMarked = page.highlight.has(map.words[i]);
      ctx.fillStyle = map.words[i] === page.focus ? HIGHLIGHT : isMarked ? "#811" : "#333";
      ctx.fillText(map.words[i], sx, sy);
      drawn++;
    }
  }

  function paintAxes(ctx, w, h) {
    ctx.fillStyle = "#555";
    ctx.font = "12px system-ui, sans-serif";
    ctx.textAlign = "center";
    ctx.fillText(map.axes[0], w / 2, h - 8);
    ctx.save();
    ctx.translate(12, h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.fillText(map.axes[1], 0, 0);
    ctx.restore();
    ctx.textAlign = "start";
  }

  function setUpCanvas() {
    const canvas = $("map-canvas");
    const tooltip = $("tooltip");
    canvas.addEventListener("pointerdown", (e) => {
      drag = { x: e.offsetX, y: e.offsetY, moved: 0 };
      canvas.setPointerCapture(e.pointerId);
    });
    canvas.addEventListener("pointermove", (e) => {
      if (drag) {
        const dx = e.offsetX - drag.x, dy = e.offsetY - drag.y;
        drag.moved += Math.abs(dx) + Math.abs(dy);
        view.cx -= dx / view.kx;
        view.cy += dy / view.ky;
        drag.x = e.offsetX;
        drag.y = e.offsetY;
        tooltip.hidden = true;
        render();
        return;
      }
      const p = nearestPoint(e.offsetX, e.offsetY);
      if (p < 0) { tooltip.hidden = true; return; }
      const i = p % map.n;
      const group = map.group[i] >= 0 ? ` (${map.groupNames[map.group[i]]})` : "";
      const which = map.x2 ? ` \u2014 ${page.info.models[p >= map.n ? 1 : 0].name}` : "";
      tooltip.textContent = `${map.words[i]}${group}${which}`;
      tooltip.style.left = `${e.offsetX + 12}px`;
      tooltip.style.top = `${e.offsetY + 8}px`;
      tooltip.hidden = false;
    });
    canvas.addEventListener("pointerup", (e) => {
      const click = drag && drag.moved < 4;
      drag = null;
      if (!click) return;
      const p = nearestPoint(e.offsetX, e.offsetY);
      if (p >= 0) search(map.words[p % map.n]);
    });
    canvas.addEventListener("pointerleave", () => { tooltip.hidden = true; });
    canvas.addEventListener("wheel", (e) => {
      e.preventDefault();
      const w = canvas.clientWidth, h = canvas.clientHeight;
      const x = fromScreenX(e.offsetX, w);
      const y = fromScreenY(e.offsetY, h);
      const factor = Math.exp(-e.deltaY * 0.0015);
      view.kx *= factor;
      view.ky *= factor;
      view.cx = x - (e.offsetX - middleX(w)) / view.kx;
      view.cy = y + (e.offsetY - middleY(h)) / view.ky;
      render();
    }, { passive: false });
    canvas.addEventListener("dblclick", () => { fit(); render(); });
    new ResizeObserver(() => render()).observe(canvas);
  }

  // ---- two models -----------------------------------------------------------------------------

  async function runSurvey() {
    const params = { k: $("survey-k").value, n: $("survey-n").value, limit: 30 };
    $("survey-summary").textContent = "computing the overlaps\u2026";
    let answer;
    try {
      answer = await page.source.get("/api/survey", params);
    } catch (err) {
      $("survey-summary").textContent = "";
      showError(err);
      return;
    }
    const aligned = answer.aligned ? "the second model is aligned to the first by orthogonal " +
      "Procrustes" : "the models are too wide to align";
    $("survey-summary").textContent = `Mean Jaccard ${number(answer.mean_jaccard)} over the ` +
      `${answer.n.toLocaleString()} most frequent of the ${answer.candidates.toLocaleString()} ` +
      `words both models know (k = ${answer.k}); ${aligned}.`;
    drawHistogram(answer);
    $("differing").replaceChildren(...answer.differing.map((d) => {
      const cosine = d.aligned_cosine === null ? ""
        : `, aligned cosine ${number(d.aligned_cosine)}`;
      const item = element("li", d.word);
      item.dataset.word = d.word;
      item.append(element("span", ` ${d.shared_neighbours} of ${answer.k} shared${cosine}`,
        "note"));
      item.addEventListener("click", () => search(d.word));
      return item;
    }));
  }

  function drawHistogram(answer) {
    const canvas = $("histogram");
    const ctx = canvas.getContext("2d");
    const w = canvas.width, h = canvas.height, bottom = h - 36, left = 40;
    ctx.clearRect(0, 0, w, h);
    const bins = answer.histogram;
    const most = Math.max(1, ...bins.map((b) => b.words));
    const width = (w - left - 10) / bins.length;
    ctx.font = "11px system-ui, sans-serif";
    ctx.textAlign = "center";
    bins.forEach((b, i) => {
      const height = (bottom - 14) * (b.words / most);
      ctx.fillStyle = "#4a78b5";
      ctx.fillRect(left + i * width + 1, bottom - height, width - 2, height);
      ctx.fillStyle = "#333";
      ctx.fillText(String(b.words), left + (i + 0.5) * width, bottom - height - 5);
      ctx.fillText(b.jaccard.toFixed(2), left + (i + 0.5) * width, bottom + 13);
    });
    ctx.fillText("Jaccard of the two neighbour lists (words per bar above)", w / 2, h - 4);
    ctx.textAlign = "start";
  }

  async function runPairs() {
    const dataset = $("pairs-dataset").value || "ws353";
    let answer;
    try {
      answer = await page.source.get("/api/disagreements", { dataset, limit: 20 });
    } catch (err) {
      showError(err);
      return;
    }
    const names = answer.models || page.info.models.map((m) => m.name);
    const spearman = answer.spearman.map((s, i) => `${names[i]} ${number(s)}`).join(", ");
    $("pairs-summary").textContent = `${answer.pairs} of ${answer.total} pairs known to both ` +
      `models; Spearman on them: ${spearman}. Ranks are scaled to (0, 1]; the closer model's ` +
      "rank is nearer the human one.";
    const head = element("tr");
    for (const title of ["pair", "human", `cosine ${names[0]}`, `cosine ${names[1]}`,
      "closer to humans"]) head.append(element("th", title));
    $("pairs").replaceChildren(head, ...answer.disagreements.map((d) => {
      const row = element("tr");
      row.append(element("td", `${d.a} \u2013 ${d.b}`), element("td", number(d.human, 2), "num"),
        element("td", number(d.cosines[0]), "num"), element("td", number(d.cosines[1]), "num"),
        element("td", d.closer === null ? "neither" : names[d.closer], "closer"));
      return row;
    }));
  }

  start();
})();
