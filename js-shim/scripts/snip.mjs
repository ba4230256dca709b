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
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { nameSection } from '../../scripts/wasm-names.mjs';

// v0-mangled names, as rustc writes them into the name section: `…4core3fmt…` is `core::fmt`.
const FORMATTING = /4core3fmt/;
// What the out-of-memory message links, and nothing else: `<u32 as Display>::fmt` (`impm`,
// the impl for u32) and `Formatter::pad_integral` (with its `write_prefix`). Anything that
// formats at run time needs a `core::fmt::Write` to write into (`…4core3fmt5Write…`), which
// this does not let through.
const PANIC_MESSAGE_FORMATTING = /4core3fmt3num3impmNtB[0-9a-zA-Z]*_7Display3fmt$|9Formatter12pad_integral(12write_prefix)?$/;

export const SNIP_ARGS = ['--snip-rust-fmt-code', '--snip-rust-panicking-code', '--pattern', '.*__rdl_alloc_error_handler.*', '--skip-producers-section'];

/**
 * Writes `input` (cargo's .wasm of the default build, with its name section) to `output`
 * with the code that only a panic runs snipped; throws when the build formats anything else.
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
}
