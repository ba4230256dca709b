// Takes out of the default build's .wasm the code that only a panic would run. The crate's
// panic handler stops the instance at once and never formats its message (src/lib.rs), yet the
// messages of the standard library's panics and of its out-of-memory handler are still built
// for it, and they link integer formatting (`<u32 as Display>::fmt`, `Formatter::pad_integral`)
// through the function table, where no optimizer can see that nothing calls it. `wasm-snip`
// (the Rust and WebAssembly working group's tool) makes the bodies of `core::fmt`'s and
// `core::panicking`'s functions and of the out-of-memory handler one `unreachable`: every path
// into them ended in the panic handler's trap, and now traps there: the .wasm -538 bytes
// gzip, -1,030 raw (the default build, measured on the package).
//
// That holds only while the build formats nothing on purpose: its messages are written with
// `concat` (the full build, which formats its messages, is not snipped). So the build stops
// when the crate's output has `core::fmt` code other than integer formatting: something then
// formats (a `format!`, a `to_string()`), and snipping would turn it into a trap.
//
// The data only that code read goes too: the standard library's panic messages, the source
// locations of its panics in generic code (`/rustc/<commit>/library/…`), and the digit pairs of
// integer formatting are zeroed where they lie in the data section, so that they compress to
// almost nothing (-288 bytes gzip, measured on the package). The panic handler
// reads neither message nor location (src/lib.rs), and the formatting that reads the digits is
// snipped. A message that a newer standard library words differently is simply left as it is.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { nameSection, sectionPayload } from '../../scripts/wasm-names.mjs';

// v0-mangled names, as rustc writes them into the name section: `…4core3fmt…` is `core::fmt`.
const FORMATTING = /4core3fmt/;
// What the out-of-memory message links, and nothing else: `<u32 as Display>::fmt` (`impm`,
// the impl for u32) and `Formatter::pad_integral` (with its `write_prefix`). Anything that
// formats at run time needs a `core::fmt::Write` to write into (`…4core3fmt5Write…`), which
// this does not let through.
const PANIC_MESSAGE_FORMATTING = /4core3fmt3num3impmNtB[0-9a-zA-Z]*_7Display3fmt$|9Formatter12pad_integral(12write_prefix)?$/;

export const SNIP_ARGS = ['--snip-rust-fmt-code', '--snip-rust-panicking-code', '--pattern', '.*__rdl_alloc_error_handler.*', '--skip-producers-section'];

// What only the snipped code reads in the data section (see the top of this file): the
// locations of the standard library's panics in generic code, then its messages and the digit
// pairs, each kept once by the linker (a second copy would be data of some other use).
const PANIC_LOCATIONS = /\/rustc\/[0-9a-f]{40}\/library\/[a-z_/]+\.rs/g;
const DIGIT_PAIRS = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0')).join('');
const PANIC_ONLY_TEXT = ['capacity overflow', 'Tried to shrink to a larger capacity', 'memory allocation of ', ' bytes failed', DIGIT_PAIRS];

/** Zeroes, in place, what only the snipped code reads in `wasm`'s data section. */
function zeroPanicOnlyData(wasm) {
  const data = sectionPayload(wasm, 11);
  const text = data.toString('latin1');
  for (const { index, 0: location } of text.matchAll(PANIC_LOCATIONS)) data.fill(0, index, index + location.length);
  for (const constant of PANIC_ONLY_TEXT) {
    const at = text.indexOf(constant);
    if (at < 0) continue;
    if (text.indexOf(constant, at + 1) >= 0) throw new Error(`${JSON.stringify(constant.slice(0, 40))} is more than once in the default build's data: it may be read by more than panics`);
    data.fill(0, at, at + constant.length);
  }
}

/**
 * Writes `input` (cargo's .wasm of the default build, with its name section) to `output`
 * with the code that only a panic runs snipped, and the data only that code reads zeroed;
 * throws when the build formats anything else.
 */
export function snipPanicCode(input, output) {
  const names = Object.values(nameSection(readFileSync(input)));
  if (names.length === 0) throw new Error(`${input} has no function names to snip by (is \`strip\` on in Cargo.toml?)`);
  const formatting = names.filter((name) => FORMATTING.test(name) && !PANIC_MESSAGE_FORMATTING.test(name));
  if (formatting.length) {
    throw new Error(
      `the default build formats text (${formatting.length} functions of core::fmt, such as ${formatting.slice(0, 3).join(', ')}): its panic code cannot be snipped, as that would make the formatting a trap; write the text with \`concat\` (see js-shim/scripts/snip.mjs)`,
    );
  }
  execFileSync('wasm-snip', [input, '-o', output, ...SNIP_ARGS], { stdio: 'inherit' });
  const snipped = readFileSync(output);
  zeroPanicOnlyData(snipped);
  writeFileSync(output, snipped);
}
