// The trigger conformance table (tests/conformance/triggers.json) through Segment's own
// parseFql + validate as well as ours: each row agrees with Segment, or names in "divergence"
// the documented divergence (trigger-divergences.mjs) it shows, and that divergence's
// classifier recognises the row.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { triggerVerdict } from './ours.mjs';
import { DIVERGENCES, divergencesOf, segmentVerdict } from './trigger-divergences.mjs';

const rows = JSON.parse(readFileSync(new URL('../conformance/triggers.json', import.meta.url), 'utf8'));
const KNOWN = new Set(DIVERGENCES.map((d) => d.name));

test('trigger conformance rows agree with Segment or name their divergence', () => {
  const problems = [];
  let agreeing = 0;
  const named = {};
  rows.forEach((row, index) => {
    const event = row.error ? {} : row.event;
    const ours = triggerVerdict(row.trigger, event);
    const oursMatched = ours.ok && ours.value === true;
    const segment = segmentVerdict(row.trigger, event);
    // An error row agrees with Segment when Segment refuses the text too.
    const agrees = row.error ? !segment.parsed : segment.matched === row.expected;
    const claimed = row.divergence === undefined ? [] : [row.divergence].flat();
    const say = (why) => problems.push(`row ${index} ${JSON.stringify(row.trigger)}: ${why}`);
    if (row.error ? ours.ok : oursMatched !== row.expected || !ours.ok) {
      say(`ours ${JSON.stringify(ours)} does not hold the row`);
    }
    for (const name of claimed) if (!KNOWN.has(name)) say(`names an unknown divergence ${name}`);
    if (agrees) {
      agreeing++;
      if (claimed.length > 0) say(`agrees with Segment but names ${claimed.join(', ')}`);
      return;
    }
    if (claimed.length === 0) {
      say(`Segment ${row.error ? `parses it (matches {}: ${segment.matched})` : `matches: ${segment.matched}`}, and the row names no divergence`);
      return;
    }
    const shown = divergencesOf(row.trigger, event, ours, segment);
    for (const name of claimed) {
      if (!shown.includes(name)) say(`names ${name}, which its classifier does not see (it sees ${shown.join(', ') || 'none'})`);
      named[name] = (named[name] ?? 0) + 1;
    }
  });
  console.log(`${rows.length} trigger rows: ${agreeing} agree with Segment, ${rows.length - agreeing} show a named divergence ${JSON.stringify(named)}`);
  assert.deepEqual(problems, []);
});
