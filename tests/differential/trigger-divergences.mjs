// The documented ways our trigger language differs from Segment's runtime (README, "Where we
// differ from Segment's runtime", "Triggers"), each a named classifier: given a trigger and an
// event on which Segment and we disagree, it says whether that disagreement is of its kind.
// Also Segment's verdict itself, as its browser runtime computes it.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const subscriptions = require('@segment/destination-subscriptions');
const { lex } = createRequire(require.resolve('@segment/destination-subscriptions'))('@segment/fql-ts');

export const { parseFql, validate, generateFql } = subscriptions;

/**
 * What Segment's runtime does with `text` on `event`: `validate(parseFql(text), event)`, where
 * a parse error means the subscription never runs and a throwing `validate` runs nothing.
 */
export function segmentVerdict(text, event) {
  const ast = parseFql(text);
  if (ast.error) return { parsed: false, matched: false };
  try {
    return { parsed: true, matched: validate(ast, event) === true };
  } catch {
    return { parsed: true, matched: false, threw: true };
  }
}

const TEXT_FIELDS = new Set(['type', 'event', 'name', 'userId']);
const ROOTS = new Set(['type', 'event', 'name', 'userId', 'properties', 'traits', 'context']);

/**
 * The trigger as our lexer reads it, roughly: names (keys split at unescaped dots), strings,
 * numbers, words and punctuation, each with where it starts and what precedes and follows it.
 */
export function tokens(text) {
  const out = [];
  let i = 0;
  const isNameStart = (c) => /[\p{Alphabetic}_$\\]/u.test(c);
  const isNameChar = (c) => /[\p{Alphabetic}\p{N}_$\-.\\]/u.test(c);
  while (i < text.length) {
    const c = text[i];
    if (/\s/u.test(c)) { i++; continue; }
    const start = i;
    if (c === '"' || c === "'") {
      const end = text.indexOf(c, i + 1);
      const stop = end < 0 ? text.length : end + 1;
      out.push({ kind: 'string', quote: c, value: text.slice(i + 1, end < 0 ? text.length : end), start, raw: text.slice(i, stop) });
      i = stop;
    } else if (/[0-9]/.test(c) || ((c === '-' || c === '+') && /[0-9.]/.test(text[i + 1] ?? ''))) {
      i++;
      while (i < text.length && /[0-9.eE]/.test(text[i]) || (/[eE]/.test(text[i - 1]) && /[+-]/.test(text[i]))) i++;
      out.push({ kind: 'number', raw: text.slice(start, i), start });
    } else if (isNameStart(c)) {
      const keys = [];
      let key = '';
      let escapedKey = false;
      const escaped = [];
      while (i < text.length && (isNameChar(text[i]) || text[i - 1] === '\\' && false)) {
        if (text[i] === '\\') {
          key += text[i + 1] ?? '';
          escaped.push(text[i + 1] ?? '');
          escapedKey = true;
          i += 2;
          continue;
        }
        if (text[i] === '.') { keys.push(key); key = ''; i++; continue; }
        key += text[i];
        i++;
      }
      keys.push(key);
      out.push({ kind: 'name', keys, escaped, escapedKey, raw: text.slice(start, i), start });
    } else if ('!<>='.includes(c)) {
      const two = text.slice(i, i + 2);
      const op = ['!=', '<=', '>=', '=='].includes(two) ? two : c;
      i += op.length;
      out.push({ kind: op === '!' ? 'not' : 'op', raw: op, start });
    } else {
      out.push({ kind: 'punct', raw: c, start });
      i++;
    }
  }
  out.forEach((token, index) => {
    token.prev = out[index - 1];
    token.next = out[index + 1];
    token.after = text[token.start + token.raw.length];
  });
  return out;
}

const word = (token, w) => token?.kind === 'name' && !token.escapedKey && token.keys.length === 1 && token.keys[0] === w;
const isConjunction = (token) => word(token, 'and') || word(token, 'or');
const isFunctionName = (token) => (word(token, 'contains') || word(token, 'match')) && token.next?.raw === '(';

/** The fields of the conditions and functions of a trigger, with the token that names them. */
function fields(toks) {
  const out = [];
  toks.forEach((token, index) => {
    if (token.kind !== 'name' || isConjunction(token) || ['true', 'false', 'null'].some((w) => word(token, w))) return;
    const prev = toks[index - 1];
    const inFunction = prev?.raw === '(' && isFunctionName(toks[index - 2]);
    const comparison = token.next?.kind === 'op' && !(prev?.kind === 'op');
    if (inFunction || comparison) out.push({ token, keys: token.keys, inFunction, operator: token.next?.raw, value: token.next?.next });
  });
  return out;
}

/** The parentheses that group (not those of a function call), with their depth. */
function groups(toks) {
  let depth = 0;
  let deepest = 0;
  const stack = [];
  const levels = [new Set()];
  let functionInGroup = false;
  for (let index = 0; index < toks.length; index++) {
    const token = toks[index];
    if (isFunctionName(token)) {
      if (depth > 0) functionInGroup = true;
      // Skip the call: up to its ")".
      while (index < toks.length && toks[index].raw !== ')') index++;
      continue;
    }
    if (token.raw === '(') { depth++; deepest = Math.max(deepest, depth); stack.push(levels.length); levels.push(new Set()); continue; }
    if (token.raw === ')') { if (depth > 0) { depth--; stack.pop(); } continue; }
    if (isConjunction(token)) levels[stack.length ? stack[stack.length - 1] : 0].add(token.keys[0]);
  }
  return { deepest, functionInGroup, mixed: levels.some((level) => level.size > 1) };
}

/** The value at `keys` in `root` as Segment's `get` reads it, and as ours reads it (own keys of objects and arrays). */
function segmentGet(root, keys) {
  return keys.reduce((value, key) => value && value[key], root);
}
function ownGet(root, keys) {
  let value = root;
  for (const key of keys) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) return undefined;
    value = value[key];
  }
  return value;
}

/**
 * Segment's parser over its own tokens, flagging what it reads past: a token it skips, an
 * operator or value slot holding something else, a function call with the wrong punctuation,
 * a "!" before something other than a function. The stray ")" and the dangling "and"/"or",
 * which we read past the same way, are not flagged.
 */
export function segmentReadsPast(text) {
  const { tokens: raw, error } = lex(text);
  if (error) return false;
  // Segment's `normalize`: `a . b` into one name.
  const toks = [];
  for (let i = 0; i < raw.length; i++) {
    const last = toks[toks.length - 1];
    if (last?.type === 'ident' && raw[i].type === 'dot' && raw[i + 1]?.type === 'ident') {
      toks.push({ type: 'ident', value: `${toks.pop().value}.${raw[i + 1].value}` });
      i++;
    } else toks.push(raw[i]);
  }
  const OPERATORS = ['=', '!=', '<', '<=', '>', '>='];
  const isValue = (t) => (t?.type === 'number' && !Number.isNaN(Number(t.value))) || ['string', 'null'].includes(t?.type) ||
    (t?.type === 'ident' && !['contains', 'match'].includes(t.value));
  let odd = false;
  // Whether the last thing read was a condition (or a group), so that another one needs an "and"/"or" first.
  let afterCondition = false;
  const condition = () => {
    if (afterCondition) odd = true;
    afterCondition = true;
  };
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i];
    if (t.type === 'eos') continue;
    // A group just closed counts as a condition read (a stray ")" is read past, by us too).
    if (t.type === 'parenright') { afterCondition = afterCondition || i > 0; continue; }
    if (t.type === 'conditional') { afterCondition = false; continue; }
    if (t.type === 'parenleft') { condition(); afterCondition = false; continue; }
    if (t.type === 'ident' && ['contains', 'match'].includes(t.value)) {
      const [open, field, comma, value, close] = toks.slice(i + 1, i + 6);
      if (open?.type !== 'parenleft' || field?.type !== 'ident' || comma?.type !== 'comma' || !isValue(value) || close?.type !== 'parenright') odd = true;
      condition();
      i += 5;
      continue;
    }
    if (t.type === 'operator' && t.value === '!') {
      if (!(toks[i + 1]?.type === 'ident' && ['contains', 'match'].includes(toks[i + 1].value))) odd = true;
      continue;
    }
    if (t.type === 'ident' && ROOTS.has(t.value.split('.')[0])) {
      const operator = toks[i + 1];
      const value = toks[i + 2];
      if (operator?.type !== 'operator' || !OPERATORS.includes(operator.value) || !isValue(value)) odd = true;
      condition();
      i += 2;
      continue;
    }
    odd = true;
  }
  return odd;
}

const codeOf = (text) => tokens(text).filter((t) => t.kind !== 'string').map((t) => t.raw).join(' ');

/** Every documented divergence: its name (as rows and the README say it) and its classifier. */
export const DIVERGENCES = [
  {
    name: 'digits-in-paths',
    // `properties.products.0.sku`: Segment's lexer reads `0.` as a number and garbles the path.
    test: ({ toks }) => toks.some((t) => t.kind === 'name' && t.keys.slice(1).some((k) => /^[0-9-]/.test(k))),
  },
  {
    name: 'function-in-parentheses',
    // Segment's group ends at the function's own ")".
    test: ({ shape }) => shape.functionInGroup,
  },
  {
    name: 'nested-parentheses',
    // Segment's group ends at the first ")", so a group inside a group is refused or misread.
    test: ({ shape }) => shape.deepest >= 2,
  },
  {
    name: 'and-before-or',
    // Segment joins a whole group with its last "and"/"or".
    test: ({ shape }) => shape.mixed,
  },
  {
    name: 'null-on-type-or-event',
    // Segment compares `type`/`event` with the text "null".
    test: ({ conditions }) => conditions.some((c) => !c.inFunction && c.keys.length === 1 && ['type', 'event'].includes(c.keys[0]) && ['=', '!='].includes(c.operator) && word(c.value, 'null')),
  },
  {
    name: 'not-equal-boolean',
    // Segment's `!= true` compares with the text "true" (`= true` asks for the boolean).
    test: ({ conditions }) => conditions.some((c) => !c.inFunction && c.operator === '!=' && (word(c.value, 'true') || word(c.value, 'false')) && !(c.keys.length === 1 && ['type', 'event', 'name'].includes(c.keys[0]))),
  },
  {
    name: 'match-pattern-shape',
    // Segment reads any match() pattern not ending in "*" as "ends with" its text minus the first character.
    test: ({ toks }) => toks.some((t, i) => word(t, 'match') && t.next?.raw === '(' && (() => {
      const arg = toks[i + 4];
      if (!arg || arg.kind !== 'string' || arg.quote !== '"') return true;
      const stars = (arg.value.match(/\*/g) ?? []).length;
      return !(stars === 1 && (arg.value.startsWith('*') || arg.value.endsWith('*')));
    })()),
  },
  {
    name: 'field-names-segment-lexer-refuses',
    // Names with "$" or letters beyond ASCII, names directly before "<" or ">", keys named
    // and/or/null, keys beginning with "-".
    test: ({ toks }) => toks.some((t) => t.kind === 'name' && (
      /[^\x00-\x7f]|\$/.test(t.raw.replace(/\\./gu, '')) ||
      (t.after === '<' || t.after === '>') ||
      t.keys.slice(1).some((k, i) => ['and', 'or', 'null'].includes(k) || /^-/.test(k)) ||
      (t.keys.length > 1 && ['and', 'or', 'null'].includes(t.keys[0])))),
  },
  {
    name: 'lexer-spacing',
    // "!=", "<=", ">=" directly followed by their value, "! contains", "and(" / "or(": Segment's
    // lexer refuses them or splits them wrongly.
    test: ({ toks }) => toks.some((t) => (t.kind === 'op' && t.raw.length === 2 && t.after !== undefined && !/[\s,)\]]/.test(t.after)) ||
      (t.kind === 'not' && /\s/u.test(t.after ?? '')) || (isConjunction(t) && t.after === '(') ||
      (t.kind === 'op' && t.raw.length === 1 && t.after === '=')),
  },
  {
    name: 'whitespace',
    // Segment's lexer knows only space, tab and line feed; ours also carriage return and form
    // feed (other white space, such as a no-break space, both refuse).
    test: ({ text }) => /[\r\f]/.test(codeOf(text) + text.replace(/"[^"]*"|'[^']*'/g, '')),
  },
  {
    name: 'other-fields',
    // Fields other than type/event/name/userId/properties/traits/context (and functions on
    // `type`): Segment drops the condition from the trigger.
    test: ({ conditions }) => conditions.some((c) => !ROOTS.has(c.keys[0]) || (c.inFunction && c.keys[0] === 'type')),
  },
  {
    name: 'paths-below-text-fields',
    // `type.x = ...`: Segment ignores everything after `type`, `event`, `name` and `userId`.
    test: ({ conditions }) => conditions.some((c) => TEXT_FIELDS.has(c.keys[0]) && c.keys.length > 1),
  },
  {
    name: 'whole-object-fields',
    // `properties != null`: Segment reads `properties.properties`.
    test: ({ conditions }) => conditions.some((c) => ['properties', 'traits', 'context'].includes(c.keys[0]) && c.keys.length === 1),
  },
  {
    name: 'inherited-members-and-falsy-parents',
    // Segment's `get` reads `constructor`, `length` and other inherited members, and stops at
    // a falsy parent (`0`, `""`, `false`) and returns it.
    test: ({ conditions, event }) => conditions.some((c) => {
      if (c.keys.length === 1 && TEXT_FIELDS.has(c.keys[0])) return false;
      const keys = ROOTS.has(c.keys[0]) ? [c.keys[0], ...c.keys.slice(1).flatMap((k) => k.match(/[^[.\]]+/g) ?? [])] : c.keys;
      const root = event?.[keys[0]];
      return !Object.is(segmentGet(root, keys.slice(1)), ownGet(root, keys.slice(1))) ||
        (keys[0] in (event ?? {}) && !Object.prototype.hasOwnProperty.call(event, keys[0]));
    }),
  },
  {
    name: 'escaped-dots-and-brackets',
    // `properties.a\.b` is the key "a.b"; Segment splits it into a and b.
    test: ({ toks }) => toks.some((t) => t.kind === 'name' && t.escaped.some((c) => '.[]'.includes(c))),
  },
  {
    name: 'single-quoted-strings',
    // Segment's lexer reads 'text' as a string, its parser keeps the quotes.
    test: ({ toks }) => toks.some((t) => t.kind === 'string' && t.quote === "'"),
  },
  {
    name: 'exponent-numbers',
    // `1e3`: Segment reads the number 1 and skips `e3` (and refuses `1e+21`, which its own
    // generator writes).
    test: ({ toks }) => toks.some((t) => t.kind === 'number' && /[eE]/.test(t.raw)),
  },
  {
    name: 'segment-reads-past-malformed-text',
    // Text we refuse, with an error saying where, that Segment's parser reads by skipping or
    // misreading tokens: `!(type = "track")`, `type !=` (read as `type != "eos"`), `a = 1 b`,
    // `a = 1 b = 2` (no "and"/"or"), `type = -` (NaN),
    // upper-case `OR`, `contains(event "x")`, `()` (which makes Segment's validate throw).
    test: ({ ours, segment, text }) => !ours.ok && segment.parsed && (segment.threw || segmentReadsPast(text)),
  },
];

/** The names of the documented divergences that `text` on `event` shows. */
export function divergencesOf(text, event, ours, segment) {
  const toks = tokens(text);
  const facts = { text, event, ours, segment, toks, conditions: fields(toks), shape: groups(toks) };
  return DIVERGENCES.filter((d) => {
    try {
      return d.test(facts);
    } catch {
      return false;
    }
  }).map((d) => d.name);
}
