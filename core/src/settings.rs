//! The destination settings that analytics.js passes to the plugin factory, validated once.
//!
//! Every value that ends up in the page (the agent's script URL above all) is checked here,
//! before anything is injected: a refused setting means nothing is injected at all.

use crate::prelude::*;

use crate::data::{Data, Kind};
use crate::quote::quote;
use crate::search;
use core::fmt;

/// Pendo's US content CDN, Segment's default region.
pub const DEFAULT_REGION: &str = "https://cdn.pendo.io";

/// A setting that was refused: which one, and what was wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsError {
    /// The setting's key, as Segment names it (`apiKey`, `region`, ...).
    pub setting: &'static str,
    /// What is wrong with it, as the end of a sentence (`must be a string`).
    pub message: String,
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Pendo Web (actions): setting \"{}\" {}",
            self.setting, self.message
        )
    }
}

impl core::error::Error for SettingsError {}

/// Validated settings.
///
/// ```
/// use pendo_core::settings::Settings;
/// let raw = serde_json::json!({"apiKey": "abc-123", "cnameContentHost": "content.acme.com"});
/// let settings = Settings::parse(&raw).unwrap();
/// assert_eq!(settings.agent_url(), "https://content.acme.com/agent/static/abc-123/pendo.js");
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Settings {
    /// The Pendo app's API key, part of the agent's URL: letters, digits and `-` only.
    pub api_key: String,
    /// The `https://` origin of the region's CDN, without a trailing slash.
    pub region: String,
    /// The CNAME content host as an `http(s)://` origin, when one is set.
    pub cname_content_host: Option<String>,
    /// `disableUserTraitsOnLoad`: the first `initialize` leaves out the user's traits.
    pub disable_user_traits_on_load: bool,
    /// `disableGroupIdAndTraitsOnLoad`: the first `initialize` has no account, and Send Identify
    /// without a mapped account id does not use the page's current group.
    pub disable_group_id_and_traits_on_load: bool,
    /// The CSP nonce to put on the agent's script; without it, the page's own script nonce.
    pub nonce: Option<String>,
    /// `debug`: explain mode, one collapsed console group per event saying why it did or did
    /// not reach Pendo (see [`crate::destination::Destination::explain`]).
    pub debug: bool,
}

impl Settings {
    /// Reads and validates the settings object; unknown keys are ignored.
    pub fn parse<D: Data>(raw: &D) -> Result<Self, SettingsError> {
        if !raw.is_object() {
            return Err(SettingsError {
                setting: "settings",
                message: message!("must be an object"),
            });
        }
        // The flags first: a refusal there has no text parsed before it to drop.
        let disable_user_traits_on_load = parse_flag(raw, "disableUserTraitsOnLoad")?;
        let disable_group_id_and_traits_on_load = parse_flag(raw, "disableGroupIdAndTraitsOnLoad")?;
        let debug = parse_flag(raw, "debug")?;
        Ok(Settings {
            api_key: parse_api_key(raw.get_key("apiKey"))?,
            region: parse_region(raw.get_key("region"))?,
            cname_content_host: parse_cname(raw.get_key("cnameContentHost"))?,
            disable_user_traits_on_load,
            disable_group_id_and_traits_on_load,
            nonce: parse_nonce(raw.get_key("nonce"))?,
            debug,
        })
    }

    /// The host the agent is loaded from: the CNAME content host when set, else the region CDN.
    pub fn content_host(&self) -> &str {
        self.cname_content_host.as_deref().unwrap_or(&self.region)
    }

    /// `{host}/agent/static/{apiKey}/pendo.js`
    pub fn agent_url(&self) -> String {
        crate::concat(&[
            self.content_host(),
            "/agent/static/",
            &self.api_key,
            "/pendo.js",
        ])
    }
}

fn text_setting<D: Data>(
    value: Option<D>,
    setting: &'static str,
) -> Result<Option<String>, SettingsError> {
    match value {
        None => Ok(None),
        Some(v) if v.kind() == Kind::Null => Ok(None),
        Some(v) => v.as_string().map(Some).ok_or_else(|| SettingsError {
            setting,
            message: message!("must be a string"),
        }),
    }
}

fn parse_api_key<D: Data>(value: Option<D>) -> Result<String, SettingsError> {
    const SETTING: &str = "apiKey";
    let key = text_setting(value, SETTING)?.unwrap_or_default();
    if key.is_empty() {
        return Err(SettingsError {
            setting: SETTING,
            message: message!("is required: the API key of your Pendo app"),
        });
    }
    if key.len() > 128 || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
        return Err(SettingsError {
            setting: SETTING,
            message: message!("may contain only letters, digits and '-' (at most 128 characters)"),
        });
    }
    Ok(key)
}

fn parse_region<D: Data>(value: Option<D>) -> Result<String, SettingsError> {
    const SETTING: &str = "region";
    match text_setting(value, SETTING)?.filter(|r| !r.is_empty()) {
        None => Ok(DEFAULT_REGION.to_owned()),
        Some(region) => parse_origin(&region, &["https"]).map_err(|why| SettingsError {
            setting: SETTING,
            message: message!("must be an https:// origin such as {DEFAULT_REGION}: {why}"),
        }),
    }
}

fn parse_cname<D: Data>(value: Option<D>) -> Result<Option<String>, SettingsError> {
    const SETTING: &str = "cnameContentHost";
    let Some(host) = text_setting(value, SETTING)?.filter(|h| !h.is_empty()) else {
        return Ok(None);
    };
    let with_scheme = if search::find(&host, "://").is_some() {
        host
    } else {
        crate::concat(&["https://", &host])
    };
    parse_origin(&with_scheme, &["https", "http"])
        .map(Some)
        .map_err(|why| SettingsError {
            setting: SETTING,
            message: message!(
                "must be a host such as content.example.com or an http(s):// origin: {why}"
            ),
        })
}

fn parse_nonce<D: Data>(value: Option<D>) -> Result<Option<String>, SettingsError> {
    const SETTING: &str = "nonce";
    let Some(nonce) = text_setting(value, SETTING)?.filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    let base64 = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_');
    if nonce.len() > 256 || !nonce.bytes().all(base64) {
        return Err(SettingsError {
            setting: SETTING,
            message: message!("must be a CSP nonce (base64 characters only)"),
        });
    }
    Ok(Some(nonce))
}

fn parse_flag<D: Data>(raw: &D, setting: &'static str) -> Result<bool, SettingsError> {
    match raw.get_key(setting) {
        None => Ok(false),
        Some(v) if v.kind() == Kind::Null => Ok(false),
        Some(v) => v.as_bool().ok_or_else(|| SettingsError {
            setting,
            message: message!("must be true or false"),
        }),
    }
}

/// Checks that `text` is exactly `scheme://host[:port]` (one trailing `/` allowed and dropped)
/// and returns it in lower case. Hosts are ASCII DNS names or IPv4 addresses: nothing that could
/// carry a path, credentials, a query, an escape or a look-alike character.
pub fn parse_origin(text: &str, schemes: &[&str]) -> Result<String, String> {
    let lower = text.to_ascii_lowercase();
    let (scheme, rest) =
        search::split_once(&lower, "://").ok_or_else(|| message!("it has no scheme"))?;
    if !schemes.contains(&scheme) {
        return Err(message!("the scheme {} is not allowed", quote(scheme)));
    }
    let authority = rest.strip_suffix('/').unwrap_or(rest);
    // By bytes, as in `search`: `rsplit_once` of a `char` runs core's character searcher.
    let (host, port) = match authority.bytes().rposition(|b| b == b':') {
        Some(at) => (authority.get(..at).unwrap_or(""), authority.get(at + 1..)),
        None => (authority, None),
    };
    if let Some(port) = port {
        let valid = !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
        if !valid || crate::parse_digits(port).is_none_or(|p| p == 0 || p > 65_535) {
            return Err(message!("the port must be a number from 1 to 65535"));
        }
    }
    if host.is_empty() || host.len() > 253 {
        return Err(message!("the host is missing or too long"));
    }
    let labels_valid = search::split_at_ascii(host, b'.').all(|label| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    });
    if !labels_valid {
        return Err(message!("only a host name (letters, digits, '-' and '.') and an optional port are allowed, with no path, query or credentials"));
    }
    Ok(crate::concat(&[scheme, "://", authority]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn parse(raw: Value) -> Result<Settings, SettingsError> {
        Settings::parse(&raw)
    }

    #[test]
    fn defaults_and_unknown_keys() {
        let settings =
            parse(json!({"apiKey": "k-1", "subscriptions": "[]", "somethingElse": 1})).unwrap();
        assert_eq!(settings.region, DEFAULT_REGION);
        assert_eq!(settings.cname_content_host, None);
        assert!(
            !settings.disable_user_traits_on_load && !settings.disable_group_id_and_traits_on_load
        );
        assert_eq!(
            settings.agent_url(),
            "https://cdn.pendo.io/agent/static/k-1/pendo.js"
        );
    }

    /// The Pendo CDNs Segment lists as regions, plus Pendo's other public CDNs.
    const KNOWN_REGIONS: [&str; 6] = [
        "https://cdn.pendo.io",
        "https://cdn.eu.pendo.io",
        "https://us1.cdn.pendo.io",
        "https://cdn.jpn.pendo.io",
        "https://cdn.au.pendo.io",
        "https://cdn.gov.pendo.io",
    ];

    #[test]
    fn every_known_region_is_accepted() {
        for region in KNOWN_REGIONS {
            let settings = parse(json!({"apiKey": "k", "region": region})).unwrap();
            assert_eq!(
                settings.agent_url(),
                format!("{region}/agent/static/k/pendo.js")
            );
        }
    }

    #[test]
    fn cname_gets_a_scheme_and_wins_over_region() {
        let s = parse(json!({"apiKey": "k", "region": "https://cdn.eu.pendo.io", "cnameContentHost": "content.acme.com"})).unwrap();
        assert_eq!(
            s.agent_url(),
            "https://content.acme.com/agent/static/k/pendo.js"
        );
        let s = parse(json!({"apiKey": "k", "cnameContentHost": "http://127.0.0.1:8080"})).unwrap();
        assert_eq!(s.content_host(), "http://127.0.0.1:8080");
        let s = parse(json!({"apiKey": "k", "cnameContentHost": ""})).unwrap();
        assert_eq!(s.content_host(), DEFAULT_REGION);
    }

    #[test]
    fn api_key_is_required_and_plain() {
        for bad in [
            json!({}),
            json!({"apiKey": ""}),
            json!({"apiKey": 5}),
            json!({"apiKey": "a/b"}),
            json!({"apiKey": "a\"><script>"}),
        ] {
            assert_eq!(parse(bad).unwrap_err().setting, "apiKey");
        }
    }

    #[test]
    fn hostile_hosts_are_refused() {
        let bad = [
            "javascript:alert(1)",
            "//evil.com",
            "https://cdn.pendo.io@evil.com",
            "https://evil.com/path",
            "https://evil.com?x=1",
            "https://evil.com%2F..%2F",
            "https://ev il.com",
            "https://cdn.pendо.io",
            "\"><script>alert(1)</script>",
            "https://evil.com\n",
            "https://evil.com:0",
            "https://evil.com:99999",
            "data:text/javascript,alert(1)",
        ];
        for host in bad {
            assert_eq!(
                parse(json!({"apiKey": "k", "cnameContentHost": host}))
                    .unwrap_err()
                    .setting,
                "cnameContentHost",
                "{host:?}"
            );
            assert_eq!(
                parse(json!({"apiKey": "k", "region": host}))
                    .unwrap_err()
                    .setting,
                "region",
                "{host:?}"
            );
        }
        assert_eq!(
            parse(json!({"apiKey": "k", "region": "http://cdn.pendo.io"}))
                .unwrap_err()
                .setting,
            "region"
        );
    }

    #[test]
    fn nonce_is_base64_only() {
        let s = parse(json!({"apiKey": "k", "nonce": "r4nd0m+/="})).unwrap();
        assert_eq!(s.nonce.as_deref(), Some("r4nd0m+/="));
        assert_eq!(
            parse(json!({"apiKey": "k", "nonce": ""})).unwrap().nonce,
            None
        );
        for bad in ["a b", "a\"b", "'unsafe-inline'", "x;script-src *"] {
            assert_eq!(
                parse(json!({"apiKey": "k", "nonce": bad}))
                    .unwrap_err()
                    .setting,
                "nonce",
                "{bad:?}"
            );
        }
    }

    #[test]
    fn flags_must_be_booleans() {
        let s = parse(json!({"apiKey": "k", "disableUserTraitsOnLoad": true, "disableGroupIdAndTraitsOnLoad": true})).unwrap();
        assert!(s.disable_user_traits_on_load && s.disable_group_id_and_traits_on_load);
        assert_eq!(
            parse(json!({"apiKey": "k", "disableUserTraitsOnLoad": "yes"}))
                .unwrap_err()
                .setting,
            "disableUserTraitsOnLoad"
        );
    }

    #[test]
    #[cfg(feature = "messages")]
    fn debug_is_a_boolean_off_by_default() {
        assert!(!parse(json!({"apiKey": "k"})).unwrap().debug);
        assert!(!parse(json!({"apiKey": "k", "debug": null})).unwrap().debug);
        assert!(parse(json!({"apiKey": "k", "debug": true})).unwrap().debug);
        for refused in [json!("true"), json!(1), json!({})] {
            let error = parse(json!({"apiKey": "k", "debug": refused})).unwrap_err();
            assert_eq!(error.setting, "debug");
            assert_eq!(
                error.to_string(),
                "Pendo Web (actions): setting \"debug\" must be true or false"
            );
        }
    }

    #[test]
    #[cfg(feature = "messages")]
    fn errors_name_the_setting() {
        let message = parse(json!({"apiKey": "k", "region": "ftp://x"}))
            .unwrap_err()
            .to_string();
        assert!(
            message.contains("\"region\"") && message.contains("https://"),
            "{message}"
        );
    }
}
