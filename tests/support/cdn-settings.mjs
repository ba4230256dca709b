// Loads real analytics.js the way a Segment workspace delivers the Pendo Web (actions)
// destination: its CDN settings list our plugin as a remote plugin, by name, with our settings
// and the URL of its script. For the pages of the end-to-end tests and the demo.
import { AnalyticsBrowser } from '@segment/analytics-next';

/** The name a workspace gives the destination, which analytics.js matches a factory by. */
export const DESTINATION_NAME = 'Pendo Web (actions)';

/** Where Segment's CDN serves the destination's script. */
export const CDN_URL = 'https://cdn.segment.com/next-integrations/actions/pendo-web-actions/pendo-web-actions.js';

/** The `remotePlugins` entry of the destination: its script at `url`, with `settings`. */
export const remotePlugin = ({ url = CDN_URL, settings }) => ({
  name: DESTINATION_NAME,
  creationName: DESTINATION_NAME,
  libraryName: 'pendo-web-actionsDestination',
  url,
  settings,
});

/**
 * `AnalyticsBrowser.load` with CDN settings holding only the destination's entry (see
 * `remotePlugin`), `plugins` (when given) and the Segment.io destination off. With a factory
 * of ours among `plugins`, analytics.js uses it and never fetches `url`; without, it loads
 * the script from `url`.
 */
export function loadAnalytics({ writeKey, url, settings, plugins }) {
  return AnalyticsBrowser.load(
    {
      writeKey,
      cdnSettings: { integrations: {}, remotePlugins: [remotePlugin({ url, settings })] },
      ...(plugins ? { plugins } : {}),
    },
    { integrations: { 'Segment.io': false } },
  );
}
