//! The settings parser.
//!
//! Input: the settings as JSON text, or bytes to build a settings object from (keys and values
//! drawn mostly from the real settings and hosts).
//!
//! Asserts, besides not panicking and staying within the time budget, what keeps the page safe:
//! accepted settings give an agent URL of the form `http(s)://host[:port]/agent/static/KEY/pendo.js`
//! with nothing but host characters in the host, the API key and nonce hold only their allowed
//! characters, and the accepted values, fed back, are accepted unchanged. A refusal names one of
//! the settings. `parse_origin` itself is checked on the raw region text: what it accepts is a
//! plain origin that it accepts again unchanged.
#![no_main]

use fuzz_support::{json_or_build, within_budget, Builder};
use libfuzzer_sys::fuzz_target;
use pendo_core::settings::{parse_origin, Settings};
use serde_json::{json, Map, Value};

/// Pendo's CDNs, so that inputs start from regions that are accepted.
const REGIONS: [&str; 4] = [
    "https://cdn.pendo.io",
    "https://cdn.eu.pendo.io",
    "https://us1.cdn.pendo.io",
    "https://cdn.jpn.pendo.io",
];

const KEYS: &[&str] = &[
    "apiKey",
    "region",
    "cnameContentHost",
    "nonce",
    "disableUserTraitsOnLoad",
    "disableGroupIdAndTraitsOnLoad",
    "debug",
    "subscriptions",
];

const WORDS: &[&str] = &[
    "abc-123",
    "k",
    "content.acme.com",
    "content.acme.com:8443",
    "http://127.0.0.1:8080",
    "https://cdn.pendo.io/",
    "HTTPS://CDN.EU.PENDO.IO",
    "https://cdn.pendo.io@evil.com",
    "https://evil.com/path",
    "javascript:alert(1)",
    "//evil.com",
    "https://a-.b",
    "https://a..b",
    "https://x:0",
    "https://x:65535",
    "r4nd0m+/=",
    "",
    "[]",
];

fuzz_target!(init: fuzz_support::init(), |data: &[u8]| {
    let raw = json_or_build(data, |u| {
        let mut words: Vec<&str> = WORDS.to_vec();
        words.extend_from_slice(&REGIONS);
        let builder = Builder { words: &words, directives: &[], depth: 2 };
        let mut map = Map::new();
        let len = u.int_in_range(0..=KEYS.len()).unwrap_or(0);
        for _ in 0..len {
            let key = match u.ratio(7, 8) {
                Ok(true) => u.choose(KEYS).map_or("apiKey", |k| *k).to_owned(),
                _ => builder.string(u),
            };
            map.insert(key, builder.value(u));
        }
        Value::Object(map)
    });

    fuzz_support::show("settings", &raw);
    let parsed = within_budget("Settings::parse", || Settings::parse(&raw));
    assert_eq!(parsed, Settings::parse(&raw), "parsing twice gave two results");
    match &parsed {
        Ok(settings) => check_accepted(settings),
        Err(error) => {
            let known = ["settings", "apiKey", "region", "cnameContentHost", "nonce", "debug"];
            let flag = error.setting.starts_with("disable");
            assert!(known.contains(&error.setting) || flag, "unknown setting in {error:?}");
            assert!(error.to_string().contains(error.setting));
        }
    }

    for key in ["region", "cnameContentHost"] {
        if let Some(text) = raw.get(key).and_then(Value::as_str) {
            if let Ok(origin) = parse_origin(text, &["https", "http"]) {
                check_origin(&origin);
                assert_eq!(parse_origin(&origin, &["https", "http"]), Ok(origin.clone()));
            }
        }
    }
});

fn check_accepted(settings: &Settings) {
    let key = &settings.api_key;
    assert!(!key.is_empty() && key.len() <= 128);
    assert!(
        key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "{key:?}"
    );
    assert!(
        settings.region.starts_with("https://"),
        "{:?}",
        settings.region
    );
    check_origin(&settings.region);
    if let Some(host) = &settings.cname_content_host {
        check_origin(host);
    }
    if let Some(nonce) = &settings.nonce {
        let base64 = |b: u8| b.is_ascii_alphanumeric() || b"+/=-_".contains(&b);
        assert!(!nonce.is_empty() && nonce.bytes().all(base64), "{nonce:?}");
    }
    let url = settings.agent_url();
    assert_eq!(
        url,
        format!("{}/agent/static/{key}/pendo.js", settings.content_host())
    );

    // Accepted values are accepted again, unchanged.
    let again = json!({
        "apiKey": settings.api_key,
        "region": settings.region,
        "cnameContentHost": settings.cname_content_host,
        "nonce": settings.nonce,
        "disableUserTraitsOnLoad": settings.disable_user_traits_on_load,
        "disableGroupIdAndTraitsOnLoad": settings.disable_group_id_and_traits_on_load,
        "debug": settings.debug,
    });
    assert_eq!(Settings::parse(&again).as_ref(), Ok(settings));
}

/// `http(s)://host[:port]` in lower case, the host made of DNS labels.
fn check_origin(origin: &str) {
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or_else(|| panic!("no http(s) scheme: {origin:?}"));
    let (host, port) = rest
        .split_once(':')
        .map_or((rest, None), |(h, p)| (h, Some(p)));
    if let Some(port) = port {
        assert!(
            !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()),
            "{origin:?}"
        );
        assert!(
            (1..=65_535).contains(&port.parse::<u32>().unwrap_or(0)),
            "{origin:?}"
        );
    }
    assert!(!host.is_empty() && host.len() <= 253, "{origin:?}");
    for label in host.split('.') {
        assert!(!label.is_empty() && label.len() <= 63, "{origin:?}");
        assert!(
            !label.starts_with('-') && !label.ends_with('-'),
            "{origin:?}"
        );
        let ok = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-';
        assert!(label.bytes().all(ok), "{origin:?}");
    }
}
