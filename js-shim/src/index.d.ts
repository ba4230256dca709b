/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Settings of the Pendo Web (actions) destination, as Segment names them. */
export type PendoWebActionsSettings = {
  /** Your Pendo app's API key: letters, digits and '-' (at most 128 characters). */
  apiKey: string;
  /** The Pendo CDN of your subscription's region, an https:// origin; default https://cdn.pendo.io. */
  region?: string | null;
  /** Your Pendo CNAME content host: content.example.com, or an http(s):// origin. Empty means unused. */
  cnameContentHost?: string | null;
  /** Do not pass analytics.user().traits() to pendo.initialize. Default false. */
  disableUserTraitsOnLoad?: boolean | null;
  /** Do not pass analytics.group() id and traits to pendo.initialize. Default false. */
  disableGroupIdAndTraitsOnLoad?: boolean | null;
  /** The CSP nonce to put on the agent's script tag; default the page's own script nonce. */
  nonce?: string | null;
  /**
   * Explain mode: one collapsed console group per event saying why it did or did not reach
   * Pendo (each subscription's verdict, payload and Pendo call). Default false; a page also
   * turns it on with `localStorage['pendo-wasm:debug'] = '1'`.
   */
  debug?: boolean | null;
  /** Segment subscriptions (an array, or the same array as JSON text); default the presets. */
  subscriptions?: string | PendoSubscription[] | null;
  /** Other keys Segment sends are ignored. */
  [other: string]: unknown;
};

/** One Segment subscription: when to run an action (`subscribe`) and with which fields (`mapping`). */
export type PendoSubscription = {
  /** The action: Send Identify, Send Group, Send Track or Send Page. */
  partnerAction: 'identify' | 'group' | 'track' | 'pageLoad';
  name?: string;
  /** Only `true` runs the subscription: as in Segment's runtime, one without it is left out. */
  enabled: boolean;
  /** The trigger, in Segment's subscription language, e.g. `type = "track"`. */
  subscribe: string;
  /** The action's fields, in Segment's mapping language, e.g. `{ event: { '@path': '$.event' } }`. */
  mapping?: { [field: string]: JsonValue } | null;
};

/** The fields of Send Identify Event (`partnerAction: 'identify'`), as a subscription maps them. */
export type SendIdentifyEventMapping = {
  /** Visitor ID (string). */
  visitorId?: JsonValue;
  /** Visitor Metadata (object). */
  visitorData?: JsonValue;
  /** Account ID (string). */
  accountId?: JsonValue;
};

/** The fields of Send Group Event (`partnerAction: 'group'`), as a subscription maps them. */
export type SendGroupEventMapping = {
  /** Visitor ID (string). */
  visitorId?: JsonValue;
  /** Account ID (string). */
  accountId?: JsonValue;
  /** Account Metadata (object). */
  accountData?: JsonValue;
  /** Parent Account Metadata (object). */
  parentAccountData?: JsonValue;
};

/** The fields of Send Track Event (`partnerAction: 'track'`), as a subscription maps them. */
export type SendTrackEventMapping = {
  /** Event name (string). */
  event?: JsonValue;
  /** Metadata (object). */
  metadata?: JsonValue;
};

/** The fields of Send Page (`partnerAction: 'pageLoad'`), as a subscription maps them. */
export type SendPageMapping = {
  /** Page URL (string). */
  url?: JsonValue;
};

/** What the plugins read of an analytics.js `Context`: its event. */
export type PendoContext = { event: object };

/**
 * An analytics.js destination plugin for one action. Every event method dispatches the
 * context's event to the action and returns the same context; it never throws.
 */
export interface PendoPlugin {
  /** `Pendo Web (actions) <partnerAction>`, e.g. `Pendo Web (actions) track`. */
  name: string;
  type: 'destination';
  version: string;
  isLoaded(): boolean;
  /** Installs the Pendo snippet and calls `pendo.initialize`, once for all the plugins of one factory call. */
  load(ctx: unknown, analytics: unknown): Promise<void>;
  ready(): Promise<unknown>;
  track<C extends PendoContext>(ctx: C): C;
  identify<C extends PendoContext>(ctx: C): C;
  group<C extends PendoContext>(ctx: C): C;
  page<C extends PendoContext>(ctx: C): C;
  alias<C extends PendoContext>(ctx: C): C;
}

/**
 * The plugin factory analytics.js expects of a destination (`plugins: [pendoWebActions]`):
 * it resolves to one plugin per action with an enabled subscription, and rejects with an
 * `Error` naming the setting when a setting is refused.
 */
export interface PendoWebActionsFactory {
  (settings: PendoWebActionsSettings): Promise<PendoPlugin[]>;
  /** Settings as analytics.js passes them (any JSON from your workspace), validated at run time. */
  (settings: unknown): Promise<PendoPlugin[]>;
  /** The destination's name in Segment; analytics.js matches the factory to your workspace by it. */
  readonly pluginName: 'Pendo Web (actions)';
}

declare const pendoWebActions: PendoWebActionsFactory;
export default pendoWebActions;
