// The default subscriptions of the Pendo Web (actions) destination, as a Segment workspace
// sends them: each action's preset trigger and mapping (Send Identify, Send Group, Send Track;
// Send Page has no preset, only a default mapping, so a workspace subscribes it itself), for
// the tests, the benchmark and the demo. Pure data: safe in Node and in a page. The three
// tables are JSON literals: tests/definitions.rs reads them and checks them against the
// actions' declarations (core/src/actions/), where the package's own presets come from.

/** Each action's default mapping: the presets', and Send Page's (`pageLoad`). */
export const PRESET_MAPPINGS = {
  "identify": {
    "visitorId": { "@path": "$.userId" },
    "visitorData": { "@path": "$.traits" },
    "accountId": {
      "@if": {
        "exists": { "@path": "$.context.groupId" },
        "then": { "@path": "$.context.groupId" },
        "else": { "@path": "$.groupId" }
      }
    }
  },
  "group": {
    "visitorId": { "@path": "$.userId" },
    "accountId": { "@path": "$.groupId" },
    "accountData": { "@path": "$.traits" },
    "parentAccountData": { "@path": "$.traits.parentAccount" }
  },
  "track": {
    "event": { "@path": "$.event" },
    "metadata": { "@path": "$.properties" }
  },
  "pageLoad": {
    "url": { "@path": "$.context.page.url" }
  }
};

/** Each action's preset trigger (`pageLoad`: the trigger a workspace gives Send Page). */
export const PRESET_TRIGGERS = {
  "identify": "type = \"identify\"",
  "group": "type = \"group\"",
  "track": "type = \"track\"",
  "pageLoad": "type = \"page\""
};

/** Each action's title in Segment's UI, the name its subscriptions get by default. */
export const ACTION_TITLES = {
  "identify": "Send Identify Event",
  "group": "Send Group Event",
  "track": "Send Track Event",
  "pageLoad": "Send Page"
};

/**
 * An enabled subscription of `partnerAction`: its preset trigger and mapping, and the action's
 * title, unless `name`, `subscribe` or `mapping` say otherwise.
 */
export function subscription(partnerAction, { name = ACTION_TITLES[partnerAction], subscribe = PRESET_TRIGGERS[partnerAction], mapping = PRESET_MAPPINGS[partnerAction] } = {}) {
  if (!(partnerAction in PRESET_MAPPINGS)) throw new Error(`no action ${partnerAction}`);
  return { partnerAction, name, enabled: true, subscribe, mapping };
}

/** `mapping` without the fields named. */
export function without(mapping, ...fields) {
  return Object.fromEntries(Object.entries(mapping).filter(([field]) => !fields.includes(field)));
}
