// The RudderStack page under test: the real RudderStack JavaScript SDK (npm
// `@rudderstack/analytics-js`, its build with the plugins inside, so that it fetches none from
// RudderStack's CDN) with the package's RudderStack entry as the integration of a "Custom
// Device Mode" destination. Its source configuration and data plane are the test server.
import { RudderAnalytics } from '@rudderstack/analytics-js/bundled';
import pendoRudderStack from '../../js-shim/dist/rudderstack.js';

/** The id of the Custom Device Mode destination in the served source configuration. */
export const DESTINATION_ID = 'pendo-custom-device-mode';

/**
 * Loads the SDK with our integration: the three lines a RudderStack user writes, plus the
 * options that keep it on this machine. Resolves once the SDK is ready.
 */
window.startRudderStack = (pendoSettings) => {
  const rudderanalytics = new RudderAnalytics();
  window.rudderanalytics = rudderanalytics;
  rudderanalytics.addCustomIntegration(DESTINATION_ID, pendoRudderStack(pendoSettings));
  const origin = location.origin;
  return new Promise((resolve) => {
    rudderanalytics.load('rudderstack-e2e-write-key', origin, {
      configUrl: origin,
      destSDKBaseURL: `${origin}/rudderstack-integrations`,
      pluginsSDKBaseURL: `${origin}/rudderstack-plugins`,
      polyfillIfRequired: false,
      onLoaded: () => rudderanalytics.ready(() => resolve(rudderanalytics.getAnonymousId())),
    });
  });
};

window.appReady = true;
