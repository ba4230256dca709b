// The mapping language against Segment's own library: generated mappings and events (fixed
// seed, bounded count) run through @segment/actions-core (mapping-kit `validate` for what
// Segment accepts, `transform` for what it gives) and through ours. Any disagreement that is not
// one of the named, documented divergences fails the test, with the smallest such case.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mappingResult, payloadResult } from './ours.mjs';
import { agree, classify, ourOutcome, segmentField, segmentPayload } from './segment-mappings.mjs';
import { directive, event, mapping, random } from './generate.mjs';

const SEED = Number(process.env.MAPPING_SEED ?? 20240917);
const FIELD_CASES = Number(process.env.MAPPING_CASES ?? 12000);
const WHOLE_CASES = Math.ceil(FIELD_CASES / 6);
const EVENTS_PER_MAPPING = 2;

/** Runs `count` cases, returning the counts and the disagreements left unexplained. */
function compare(rng, count, makeMapping, segmentSide, ourSide, whole = false) {
  const counts = { cases: 0, agreed: 0, divergences: {}, outcomes: { invalid: 0, thrown: 0, value: 0 } };
  const undocumented = [];
  for (let i = 0; i < count; i += 1) {
    const written = makeMapping(rng);
    for (let e = 0; e < EVENTS_PER_MAPPING; e += 1) {
      const data = event(rng);
      const segment = segmentSide(written, data);
      const ours = ourOutcome(ourSide(written, data));
      counts.cases += 1;
      counts.outcomes[segment.kind] += 1;
      if (agree(segment, ours)) {
        counts.agreed += 1;
        continue;
      }
      const testCase = { mapping: written, event: data, segment, ours, whole };
      const divergence = classify(testCase);
      if (divergence) counts.divergences[divergence] = (counts.divergences[divergence] ?? 0) + 1;
      else undocumented.push(testCase);
    }
  }
  return { counts, undocumented };
}

function report(label, { counts, undocumented }) {
  console.log(`${label}: ${counts.cases} cases (Segment: ${counts.outcomes.value} values, ${counts.outcomes.thrown} throws, ${counts.outcomes.invalid} refused by its validator); ${counts.agreed} agree`);
  for (const [name, n] of Object.entries(counts.divergences)) console.log(`  documented divergence "${name}": ${n}`);
  console.log(`  ${undocumented.length} undocumented disagreements`);
  if (undocumented.length) {
    const size = (c) => JSON.stringify([c.mapping, c.event]).length;
    const smallest = undocumented.reduce((a, b) => (size(b) < size(a) ? b : a));
    const show = (o) => (o.kind === 'value' ? `value ${JSON.stringify(o.value)}` : `${o.kind}${o.error ? ` (${o.error})` : ''}`);
    console.log('  smallest:', JSON.stringify({ mapping: smallest.mapping, event: smallest.event }));
    console.log('    Segment:', show(smallest.segment));
    console.log('    ours:   ', show(smallest.ours));
  }
}

test(`mapping fields agree with Segment's mapping-kit (${FIELD_CASES} mappings x ${EVENTS_PER_MAPPING} events, seed ${SEED})`, () => {
  const result = compare(random(SEED), FIELD_CASES, (rng) => mapping(rng), segmentField, mappingResult);
  report('mapping fields', result);
  assert.ok(result.counts.cases >= 10000);
  // Every outcome is exercised.
  for (const kind of ['invalid', 'thrown', 'value']) assert.ok(result.counts.outcomes[kind] > 200, kind);
  assert.equal(result.undocumented.length, 0, 'undocumented disagreements with Segment');
});

test(`whole mappings (several fields, a single directive, the root directive) agree with Segment (seed ${SEED + 1})`, () => {
  const whole = (rng) => {
    const roll = rng.int(4);
    if (roll === 0) return directive(rng);
    const fields = {};
    for (let i = 1 + rng.int(3); i > 0; i -= 1) fields[rng.pick(['event', 'metadata', 'visitorId', 'accountId', 'x'])] = mapping(rng);
    if (roll === 1) {
      fields.__segment_internal_directive = { '@transform': { apply: { props: { '@path': '$.properties' }, traits: { '@path': '$.traits' } } } };
    }
    return fields;
  };
  const result = compare(random(SEED + 1), WHOLE_CASES, whole, segmentPayload, payloadResult, true);
  report('whole mappings', result);
  assert.equal(result.undocumented.length, 0, 'undocumented disagreements with Segment');
});
