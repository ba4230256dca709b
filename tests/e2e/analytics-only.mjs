// A page with real analytics.js only: the destination comes from a remote plugin URL.
import { AnalyticsBrowser } from '@segment/analytics-next';

window.AnalyticsBrowser = AnalyticsBrowser;
window.appReady = true;
