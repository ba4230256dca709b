// A page with real analytics.js only: the destination comes from a remote plugin URL.
import { AnalyticsBrowser } from '@segment/analytics-next';
import { loadAnalytics } from '../support/cdn-settings.mjs';

window.AnalyticsBrowser = AnalyticsBrowser;
window.loadAnalytics = loadAnalytics;
window.appReady = true;
