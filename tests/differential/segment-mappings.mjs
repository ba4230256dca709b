// Segment's side of the mapping comparisons (@segment/actions-core's mapping-kit, as Segment's
// browser runtime runs it), the comparison of its outcomes with ours, and the named
// divergences: each one a check that says whether a disagreement is that documented kind.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { transform } = require('@segment/actions-core/mapping-kit');
const validate = require('@segment/actions-core/mapping-kit/validate').default;

/**
 * Segment's outcome for a whole subscription mapping on an event:
 * `{kind: 'invalid'}` (its validator refuses the mapping, so `transform` throws on every event),
 * `{kind: 'thrown'}` (`transform` throws for this event) or `{kind: 'value', value}`.
 * `assigned` tells whether `Object.assign` copied a string or an array in (`@merge`).
 */
export function segmentPayload(mapping, event) {
  try {
    validate(asTransformChecksIt(structuredClone(mapping)));
  } catch {
    return { kind: 'invalid' };
  }
  const watch = watchAssign();
  try {
    return { kind: 'value', value: transform(structuredClone(mapping), structuredClone(event)), assigned: watch.seen };
  } catch {
    return { kind: 'thrown', assigned: watch.seen };
  } finally {
    watch.stop();
  }
}

/**
 * The mapping `transform` validates: with the root directive, that directive alone, the other
 * fields as its `mapping` (transform throws anyway when the root directive is malformed).
 */
function asTransformChecksIt(mapping) {
  const root = '__segment_internal_directive';
  if (mapping === null || typeof mapping !== 'object' || !Object.hasOwn(mapping, root)) return mapping;
  const { [root]: directive, ...fields } = mapping;
  const [name] = Object.keys(directive ?? {});
  if (!name || typeof directive[name] !== 'object' || directive[name] === null) return mapping;
  return { [name]: { ...directive[name], mapping: fields } };
}

/** Segment's outcome for one field: the mapping `{f: mapping}`'s `f`. */
export function segmentField(mapping, event) {
  const outcome = segmentPayload({ f: mapping }, event);
  return outcome.kind === 'value' ? { ...outcome, value: outcome.value.f } : outcome;
}

/** Our outcome, from `mappingResult`/`payloadResult`, in the same shape. */
export function ourOutcome(result) {
  if (!result.ok) return { kind: 'invalid', error: result.error };
  if ('thrown' in result) return { kind: 'thrown', error: result.thrown };
  return { kind: 'value', value: result.value };
}

/** Whether `Object.assign` is given a string or an array to copy from (Segment's `@merge`). */
function watchAssign() {
  const original = Object.assign;
  const watch = { seen: false, stop: () => { Object.assign = original; } };
  Object.assign = function (target, ...sources) {
    if (sources.some((s) => (typeof s === 'string' && s.length > 0) || (Array.isArray(s) && s.length > 0))) watch.seen = true;
    return original.call(this, target, ...sources);
  };
  return watch;
}

/** Deep equality of two payload values as Pendo receives them (key order aside). */
export function same(a, b, { undefinedItemsAsNull = false } = {}) {
  if (undefinedItemsAsNull) {
    if (a === undefined) a = null;
    if (b === undefined) b = null;
  }
  if (typeof a === 'number' && typeof b === 'number') return a === b || (Number.isNaN(a) && Number.isNaN(b));
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return a === b;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    return a.length === b.length && a.every((item, i) => same(item, b[i], { undefinedItemsAsNull: true }));
  }
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  const other = Object.keys(b).filter((k) => b[k] !== undefined);
  return keys.length === other.length && keys.every((k) => Object.hasOwn(b, k) && same(a[k], b[k], { undefinedItemsAsNull }));
}

/** Whether two outcomes agree. */
export function agree(segment, ours, options) {
  if (segment.kind !== ours.kind) return false;
  return segment.kind !== 'value' || same(segment.value, ours.value, options);
}

// Names JavaScript finds on the prototypes of the values events hold: a path through one of
// them reads a function or a prototype in Segment's runtime.
const INHERITED = new Set(
  [Object.prototype, Array.prototype, String.prototype, Number.prototype, Boolean.prototype]
    .flatMap((proto) => Object.getOwnPropertyNames(proto))
    .filter((name) => name !== 'length'),
);
INHERITED.add('__proto__');

/** Every string and key in a value. */
function* words(value, depth = 0) {
  if (depth > 80) return;
  if (typeof value === 'string') yield value;
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      yield key;
      yield* words(item, depth + 1);
    }
  }
}

const has = (value, test) => {
  for (const word of words(value)) if (test(word)) return true;
  return false;
};
const holdsFunction = (value, depth = 0) =>
  typeof value === 'function' || (depth < 80 && value !== null && typeof value === 'object' && Object.values(value).some((v) => holdsFunction(v, depth + 1)));
const depthOf = (value, depth = 0) =>
  value !== null && typeof value === 'object' && depth < 200 ? 1 + Math.max(0, ...Object.values(value).map((v) => depthOf(v, depth + 1))) : 0;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The documented divergences of the mapping language (README, "Where we differ from Segment's
 * runtime", "Mappings"), each with the check that recognises it in a disagreeing case.
 */
export const MAPPING_DIVERGENCES = [
  {
    name: 'liquid is not available in the browser',
    applies: ({ mapping, ours }) => ours.kind === 'invalid' && has(mapping, (w) => w === '@liquid'),
  },
  {
    name: 'inherited JavaScript members are not read',
    applies: ({ mapping, event, segment }) =>
      (segment.kind === 'value' && holdsFunction(segment.value)) ||
      has(mapping, (w) => w.split(/[.[\]'"{}\s$]+/).some((t) => INHERITED.has(t))) ||
      has(event, (w) => w.split(/[.[\]'"{}\s$]+/).some((t) => INHERITED.has(t))),
  },
  {
    name: '@merge copies no strings or arrays in',
    applies: ({ segment }) => segment.assigned === true,
  },
  {
    name: 'keys named __proto__ stay plain keys',
    applies: ({ mapping, event }) => has(mapping, (w) => w === '__proto__') || has(event, (w) => w === '__proto__'),
  },
  {
    name: 'a mapping whose whole payload is undefined runs no action',
    applies: ({ segment, ours }) => segment.kind === 'value' && segment.value === undefined && ours.kind === 'thrown',
  },
  {
    name: 'a @transform whose apply is undefined reads its mapping from {}',
    applies: ({ mapping, event, ours, whole }) => {
      if (!has(mapping, (w) => w === '@transform')) return false;
      const rerun = whole ? segmentPayload : segmentField;
      return agree(rerun(undefinedApplyAsEmpty(mapping), event), ours);
    },
  },
  {
    name: 'undefined items of arrays are null',
    applies: ({ segment, ours }) => segment.kind === 'value' && ours.kind === 'value' && same(segment.value, ours.value, { undefinedItemsAsNull: true }),
  },
  {
    name: 'event data deeper than 64 levels is not walked',
    applies: ({ event, mapping }) =>
      depthOf(event) > 60 || [mapping, event].some((v) => has(v, (w) => w.length > 60 && depthOf(safeJson(w)) > 60)),
  },
  {
    name: 'text with lone surrogates',
    applies: ({ event, segment }) => has(event, (w) => loneSurrogate.test(w)) || (segment.kind === 'value' && has(segment.value, (w) => loneSurrogate.test(w))),
  },
];

/** The mapping with each `@transform` `apply` that is a directive giving `{}` when undefined. */
function undefinedApplyAsEmpty(value) {
  if (Array.isArray(value)) return value.map(undefinedApplyAsEmpty);
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, item] of Object.entries(value)) out[key] = undefinedApplyAsEmpty(item);
  const options = out['@transform'];
  if (options && typeof options === 'object' && !Array.isArray(options) && options.apply && typeof options.apply === 'object' && Object.keys(options.apply).some((k) => k.startsWith('@'))) {
    options.apply = { '@if': { exists: options.apply, then: options.apply, else: { '@literal': {} } } };
  }
  return out;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The name of the documented divergence a disagreeing case shows, or undefined. */
export function classify(testCase) {
  for (const divergence of MAPPING_DIVERGENCES) {
    if (divergence.applies(testCase)) return divergence.name;
  }
  return undefined;
}
