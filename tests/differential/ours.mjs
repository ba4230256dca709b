// Our side of the differential tests: the crate built by build.mjs, instantiated in Node.js,
// evaluating triggers and mappings exactly as the plugins do in the page.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = join(dirname(dirname(dirname(fileURLToPath(import.meta.url)))), 'target', 'differential');
const ours = await import(join(out, 'pendo_wasm.js'));
ours.initSync({ module: readFileSync(join(out, 'pendo_wasm_bg.wasm')) });

/** `{ok: true, matched}` or `{ok: false, error}` for `trigger` on `event`. */
export const triggerVerdict = (trigger, event) => ours.triggerVerdict(trigger, event);

/** `{ok: true, value?}` (no `value` when undefined) or `{ok: false, error}` for a mapping value. */
export const mappingResult = (mapping, event) => ours.mappingResult(mapping, event);

/** `{ok: true, thrown}` is added for an evaluation that fails for this event. */
export const mappingOutcome = mappingResult;

/** The same for a whole subscription mapping: `value` is the payload. */
export const payloadResult = (mapping, event) => ours.payloadResult(mapping, event);

/** The destination class itself, for comparisons at the level of the Pendo calls. */
export const { PendoDestination } = ours;
