// The page under test: real analytics.js and the built package, exposed to the test.
import { AnalyticsBrowser } from '@segment/analytics-next';
import pendoWebActions from '../../js-shim/dist/index.js';
import { loadAnalytics } from '../support/cdn-settings.mjs';
import { fakeAnalytics } from '../support/fake-analytics.mjs';
import { recordingDestination } from '../support/recording-destination.mjs';

window.AnalyticsBrowser = AnalyticsBrowser;
window.pendoWebActions = pendoWebActions;
window.loadAnalytics = loadAnalytics;
window.fakeAnalytics = fakeAnalytics;
window.recordingDestination = recordingDestination;

/** Loads analytics.js the way a Segment workspace would deliver our destination. */
window.startAnalytics = (pendoSettings, { extraPlugins = [] } = {}) =>
  (window.analytics = loadAnalytics({ writeKey: 'test-write-key', settings: pendoSettings, plugins: [pendoWebActions, ...extraPlugins] }));

window.appReady = true;
