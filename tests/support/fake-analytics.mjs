// A stand-in for analytics.js where a test or the benchmark loads the plugins by hand:
// `plugin.load(ctx, fakeAnalytics({ ... }))`. It has only what the plugins read of analytics.js
// (`user()` and `group()`, with their ids and traits). Pure code: safe in Node and in a page
// (the end-to-end pages expose it as `window.fakeAnalytics`).

/**
 * An `analytics` whose user is `userId` / `anonymousId` with `userTraits`, and whose group is
 * `groupId` with `groupTraits` (null ids: no user yet, no account yet). Each `traits()` call
 * returns a fresh copy.
 */
export function fakeAnalytics({ userId = null, anonymousId = null, userTraits = {}, groupId = null, groupTraits = {} } = {}) {
  const user = { id: () => userId, anonymousId: () => anonymousId, traits: () => ({ ...userTraits }) };
  const group = { id: () => groupId, traits: () => ({ ...groupTraits }) };
  return { user: () => user, group: () => group };
}
