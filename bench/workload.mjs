// The benchmark's workload, shared by every page: the subscriptions of a realistic workspace,
// realistic analytics.js events, and the visitor (with a stand-in `analytics` for the load pages).
// Pure data and builders: no timing here.

import { fakeAnalytics } from '../tests/support/fake-analytics.mjs';
import { subscription as preset } from '../tests/support/presets.mjs';

/** A subscription named `name`, with the action's preset trigger and mapping unless given. */
const subscription = (partnerAction, name, subscribe, mapping) => preset(partnerAction, { name, subscribe, mapping });

/** The three presets: the only subscriptions that match the benchmark's events. */
export const PRESETS = [
  subscription('identify', 'Identify Calls', 'type = "identify"'),
  subscription('group', 'Group Calls', 'type = "group"'),
  subscription('track', 'Track Calls', 'type = "track"'),
];

/**
 * Ten more subscriptions, spread over the three actions, whose triggers never match the
 * benchmark's events (checked by the page before timing): every event still pays for
 * evaluating them, as in a real workspace.
 */
export const EXTRAS = [
  subscription('track', 'High-value orders', 'type = "track" and event = "Order Completed" and properties.total > 100', {
    event: 'High-value Order',
    metadata: { '@path': '$.properties' },
  }),
  subscription('track', 'Sign-ups', 'event = "Signed Up"'),
  subscription('track', 'QA events', 'type = "track" and contains(event, "Test")'),
  subscription('track', 'Experiments', 'type = "track" and (event = "Experiment Viewed" or event = "Feature Flag Evaluated")', {
    event: { '@path': '$.properties.experiment_name' },
    metadata: { '@path': '$.properties' },
  }),
  subscription('identify', 'Enterprise visitors', 'type = "identify" and traits.plan = "enterprise"', {
    visitorId: { '@path': '$.userId' },
    visitorData: { '@path': '$.traits' },
    accountId: { '@path': '$.traits.company_id' },
  }),
  subscription('identify', 'iOS app identifies', 'type = "identify" and context.library.name = "analytics-ios"'),
  subscription('identify', 'Sign-up page views', 'type = "page" and context.page.path = "/signup"', {
    visitorId: { '@path': '$.anonymousId' },
  }),
  subscription('group', 'Large accounts', 'type = "group" and traits.employees >= 10000'),
  subscription('group', 'Public sector', 'type = "group" and match(traits.industry, "Gov*")', {
    visitorId: { '@path': '$.userId' },
    accountId: { '@path': '$.groupId' },
    accountData: { '@path': '$.traits' },
  }),
  subscription('group', 'Test accounts', 'type = "group" and traits.name = "Test Account"'),
];

export const SUBSCRIPTIONS = [...PRESETS, ...EXTRAS];

/**
 * The same workspace with the extras' triggers cut down to `type = "..."` of an event type the
 * benchmark never sends (still never matching). Only for trees whose trigger language does not
 * yet parse the realistic ones; results are labelled as such.
 */
export const SIMPLE_SUBSCRIPTIONS = [
  ...PRESETS,
  ...EXTRAS.map((s, i) => ({ ...s, subscribe: `type = "${['alias', 'screen', 'page'][i % 3]}"` })),
];

export const API_KEY = 'bench-api-key';

// ---- events ----------------------------------------------------------------------------

const TRACK_NAMES = [
  'Product Viewed',
  'Product Added',
  'Cart Viewed',
  'Checkout Started',
  'Order Completed', // always with total <= 100: "High-value orders" must not match
  'Products Searched',
  'Promotion Clicked',
  'Video Playback Started',
  'Article Bookmarked',
  'Form Submitted',
];
const PLANS = ['free', 'starter', 'pro', 'team'];
const INDUSTRIES = ['Retail', 'Software', 'Healthcare', 'Finance', 'Education', 'Media'];
const PATHS = ['/', '/pricing', '/products/espresso-machine', '/blog/latte-art', '/account', '/docs/setup'];
const USER_AGENT =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

// A small deterministic generator, so every run sends the same events.
function random(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const hex = (next, length) => {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(next() * 16).toString(16);
  return out;
};
const pick = (next, list) => list[Math.floor(next() * list.length)];

/** The fields analytics.js puts on every event (analytics.js keeps `timestamp` as a Date). */
function common(next, type, i) {
  const path = pick(next, PATHS);
  const anonymousId = `${hex(next, 8)}-${hex(next, 4)}-4${hex(next, 3)}-a${hex(next, 3)}-${hex(next, 12)}`;
  return {
    type,
    messageId: `ajs-next-${Date.UTC(2026, 0, 1) + i}-${hex(next, 32)}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 12, 0, 0) + i * 1000),
    anonymousId,
    userId: `user-${1000 + Math.floor(next() * 9000)}`,
    context: {
      page: {
        path,
        referrer: 'https://www.google.com/',
        search: i % 3 === 0 ? '?utm_source=newsletter' : '',
        title: 'Acme Coffee — Espresso machines',
        url: `https://shop.example.com${path}`,
      },
      library: { name: 'analytics.js', version: 'npm:next-1.84.3' },
      userAgent: USER_AGENT,
      locale: 'en-US',
    },
    integrations: {},
  };
}

export function trackEvent(next, i) {
  const event = common(next, 'track', i);
  const name = TRACK_NAMES[i % TRACK_NAMES.length];
  const price = Math.round(next() * 9000) / 100;
  const quantity = 1 + Math.floor(next() * 3);
  event.event = name;
  event.properties = {
    product_id: `prod-${Math.floor(next() * 100000)}`,
    sku: `SKU-${hex(next, 6).toUpperCase()}`,
    category: pick(next, ['Espresso', 'Grinders', 'Accessories', 'Beans']),
    name: pick(next, ['Barista Pro', 'Mini Grinder', 'Milk Jug', 'House Blend']),
    brand: 'Acme',
    price,
    quantity,
    currency: 'USD',
    total: Math.min(100, Math.round(price * quantity * 100) / 100),
    coupon: i % 4 === 0 ? 'WELCOME10' : null,
    position: i % 12,
  };
  return event;
}

export function identifyEvent(next, i) {
  const event = common(next, 'identify', i);
  const first = pick(next, ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Ken']);
  event.traits = {
    email: `${first.toLowerCase()}.${i}@example.com`,
    firstName: first,
    lastName: pick(next, ['Lovelace', 'Hopper', 'Turing', 'Dijkstra', 'Liskov', 'Thompson']),
    plan: pick(next, PLANS),
    company_id: `acct-${Math.floor(next() * 500)}`,
    role: pick(next, ['admin', 'member', 'viewer']),
    createdAt: '2025-06-01T09:30:00.000Z',
    logins: Math.floor(next() * 400),
    newsletter: next() < 0.5,
    address: { city: 'Berlin', country: 'DE' },
  };
  return event;
}

export function groupEvent(next, i) {
  const event = common(next, 'group', i);
  event.groupId = `acct-${Math.floor(next() * 500)}`;
  event.traits = {
    name: `${pick(next, ['Globex', 'Initech', 'Umbrella', 'Hooli', 'Vandelay'])} ${i % 50}`,
    industry: pick(next, INDUSTRIES),
    employees: 10 + Math.floor(next() * 9000),
    plan: pick(next, PLANS),
    website: 'https://corp.example.com',
    createdAt: '2024-11-20T08:00:00.000Z',
    mrr: Math.round(next() * 500000) / 100,
    country: 'DE',
    seats: 5 + Math.floor(next() * 200),
    // One group in four belongs to a parent account.
    ...(i % 4 === 0 ? { parentAccount: { id: `parent-${i % 20}`, name: 'Holding', tier: 'gold' } } : {}),
  };
  return event;
}

const BUILDERS = { track: trackEvent, identify: identifyEvent, group: groupEvent };

/** `count` distinct events of `type`, the same on every run. */
export function makeEvents(type, count, seed = 42) {
  const next = random(seed + type.length);
  return Array.from({ length: count }, (_, i) => BUILDERS[type](next, i));
}

/** The benchmark's visitor, Ada, and her account. */
export const VISITOR = {
  userId: 'user-1001',
  anonymousId: 'anon-5f2c9e',
  userTraits: { email: 'ada@example.com', plan: 'pro', firstName: 'Ada' },
  groupId: 'acct-42',
  groupTraits: { name: 'Acme', plan: 'team' },
};

/**
 * A stand-in for what analytics.js passes as the second argument of `load`, with the
 * benchmark's visitor (for the load pages; the per-event page uses real analytics.js).
 * `groupId` null is a visitor without an account yet.
 */
export function visitorAnalytics({ groupId = VISITOR.groupId } = {}) {
  return fakeAnalytics({
    userId: VISITOR.userId,
    anonymousId: VISITOR.anonymousId,
    userTraits: VISITOR.userTraits,
    groupId,
    groupTraits: groupId ? VISITOR.groupTraits : {},
  });
}
