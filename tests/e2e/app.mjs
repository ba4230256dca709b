// The page under test: real analytics.js and the built package, exposed to the test.
import { AnalyticsBrowser } from '@segment/analytics-next';
import pendoWebActions from '../../js-shim/dist/index.js';

window.AnalyticsBrowser = AnalyticsBrowser;
window.pendoWebActions = pendoWebActions;

/** Loads analytics.js the way a Segment workspace would deliver our destination. */
window.startAnalytics = (pendoSettings, { extraPlugins = [] } = {}) =>
  (window.analytics = AnalyticsBrowser.load(
    {
      writeKey: 'test-write-key',
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
      plugins: [pendoWebActions, ...extraPlugins],
    },
    { integrations: { 'Segment.io': false } },
  ));

window.appReady = true;
