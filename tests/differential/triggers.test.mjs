// Our trigger language against Segment's own (@segment/destination-subscriptions: parseFql and
// validate, as its browser runtime calls them), on generated triggers and events: text that
// Segment's editor writes (generateFql over condition objects) and text that people type, well
// or badly formed. Every disagreement must be one of the documented divergences
// (trigger-divergences.mjs, README "Where we differ from Segment's runtime"); the smallest
// undocumented one found is printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { random } from './generate.mjs';
import { triggerVerdict } from './ours.mjs';
import { divergencesOf, generateFql, segmentVerdict, tokens } from './trigger-divergences.mjs';

const SEED = Number(process.env.DIFFERENTIAL_SEED ?? 0x5e6e17);
const UI_CASES = 7_000;
const TYPED_CASES = 14_000;
const EVENTS_PER_TRIGGER = 2;

const TYPES = ['track', 'identify', 'page', 'group', 'screen', 'alias'];
const TEXTS = ['track', 'identify', 'page', 'Order Completed', 'A', 'B', 'abc', 'xabc', 'abcx', 'ab', '', ' ', '100', '250', '-3', '1e3',
  '0x10', ' 12 ', 'true', 'false', 'null', 'eos', 'NaN', 'C:\\new', 'a\\"b', 'é', '*', 'a*b', 'u1', '123', 'Test Order', 'Home', '/', 'Infinity'];
const NUMBERS = [0, -0, 1, 5, 7, 12, 16, 100, 123, 250, -2.5, 0.5, 1.5, 1000, 1e21, 1e-7, Infinity];
const KEYS = ['total', 'plan', 'a', 'b', 'x', 'flag', 'items', 'name', 'path', 'order id', 'é', 'a.b', '0', '1', 'constructor', 'length',
  'or', 'and', 'null', '$x', '-x', 'a[0]', 'page', 'properties', 'type'];

function scalar(rng) {
  switch (rng.int(9)) {
    case 0: case 1: case 2: return rng.pick(TEXTS);
    case 3: case 4: return rng.pick(NUMBERS);
    case 5: return rng.chance(0.5);
    case 6: return null;
    case 7: return [rng.pick(NUMBERS), rng.pick(TEXTS)];
    default: return rng.pick(TEXTS) + rng.pick(TEXTS);
  }
}

function object(rng, depth) {
  const out = {};
  const count = rng.int(6);
  for (let i = 0; i < count; i++) {
    const key = rng.pick(KEYS);
    out[key] = depth > 0 && rng.chance(0.3) ? (rng.chance(0.85) ? object(rng, depth - 1) : rng.pick([0, '', false, 'abc', [1, { a: 1 }]])) : scalar(rng);
  }
  return out;
}

/** An event: the usual fields from the pools the triggers draw on, sometimes missing or odd. */
function event(rng) {
  const e = {};
  const maybe = (key, value) => { if (rng.chance(0.8)) e[key] = value; };
  maybe('type', rng.chance(0.9) ? rng.pick(TYPES) : scalar(rng));
  maybe('event', rng.chance(0.7) ? rng.pick(TEXTS) : scalar(rng));
  maybe('name', rng.chance(0.7) ? rng.pick(TEXTS) : scalar(rng));
  maybe('userId', rng.pick(['u1', '123', 123, true, false, null, 'true', '', 'abc']));
  maybe('anonymousId', rng.pick(['a1', 'abc']));
  maybe('properties', rng.chance(0.95) ? object(rng, 2) : scalar(rng));
  maybe('traits', object(rng, 2));
  maybe('context', rng.chance(0.5) ? { page: { path: rng.pick(['/', '/home', 'abc']) }, ...object(rng, 1) } : object(rng, 2));
  return e;
}

// --- Text that Segment's editor writes: condition objects through generateFql. ---

const STRING_OPERATORS = ['=', '!=', 'contains', 'not_contains', 'starts_with', 'not_starts_with', 'ends_with', 'not_ends_with', 'exists', 'not_exists'];
const ALL_OPERATORS = [...STRING_OPERATORS, '<', '<=', '>', '>=', 'number_equals', 'number_not_equals', 'is_true', 'is_false'];

function uiValue(rng, operator) {
  if (['<', '<=', '>', '>=', 'number_equals', 'number_not_equals'].includes(operator)) return rng.pick(NUMBERS.filter(Number.isFinite));
  if (rng.chance(0.15)) return rng.pick(NUMBERS.filter(Number.isFinite));
  if (rng.chance(0.05)) return rng.chance(0.5);
  return rng.pick(TEXTS.filter((t) => !t.includes('"')));
}

function uiName(rng) {
  const key = () => rng.pick(KEYS.filter((k) => !['a.b'].includes(k)));
  return rng.chance(0.3) ? `${key()}.${key()}` : key();
}

function uiCondition(rng, depth) {
  if (depth > 0 && rng.chance(0.2)) return uiGroup(rng, depth - 1);
  const type = rng.pick(['event-type', 'event', 'event', 'name', 'userId', 'event-property', 'event-property', 'event-trait', 'event-context']);
  if (type === 'event-type') return { type, operator: rng.pick(['=', '!=']), value: rng.pick(TYPES) };
  if (['event', 'name', 'userId'].includes(type)) {
    const operator = rng.pick(type === 'userId' ? [...STRING_OPERATORS, 'is_true', 'is_false'] : STRING_OPERATORS);
    return { type, operator, value: String(uiValue(rng, operator)) };
  }
  const operator = rng.pick(ALL_OPERATORS);
  return { type, name: uiName(rng), operator, value: uiValue(rng, operator) };
}

function uiGroup(rng, depth) {
  const count = 1 + rng.int(3);
  return { type: 'group', operator: rng.pick(['and', 'or']), children: Array.from({ length: count }, () => uiCondition(rng, depth)) };
}

// --- Text that people type. ---

function typedField(rng) {
  switch (rng.int(14)) {
    case 0: case 1: return rng.pick(['type', 'event', 'name', 'userId']);
    case 2: return rng.pick(['anonymousId', 'messageId', 'properties', 'traits', 'context', 'type.x', 'propertiesX']);
    case 3: return `properties.${rng.pick(['items.0', 'items.1.a', '0', 'a.0.b'])}`;
    case 4: return `properties.${rng.pick(['order\\ id', 'a\\.b', '\\é', 'é', '$x', '\\$x', 'a\\[0\\]', 'or', 'null', '-x', 'constructor', 'length', 'name.length'])}`;
    case 5: return `context.page.${rng.pick(['path', 'x'])}`;
    default: {
      const root = rng.pick(['properties', 'properties', 'traits', 'context']);
      const keys = ['total', 'plan', 'a', 'b', 'x', 'flag', 'name', 'items', 'path', 'page'];
      return rng.chance(0.25) ? `${root}.${rng.pick(keys)}.${rng.pick(keys)}` : `${root}.${rng.pick(keys)}`;
    }
  }
}

function typedValue(rng) {
  switch (rng.int(12)) {
    case 0: case 1: case 2: return `"${rng.pick(TEXTS)}"`;
    case 3: return `'${rng.pick(TEXTS.filter((t) => !t.includes("'")))}'`;
    case 4: case 5: return String(rng.pick([0, 1, 5, 7, 12, 16, 100, 123, 250, -2.5, 0.5, 1.5]));
    case 6: return rng.pick(['-.5', '+5', '007', '1.50', '-0', '1e3', '2E2', '1000']);
    case 7: case 8: return rng.pick(['true', 'false']);
    case 9: return 'null';
    case 10: return rng.pick(['track', 'abc', 'TRUE', 'Null', 'A']);
    default: return `"${rng.pick(TEXTS)}${rng.pick(['', '*', ' '])}"`;
  }
}

const space = (rng) => rng.pick([' ', ' ', ' ', '', '  ']);

function typedCondition(rng) {
  if (rng.chance(0.25)) {
    const fn = rng.pick(['contains', 'match']);
    const arg = rng.chance(0.85)
      ? `"${rng.pick(['', '*', '**', 'a*', '*a', '*a*', 'a*b', 'ab', 'abc*', '*bc', 'Order*', '*Completed', 'A', '1', 'a*b*'])}${rng.chance(0.3) ? rng.pick(TEXTS) : ''}"`
      : typedValue(rng);
    const field = rng.chance(0.8) ? rng.pick(['event', 'name', 'userId', 'properties.plan', 'traits.a', 'context.page.path', 'properties.a.b']) : typedField(rng);
    return `${rng.chance(0.3) ? '!' : ''}${fn}(${field},${space(rng)}${arg})`;
  }
  const op = rng.pick(['=', '=', '!=', '!=', '<', '<=', '>', '>=']);
  return `${typedField(rng)}${space(rng) || ' '}${op}${rng.chance(0.9) ? ' ' : ''}${typedValue(rng)}`;
}

function typedExpression(rng, depth) {
  const count = 1 + rng.int(3);
  const parts = [];
  for (let i = 0; i < count; i++) {
    if (i > 0) parts.push(rng.pick(['and', 'or', 'and']));
    parts.push(depth > 0 && rng.chance(0.25) ? `(${typedExpression(rng, depth - 1)})` : typedCondition(rng));
  }
  return parts.join(' ');
}

/** Malformed text: a trailing or doubled conjunction, a stray parenthesis, a missing piece. */
function mutate(rng, text) {
  switch (rng.int(16)) {
    case 0: return `${text} ${rng.pick(['and', 'or'])}`;
    case 1: return `${text})`;
    case 2: return `${rng.pick(['and', 'or'])} ${text}`;
    case 3: return `(${text}`;
    case 4: return text.replace(/ (and|or) /, (m, w) => ` ${w} ${w} `);
    case 5: return text.replace(/ (and|or) /, (m, w) => ` ${w.toUpperCase()} `);
    case 6: return text.replace(/"([^"]*)"/, '"$1');
    case 7: return text.replace(/ = /, ' == ');
    case 8: return `!(${text})`;
    case 9: return `${text} ${rng.pick(['"x"', '5', 'foo', ',', '='])}`;
    case 10: return text.replace(/"[^"]*"/, '');
    case 11: return `${text} and ()`;
    case 12: return text.replace(/ /, rng.pick(['\r', '\u00a0', '\t', '\n']));
    case 13: return text.replace(/ (and|or) /, ' $1) ');
    case 14: return text.replace(/\)/, '');
    default: return text.slice(0, rng.int(text.length + 1));
  }
}

function typedTrigger(rng) {
  const text = typedExpression(rng, 2);
  return rng.chance(0.25) ? mutate(rng, text) : text;
}

// --- Comparison. ---

function compare(text, evt) {
  const segment = segmentVerdict(text, evt);
  const ours = triggerVerdict(text, evt);
  const matched = ours.ok ? ours.value === true : false;
  if (matched === segment.matched) return { agree: true };
  return { agree: false, segment, ours, divergences: divergencesOf(text, evt, ours, segment) };
}

const isUndocumented = (text, evt) => {
  const result = compare(text, evt);
  return !result.agree && result.divergences.length === 0;
};

/** The smallest text and event (by removing tokens, keys and nesting) that still disagree undocumented. */
function shrink(text, evt) {
  let best = { text, event: structuredClone(evt) };
  let progress = true;
  while (progress) {
    progress = false;
    for (const token of tokens(best.text)) {
      const candidate = best.text.slice(0, token.start) + best.text.slice(token.start + token.raw.length);
      if (candidate.length < best.text.length && isUndocumented(candidate, best.event)) {
        best = { ...best, text: candidate };
        progress = true;
        break;
      }
    }
    if (progress) continue;
    const paths = [];
    const walk = (value, path) => {
      if (value && typeof value === 'object') for (const key of Object.keys(value)) { paths.push([...path, key]); walk(value[key], [...path, key]); }
    };
    walk(best.event, []);
    for (const path of paths) {
      const candidate = structuredClone(best.event);
      const parent = path.slice(0, -1).reduce((v, k) => v[k], candidate);
      if (Array.isArray(parent)) continue;
      delete parent[path[path.length - 1]];
      if (isUndocumented(best.text, candidate)) {
        best = { ...best, event: candidate };
        progress = true;
        break;
      }
    }
  }
  return best;
}

test('triggers: ours against Segment\'s parseFql + validate', () => {
  const rng = random(SEED);
  const counts = { cases: 0, ui: 0, typed: 0, agree: 0, disagree: 0, segmentRefused: 0, oursRefused: 0 };
  const kinds = {};
  const undocumented = [];
  const run = (text, source) => {
    counts[source]++;
    if (segmentVerdict(text, {}).parsed === false) counts.segmentRefused++;
    if (!triggerVerdict(text, {}).ok) counts.oursRefused++;
    for (let i = 0; i < EVENTS_PER_TRIGGER; i++) {
      const evt = event(rng);
      counts.cases++;
      const result = compare(text, evt);
      if (result.agree) { counts.agree++; continue; }
      counts.disagree++;
      for (const name of result.divergences) kinds[name] = (kinds[name] ?? 0) + 1;
      if (result.divergences.length === 0) undocumented.push({ text, event: evt, segment: result.segment, ours: result.ours });
    }
  };
  for (let i = 0; i < UI_CASES; i++) {
    let text;
    try {
      text = generateFql(uiGroup(rng, 2));
    } catch {
      continue;
    }
    run(text, 'ui');
  }
  for (let i = 0; i < TYPED_CASES; i++) run(typedTrigger(rng), 'typed');

  console.log(`${counts.cases} trigger cases (${counts.ui} triggers written by generateFql, ${counts.typed} typed, ${EVENTS_PER_TRIGGER} events each; ` +
    `Segment refuses ${counts.segmentRefused} of the triggers, we refuse ${counts.oursRefused})`);
  console.log(`${counts.agree} agree, ${counts.disagree} disagree: documented divergences ${JSON.stringify(kinds)}`);
  if (undocumented.length > 0) {
    const smallest = undocumented
      .sort((a, b) => a.text.length - b.text.length)
      .slice(0, 20)
      .map(({ text, event: evt }) => shrink(text, evt))
      .sort((a, b) => a.text.length + JSON.stringify(a.event).length - b.text.length - JSON.stringify(b.event).length)
      .slice(0, 5);
    const show = ({ text, event: evt }) => `  ${JSON.stringify(text)} on ${JSON.stringify(evt)}: Segment ${segmentVerdict(text, evt).matched}, ours ${JSON.stringify(triggerVerdict(text, evt))}`;
    console.log(`${undocumented.length} undocumented disagreements; the smallest:\n${smallest.map(show).join('\n')}`);
  } else {
    console.log('0 undocumented disagreements');
  }
  assert.ok(counts.ui + counts.typed >= 20_000, `only ${counts.ui + counts.typed} triggers`);
  assert.equal(undocumented.length, 0, 'undocumented disagreements with Segment (see above)');
});
