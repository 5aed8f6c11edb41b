// lectern's page: search, schedules, suggestions and papers over the
// HTTP/JSON gateway of the lecternd that serves it. Plain ES module, no
// dependencies. All state worth sharing lives in the URL's query string.

const DEBOUNCE_MS = 250;
const PAGE_SIZE = 10;
const FACETS = [
  // [URL parameter, facet enum, heading]
  ['type', 'FACET_TYPE', 'Type'],
  ['venue', 'FACET_VENUE', 'Venue'],
  ['year', 'FACET_YEAR', 'Year'],
  ['group', 'FACET_GROUP', 'Group'],
  ['presenter', 'FACET_PRESENTER', 'Presenter'],
];
const TYPE_ENUM = {
  session: 'DOCUMENT_TYPE_SESSION',
  paper: 'DOCUMENT_TYPE_PAPER',
  summary: 'DOCUMENT_TYPE_SUMMARY',
};
const SORT_ENUM = {
  relevance: 'SEARCH_SORT_RELEVANCE',
  newest: 'SEARCH_SORT_NEWEST',
  oldest: 'SEARCH_SORT_OLDEST',
};
const KIND_NAME = {
  SESSION_KIND_PAPER: 'paper',
  SESSION_KIND_TALK: 'talk',
  SESSION_KIND_OPEN: 'open',
};
const RULE_LABEL = {
  venue: 'venue',
  recency: 'recent enough',
  not_presented: 'not presented before',
  not_scheduled: 'not on a schedule',
  not_rejected: 'not rejected',
  no_conflict: 'no conflict of interest',
  abstract_length: 'has an abstract',
  not_suggested: 'not suggested for an earlier date',
};
const TOKEN_KEY = 'lectern.token';

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];

// Builds an element. Strings become text nodes, so nothing from the index
// is ever parsed as HTML (except search snippets; see snippetNode).
function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  appendAll(node, children);
  return node;
}

function appendAll(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

function replaceChildren(node, ...children) {
  node.textContent = '';
  appendAll(node, children);
}

// A search snippet is HTML the server escaped, with matches in <mark>.
// Rebuild it from text and <mark> only, so no other markup can slip in.
function snippetNode(html) {
  const parsed = new DOMParser().parseFromString(`<p>${html}</p>`, 'text/html');
  const out = h('p', { class: 'snippet' });
  for (const child of parsed.body.firstChild.childNodes) {
    if (child.nodeName === 'MARK') out.append(h('mark', {}, child.textContent));
    else out.append(document.createTextNode(child.textContent));
  }
  return out;
}

// ---------------------------------------------------------------- the API

class ApiError extends Error {
  constructor(status, body) {
    super(body.message || `HTTP ${status}`);
    this.status = status;
    this.code = body.status || '';
  }
}

async function api(path, params = [], signal) {
  const query = new URLSearchParams();
  for (const [name, value] of params) {
    if (value !== undefined && value !== null && value !== '') query.append(name, value);
  }
  const url = query.toString() ? `${path}?${query}` : path;
  const headers = {};
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(url, { headers, signal });
  let body = {};
  try {
    body = await response.json();
  } catch (e) {
    if (response.ok) throw new ApiError(response.status, { message: 'the server sent no JSON' });
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

let statsPromise = null;
// Index counts and the groups, read once per page load.
function stats() {
  if (!statsPromise) {
    statsPromise = api('/v1/stats').catch((error) => {
      statsPromise = null;
      throw error;
    });
  }
  return statsPromise;
}

async function groups() {
  return ((await stats()).groups || []).map((g) => ({ ...g.group, counts: g }));
}

async function groupNames() {
  const names = new Map();
  for (const group of await groups()) names.set(group.id, group.displayName || group.id);
  return names;
}

// ------------------------------------------------------------ formatting

function formatDate(iso, withWeekday = true) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso || '')) return iso || '';
  const date = new Date(`${iso}T00:00:00Z`);
  return date.toLocaleDateString('en-GB', {
    timeZone: 'UTC',
    weekday: withWeekday ? 'short' : undefined,
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  });
}

function venueText(venue, year) {
  return [venue, year || ''].filter(Boolean).join(' ');
}

// Sessions are presented "1+N": the first name on the schedule presents the
// paper, the others help prepare it and run the Q&A. A presenter without a
// role (older data) counts as presenting.
const ROLE_LABEL = {
  main: 'Presenter',
  assist: 'Assisting (preparation, Q&A)',
};

function presenterRole(presenter) {
  return presenter.role === 'PRESENTER_ROLE_ASSIST' ? 'assist' : 'main';
}

// The team split by role, names only: { main: [...], assist: [...] }.
function team(presenters) {
  const out = { main: [], assist: [] };
  for (const p of presenters || []) {
    const name = p.name || p.writtenAs;
    if (name) out[presenterRole(p)].push({ name, person: p });
  }
  // Assistants with no one presenting are listed as they are.
  if (!out.main.length) return { main: out.assist, assist: [] };
  return out;
}

// "Chaoyi Ruan + Kunzhao Xu, Bosen Yang": the presenter, then the assistants.
function presenterNames(presenters) {
  const { main, assist } = team(presenters);
  const names = (list) => list.map((m) => m.name).join(', ');
  return assist.length ? `${names(main)} + ${names(assist)}` : names(main);
}

// The same as elements: each name a span.presenter[data-role] whose title
// gives the role and the name as the schedule wrote it.
function presenterTeam(presenters) {
  const { main, assist } = team(presenters);
  const names = (list) => list.map((m, i) => {
    const role = presenterRole(m.person);
    const written = m.person.writtenAs && m.person.writtenAs !== m.name ? ` (written "${m.person.writtenAs}")` : '';
    // In a team, the one presenting stands out.
    return [i ? ', ' : '', h('span', {
      class: assist.length && role === 'main' ? 'presenter lead' : 'presenter',
      'data-role': role,
      title: `${ROLE_LABEL[role]}${written}`,
    }, m.name)];
  });
  return assist.length ? [names(main), h('span', { class: 'team-plus' }, ' + '), names(assist)] : names(main);
}

// The team with its roles spelled out, for the session view.
function teamRoles(presenters) {
  const { main, assist } = team(presenters);
  if (!assist.length) return null;
  const row = (role, list) => h('div', { 'data-role': role },
    h('dt', {}, ROLE_LABEL[role]), h('dd', {}, list.map((m) => m.name).join(', ')));
  return h('dl', { class: 'team-roles' }, row('main', main), row('assist', assist));
}

function authorsText(authors, limit = 0) {
  const list = authors || [];
  if (!limit || list.length <= limit) return list.join(', ');
  return `${list.slice(0, limit).join(', ')} and ${list.length - limit} more`;
}

function plural(count, word, words = `${word}s`) {
  return `${count} ${Number(count) === 1 ? word : words}`;
}

// Minimal Markdown for Q&A summaries: headings, lists, paragraphs, bold,
// italics, code and links, built as DOM nodes (the text itself is never
// parsed as HTML).
function markdownNode(text, title = '') {
  const root = h('div', { class: 'summary-text' });
  // The first heading is usually the title, already shown above the text.
  const lines = (text || '').split('\n');
  const first = lines.findIndex((line) => line.trim());
  if (first >= 0 && lines[first].replace(/^#+\s*/, '').trim() === title.trim()) lines.splice(first, 1);
  let list = null;
  let paragraph = [];
  const flush = () => {
    if (paragraph.length) root.append(h('p', {}, inline(paragraph.join(' '))));
    paragraph = [];
  };
  for (const raw of lines) {
    const line = raw.trimEnd();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*(?:[-*+]|\d+[.)])\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      list = null;
      root.append(h(`h${Math.min(6, heading[1].length + 2)}`, {}, inline(heading[2])));
    } else if (item) {
      flush();
      if (!list) root.append((list = h('ul', { class: 'plain-list' })));
      list.append(h('li', {}, inline(item[1])));
    } else if (!line.trim()) {
      flush();
      list = null;
    } else {
      list = null;
      paragraph.push(line.trim());
    }
  }
  flush();
  return root;
}

function inline(text) {
  const out = [];
  const pattern = /\*\*([^*]+)\*\*|\[([^\]]+)\]\((https?:\/\/[^)\s]+)\)|\*([^*\s][^*]*)\*|`([^`]+)`/g;
  let last = 0;
  for (let match; (match = pattern.exec(text));) {
    out.push(text.slice(last, match.index));
    if (match[1]) out.push(h('strong', {}, match[1]));
    else if (match[2]) out.push(h('a', { href: match[3], rel: 'noopener noreferrer' }, match[2]));
    else if (match[4]) out.push(h('em', {}, match[4]));
    else out.push(h('code', {}, match[5]));
    last = pattern.lastIndex;
  }
  out.push(text.slice(last));
  return out;
}

// ------------------------------------------------------------ URL state

function readState(search = location.search) {
  const params = new URLSearchParams(search);
  const state = {
    view: params.get('view') || 'search',
    q: params.get('q') || '',
    sort: params.get('sort') || 'relevance',
    pageToken: params.get('page') || '',
    id: params.get('id') || '',
    group: params.get('group') || '',
    date: params.get('date') || '',
    topic: params.get('topic') || '',
    filters: {},
  };
  for (const [param] of FACETS) state.filters[param] = params.getAll(param);
  return state;
}

function urlOf(state) {
  const params = new URLSearchParams();
  if (state.view !== 'search') params.set('view', state.view);
  if (state.view === 'search') {
    if (state.q) params.set('q', state.q);
    for (const [param] of FACETS) {
      for (const value of state.filters[param] || []) params.append(param, value);
    }
    if (state.sort && state.sort !== 'relevance') params.set('sort', state.sort);
    if (state.pageToken) params.set('page', state.pageToken);
  } else {
    for (const name of ['id', 'group', 'date', 'topic']) {
      if (state[name]) params.set(name, state[name]);
    }
  }
  const query = params.toString();
  return query ? `/?${query}` : '/';
}

function go(state, { replace = false } = {}) {
  const url = urlOf(state);
  if (url !== location.pathname + location.search) {
    history[replace ? 'replaceState' : 'pushState'](null, '', url);
  }
  render();
}

function viewLink(state, label, attributes = {}) {
  const full = { view: 'search', filters: {}, ...state };
  return h('a', { href: urlOf(full), 'data-internal': '', ...attributes }, label);
}

// Follows in-page links without reloading the page.
document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-internal], nav a, a.brand');
  if (!link || event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  history.pushState(null, '', link.getAttribute('href'));
  render();
  $('#main').focus({ preventScroll: true });
  window.scrollTo(0, 0);
});
window.addEventListener('popstate', () => render());

// ------------------------------------------------------------ chrome

function showError(error) {
  const box = $('#error');
  if (!error) {
    box.hidden = true;
    box.textContent = '';
    return;
  }
  if (error.name === 'AbortError') return;
  box.hidden = false;
  replaceChildren(box, h('strong', {}, error.code ? `${error.code}: ` : 'Error: '), error.message);
  if (error.status === 401 || error.status === 403) {
    // A lecternd started with --require_read_token: ask for one and keep it
    // for this tab only.
    const input = h('input', { type: 'password', 'aria-label': 'Read token', placeholder: 'read token' });
    box.append(
      h('form', {
        onsubmit: (event) => {
          event.preventDefault();
          sessionStorage.setItem(TOKEN_KEY, input.value.trim());
          statsPromise = null;
          render();
        },
      }, input, h('button', { type: 'submit' }, 'Use token')),
    );
  }
}

// Marks `panel` busy while `work` runs. A newer call on the same panel
// supersedes an older one: only the latest clears the mark or shows its error.
const panelRuns = new WeakMap();
async function busy(panel, work) {
  const run = (panelRuns.get(panel) || 0) + 1;
  panelRuns.set(panel, run);
  panel.setAttribute('aria-busy', 'true');
  try {
    showError(null);
    await work();
  } catch (error) {
    if (panelRuns.get(panel) === run) showError(error);
  } finally {
    if (panelRuns.get(panel) === run) panel.setAttribute('aria-busy', 'false');
  }
}

function showPanel(view) {
  for (const panel of $$('[data-view-panel]')) {
    panel.hidden = panel.dataset.viewPanel !== view;
  }
  const section = view === 'paper' || view === 'session' ? '' : view;
  for (const link of $$('nav a')) {
    if (link.dataset.view === section) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

async function footer() {
  try {
    const s = await stats();
    $('#index-info').textContent =
      `${plural(s.sessions || 0, 'session')}, ${plural(s.summaries || 0, 'summary', 'summaries')}, ` +
      `${plural(s.papers || 0, 'paper')} indexed` +
      (s.committedAt ? ` · updated ${s.committedAt.replace('T', ' ').replace('Z', ' UTC')}` : '');
  } catch (e) {
    $('#index-info').textContent = '';
  }
}

// ------------------------------------------------------------ search

let searchAbort = null;
let searchTimer = null;
// Page tokens of the pages before the current one, for "Previous".
let previousPages = [];
let lastSearchKey = null;

function searchKey(state) {
  return JSON.stringify([state.q, state.filters, state.sort]);
}

function searchParams(state) {
  const params = [['q', state.q], ['page_size', PAGE_SIZE], ['facet_limit', 8]];
  for (const [, facet] of FACETS) params.push(['facets', facet]);
  const f = state.filters;
  for (const v of f.venue) params.push(['filters.venues', v]);
  for (const v of f.group) params.push(['filters.groups', v]);
  for (const v of f.presenter) params.push(['filters.presenters', v]);
  for (const v of f.type) if (TYPE_ENUM[v]) params.push(['filters.types', TYPE_ENUM[v]]);
  if (f.year.length) {
    const years = f.year.map(Number).filter(Boolean);
    params.push(['filters.year_from', Math.min(...years)], ['filters.year_to', Math.max(...years)]);
  }
  if (state.sort !== 'relevance' && SORT_ENUM[state.sort]) params.push(['sort', SORT_ENUM[state.sort]]);
  if (state.pageToken) params.push(['page_token', state.pageToken]);
  return params;
}

function hasFilters(state) {
  return FACETS.some(([param]) => state.filters[param].length > 0);
}

async function renderSearch(state) {
  const panel = $('[data-view-panel="search"]');
  const input = $('#q');
  if (document.activeElement !== input && input.value !== state.q) input.value = state.q;
  $('#sort').value = state.sort;
  document.title = state.q ? `${state.q} · lectern` : 'lectern';
  const key = searchKey(state);
  if (key !== lastSearchKey) previousPages = state.pageToken ? [''] : [];
  lastSearchKey = key;

  if (searchAbort) searchAbort.abort();
  if (!state.q.trim() && !hasFilters(state)) {
    await renderSearchHome();
    return;
  }
  searchAbort = new AbortController();
  const signal = searchAbort.signal;
  await busy(panel, async () => {
    const response = await api('/v1/search', searchParams(state), signal);
    renderHits(state, response, await groupNames());
  });
}

async function renderSearchHome() {
  replaceChildren($('#facets'));
  $('#did-you-mean').hidden = true;
  $('#pager').hidden = true;
  const count = $('#result-count');
  count.dataset.total = '0';
  count.textContent = '';
  const list = $('#results');
  replaceChildren(list);
  try {
    const all = await groups();
    replaceChildren(count, 'Search what your groups read and discussed, or open a group:');
    for (const group of all) {
      list.append(h('li', { class: 'hit' },
        h('div', { class: 'hit-head' },
          viewLink({ view: 'schedule', group: group.id }, group.displayName || group.id, { class: 'hit-title' })),
        h('p', { class: 'hit-meta' },
          [group.semester, plural(group.counts.paperSessions || 0, 'paper session'),
            plural(group.counts.openSlots || 0, 'open date')].filter(Boolean).join(' · '))));
    }
  } catch (error) {
    showError(error);
  }
}

function renderHits(state, response, names) {
  const total = Number(response.totalEstimate || 0);
  const count = $('#result-count');
  count.dataset.total = String(total);
  const first = previousPages.length * PAGE_SIZE + 1;
  const hits = response.hits || [];
  count.textContent = total === 0 ? 'No results.'
    : `${plural(total, 'result')}${previousPages.length ? ` · page ${previousPages.length + 1}` : ''}`;

  const dym = $('#did-you-mean');
  if (response.correctedQuery) {
    dym.hidden = false;
    replaceChildren(dym, 'Did you mean ',
      viewLink({ ...state, q: response.correctedQuery, pageToken: '' }, response.correctedQuery, {
        class: 'corrected',
      }), '?');
  } else {
    dym.hidden = true;
  }

  replaceChildren($('#results'), hits.map((hit) => hitNode(hit, names)));
  renderFacets(state, response.facets || [], names);

  const pager = $('#pager');
  pager.hidden = !(previousPages.length || response.nextPageToken);
  $('#prev-page').disabled = previousPages.length === 0;
  $('#next-page').disabled = !response.nextPageToken;
  $('#next-page').dataset.token = response.nextPageToken || '';
  $('#page-info').textContent = hits.length ? `${first}–${first + hits.length - 1} of ${total}` : '';
}

function hitNode(hit, names) {
  const type = (hit.type || '').replace('DOCUMENT_TYPE_', '').toLowerCase();
  const groupName = (id) => names.get(id) || id;
  let link;
  let meta = [];
  const extra = [];
  if (hit.session) {
    const s = hit.session;
    link = { view: 'session', group: s.group, date: s.date };
    meta = [groupName(s.group), formatDate(s.date, false), presenterNames(s.presenters),
      s.paper ? venueText(s.paper.venue, s.paper.year) : ''];
    if (hit.linkedSummaries?.length) {
      extra.push(plural(hit.linkedSummaries.length, 'Q&A summary', 'Q&A summaries'));
    }
  } else if (hit.paper) {
    const p = hit.paper;
    link = { view: 'paper', id: p.id };
    meta = [venueText(p.venue, p.year), authorsText(p.authors, 3)];
    if (hit.linkedSessions?.length) {
      extra.push(`Presented by ${hit.linkedSessions
        .map((s) => `${groupName(s.group)} on ${formatDate(s.date, false)}`).join('; ')}`);
    }
  } else if (hit.summary) {
    const s = hit.summary;
    link = { view: 'session', group: s.group, date: s.date };
    meta = [`Q&A summary · ${groupName(s.group)}`, formatDate(s.date, false),
      s.language === 'zh' ? '中文' : s.language];
  }
  return h('li', { class: 'hit', 'data-type': type, 'data-id': hit.id },
    h('div', { class: 'hit-head' },
      h('span', { class: 'badge hit-type', 'data-type': type }, type),
      link ? viewLink(link, hit.title || hit.id, { class: 'hit-title' })
        : h('span', { class: 'hit-title' }, hit.title || hit.id)),
    h('div', { class: 'hit-meta' }, meta.filter(Boolean).join(' · ')),
    hit.snippet ? snippetNode(hit.snippet) : null,
    extra.length ? h('div', { class: 'hit-links' }, extra.join(' · ')) : null);
}

function sessionLink(session) {
  if (session.paper?.paperId) return { view: 'paper', id: session.paper.paperId };
  return { view: 'session', group: session.group, date: session.date };
}

function renderFacets(state, facets, names) {
  const box = $('#facets');
  replaceChildren(box);
  const byEnum = new Map(facets.map((f) => [f.facet, f]));
  for (const [param, facetEnum, heading] of FACETS) {
    const chosen = state.filters[param];
    const values = (byEnum.get(facetEnum)?.values || []).map((v) => ({
      value: v.value,
      count: Number(v.count || 0),
    }));
    // A chosen value stays visible (and un-clickable away) even when the
    // other filters leave it no matches.
    for (const value of chosen) {
      if (!values.some((v) => v.value === value)) values.push({ value, count: 0 });
    }
    if (!values.length) continue;
    const labels = param === 'group' ? names : new Map();
    box.append(h('div', { class: 'facet', 'data-facet': param },
      h('h2', {}, heading),
      h('div', { class: 'chips' }, values.map(({ value, count }) => {
        const pressed = chosen.includes(value);
        return h('button', {
          type: 'button',
          class: 'chip',
          'data-value': value,
          'aria-pressed': String(pressed),
          'aria-label': `${heading} ${labels.get(value) || value}: ${count}${pressed ? ', filter on' : ''}`,
          onclick: () => toggleFilter(param, value),
        }, labels.get(value) || value, h('span', { class: 'chip-count' }, count));
      }))));
  }
}

function toggleFilter(param, value) {
  const state = readState();
  const chosen = state.filters[param];
  // A year picks one year at a time: the API filters by a range.
  state.filters[param] = chosen.includes(value) ? chosen.filter((v) => v !== value)
    : param === 'year' ? [value] : [...chosen, value];
  state.pageToken = '';
  go(state);
}

function setUpSearch() {
  const input = $('#q');
  input.addEventListener('input', () => {
    clearTimeout(searchTimer);
    searchTimer = setTimeout(() => {
      const state = readState();
      if (state.view !== 'search' || state.q === input.value) return;
      const replace = state.q !== '' && input.value !== '';
      state.q = input.value;
      state.pageToken = '';
      // Typing refines one search: keep one history entry for it.
      go(state, { replace });
    }, DEBOUNCE_MS);
  });
  $('#search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    clearTimeout(searchTimer);
    const state = readState();
    state.q = input.value;
    state.pageToken = '';
    go(state);
  });
  $('#sort').addEventListener('change', () => {
    const state = readState();
    state.sort = $('#sort').value;
    state.pageToken = '';
    go(state);
  });
  $('#next-page').addEventListener('click', () => {
    const state = readState();
    previousPages.push(state.pageToken);
    state.pageToken = $('#next-page').dataset.token;
    lastSearchKey = searchKey(state);
    go(state);
  });
  $('#prev-page').addEventListener('click', () => {
    const state = readState();
    state.pageToken = previousPages.pop() || '';
    lastSearchKey = searchKey(state);
    go(state);
  });
  // "/" jumps to the search box from anywhere but a text field.
  document.addEventListener('keydown', (event) => {
    if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
    const target = event.target;
    if (target.closest('input, textarea, select, [contenteditable]')) return;
    event.preventDefault();
    // From another view, start a fresh search: the view's group is not a
    // search filter.
    if (readState().view !== 'search') go(readState(''));
    input.focus();
    input.select();
  });
}

// ------------------------------------------------------------ schedule

async function fillGroupSelect(select, chosen) {
  const all = await groups();
  if (!select.options.length) {
    for (const group of all) select.append(h('option', { value: group.id }, group.displayName || group.id));
  }
  const id = all.some((g) => g.id === chosen) ? chosen : all[0]?.id || '';
  select.value = id;
  return id;
}

function rulesText(group, names) {
  const rules = group.rules || {};
  const parts = [];
  if (rules.venues?.length) parts.push(`${rules.venues.join(' or ')} papers`);
  if (rules.maxAgeMonths) parts.push(`published within ${rules.maxAgeMonths} months of the date`);
  const groupsToAvoid = [group.id, ...(group.siblings || [])].map((id) => names.get(id) || id);
  parts.push(`never a paper ${groupsToAvoid.join(' or ')} already presented`);
  if (rules.conflicts?.length) parts.push(`no papers by ${rules.conflicts.join(', ')}`);
  return parts.join('; ');
}

function aboutGroup(group, names) {
  return [
    group.semester ? h('p', {}, `Semester: ${group.semester}`) : null,
    h('p', {}, `Suggestions follow: ${rulesText(group, names)}.`),
    group.rulesText ? h('details', {}, h('summary', {}, 'The group\u2019s rules in its own words'),
      h('p', {}, group.rulesText.trim())) : null,
  ];
}

async function renderSchedule(state) {
  const panel = $('[data-view-panel="schedule"]');
  await busy(panel, async () => {
    const groupId = await fillGroupSelect($('#schedule-group'), state.group);
    if (!groupId) return;
    const [schedule, names] = await Promise.all([
      api(`/v1/groups/${encodeURIComponent(groupId)}/schedule`), groupNames()]);
    const group = schedule.group || {};
    $('#schedule-title').textContent = `${group.displayName || group.id} schedule`;
    document.title = `${group.displayName || group.id} · lectern`;
    replaceChildren($('#schedule-about'), aboutGroup(group, names));
    replaceChildren($('#timeline'), timelineEntries(schedule, names));
  });
}

function timelineEntries(schedule, names) {
  const entries = (schedule.sessions || []).map((s) => ({ date: s.session.date, item: s }));
  const listed = new Set(entries.map((e) => e.date));
  // Dates the group's cadence adds past the schedule are open too.
  for (const open of schedule.openDates || []) {
    if (!listed.has(open.date)) entries.push({ date: open.date, open });
  }
  entries.sort((a, b) => a.date.localeCompare(b.date));
  const groupId = schedule.group?.id;
  return entries.map(({ item, open }) => (item
    ? sessionEntry(item, groupId, names)
    : openEntry(open.date, open.presenters, groupId, 'added by the group\u2019s cadence')));
}

function dateCell(iso) {
  const date = new Date(`${iso}T00:00:00Z`);
  return h('div', { class: 'entry-date' },
    formatDate(iso, false), h('small', {}, date.toLocaleDateString('en-GB', { timeZone: 'UTC', weekday: 'long' })));
}

function openEntry(date, presenters, groupId, note) {
  const who = presenterNames(presenters);
  return h('li', { class: 'entry open', 'data-date': date, 'data-kind': 'open' },
    dateCell(date),
    h('div', {},
      h('div', { class: 'entry-title' }, 'Open date — no paper yet'),
      h('div', { class: 'presenters' }, who
        ? [team(presenters).assist.length ? 'Team: ' : 'Presenter: ', presenterTeam(presenters)]
        : 'No presenter yet'),
      note ? h('div', { class: 'meta' }, note) : null,
      h('div', { class: 'links' },
        viewLink({ view: 'suggest', group: groupId, date }, 'Suggest papers for this date', {
          class: 'suggest-link',
        }))));
}

// Slides, Q&A summary (`summaryLink` when lectern has it, else the
// schedule's link), video and paper links of a session.
function sessionLinks(session, summaryLink) {
  const links = [];
  const l = session.links || {};
  const external = (href, label) => h('a', { href, rel: 'noopener noreferrer' }, label);
  if (l.slides) links.push(external(l.slides, 'Slides'));
  if (summaryLink) links.push(summaryLink);
  else if (l.qaSummary) links.push(external(l.qaSummary, 'Q&A summary'));
  if (l.video) links.push(external(l.video, 'Video'));
  if (session.paper?.url) links.push(external(session.paper.url, 'Paper'));
  return links;
}

function sessionEntry({ session, summaries = [], alsoPresented = [] }, groupId, names) {
  const kind = KIND_NAME[session.kind] || 'paper';
  if (kind === 'open') return openEntry(session.date, session.presenters, groupId, '');
  const paper = session.paper || {};
  const links = sessionLinks(session, summaries.length
    ? viewLink({ view: 'session', group: session.group, date: session.date },
      summaries.length > 1 ? `Q&A summaries (${summaries.length})` : 'Q&A summary')
    : null);
  return h('li', { class: 'entry', 'data-date': session.date, 'data-kind': kind },
    dateCell(session.date),
    h('div', {},
      h('div', {},
        viewLink(sessionLink(session), session.title || paper.title || '(untitled)', { class: 'entry-title' }),
        session.markers?.length ? h('span', { class: 'markers', 'aria-hidden': 'true' }, session.markers.join('')) : null),
      kind === 'talk' ? h('div', { class: 'venue meta' }, 'Talk')
        : h('div', { class: 'venue meta' }, venueText(paper.venue || paper.venueWritten, paper.year)),
      h('div', { class: 'presenters' }, presenterTeam(session.presenters)),
      links.length ? h('div', { class: 'links' }, links) : null,
      alsoPresented.length ? h('div', { class: 'repeat' },
        h('span', { class: 'badge' }, 'also presented'), ' by ',
        alsoPresented.map((other, i) => [i ? '; ' : '',
          viewLink({ view: 'schedule', group: other.group },
            `${names.get(other.group) || other.group} on ${formatDate(other.date, false)}`)])) : null));
}

// ------------------------------------------------------------ suggestions

let suggestAbort = null;

async function renderSuggest(state) {
  const panel = $('[data-view-panel="suggest"]');
  if (suggestAbort) suggestAbort.abort();
  suggestAbort = new AbortController();
  const signal = suggestAbort.signal;
  await busy(panel, async () => {
    const groupId = await fillGroupSelect($('#suggest-group'), state.group);
    if (!groupId) return;
    $('#topic').value = state.topic;
    const [open, names, all] = await Promise.all([
      api(`/v1/groups/${encodeURIComponent(groupId)}/open-dates`, [], signal),
      groupNames(), groups()]);
    const dates = open.openDates || [];
    const dateSelect = $('#suggest-date');
    replaceChildren(dateSelect,
      h('option', { value: '' }, 'All open dates'),
      dates.map((d) => h('option', { value: d.date },
        `${formatDate(d.date)}${d.presenters?.length ? ` — ${presenterNames(d.presenters)}` : ''}`)));
    dateSelect.value = dates.some((d) => d.date === state.date) ? state.date : '';
    const group = all.find((g) => g.id === groupId) || { id: groupId };
    replaceChildren($('#suggest-rules'), aboutGroup(group, names));
    const out = $('#suggestions');
    if (!dates.length) {
      replaceChildren(out, h('p', { class: 'empty' }, 'This group has no open dates.'));
      return;
    }
    replaceChildren(out, h('p', { class: 'meta' }, 'Finding papers…'));
    const params = [['topic', state.topic], ['count', 5]];
    if (dateSelect.value) params.push(['dates', dateSelect.value]);
    const response = await api(`/v1/groups/${encodeURIComponent(groupId)}/suggestions`, params, signal);
    replaceChildren(out, (response.dates || []).map((d) => dateSuggestions(d, names)));
  });
}

function dateSuggestions(day, names) {
  const who = presenterNames(day.presenters);
  const crew = team(day.presenters);
  return h('section', { class: 'date-suggestions', 'data-date': day.date },
    h('h2', {}, formatDate(day.date),
      who ? ` — ${who} ${crew.main.length + crew.assist.length > 1 ? 'present' : 'presents'}` : ''),
    h('p', { class: 'meta' }, `${plural(day.eligible || 0, 'paper')} pass every rule for this date; the best ${
      (day.candidates || []).length}, most diverse first:`),
    (day.candidates || []).length
      ? h('ol', { class: 'candidates' }, day.candidates.map((c) => candidateNode(c)))
      : h('p', { class: 'empty' }, 'No paper passes every rule for this date.'));
}

function candidateNode(candidate) {
  const paper = candidate.paper || {};
  const ranking = candidate.ranking || {};
  const [why, ...rest] = (candidate.explanation || '').split('\n');
  return h('li', { class: 'candidate', 'data-paper-id': paper.id },
    viewLink({ view: 'paper', id: paper.id }, paper.title, { class: 'candidate-title' }),
    h('div', { class: 'meta' },
      h('span', { class: 'candidate-venue' }, venueText(paper.venue, paper.year)),
      paper.authors?.length ? ` · ${authorsText(paper.authors, 4)}` : ''),
    h('ul', { class: 'rules', 'aria-label': 'Rules checked' }, (candidate.rules || []).map((rule) =>
      h('li', {
        class: 'rule',
        'data-rule': rule.rule,
        'data-passed': String(Boolean(rule.passed)),
        title: rule.detail,
      }, `${rule.passed ? '✓' : '✗'} ${RULE_LABEL[rule.rule] || rule.rule}`))),
    ranking.topicTerms?.length
      ? h('p', { class: 'terms' }, `Topic words it matches: ${ranking.topicTerms.join(', ')}.`) : null,
    h('p', { class: 'explanation' },
      (rest.length ? rest.join(' ') : why).replace(/^Ranks:\s*/, 'Why it ranks here: ')),
    h('details', {},
      h('summary', {}, 'Rules checked, nearest presented paper, abstract'),
      h('ul', { class: 'plain-list' }, (candidate.rules || []).map((rule) =>
        h('li', {}, h('strong', {}, `${RULE_LABEL[rule.rule] || rule.rule}: `), rule.detail))),
      candidate.nearestPresented ? h('p', { class: 'meta' }, candidate.nearestPresented) : null,
      paper.abstract ? h('p', { class: 'abstract' }, paper.abstract) : null));
}

function setUpSuggest() {
  $('#suggest-form').addEventListener('submit', (event) => {
    event.preventDefault();
    go({ ...readState(), view: 'suggest', group: $('#suggest-group').value,
      date: $('#suggest-date').value, topic: $('#topic').value.trim() });
  });
  for (const id of ['#suggest-group', '#suggest-date']) {
    $(id).addEventListener('change', () => {
      const group = $('#suggest-group').value;
      const sameGroup = group === readState().group;
      go({ ...readState(), view: 'suggest', group, date: sameGroup ? $('#suggest-date').value : '',
        topic: $('#topic').value.trim() });
    });
  }
  $('#schedule-group').addEventListener('change', () => {
    go({ ...readState(), view: 'schedule', group: $('#schedule-group').value });
  });
}

// ------------------------------------------------------------ paper, session

function sessionsList(sessions, names) {
  if (!sessions.length) return h('p', { class: 'empty' }, 'No group has presented it yet.');
  return h('ul', { id: 'paper-sessions', class: 'plain-list' }, sessions.map((s) =>
    h('li', {},
      viewLink({ view: 'session', group: s.group, date: s.date },
        `${names.get(s.group) || s.group}, ${formatDate(s.date)}`),
      s.presenters?.length ? [' — presented by ', presenterTeam(s.presenters)] : '')));
}

function summariesList(summaries, names) {
  if (!summaries.length) return h('p', { class: 'empty' }, 'No Q&A summary yet.');
  return summaries.map((s) => h('article', { class: 'summary', lang: s.language || undefined },
    h('h3', {}, s.title || 'Q&A summary'),
    h('p', { class: 'meta' }, [names.get(s.group) || s.group, formatDate(s.date)].join(' · '),
      s.url ? [' · ', h('a', { href: s.url, rel: 'noopener noreferrer' }, 'published version')] : ''),
    markdownNode(s.text, s.title || '')));
}

let relatedAbort = null;

// The "Related work" panel of a paper: catalog papers of the years before
// it that share its key terms. It loads after the paper view is shown and
// fails on its own: a short note in the panel, never the page's #error.
function relatedPanel(paperId, names) {
  if (relatedAbort) relatedAbort.abort();
  relatedAbort = new AbortController();
  const signal = relatedAbort.signal;
  const note = h('p', { class: 'meta related-window' }, 'Finding related papers…');
  const body = h('div', { class: 'related-body' });
  const panel = h('section', {
    id: 'related-work', class: 'related', 'aria-labelledby': 'related-title', 'aria-busy': 'true',
  }, h('h2', { id: 'related-title' }, 'Related work'), note, body);
  api('/v1/related', [['paper', paperId], ['count', 10]], signal)
    .then((response) => {
      const related = response.related || [];
      const from = response.yearFrom;
      const to = response.yearTo;
      const years = from && to && from !== to ? `${from}–${to}` : from || to || '';
      replaceChildren(note,
        years ? h('span', { class: 'related-years' }, `published ${years}`) : null,
        response.candidates ? `${years ? ' · ' : ''}${related.length} of the ${
          plural(response.candidates, 'catalog paper')} of those years, by shared key terms` : null);
      replaceChildren(body,
        related.length
          ? h('ol', { class: 'related-list' }, related.map((item) => relatedNode(item, names)))
          : h('p', { class: 'empty' }, 'No catalog paper of those years shares its key terms.'),
        response.keyTerms?.length
          ? h('p', { class: 'meta related-terms' }, `Its key terms: ${response.keyTerms.join(', ')}.`) : null);
    })
    .catch((error) => {
      if (error.name === 'AbortError') return;
      const message = error.message.length > 120 ? `${error.message.slice(0, 117)}…` : error.message;
      replaceChildren(note);
      replaceChildren(body, h('p', { class: 'related-error empty', title: error.message },
        `Related work could not be loaded: ${message}`));
    })
    .finally(() => {
      if (!signal.aborted) panel.setAttribute('aria-busy', 'false');
    });
  return panel;
}

function relatedNode(item, names) {
  const paper = item.paper || {};
  const sessions = item.sessions || [];
  const evidence = item.evidence || [];
  return h('li', {
    class: 'related-paper',
    'data-paper-id': paper.id,
    'data-year': paper.year || '',
    'data-presented': String(sessions.length > 0),
  },
  viewLink({ view: 'paper', id: paper.id }, paper.title || paper.id, { class: 'related-title' }),
  h('div', { class: 'meta' },
    h('span', { class: 'related-venue' }, venueText(paper.venue, paper.year)),
    paper.authors?.length ? ` · ${authorsText(paper.authors, 3)}` : ''),
  evidence.length ? h('div', {
    class: 'evidence',
    title: `Key terms both papers share, strongest first (similarity ${Number(item.similarity || 0).toFixed(2)})`,
  }, `shared: ${evidence.join(', ')}`) : null,
  sessions.length ? h('div', { class: 'presented-mark' },
    h('span', { class: 'badge' }, '★ presented'), ' ',
    sessions.map((s, i) => [i ? '; ' : '',
      viewLink({ view: 'session', group: s.group, date: s.date }, `${s.date} ${s.group}`, {
        title: `${names.get(s.group) || s.group}, ${formatDate(s.date)}${
          s.presenters?.length ? `, presented by ${presenterNames(s.presenters)}` : ''}`,
      })])) : null);
}

async function renderPaper(state) {
  const panel = $('[data-view-panel="paper"]');
  const view = $('#paper-view');
  if (relatedAbort) relatedAbort.abort();
  await busy(panel, async () => {
    replaceChildren(view);
    const [details, names] = await Promise.all([
      api(`/v1/papers/${encodeURIComponent(state.id)}`), groupNames()]);
    const paper = details.paper || {};
    document.title = `${paper.title} · lectern`;
    const links = [];
    if (paper.url) links.push(h('a', { href: paper.url, rel: 'noopener noreferrer' }, 'Paper'));
    if (paper.doi) links.push(h('a', { href: `https://doi.org/${paper.doi}`, rel: 'noopener noreferrer' }, `doi:${paper.doi}`));
    replaceChildren(view,
      h('h1', { class: 'paper-title' }, paper.title),
      h('p', { class: 'authors' }, authorsText(paper.authors)),
      h('p', { class: 'venue meta' }, venueText(paper.venue, paper.year)),
      links.length ? h('p', { class: 'links' }, links) : null,
      h('h2', {}, 'Abstract'),
      h('p', { class: 'abstract' }, paper.abstract || 'No abstract in the catalog.'),
      h('h2', {}, 'Presented'),
      sessionsList(details.sessions || [], names),
      relatedPanel(paper.id || state.id, names),
      h('h2', {}, 'Q&A summaries'),
      h('div', { id: 'paper-summaries' }, summariesList(details.summaries || [], names)));
  });
}

async function renderSession(state) {
  const panel = $('[data-view-panel="session"]');
  const view = $('#session-view');
  await busy(panel, async () => {
    replaceChildren(view);
    const [details, names] = await Promise.all([
      api(`/v1/groups/${encodeURIComponent(state.group)}/sessions/${encodeURIComponent(state.date)}`),
      groupNames()]);
    const group = details.group || {};
    const papers = new Map((details.papers || []).map((p) => [p.id, p]));
    document.title = `${group.displayName || state.group}, ${state.date} · lectern`;
    replaceChildren(view,
      h('p', { class: 'meta' },
        viewLink({ view: 'schedule', group: group.id }, group.displayName || group.id), ' · ',
        formatDate(state.date)),
      (details.sessions || []).map((s) => {
        const paper = papers.get(s.paper?.paperId);
        const kind = KIND_NAME[s.kind] || 'paper';
        return h('section', { class: 'session' },
          h('h1', { class: 'paper-title' }, s.title || 'Open date — no paper yet'),
          h('p', { class: 'presenters' }, s.presenters?.length ? ['Presented by ', presenterTeam(s.presenters)] : ''),
          teamRoles(s.presenters),
          s.paper ? h('p', { class: 'venue meta' }, venueText(s.paper.venue || s.paper.venueWritten, s.paper.year)) : null,
          paper ? h('p', {}, viewLink({ view: 'paper', id: paper.id }, 'The paper in the catalog'),
            ` — ${authorsText(paper.authors, 4)}`) : null,
          h('div', { class: 'links' }, sessionLinks(s, null)),
          paper?.abstract ? h('details', {}, h('summary', {}, 'Abstract'),
            h('p', { class: 'abstract' }, paper.abstract)) : null,
          kind === 'open' ? h('p', {}, viewLink({ view: 'suggest', group: s.group, date: s.date },
            'Suggest papers for this date', { class: 'suggest-link' })) : null);
      }),
      h('h2', {}, 'Q&A summaries'),
      h('div', { id: 'session-summaries' }, summariesList(details.summaries || [], names)));
  });
}

// ------------------------------------------------------------ router

const VIEWS = {
  search: renderSearch,
  schedule: renderSchedule,
  suggest: renderSuggest,
  paper: renderPaper,
  session: renderSession,
};

function render() {
  const state = readState();
  const view = VIEWS[state.view] ? state.view : 'search';
  showPanel(view);
  return VIEWS[view](state);
}

setUpSearch();
setUpSuggest();
render();
footer();
