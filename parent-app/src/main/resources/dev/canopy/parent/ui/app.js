// The live hierarchy page: a snapshot of the parent's tree, kept current by its event stream.
//
// Everything shown comes from registrations, i.e. from strangers: the DOM is built with createElement
// and textContent only, never from markup, and only http(s) urls become links.
//
// The stream is read with fetch() rather than EventSource, because EventSource cannot send the
// Authorization header that reads need when the parent runs with CANOPY_READ_ACCESS=key.

const EVENTS_PATH = '/api/v1/events';
const KEY_STORAGE = 'canopy.readKey';
const MAX_BACKOFF_MS = 30000;

/**
 * An incremental text/event-stream parser (the WHATWG "event stream interpretation"): feed it text
 * as it arrives, in chunks of any size, and it calls onEvent({id, type, data}) per complete event
 * and onRetry(ms) for a retry field. Comments (keep-alives) are dropped.
 */
export class EventStreamParser {
  constructor(onEvent, onRetry = () => {}) {
    this.onEvent = onEvent;
    this.onRetry = onRetry;
    this.buffer = '';
    this.type = '';
    this.data = [];
    this.id = null;
    this.lastEventId = null;
  }

  push(text) {
    this.buffer += text;
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr < 0 && lf < 0) {
        break;
      }
      let end;
      let next;
      if (cr >= 0 && (lf < 0 || cr < lf)) {
        // A CR at the very end may be the first half of a CRLF split across two chunks.
        if (cr === this.buffer.length - 1) {
          break;
        }
        end = cr;
        next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      } else {
        end = lf;
        next = lf + 1;
      }
      this.line(this.buffer.slice(start, end));
      start = next;
    }
    this.buffer = this.buffer.slice(start);
  }

  line(line) {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      return;
    }
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) {
      value = value.slice(1);
    }
    if (field === 'data') {
      this.data.push(value);
    } else if (field === 'event') {
      this.type = value;
    } else if (field === 'id' && !value.includes('\0')) {
      this.id = value;
    } else if (field === 'retry' && /^\d+$/.test(value)) {
      this.onRetry(Number(value));
    }
  }

  dispatch() {
    if (this.id !== null) {
      this.lastEventId = this.id;
    }
    const event = {id: this.lastEventId, type: this.type || 'message', data: this.data.join('\n')};
    const complete = this.data.length > 0;
    this.type = '';
    this.data = [];
    this.id = null;
    if (complete) {
      this.onEvent(event);
    }
  }
}

/**
 * What the page knows: orchestrators by id, each with its services by id. Changed only through
 * apply(), which returns the ids of the orchestrators whose branch changed (or null: everything).
 */
export class HierarchyState {
  constructor() {
    this.parent = null;
    this.branches = new Map();
    this.loaded = false;
  }

  apply(type, payload) {
    this.loaded = true;
    switch (type) {
      case 'snapshot':
        return this.replace(payload.hierarchy);
      case 'service.registered':
      case 'service.updated':
        return this.putService(payload.service);
      case 'service.deregistered':
      case 'service.evicted':
        return this.removeService(payload.service);
      case 'orchestrator.registered':
      case 'orchestrator.updated':
        return this.putOrchestrator(payload.orchestrator);
      case 'orchestrator.deregistered':
      case 'orchestrator.evicted':
        return this.removeOrchestrator(payload.orchestrator);
      default:
        // A type this page does not know yet changes nothing it shows.
        return new Set();
    }
  }

  replace(hierarchy) {
    this.parent = {id: hierarchy.parent_id, info: hierarchy.parent_info || {}};
    this.branches = new Map();
    for (const branch of hierarchy.orchestrators || []) {
      const services = new Map();
      for (const service of branch.services || []) {
        services.set(service.id, service);
      }
      this.branches.set(branch.orchestrator.id, {orchestrator: branch.orchestrator, services});
    }
    return null;
  }

  branch(orchestratorId) {
    let branch = this.branches.get(orchestratorId);
    if (!branch) {
      // A service can only arrive after its orchestrator; this covers a stream that says otherwise.
      branch = {orchestrator: {id: orchestratorId, info: {}}, services: new Map()};
      this.branches.set(orchestratorId, branch);
    }
    return branch;
  }

  putService(service) {
    const changed = new Set([service.orchestrator_id]);
    for (const [id, branch] of this.branches) {
      if (id !== service.orchestrator_id && branch.services.delete(service.id)) {
        changed.add(id);
      }
    }
    this.branch(service.orchestrator_id).services.set(service.id, service);
    return changed;
  }

  removeService(service) {
    const changed = new Set();
    for (const [id, branch] of this.branches) {
      if (branch.services.delete(service.id)) {
        changed.add(id);
      }
    }
    return changed;
  }

  putOrchestrator(orchestrator) {
    this.branch(orchestrator.id).orchestrator = orchestrator;
    return new Set([orchestrator.id]);
  }

  removeOrchestrator(orchestrator) {
    this.branches.delete(orchestrator.id);
    return new Set([orchestrator.id]);
  }

  serviceCount() {
    let count = 0;
    for (const branch of this.branches.values()) {
      count += branch.services.size;
    }
    return count;
  }
}

/** A value from free-form info, if it is one that reads as text. */
function infoText(info, key) {
  const value = info && info[key];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

function orchestratorName(orchestrator) {
  return infoText(orchestrator.info, 'display_name') || orchestrator.url || orchestrator.id;
}

function serviceName(service) {
  return infoText(service.info, 'display_name') || infoText(service.info, 'name') || service.id;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text !== undefined && text !== null) {
    node.textContent = text;
  }
  return node;
}

/** A link for http(s) urls; anything else (javascript:, data:, ...) stays plain text. */
function urlNode(url) {
  let parsed = null;
  try {
    parsed = new URL(url);
  } catch {
    // not a url: shown as text
  }
  if (!parsed || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) {
    return element('span', 'url', url);
  }
  const link = element('a', 'url', url);
  link.href = parsed.href;
  link.rel = 'noopener noreferrer';
  return link;
}

function badge(text, kind) {
  return element('span', 'badge ' + kind, text);
}

function syncBadge(sync) {
  if (!sync || sync.in_sync === null || sync.in_sync === undefined) {
    return badge('sync pending', 'neutral');
  }
  const pending = sync.pending_forwards ? `, ${sync.pending_forwards} pending` : '';
  return sync.in_sync ? badge('in sync' + pending, 'good') : badge('out of sync' + pending, 'warn');
}

function matches(query, ...values) {
  return values.some((value) => typeof value === 'string' && value.toLowerCase().includes(query));
}

function serviceMatches(query, service) {
  return matches(query, serviceName(service), infoText(service.info, 'name'), service.url, service.id);
}

function orchestratorMatches(query, orchestrator) {
  return matches(query, orchestrator.region, orchestrator.domain);
}

function byName(nameOf) {
  return (a, b) => nameOf(a).localeCompare(nameOf(b)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Draws the state into the page; one card per orchestrator, redrawn only when its branch changed. */
class HierarchyView {
  constructor(doc, state) {
    this.state = state;
    this.tree = doc.getElementById('tree');
    this.counts = doc.getElementById('counts');
    this.empty = doc.getElementById('empty');
    this.parentName = doc.getElementById('parent-name');
    this.cards = new Map();
    this.query = '';
    this.collapsed = new Set();
    this.dirty = new Set();
    this.everything = true;
    this.scheduled = false;
  }

  setFilter(query) {
    this.query = query.trim().toLowerCase();
    this.changed(null);
  }

  /** @param ids orchestrator ids whose branch changed, or null for all of them */
  changed(ids) {
    if (ids === null) {
      this.everything = true;
    } else {
      ids.forEach((id) => this.dirty.add(id));
    }
    if (!this.scheduled) {
      this.scheduled = true;
      requestAnimationFrame(() => this.render());
    }
  }

  render() {
    this.scheduled = false;
    const ids = this.everything ? new Set([...this.cards.keys(), ...this.state.branches.keys()]) : this.dirty;
    this.everything = false;
    this.dirty = new Set();
    for (const id of ids) {
      const branch = this.state.branches.get(id);
      const old = this.cards.get(id);
      if (!branch) {
        old?.card.remove();
        this.cards.delete(id);
        continue;
      }
      const drawn = this.card(branch);
      if (old) {
        old.card.replaceWith(drawn.card);
      }
      this.cards.set(id, drawn);
    }
    const ordered = [...this.state.branches.values()].map((branch) => branch.orchestrator)
        .sort(byName(orchestratorName));
    ordered.forEach((orchestrator) => this.tree.append(this.cards.get(orchestrator.id).card));
    this.summarise();
  }

  card(branch) {
    const {orchestrator} = branch;
    const query = this.query;
    const wholeBranch = query === '' || orchestratorMatches(query, orchestrator);
    const services = [...branch.services.values()].sort(byName(serviceName));
    const shown = wholeBranch ? services : services.filter((service) => serviceMatches(query, service));

    const card = element('section', 'orchestrator');
    card.dataset.orchestratorId = orchestrator.id;
    card.hidden = !wholeBranch && shown.length === 0;

    const head = element('header', 'orchestrator-head');
    const toggle = element('button', 'toggle');
    toggle.type = 'button';
    const open = !this.collapsed.has(orchestrator.id);
    toggle.setAttribute('aria-expanded', String(open));
    toggle.title = open ? 'Collapse' : 'Expand';
    toggle.textContent = open ? '\u25be' : '\u25b8';
    toggle.addEventListener('click', () => {
      if (this.collapsed.has(orchestrator.id)) {
        this.collapsed.delete(orchestrator.id);
      } else {
        this.collapsed.add(orchestrator.id);
      }
      this.changed(new Set([orchestrator.id]));
    });

    const title = element('div', 'orchestrator-title');
    title.append(element('h2', 'name', orchestratorName(orchestrator)));
    if (orchestrator.url) {
      title.append(urlNode(orchestrator.url));
    }
    const badges = element('div', 'badges');
    if (orchestrator.region) {
      badges.append(badge('region ' + orchestrator.region, 'scope region'));
    }
    if (orchestrator.domain) {
      badges.append(badge('domain ' + orchestrator.domain, 'scope domain'));
    }
    badges.append(syncBadge(orchestrator.sync));
    if (orchestrator.status) {
      badges.append(badge('lease ' + orchestrator.status, orchestrator.status === 'alive' ? 'good' : 'warn'));
    }
    const count = element('span', 'service-count',
        shown.length === services.length ? String(services.length) : `${shown.length} of ${services.length}`);
    count.title = 'services';
    const countBox = element('div', 'count-box');
    countBox.append(count, element('span', 'count-label', services.length === 1 ? 'service' : 'services'));
    head.append(toggle, title, badges, countBox);
    card.append(head);

    if (open) {
      if (services.length === 0) {
        card.append(element('p', 'no-services', 'No services registered.'));
      } else {
        const list = element('ul', 'services');
        shown.forEach((service) => list.append(this.serviceRow(service)));
        card.append(list);
      }
    }
    return {card, shown: card.hidden ? 0 : shown.length};
  }

  serviceRow(service) {
    const row = element('li', 'service');
    row.dataset.serviceId = service.id;
    const main = element('div', 'service-main');
    main.append(element('span', 'service-name', serviceName(service)));
    const version = infoText(service.info, 'version');
    if (version) {
      main.append(element('span', 'version', 'v' + version));
    }
    main.append(urlNode(service.url));
    const side = element('div', 'service-side');
    side.append(element('code', 'service-id', service.id));
    if (service.status) {
      side.append(badge(service.status, service.status === 'alive' ? 'good' : 'warn'));
    }
    row.append(main, side);
    return row;
  }

  summarise() {
    const orchestrators = this.state.branches.size;
    const services = this.state.serviceCount();
    if (this.state.parent) {
      const name = infoText(this.state.parent.info, 'display_name') || this.state.parent.id;
      this.parentName.textContent = name + (this.state.parent.id ? ` \u00b7 ${this.state.parent.id}` : '');
    }
    const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
    let text = `${plural(orchestrators, 'orchestrator')} \u00b7 ${plural(services, 'service')}`;
    if (this.query !== '') {
      let cardsShown = 0;
      let servicesShown = 0;
      for (const drawn of this.cards.values()) {
        if (!drawn.card.hidden) {
          cardsShown += 1;
          servicesShown += drawn.shown;
        }
      }
      text = `showing ${cardsShown} of ${plural(orchestrators, 'orchestrator')} \u00b7 `
          + `${servicesShown} of ${plural(services, 'service')}`;
    }
    this.counts.textContent = text;
    this.counts.dataset.orchestrators = String(orchestrators);
    this.counts.dataset.services = String(services);
    this.empty.hidden = !this.state.loaded || orchestrators > 0 && (this.query === '' || [...this.cards.values()].some((d) => !d.card.hidden));
    this.empty.textContent = orchestrators === 0 ? 'No child orchestrator is registered.' : 'Nothing matches the filter.';
  }
}

/** The connection indicator: connecting, live, reconnecting or key needed. */
class ConnectionIndicator {
  constructor(doc) {
    this.box = doc.getElementById('connection');
    this.text = doc.getElementById('connection-text');
    this.notice = doc.getElementById('notice');
  }

  show(state, text, notice = null) {
    this.box.dataset.state = state;
    this.text.textContent = text;
    this.notice.hidden = notice === null;
    this.notice.textContent = notice || '';
  }
}

/**
 * Reads the parent's event stream and keeps reading it: after a failure or the end of a stream it
 * reconnects with capped exponential backoff and jitter, sending Last-Event-ID so the parent replays
 * what was missed (or sends a fresh snapshot).
 */
class EventStream {
  constructor(state, view, indicator, keyStore) {
    this.state = state;
    this.view = view;
    this.indicator = indicator;
    this.keyStore = keyStore;
    this.lastEventId = null;
    this.retryMs = 1000;
    this.failures = 0;
    this.controller = null;
    this.timer = null;
  }

  start() {
    clearTimeout(this.timer);
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.read(controller).then(
        () => this.scheduleReconnect(controller, null),
        (error) => this.scheduleReconnect(controller, error));
  }

  /** Starts again at once, e.g. with a new key. */
  restart() {
    this.failures = 0;
    this.start();
  }

  async read(controller) {
    const headers = {Accept: 'text/event-stream'};
    const key = this.keyStore.get();
    if (key) {
      headers.Authorization = 'Bearer ' + key;
    }
    if (this.lastEventId !== null) {
      headers['Last-Event-ID'] = this.lastEventId;
    }
    this.indicator.show(this.failures === 0 && this.lastEventId === null ? 'connecting' : 'reconnecting',
        this.failures === 0 && this.lastEventId === null ? 'connecting' : 'reconnecting');
    const response = await fetch(EVENTS_PATH, {headers, cache: 'no-store', signal: controller.signal});
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new KeyRefused(response.status);
    }
    const type = response.headers.get('Content-Type') || '';
    if (!response.ok || !type.startsWith('text/event-stream')) {
      await response.body?.cancel();
      throw new Error(`the event stream answered ${response.status} ${type}`);
    }
    this.indicator.show('live', 'live');
    const parser = new EventStreamParser((event) => this.deliver(event), (ms) => {
      this.retryMs = ms;
    });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    for (;;) {
      const {value, done} = await reader.read();
      if (done) {
        return;
      }
      parser.push(value);
    }
  }

  deliver(event) {
    let payload;
    try {
      payload = JSON.parse(event.data);
    } catch {
      return;
    }
    this.failures = 0;
    this.lastEventId = event.id;
    this.view.changed(this.state.apply(event.type, payload));
  }

  scheduleReconnect(controller, error) {
    if (controller !== this.controller || controller.signal.aborted) {
      return;
    }
    if (error instanceof KeyRefused) {
      // A wrong or missing key does not get better by retrying: wait for the user to enter one.
      this.indicator.show('key-needed', error.status === 401 ? 'key needed' : 'key refused',
          error.status === 401
              ? 'The parent needs a read key to show the hierarchy: enter one above.'
              : 'The parent refused this key for reading the hierarchy: enter another above.');
      return;
    }
    this.failures += 1;
    const ceiling = Math.min(MAX_BACKOFF_MS, this.retryMs * 2 ** (this.failures - 1));
    const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    this.indicator.show('reconnecting', `reconnecting in ${Math.ceil(delay / 1000)} s`);
    this.timer = setTimeout(() => this.start(), delay);
  }
}

class KeyRefused extends Error {
  constructor(status) {
    super(`the event stream answered ${status}`);
    this.status = status;
  }
}

/** The read key lives in this tab's sessionStorage only: never in the url, never logged. */
class KeyStore {
  get() {
    try {
      return sessionStorage.getItem(KEY_STORAGE) || '';
    } catch {
      return '';
    }
  }

  set(key) {
    try {
      if (key) {
        sessionStorage.setItem(KEY_STORAGE, key);
      } else {
        sessionStorage.removeItem(KEY_STORAGE);
      }
    } catch {
      // storage disabled: the key simply is not kept
    }
  }
}

function start(doc) {
  const state = new HierarchyState();
  const view = new HierarchyView(doc, state);
  const keyStore = new KeyStore();
  const stream = new EventStream(state, view, new ConnectionIndicator(doc), keyStore);

  const filter = doc.getElementById('filter');
  filter.addEventListener('input', () => view.setFilter(filter.value));

  const keyInput = doc.getElementById('key');
  keyInput.placeholder = keyStore.get() ? 'a key is in use' : keyInput.placeholder;
  doc.getElementById('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    keyStore.set(keyInput.value.trim());
    keyInput.value = '';
    keyInput.placeholder = keyStore.get() ? 'a key is in use' : 'if reads need one';
    stream.restart();
  });
  doc.getElementById('key-forget').addEventListener('click', () => {
    keyStore.set('');
    keyInput.value = '';
    keyInput.placeholder = 'if reads need one';
    stream.restart();
  });

  view.setFilter(filter.value);
  stream.start();
}

start(document);
