// The demo page: real analytics.js with the Pendo Web (actions) plugin and the real Pendo
// agent, buttons to send events, and side by side what analytics.js emitted, what the plugin
// called on window.pendo, what the agent sent to Pendo, and why (the plugin's explain mode, and
// the calls analytics.js itself refused).
import pendoWebActions from '../js-shim/dist/index.js';
import { loadAnalytics } from '../tests/support/cdn-settings.mjs';
import { subscription } from '../tests/support/presets.mjs';

const PENDO_METHODS = ['initialize', 'identify', 'updateOptions', 'pageLoad', 'track'];
window.pendoCalls = [];

// Records the calls made through `window.pendo` (how the plugin reaches Pendo), whether the
// stub or the agent answers them.
function recordPendoCalls() {
  let pendo;
  const views = new WeakMap();
  const recorded = new WeakSet();
  let last;
  const view = (target) => {
    if (!views.has(target)) {
      views.set(target, new Proxy(target, {
        get(object, key) {
          const value = Reflect.get(object, key);
          if (typeof value !== 'function' || !PENDO_METHODS.includes(key)) return value;
          return (...args) => {
            // The agent replays the stub's queue, and forwards some calls, through window.pendo
            // too: those are not the plugin's.
            const fromAgent = (new Error().stack || '').includes('/pendo-agent/');
            const seenBefore = args.some((arg) => arg && typeof arg === 'object' && recorded.has(arg));
            const call = JSON.stringify([key, ...args]);
            const repeated = last && last.call === call && performance.now() - last.time < 50;
            if (!fromAgent && !seenBefore && !repeated) window.pendoCalls.push(JSON.parse(call));
            last = { call, time: performance.now() };
            for (const arg of args) if (arg && typeof arg === 'object') recorded.add(arg);
            return value.apply(object, args);
          };
        },
      }));
    }
    return views.get(target);
  };
  Object.defineProperty(window, 'pendo', {
    configurable: true,
    get: () => (pendo && typeof pendo === 'object' ? view(pendo) : pendo),
    set: (value) => { pendo = value; },
  });
}
recordPendoCalls();

const $ = (id) => document.getElementById(id);
const show = (list, text) => {
  const item = document.createElement('li');
  item.textContent = text; // never HTML: payloads are user input
  $(list).append(item);
};
const pretty = (value) => JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ');

// Console warnings and errors of the plugin, in plain words.
for (const level of ['warn', 'error']) {
  const original = console[level].bind(console);
  console[level] = (...args) => {
    const text = args.map((a) => (a instanceof Error ? a.message : typeof a === 'string' ? a : pretty(a))).join(' ');
    if (text.includes('Pendo')) show('problems', text);
    original(...args);
  };
}

// Explain mode's console groups, one per event: its title, then its lines, in the "why" column.
function showExplanations() {
  const { groupCollapsed, log, groupEnd } = console;
  let open = null;
  console.groupCollapsed = (...args) => {
    open = typeof args[0] === 'string' && args[0].startsWith('Pendo Web (actions)') ? { title: args[0], lines: [] } : null;
    return groupCollapsed.apply(console, args);
  };
  console.log = (...args) => {
    if (open) open.lines.push(args.map(String).join(' '));
    return log.apply(console, args);
  };
  console.groupEnd = (...args) => {
    if (open) showWhy(open.title.replace('Pendo Web (actions): ', ''), open.lines);
    open = null;
    return groupEnd.apply(console, args);
  };
}
showExplanations();

function showWhy(title, lines) {
  const item = document.createElement('li');
  const head = document.createElement('div');
  head.className = 'title';
  head.textContent = title; // never HTML: event names are user input
  item.append(head, lines.join('\n'));
  $('why').append(item);
}

// What analytics.js throws for a call it refuses, in plain words.
const REFUSALS = { 'Event missing': 'a track call needs an event name' };
function showRefusal(method, error) {
  const said = error && error.message ? error.message : String(error);
  const plain = REFUSALS[said] ? `${REFUSALS[said]} (analytics.js says "${said}")` : said;
  showWhy(`analytics.${method}() refused`, [`analytics.js refused this call before any destination saw it: ${plain}. Nothing was sent to Pendo.`]);
}

// The three presets plus Send Page, so that every button reaches Pendo; each named by its
// action's title in Segment's UI.
const DEMO_SUBSCRIPTIONS = ['identify', 'group', 'track', 'pageLoad'].map((action) => subscription(action));

function readSettings() {
  const stored = JSON.parse(localStorage.getItem('demo-settings') || 'null');
  return stored ?? {
    apiKey: 'demo-api-key',
    region: 'https://cdn.pendo.io',
    cnameContentHost: location.origin,
    debug: true,
    subscriptions: JSON.stringify(DEMO_SUBSCRIPTIONS, null, 1),
  };
}

function fillForm(settings) {
  const form = $('settings');
  for (const [key, value] of Object.entries(settings)) {
    const field = form.elements[key];
    if (!field) continue;
    if (field.type === 'checkbox') field.checked = value === true;
    else field.value = typeof value === 'string' ? value : JSON.stringify(value);
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const next = {
      apiKey: data.get('apiKey'),
      region: data.get('region'),
      cnameContentHost: data.get('cnameContentHost'),
      disableUserTraitsOnLoad: data.get('disableUserTraitsOnLoad') === 'on',
      disableGroupIdAndTraitsOnLoad: data.get('disableGroupIdAndTraitsOnLoad') === 'on',
      debug: data.get('debug') === 'on',
    };
    const subscriptions = String(data.get('subscriptions') || '').trim();
    if (subscriptions) next.subscriptions = subscriptions;
    localStorage.setItem('demo-settings', JSON.stringify(next));
    location.reload();
  });
}

// Shows each call that reaches window.pendo, and each event the agent sent, decoded.
function watchPendo(apiKey) {
  let sentShown = 0;
  setInterval(async () => {
    const sent = await fetch(`/demo/sent?apiKey=${encodeURIComponent(apiKey)}`).then((r) => r.json()).catch(() => []);
    // Identity, track and page-load events; the agent's own click and focus events are left out.
    const shown = sent.filter((e) => ['meta', 'identify', 'track', 'load'].includes(e.type));
    for (; sentShown < shown.length; sentShown++) {
      const e = shown[sentShown];
      const name = e.track_event_name ? ` "${e.track_event_name}"` : '';
      const props = e.type === 'meta' ? { visitor: e.props?.visitor, account: e.props?.account, parentAccount: e.props?.parentAccount } : e.type === 'load' ? { url: e.url } : e.props;
      show('sent', `${e.type}${name} visitor=${e.visitor_id} account=${e.account_id ?? '—'}${props ? ' ' + pretty(props) : ''}`);
    }
  }, 500);
  let shown = 0;
  setInterval(() => {
    const calls = window.pendoCalls || [];
    for (; shown < calls.length; shown++) {
      const [method, ...args] = calls[shown];
      show('received', `pendo.${method}(${args.map(pretty).join(', ')})`);
    }
    const script = document.querySelector('script[src*="/agent/static/"]');
    $('agent-src').textContent = script ? script.src : 'not injected';
  }, 100);
}

const readJson = (id) => {
  try {
    return JSON.parse($(id).value);
  } catch (error) {
    show('problems', `${id}: not valid JSON (${error.message})`);
    return null;
  }
};

async function main() {
  const settings = readSettings();
  fillForm(settings);
  watchPendo(settings.apiKey);
  const emitted = {
    name: 'Demo: what analytics.js emitted',
    type: 'before',
    version: '1.0.0',
    isLoaded: () => true,
    load: () => Promise.resolve(),
  };
  for (const type of ['track', 'identify', 'group', 'page', 'alias']) {
    emitted[type] = (ctx) => {
      const { type: t, event, userId, anonymousId, groupId, traits, properties } = ctx.event;
      show('emitted', `${t} ${pretty({ event, userId, anonymousId, groupId, traits, properties })}`);
      return ctx;
    };
  }
  const analytics = loadAnalytics({ writeKey: 'demo', url: 'local', settings, plugins: [pendoWebActions, emitted] });
  window.analytics = analytics;
  // The agent batches events; flush after each send so the page shows them at once.
  const flush = () => setTimeout(() => window.pendo?.flushNow?.(true), 300);
  // A call analytics.js refuses (a track without a name) throws or rejects: it is shown in
  // plain words in the "why" column, never left as an unhandled error.
  const send = (id, call) => {
    const method = id.replace('send-', '');
    $(id).onclick = () => {
      const payload = readJson(method + '-json');
      if (payload) Promise.resolve().then(() => call(payload)).then(flush, (error) => showRefusal(method, error));
    };
  };
  send('send-identify', (p) => analytics.identify(p.userId, p.traits));
  send('send-group', (p) => analytics.group(p.groupId, p.traits));
  send('send-track', (p) => analytics.track(p.event, p.properties));
  send('send-page', (p) => analytics.page(p.category, p.name, p.properties));
  $('reset-user').onclick = () => analytics.reset();
  await analytics.ready();
  $('status').textContent = `Ready — analytics.js ${analytics.instance?.VERSION ?? ''} with Pendo Web (actions)`;
  window.demoReady = true;
}

main().catch((error) => {
  show('problems', String(error && error.message ? error.message : error));
  $('status').textContent = 'Failed to start';
});
