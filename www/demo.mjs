// The demo page: real analytics.js with the Pendo Web (Actions) plugin, buttons to send events,
// and side by side what analytics.js emitted and what reached window.pendo.
import { AnalyticsBrowser } from '@segment/analytics-next';
import pendoWebActions from '../js-shim/dist/index.js';

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

function readSettings() {
  const stored = JSON.parse(localStorage.getItem('demo-settings') || 'null');
  return stored ?? { apiKey: 'demo-api-key', region: 'https://cdn.pendo.io', cnameContentHost: location.origin };
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
    };
    const subscriptions = String(data.get('subscriptions') || '').trim();
    if (subscriptions) next.subscriptions = subscriptions;
    localStorage.setItem('demo-settings', JSON.stringify(next));
    location.reload();
  });
}

// Shows each call that reaches window.pendo, whether the stub or the agent holds it.
function watchPendo() {
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
  watchPendo();
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
  const analytics = AnalyticsBrowser.load(
    {
      writeKey: 'demo',
      cdnSettings: {
        integrations: {},
        remotePlugins: [
          { name: 'Pendo Web (Actions)', creationName: 'Pendo Web (Actions)', libraryName: 'pendo-web-actionsDestination', url: 'local', settings },
        ],
      },
      plugins: [pendoWebActions, emitted],
    },
    { integrations: { 'Segment.io': false } },
  );
  window.analytics = analytics;
  $('send-identify').onclick = () => { const p = readJson('identify-json'); if (p) analytics.identify(p.userId, p.traits); };
  $('send-group').onclick = () => { const p = readJson('group-json'); if (p) analytics.group(p.groupId, p.traits); };
  $('send-track').onclick = () => { const p = readJson('track-json'); if (p) analytics.track(p.event, p.properties); };
  $('send-page').onclick = () => { const p = readJson('page-json'); if (p) analytics.page(p.category, p.name, p.properties); };
  $('reset-user').onclick = () => analytics.reset();
  await analytics.ready();
  $('status').textContent = `Ready — analytics.js ${analytics.instance?.VERSION ?? ''} with Pendo Web (Actions)`;
  window.demoReady = true;
}

main().catch((error) => {
  show('problems', String(error && error.message ? error.message : error));
  $('status').textContent = 'Failed to start';
});
