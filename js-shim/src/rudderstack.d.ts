import type { PendoWebActionsSettings } from './index.js';

/**
 * Settings of the Pendo destination for RudderStack's JavaScript SDK: the Segment destination's,
 * with the user and group read from RudderStack (without `subscriptions`, RudderStack's presets).
 */
export type PendoRudderStackSettings = Pick<PendoWebActionsSettings, 'apiKey' | 'region' | 'cnameContentHost' | 'nonce' | 'debug' | 'subscriptions'> & {
  /** Do not pass the RudderStack user traits (getUserTraits()) to pendo.initialize. Default false. */
  disableUserTraitsOnLoad?: boolean | null;
  /** Do not pass the RudderStack group id and traits to pendo.initialize. Default false. */
  disableGroupIdAndTraitsOnLoad?: boolean | null;
  /** Other keys are ignored. */
  [other: string]: unknown;
};

/** The integration object `rudderanalytics.addCustomIntegration(destinationId, integration)` takes. */
export type PendoRudderStackIntegration = {
  init: (destinationConfig: unknown, analytics: unknown, logger: unknown) => void;
  isReady: (analytics: unknown, logger: unknown) => boolean;
  track: (analytics: unknown, logger: unknown, event: unknown) => void;
  identify: (analytics: unknown, logger: unknown, event: unknown) => void;
  group: (analytics: unknown, logger: unknown, event: unknown) => void;
  page: (analytics: unknown, logger: unknown, event: unknown) => void;
  alias: (analytics: unknown, logger: unknown, event: unknown) => void;
};

/**
 * The Pendo integration for a "Custom Device Mode" destination of RudderStack's JavaScript SDK
 * (v3): `rudderanalytics.addCustomIntegration(destinationId, pendoRudderStack({ apiKey }))`,
 * before `rudderanalytics.load(…)`.
 */
declare function pendoRudderStack(settings: PendoRudderStackSettings): PendoRudderStackIntegration;
export default pendoRudderStack;
