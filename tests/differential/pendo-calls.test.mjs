// The Pendo calls themselves: random subscriptions and events through our PendoDestination (in
// Node.js, with a recording window.pendo) and through Segment's runtime semantics: its browser
// runtime's `validate(parseFql(subscribe))` and `transform(mapping)` per subscription, then the
// action's `perform` of Segment's pendo-web-actions destination, re-expressed below. Same
// calls, or a named divergence.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { PendoDestination, payloadResult, triggerVerdict } from './ours.mjs';
import { agree, classify, ourOutcome, same, segmentPayload } from './segment-mappings.mjs';
import { event as randomData, mapping as randomMapping, random } from './generate.mjs';
import { PRESET_MAPPINGS } from '../support/presets.mjs';
import { removeNestedObject } from '../support/remove-nested.mjs';

const require = createRequire(import.meta.url);
const { parseFql, validate } = require('@segment/destination-subscriptions');

const SEED = Number(process.env.PENDO_SEED ?? 5150);
const CASES = Number(process.env.PENDO_CASES ?? 2500);

/** What Segment's actions do with a payload (pendo-web-actions' `perform`, re-expressed). */
const PERFORM = {
  track: (payload) => [['track', payload.event, payload.metadata]],
  identify: (payload) => {
    const options = { visitor: { ...payload.visitorData, id: payload.visitorId } };
    // No current group: the destination is never loaded here (analytics.group().id() is null).
    if (payload.accountId) options.account = { id: payload.accountId };
    return [['identify', options]];
  },
  group: (payload, mapping) => {
    const parentPath = mapping?.parentAccountData?.['@path'];
    const accountPath = mapping?.accountData?.['@path'];
    let accountData = payload.accountData;
    if (parentPath != null && accountPath != null && parentPath.startsWith(accountPath)) {
      accountData = removeNestedObject(payload.accountData, parentPath.substring(accountPath.length));
    }
    const options = { visitor: { id: payload.visitorId }, account: { ...accountData, id: payload.accountId } };
    if (payload.parentAccountData) options.parentAccount = payload.parentAccountData;
    return [['identify', options]];
  },
};

/** Segment's calls for one subscription and event: none when not subscribed or when it throws. */
function segmentCalls(subscription, event) {
  if (!validate(parseFql(subscription.subscribe), event)) return { calls: [], why: 'not subscribed' };
  const outcome = segmentPayload(subscription.mapping, event);
  if (outcome.kind !== 'value') return { calls: [], why: `transform ${outcome.kind}` };
  try {
    return { calls: PERFORM[subscription.partnerAction](outcome.value, structuredClone(subscription.mapping)), payload: outcome.value };
  } catch {
    return { calls: [], why: 'perform threw' };
  }
}

/** Our calls for one subscription and event, from a destination with only that subscription. */
function ourCalls(subscription, event) {
  const calls = [];
  globalThis.pendo = {
    initialize: () => {},
    identify: (options) => calls.push(['identify', options]),
    track: (name, metadata) => calls.push(metadata === undefined ? ['track', name] : ['track', name, metadata]),
    pageLoad: () => {},
  };
  const quiet = console.error;
  const warn = console.warn;
  console.error = console.warn = () => {};
  try {
    const destination = new PendoDestination({ apiKey: 'k', subscriptions: [subscription] });
    const actions = destination.actions(); // [slot, key, slot, key, ...]
    for (let i = 0; i < actions.length; i += 2) destination.dispatch(actions[i], event);
    destination.free();
  } finally {
    console.error = quiet;
    console.warn = warn;
  }
  return calls;
}

const isId = (v) => (typeof v === 'string' && v !== '') || (typeof v === 'number' && Number.isFinite(v));
const objectOrNothing = (v) => v === undefined || v === null || (typeof v === 'object' && !Array.isArray(v));

/**
 * The documented divergences of the actions (README, "How Segment calls map to Pendo"), each a
 * check on Segment's payload: ours skips with a warning, or falls back, where Segment's action
 * sends what it got.
 */
const CALL_DIVERGENCES = [
  {
    name: 'an event lacking what Pendo needs, or with a field of the wrong type, is skipped',
    applies: ({ subscription, payload, event }) => {
      if (!payload) return false;
      const visitor = isId(payload.visitorId) || isId(event.anonymousId);
      switch (subscription.partnerAction) {
        case 'track':
          return !(typeof payload.event === 'string' && payload.event !== '') || !objectOrNothing(payload.metadata);
        case 'identify':
          return !visitor || !objectOrNothing(payload.visitorData);
        default:
          return (
            !visitor || !isId(payload.accountId) || !objectOrNothing(payload.accountData) || !objectOrNothing(payload.parentAccountData) ||
            (payload.parentAccountData != null && !isId(payload.parentAccountData.id)) ||
            (payload.parentAccountData != null && typeof subscription.mapping?.parentAccountData?.['@path'] !== 'string' && subscription.mapping?.parentAccountData?.['@path'] != null)
          );
      }
    },
  },
  {
    name: 'a visitor without an id is _PENDO_T_ + the anonymous id',
    applies: ({ payload }) => payload && !isId(payload.visitorId),
  },
  {
    name: 'an account id must be text or a number',
    applies: ({ payload }) => payload && payload.accountId !== undefined && !isId(payload.accountId),
  },
];

function sameCalls(a, b) {
  return a.length === b.length && a.every((call, i) => call.length === b[i].length && call.every((arg, j) => same(arg, b[i][j])));
}

const TRIGGERS = ['type = "track"', 'type = "identify"', 'type = "group"', 'type = "track" or type = "identify" or type = "group"', 'type = "track" and event = "Signed Up"', 'event = "Signed Up" or type = "group"'];

function subscription(rng) {
  const partnerAction = rng.pick(['track', 'identify', 'group']);
  const mapping = structuredClone(PRESET_MAPPINGS[partnerAction]);
  for (const field of Object.keys(mapping)) if (rng.chance(0.12)) mapping[field] = randomMapping(rng);
  if (rng.chance(0.1)) delete mapping[rng.pick(Object.keys(mapping))];
  if (partnerAction === 'group' && rng.chance(0.3)) mapping.accountData = { '@path': rng.pick(['$.traits', '$.tr', '$.traits.parentAccount', '$.properties']) };
  return { partnerAction, name: 's', enabled: true, subscribe: rng.pick(TRIGGERS), mapping };
}

function event(rng, sub) {
  const data = randomData(rng);
  data.type = rng.chance(0.85) ? sub.partnerAction : rng.pick(['track', 'identify', 'group']);
  if (rng.chance(0.8)) data.event = rng.pick(['Signed Up', 'Signed Up', 'Clicked', '', 5]);
  if (rng.chance(0.8)) data.userId = rng.pick(['u1', '', 42, null]);
  if (rng.chance(0.8)) data.anonymousId = rng.pick(['a1', '']);
  if (rng.chance(0.6)) data.groupId = rng.pick(['g1', 7, '']);
  if (rng.chance(0.3)) data.context = { groupId: rng.pick(['cg', null, 3]) };
  return data;
}

test(`Pendo calls agree with Segment's runtime and pendo-web-actions (${CASES} cases, seed ${SEED})`, () => {
  const rng = random(SEED);
  const counts = { cases: 0, agreed: 0, agreedCalls: 0, calls: 0, trigger: 0, divergences: {} };
  const undocumented = [];
  for (let i = 0; i < CASES; i += 1) {
    const sub = subscription(rng);
    const data = event(rng, sub);
    counts.cases += 1;
    const verdict = triggerVerdict(sub.subscribe, data);
    if (!verdict.ok || (verdict.matched ?? verdict.value) !== validate(parseFql(sub.subscribe), data)) {
      counts.trigger += 1; // a trigger difference: the trigger comparison's business
      continue;
    }
    const segment = segmentCalls(sub, data);
    const ours = ourCalls(sub, data);
    counts.calls += ours.length;
    if (sameCalls(segment.calls, ours)) {
      counts.agreed += 1;
      counts.agreedCalls += ours.length;
      continue;
    }
    const mappingOutcome = segmentPayload(sub.mapping, data);
    const ourPayload = ourOutcome(payloadResult(sub.mapping, data));
    let name;
    if (!agree(mappingOutcome, ourPayload)) name = classify({ mapping: sub.mapping, event: data, segment: mappingOutcome, ours: ourPayload, whole: true });
    else name = CALL_DIVERGENCES.find((d) => d.applies({ subscription: sub, payload: segment.payload, event: data }))?.name;
    if (name) counts.divergences[name] = (counts.divergences[name] ?? 0) + 1;
    else undocumented.push({ subscription: sub, event: data, segment: segment.calls, why: segment.why, ours });
  }
  console.log(`Pendo calls: ${counts.cases} cases, ${counts.agreed} agree (${counts.agreedCalls} of them with the same call, the others with none); ${counts.trigger} left to the trigger comparison`);
  for (const [name, n] of Object.entries(counts.divergences)) console.log(`  documented divergence "${name}": ${n}`);
  console.log(`  ${undocumented.length} undocumented disagreements`);
  if (undocumented.length) {
    const smallest = undocumented.reduce((a, b) => (JSON.stringify(b).length < JSON.stringify(a).length ? b : a));
    console.log('  smallest:', JSON.stringify(smallest));
  }
  assert.ok(counts.agreed > CASES / 3 && counts.agreedCalls > CASES / 20, 'enough calls are compared');
  assert.equal(undocumented.length, 0, 'undocumented disagreements with Segment');
});
