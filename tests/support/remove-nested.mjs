// Segment's Pendo Web (actions) Send Group leaves the parent account out of the account data
// with its `removeNestedObject`; this is that helper, re-expressed, for the JavaScript reference
// of the benchmark and the differential test of the Pendo calls. Pure: safe in Node and in a page.

/** A copy of `object` without the value at the dotted `path`; copies only what it walks. */
export function removeNestedObject(object, path) {
  const keys = path.split('.').filter(Boolean);
  const copy = { ...object };
  let current = copy;
  for (let i = 0; i < keys.length; i += 1) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, keys[i])) return copy;
    if (i === keys.length - 1) delete current[keys[i]];
    else current = current[keys[i]] = { ...current[keys[i]] };
  }
  return copy;
}
