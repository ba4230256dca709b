// The mapping conformance table (tests/conformance/mappings.json, which tests/mappings.rs runs
// through our code) run through Segment's own mapping-kit: each row agrees with Segment, or
// names in `divergence` the documented divergence it shows (and the divergence's check must
// recognise it).
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mappingResult } from './ours.mjs';
import { MAPPING_DIVERGENCES, agree, classify, ourOutcome, segmentField } from './segment-mappings.mjs';

const rows = JSON.parse(readFileSync(new URL('../conformance/mappings.json', import.meta.url), 'utf8'));

/** The outcome a row states for our side. */
const stated = (row) => {
  if (row.error === true) return { kind: 'invalid' };
  if (row.thrown === true) return { kind: 'thrown' };
  return { kind: 'value', value: row.expected };
};

test(`the mapping conformance table agrees with Segment's mapping-kit (${rows.length} rows)`, () => {
  const names = new Set(MAPPING_DIVERGENCES.map((d) => d.name));
  const problems = [];
  let agreeing = 0;
  const divergent = {};
  for (const row of rows) {
    const event = row.event ?? {};
    const segment = segmentField(row.mapping, event);
    const ours = ourOutcome(mappingResult(row.mapping, event));
    const expected = stated(row);
    if (!agree(expected, ours)) problems.push(`${row.name}: ours gives ${JSON.stringify(ours)}, the row says ${JSON.stringify(expected)}`);
    if (agree(segment, expected)) {
      agreeing += 1;
      if (row.divergence) problems.push(`${row.name}: names "${row.divergence}" but agrees with Segment`);
      continue;
    }
    if (!row.divergence) {
      problems.push(`${row.name}: Segment gives ${JSON.stringify(segment)}, the row says ${JSON.stringify(expected)}, and no divergence is named`);
    } else if (!names.has(row.divergence)) {
      problems.push(`${row.name}: "${row.divergence}" is no documented divergence`);
    } else if (classify({ mapping: row.mapping, event, segment, ours: expected }) !== row.divergence) {
      problems.push(`${row.name}: the disagreement is not recognised as "${row.divergence}"`);
    } else {
      divergent[row.divergence] = (divergent[row.divergence] ?? 0) + 1;
    }
  }
  console.log(`${rows.length} rows: ${agreeing} agree with Segment; documented divergences: ${JSON.stringify(divergent)}; ${problems.length} problems`);
  assert.deepEqual(problems, []);
});
