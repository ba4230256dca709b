// A customer's app: analytics.js with the Pendo Web (actions) destination from the npm package.
import { AnalyticsBrowser } from '@segment/analytics-next';
import pendoWebActions from 'pendo-wasm';

/** Loads analytics.js the way a Segment workspace with a Pendo Web (actions) destination would. */
window.startAnalytics = (pendoSettings) =>
  (window.analytics = AnalyticsBrowser.load(
    {
      writeKey: 'consumer-write-key',
      cdnSettings: {
        integrations: {},
        remotePlugins: [
          {
            name: 'Pendo Web (actions)',
            creationName: 'Pendo Web (actions)',
            libraryName: 'pendo-web-actionsDestination',
            url: 'https://cdn.segment.com/next-integrations/actions/pendo-web-actions/pendo-web-actions.js',
            settings: pendoSettings,
          },
        ],
      },
      plugins: [pendoWebActions],
    },
    { integrations: { 'Segment.io': false } },
  ));

window.appReady = true;
