// Random mappings and events for the differential tests, from a seeded generator: what
// Segment's editor writes and what people type, with every directive given odd arguments.

/** A seeded generator (mulberry32) with the picks the generators below use. */
export function random(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng = {
    next,
    int: (n) => Math.floor(next() * n),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
  };
  return rng;
}

const KEYS = ['a', 'b', 'traits', 'properties', 'context', 'event', 'userId', 'name', 'email', 'list', 's', 'n', 'z', '0', '1', 'a.b', ' x ', '$', '', 'sep', 'p', 'json', 'tpl', 'obj', 'Ada'];
const TEXTS = ['', 'x', 'Ada', 'a.b', '$.a', 'traits.name', '{{a}}', '{{{a}}}', '{"a":1}', '[1,2]', 'not json', '{oops', '42', 'true', 'null', 'É', 'ß', 'Straße', 'a-b-c', ' spaced ', 'LOWER', 'lower', 'upper', 'left', 'LEFT', 'right', 'encode', 'ENCODE', 'decode', '_', '.', '-', '$', 'hello world', 'İ', 'ǅ'];
const NUMBERS = [0, 1, -1, 2.5, 100, 1e21, -0.5, 7];

/** A random event: an object with nested objects, arrays, strings, numbers, booleans, nulls. */
export function event(rng, depth = 0) {
  const out = {};
  const count = depth === 0 ? 3 + rng.int(6) : rng.int(4);
  for (let i = 0; i < count; i += 1) out[rng.pick(KEYS)] = eventValue(rng, depth + 1);
  if (depth === 0 && rng.chance(0.6)) out.traits = { name: rng.pick(['Ada', 'é', '', 'Zoë']), email: 'a@b.c', parentAccount: { id: 'p1', tier: 2 }, ...(rng.chance(0.5) ? { a: eventValue(rng, 2) } : {}) };
  if (depth === 0 && rng.chance(0.5)) out.properties = { a: eventValue(rng, 2), 'a.b': 1, list: [1, 'x', null, { a: 2 }], total: rng.pick(NUMBERS) };
  return out;
}

function eventValue(rng, depth) {
  const roll = rng.int(10);
  if (depth > 3 || roll < 4) return rng.pick([...TEXTS, ...NUMBERS, true, false, null]);
  if (roll < 6) return Array.from({ length: rng.int(4) }, () => eventValue(rng, depth + 1));
  return event(rng, depth);
}

/** A path as people write them, in every shape Segment's lookup reads. */
export function path(rng) {
  const roll = rng.int(12);
  if (roll === 0) return rng.pick(['$', '$.', '', '.', '$..', ' $.a ', "$['traits']['email']", '$.properties["a.b"]', '$.traits.name[0]', '$.list.length', '$.s.length', '$.a[x]', '$.a]]', 'a$.b', '$.[0]', "$.traits['name']", '$.properties.list[3].a', '$[0]', '$.0', '[]', '$.a.', '$.traits.parentAccount']);
  const keys = Array.from({ length: 1 + rng.int(3) }, () => rng.pick(KEYS));
  let text = rng.chance(0.8) ? '$' : '';
  for (const key of keys) {
    const style = rng.int(8);
    if (style === 0) text += `[${rng.int(3)}]`;
    else if (style === 1) text += `['${key}']`;
    else if (style === 2) text += `["${key}"]`;
    else text += (text === '' ? '' : '.') + key;
  }
  return text;
}

/** A template as people write them. */
function template(rng) {
  const parts = Array.from({ length: 1 + rng.int(3) }, () => {
    const roll = rng.int(6);
    if (roll === 0) return rng.pick(TEXTS);
    if (roll === 1) return `{{{${path(rng).replace(/^\$\./, '')}}}}`;
    if (roll === 2) return rng.pick(['{{}}', '{{ a }}', '{{a', '}}', '{{{a}}', '{{a}}}', '{{ traits.name }}', '{{\ttraits.email\u00a0}}', '{{$.a}}', '{{.}}']);
    return `{{${path(rng).replace(/^\$\./, '')}}}`;
  });
  return parts.join(rng.pick(['', ' ', '-']));
}

/** An odd value for an option: anything a mapping may hold. */
function odd(rng, depth) {
  return rng.pick([
    () => rng.pick(TEXTS),
    () => rng.pick(NUMBERS),
    () => rng.pick([true, false, null]),
    () => [],
    () => ({}),
    () => [mapping(rng, depth + 1)],
    () => mapping(rng, depth + 1),
    () => ({ '@path': path(rng) }),
  ])();
}

/** Sometimes leaves a key out, sometimes gives it an odd value, else the value from `good`. */
function option(rng, out, key, good, depth, { drop = 0.1, oddness = 0.15 } = {}) {
  if (rng.chance(drop)) return;
  out[key] = rng.chance(oddness) ? odd(rng, depth) : good();
}

const word = (rng, words) => {
  const w = rng.pick(words);
  return rng.pick([w, w, w, w.toUpperCase(), w[0].toUpperCase() + w.slice(1)]);
};

/** A random directive, with arguments mostly right and sometimes odd. */
export function directive(rng, depth = 0) {
  const inner = () => (rng.chance(0.6) ? { '@path': path(rng) } : mapping(rng, depth + 1));
  const text = () => (rng.chance(0.5) ? { '@path': path(rng) } : rng.pick([...TEXTS, template(rng)]));
  const name = rng.pick(['@path', '@path', '@if', '@template', '@literal', '@arrayPath', '@case', '@replace', '@merge', '@transform', '@flatten', '@json', '@excludeWhenNull', '@liquid', '@nope', '@Path']);
  if (rng.chance(0.06)) return { [name]: odd(rng, depth) };
  const o = {};
  switch (name) {
    case '@path':
    case '@Path':
      return { [name]: rng.chance(0.85) ? path(rng) : odd(rng, depth) };
    case '@template':
      return { [name]: rng.chance(0.85) ? template(rng) : odd(rng, depth) };
    case '@literal':
    case '@excludeWhenNull':
      return { [name]: mapping(rng, depth + 1) };
    case '@liquid':
      return { [name]: '{{ properties.a }}' };
    case '@nope':
      return { [name]: 1 };
    case '@if': {
      const test = rng.pick(['exists', 'blank', 'exists', 'both', 'neither']);
      if (test === 'exists' || test === 'both') o.exists = rng.chance(0.8) ? inner() : odd(rng, depth);
      if (test === 'blank' || test === 'both') o.blank = rng.chance(0.8) ? inner() : odd(rng, depth);
      option(rng, o, 'then', () => mapping(rng, depth + 1), depth, { drop: 0.2 });
      option(rng, o, 'else', () => mapping(rng, depth + 1), depth, { drop: 0.3 });
      return { '@if': o };
    }
    case '@arrayPath': {
      const source = rng.chance(0.7) ? rng.pick([path(rng), '$.properties.list', '$.list', '$.traits']) : inner();
      const items = [source];
      if (rng.chance(0.8)) items.push(rng.chance(0.8) ? { x: { '@path': path(rng) }, y: rng.pick([1, { '@template': template(rng) }]) } : odd(rng, depth));
      if (rng.chance(0.1)) items.push(odd(rng, depth));
      return { '@arrayPath': rng.chance(0.95) ? items : odd(rng, depth) };
    }
    case '@case':
      option(rng, o, 'operator', () => word(rng, ['lower', 'upper']), depth);
      option(rng, o, 'value', text, depth);
      return { '@case': o };
    case '@replace':
      option(rng, o, 'pattern', () => rng.pick(['a', '-', '.', ' ', '$', 'A', 'é', '[x]', '0123456789x', '$&']), depth);
      option(rng, o, 'replacement', () => rng.pick(['', '_', '$&', "$'", '$`', '$$', '$1', '<$&>', 'ABCDEFGHIJK']), depth, { drop: 0.3 });
      option(rng, o, 'value', text, depth, { drop: 0.05 });
      option(rng, o, 'ignorecase', () => rng.pick([true, false]), depth, { drop: 0.5 });
      option(rng, o, 'global', () => rng.pick([true, false]), depth, { drop: 0.5 });
      if (rng.chance(0.3)) option(rng, o, 'pattern2', () => rng.pick(['b', 'x', '', 'LONGPATTERNTEXT', 5]), depth, { drop: 0 });
      if (rng.chance(0.3)) option(rng, o, 'replacement2', () => rng.pick(['', 'Y', null, 5]), depth, { drop: 0 });
      return { '@replace': o };
    case '@merge':
      option(rng, o, 'direction', () => (rng.chance(0.9) ? word(rng, ['left', 'right']) : { '@path': '$.p' }), depth);
      option(rng, o, 'objects', () => Array.from({ length: rng.int(4) }, () => rng.pick([{ '@path': path(rng) }, { a: rng.pick([1, { '@path': '$.missing' }]), b: 2 }, () => odd(rng, depth)]) ).map((v) => (typeof v === 'function' ? v() : v)), depth, { drop: 0.05 });
      return { '@merge': o };
    case '@transform':
      option(rng, o, 'apply', () => (rng.chance(0.7) ? { props: { '@path': path(rng) }, t: { '@path': '$.traits' } } : { '@path': path(rng) }), depth);
      option(rng, o, 'mapping', () => (rng.chance(0.7) ? { x: { '@path': rng.pick(['$.props', '$.t.name', '$.', path(rng)]) } } : { '@path': '$.props' }), depth);
      return { '@transform': o };
    case '@flatten':
      option(rng, o, 'value', inner, depth, { drop: 0.05 });
      option(rng, o, 'separator', () => rng.pick(['.', '_', '', '::', { '@path': '$.sep' }]), depth, { drop: 0.15 });
      if (rng.chance(0.4)) option(rng, o, 'omitArrays', () => rng.pick([true, false, 'yes', 0, '', null]), depth, { drop: 0 });
      return { '@flatten': o };
    case '@json':
      option(rng, o, 'value', inner, depth, { drop: 0.05 });
      option(rng, o, 'mode', () => word(rng, ['encode', 'decode']), depth, { drop: 0.05 });
      return { '@json': o };
    default:
      return { [name]: 1 };
  }
}

/** A random mapping value: literals, objects, arrays (directives inside them) and directives. */
export function mapping(rng, depth = 0) {
  if (depth > 4) return rng.chance(0.5) ? { '@path': path(rng) } : rng.pick(TEXTS);
  const roll = rng.int(20);
  if (roll < 2) return rng.pick([...TEXTS, ...NUMBERS, true, false, null]);
  if (roll < 4) return Array.from({ length: rng.int(3) }, () => mapping(rng, depth + 1));
  if (roll < 5) {
    const out = {};
    for (let i = rng.int(3); i >= 0; i -= 1) out[rng.pick(KEYS)] = mapping(rng, depth + 1);
    return out;
  }
  const made = directive(rng, depth);
  const extra = rng.int(25);
  if (extra === 0) made._metadata = { type: 'variable' };
  if (extra === 1) made.other = 1;
  if (extra === 2) made['@template'] = 'x';
  return made;
}
