// Explain mode's console groups (the full build only; the default build never loads this
// module). Rust builds every line; this module prints them, one collapsed group per event.
//
// As in glue.js, every exported function returns instead of throwing, and the built-ins it
// uses are taken once, when it loads.

const nativeConsole = globalThis.console;
const setTimer = setTimeout;
const callFunction = Function.prototype.call.bind(Function.prototype.call);

// The explanation of the event being handled: `key` (its messageId, else the event itself),
// the title and the lines Rust built. analytics.js hands an event to the plugin of each action
// one after the other, in one task: each adds its lines to the same group, which is printed
// once that task ends (or when the next event arrives).
let explained;

function printExplained() {
  const group = explained;
  explained = undefined;
  if (group === undefined) return;
  // Through the page's console as it is now (so that its hooks see the group), else through
  // the console object this module found when it loaded.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const console = attempt === 0 ? globalThis.console : nativeConsole;
      callFunction(console.groupCollapsed, console, group.title);
      try {
        for (let i = 0; i < group.lines.length; i++) callFunction(console.log, console, group.lines[i]);
      } finally {
        callFunction(console.groupEnd, console);
      }
      return;
    } catch (_) {}
  }
}

// JS: console output is JavaScript's, and a console that throws is caught here; the lines of
// one event are gathered across the plugins of its actions, whose turns only JavaScript sees
// end.
export function explain(key, title, lines) {
  if (explained !== undefined && explained.key === key) {
    const all = explained.lines;
    for (let i = 0; i < lines.length; i++) all[all.length] = lines[i];
    return;
  }
  printExplained();
  explained = { key, title, lines };
  try {
    setTimer(printExplained, 0);
  } catch (_) {
    printExplained();
  }
}
