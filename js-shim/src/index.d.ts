/** Settings of the Pendo Web (Actions) destination, as Segment names them. */
export interface PendoWebActionsSettings {
  /** Your Pendo app's API key (letters, digits and '-'). */
  apiKey: string;
  /** The Pendo CDN of your subscription's region; default https://cdn.pendo.io. */
  region?: string;
  /** Your Pendo CNAME content host, e.g. content.example.com. */
  cnameContentHost?: string;
  /** Do not pass analytics.user().traits() to pendo.initialize. */
  disableUserTraitsOnLoad?: boolean;
  /** Do not pass analytics.group() id and traits to pendo.initialize. */
  disableGroupIdAndTraitsOnLoad?: boolean;
  /** Segment subscriptions (an array, or the same array as JSON text). */
  subscriptions?: string | PendoSubscription[];
  [other: string]: unknown;
}

export interface PendoSubscription {
  partnerAction: 'identify' | 'group' | 'track' | 'pageLoad';
  name?: string;
  enabled?: boolean;
  subscribe: string;
  mapping?: Record<string, unknown>;
}

type Ctx = { event: Record<string, unknown> } & Record<string, unknown>;

/** An analytics.js destination plugin. */
export interface PendoPlugin {
  name: string;
  type: 'destination';
  version: string;
  isLoaded(): boolean;
  load(ctx: unknown, analytics: unknown): Promise<void>;
  ready(): Promise<unknown>;
  track(ctx: Ctx): Ctx;
  identify(ctx: Ctx): Ctx;
  group(ctx: Ctx): Ctx;
  page(ctx: Ctx): Ctx;
  alias(ctx: Ctx): Ctx;
  screen(ctx: Ctx): Ctx;
}

/** The plugin factory analytics.js expects of a destination. */
declare const pendoWebActions: {
  (settings: PendoWebActionsSettings): Promise<PendoPlugin[]>;
  pluginName: 'Pendo Web (Actions)';
};
export default pendoWebActions;
