//! The Pendo install snippet, as one sequence: the queueing stub on `window.pendo`, the
//! agent's `<script>` (its URL and nonce), the first `pendo.initialize` with what analytics.js
//! knows about the user and group, and the warning when the agent never arrives.
//!
//! [`install`] decides; the page does each step through the thin calls of [`Page`]. Pendo's own
//! snippet works the same way: calls made before the agent loads wait on `window.pendo._q`, in
//! order, except `initialize`, which goes to the front, and the agent replays them when it
//! loads.

use crate::prelude::*;

use crate::actions::{anonymous_visitor_id, id_value, with_id, with_keys};
use crate::data::Data;
use crate::settings::Settings;

/// The methods the stub queues until the agent loads; `initialize` goes to the front.
pub const STUB_METHODS: [&str; 5] = [
    "initialize",
    "identify",
    "updateOptions",
    "pageLoad",
    "track",
];

/// How long the agent may take to load before the console says it did not.
pub const AGENT_LOAD_WARNING_MS: u32 = 10_000;

/// Said once per page when the agent's script fails to load.
pub const BLOCKED: &str = "the Pendo agent script could not be loaded (blocked by an ad blocker, a Content Security Policy or the network); calls stay queued on window.pendo and are delivered in order if the agent loads later";
/// Said once per page when the agent has not replaced the stub after [`AGENT_LOAD_WARNING_MS`].
pub const NOT_LOADED: &str = "the Pendo agent has not loaded after 10 s (blocked, unreachable or slow); calls stay queued on window.pendo and are delivered in order if the agent loads later";
/// Said, once per page, after why `window.pendo` cannot be used.
const UNUSABLE: &str = ": the Pendo agent is not loaded and nothing is sent to Pendo from this page (leave window.pendo to Pendo's agent and snippet)";

/// What the page did with the stub.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stub {
    /// A new stub on `window.pendo` (or the stub's methods on an object the page put there):
    /// the agent's script is needed.
    Installed,
    /// `window.pendo` already is Pendo (the agent, or a stub of Pendo's snippet): kept as it is.
    PendoKept,
    /// `window.pendo` cannot be used: why, the first time it is asked on this page; `None`
    /// after that.
    Refused(Option<String>),
}

/// The page steps of the snippet, each one thin call; none of them throws.
pub trait Page {
    /// The page's values.
    type Data: Data;
    /// Puts the stub's `methods` on `window.pendo`, reading and writing own properties only.
    fn install_stub(&self, methods: &[&str]) -> Stub;
    /// Adds `<script async src>` unless it is there, with `nonce` or else the nonce of the
    /// page's own scripts; when it fails to load, says `blocked` once. `Err` says why it could
    /// not be added.
    fn add_script(&self, src: &str, nonce: Option<&str>, blocked: &str) -> Result<(), String>;
    /// Whether `initialize` is queued on the stub already, or the agent is initialized.
    fn initialize_called(&self) -> bool;
    /// Calls `pendo.initialize(options)`.
    fn initialize(&self, options: Self::Data);
    /// Says `message` after `ms` unless the agent has replaced the stub by then.
    fn warn_later(&self, ms: u32, message: &str);
    /// Says `message` on the console as an error.
    fn error(&self, message: &str);
}

/// Whether the page's `window.pendo` can receive calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pendo {
    /// `window.pendo` is the agent or a stub (Pendo's, or the one just installed): calls can be
    /// made on it.
    Usable,
    /// Something else holds `window.pendo` (a string, a frozen object...); the console said so.
    Unusable,
}

/// Installs the snippet: the stub and the agent's script, unless `window.pendo` already is
/// Pendo (the agent was installed by hand, or by an earlier load), then `initialize` with
/// `identity()`, unless it was called already (another copy of this plugin got there first),
/// then the warning for an agent that never arrives. Anything else on `window.pendo` is said
/// once, and nothing is injected. `Err` when the script cannot be added.
///
/// ```
/// use pendo_core::settings::Settings;
/// use pendo_core::snippet::{install, Identity, Page, Pendo, Stub};
/// use serde_json::{json, Value};
/// use std::cell::RefCell;
///
/// #[derive(Default)]
/// struct Recorded(RefCell<Vec<String>>);
/// impl Page for Recorded {
///     type Data = Value;
///     fn install_stub(&self, methods: &[&str]) -> Stub {
///         self.0.borrow_mut().push(format!("stub {}", methods.join(",")));
///         Stub::Installed
///     }
///     fn add_script(&self, src: &str, nonce: Option<&str>, _: &str) -> Result<(), String> {
///         Ok(self.0.borrow_mut().push(format!("script {src} {nonce:?}")))
///     }
///     fn initialize_called(&self) -> bool { false }
///     fn initialize(&self, options: Value) { self.0.borrow_mut().push(format!("initialize {options}")) }
///     fn warn_later(&self, ms: u32, _: &str) { self.0.borrow_mut().push(format!("warn after {ms} ms")) }
///     fn error(&self, message: &str) { self.0.borrow_mut().push(message.to_owned()) }
/// }
///
/// let page = Recorded::default();
/// let settings = Settings::parse(&json!({"apiKey": "k"})).unwrap();
/// let identity = || Identity { anonymous_id: Some(json!("a1")), ..Identity::default() };
/// assert_eq!(install(&page, &settings, identity), Ok(Pendo::Usable));
/// assert_eq!(page.0.into_inner(), [
///     "stub initialize,identify,updateOptions,pageLoad,track",
///     "script https://cdn.pendo.io/agent/static/k/pendo.js None",
///     r#"initialize {"visitor":{"id":"_PENDO_T_a1"}}"#,
///     "warn after 10000 ms",
/// ]);
/// ```
pub fn install<P: Page>(
    page: &P,
    settings: &Settings,
    identity: impl FnOnce() -> Identity<P::Data>,
) -> Result<Pendo, String> {
    match page.install_stub(&STUB_METHODS) {
        Stub::Installed => {
            page.add_script(&settings.agent_url(), settings.nonce.as_deref(), BLOCKED)?
        }
        Stub::PendoKept => {}
        Stub::Refused(why) => {
            if let Some(why) = why {
                page.error(&crate::concat(&[why.as_str(), UNUSABLE]));
            }
            return Ok(Pendo::Unusable);
        }
    }
    if !page.initialize_called() {
        page.initialize(initialize_options(settings, &identity()));
    }
    page.warn_later(AGENT_LOAD_WARNING_MS, NOT_LOADED);
    Ok(Pendo::Usable)
}

/// What analytics.js knows about the current user and group at load time.
#[derive(Clone, Debug, Default)]
pub struct Identity<D> {
    /// `analytics.user().id()`.
    pub user_id: Option<D>,
    /// `analytics.user().anonymousId()`.
    pub anonymous_id: Option<D>,
    /// `analytics.user().traits()`.
    pub user_traits: Option<D>,
    /// `analytics.group().id()`.
    pub group_id: Option<D>,
    /// `analytics.group().traits()`.
    pub group_traits: Option<D>,
}

/// The options of the first `pendo.initialize`:
/// `visitor` is the user traits (unless disabled) plus the Segment user id, or
/// `_PENDO_T_` + the anonymous id; `account` is the group traits plus the group id, present
/// only when there is a group id and passing it is not disabled.
///
/// ```
/// use pendo_core::{settings::Settings, snippet::{initialize_options, Identity}};
/// use serde_json::json;
/// let settings = Settings::parse(&json!({"apiKey": "k"})).unwrap();
/// let identity = Identity { anonymous_id: Some(json!("a1")), ..Identity::default() };
/// assert_eq!(initialize_options(&settings, &identity), json!({"visitor": {"id": "_PENDO_T_a1"}}));
/// ```
pub fn initialize_options<D: Data>(settings: &Settings, identity: &Identity<D>) -> D {
    let visitor_id = id_value(identity.user_id.clone())
        .or_else(|| anonymous_visitor_id(identity.anonymous_id.clone()));
    let traits = identity
        .user_traits
        .as_ref()
        .filter(|t| t.is_object() && !settings.disable_user_traits_on_load);
    let visitor = match visitor_id {
        Some(id) => with_id(traits, id),
        None => D::copy_object(traits, None, None),
    };
    let account = id_value(identity.group_id.clone())
        .filter(|_| !settings.disable_group_id_and_traits_on_load)
        .map(|group_id| {
            let traits = identity.group_traits.as_ref().filter(|t| t.is_object());
            with_id(traits, group_id)
        });
    with_keys(|keys| {
        let mut options = vec![(&keys.visitor, visitor)];
        if let Some(account) = account {
            options.push((&keys.account, account));
        }
        D::object_of(options)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::cell::RefCell;
    use serde_json::{json, Value};

    /// A page that answers the stub with `stub` and records every step.
    struct Recorded {
        stub: Stub,
        initialize_called: bool,
        steps: RefCell<Vec<String>>,
    }

    impl Page for Recorded {
        type Data = Value;
        fn install_stub(&self, _: &[&str]) -> Stub {
            self.stub.clone()
        }
        fn add_script(&self, src: &str, nonce: Option<&str>, _: &str) -> Result<(), String> {
            self.steps
                .borrow_mut()
                .push(format!("script {src} {nonce:?}"));
            Ok(())
        }
        fn initialize_called(&self) -> bool {
            self.initialize_called
        }
        fn initialize(&self, options: Value) {
            self.steps
                .borrow_mut()
                .push(format!("initialize {options}"));
        }
        fn warn_later(&self, ms: u32, message: &str) {
            assert_eq!(message, NOT_LOADED);
            self.steps.borrow_mut().push(format!("warn after {ms}"));
        }
        fn error(&self, message: &str) {
            self.steps.borrow_mut().push(format!("error {message}"));
        }
    }

    fn steps(stub: Stub, initialize_called: bool) -> (Pendo, Vec<String>) {
        let page = Recorded {
            stub,
            initialize_called,
            steps: RefCell::default(),
        };
        let settings = Settings::parse(
            &json!({"apiKey": "k", "nonce": "n0nce", "cnameContentHost": "content.acme.com"}),
        )
        .unwrap();
        let identity = || Identity {
            user_id: Some(json!("u1")),
            ..Identity::default()
        };
        let pendo = install(&page, &settings, identity).unwrap();
        (pendo, page.steps.into_inner())
    }

    #[test]
    fn each_state_of_window_pendo() {
        let script = r#"script https://content.acme.com/agent/static/k/pendo.js Some("n0nce")"#;
        let initialize = r#"initialize {"visitor":{"id":"u1"}}"#;
        let warn = "warn after 10000";
        assert_eq!(
            steps(Stub::Installed, false),
            (
                Pendo::Usable,
                vec![script.into(), initialize.into(), warn.into()]
            )
        );
        // Pendo already there: no second script; initialize only if nobody called it.
        assert_eq!(
            steps(Stub::PendoKept, false),
            (Pendo::Usable, vec![initialize.into(), warn.into()])
        );
        assert_eq!(
            steps(Stub::PendoKept, true),
            (Pendo::Usable, vec![warn.into()])
        );
        // Something else holds window.pendo: said once, nothing injected or called.
        assert_eq!(
            steps(
                Stub::Refused(Some("window.pendo is a string, not Pendo".into())),
                false
            ),
            (
                Pendo::Unusable,
                vec![format!(
                    "error window.pendo is a string, not Pendo{UNUSABLE}"
                )]
            )
        );
        assert_eq!(steps(Stub::Refused(None), false), (Pendo::Unusable, vec![]));
    }

    fn identity(user: bool, group: bool) -> Identity<Value> {
        Identity {
            user_id: user.then(|| json!("u1")),
            anonymous_id: Some(json!("anon")),
            user_traits: Some(json!({"email": "a@b.c"})),
            group_id: group.then(|| json!("g1")),
            group_traits: Some(json!({"plan": "pro"})),
        }
    }

    #[test]
    fn all_flag_and_identity_combinations() {
        for disable_user in [false, true] {
            for disable_group in [false, true] {
                let settings = Settings {
                    disable_user_traits_on_load: disable_user,
                    disable_group_id_and_traits_on_load: disable_group,
                    ..Settings::parse(&json!({"apiKey": "k"})).unwrap()
                };
                for user in [false, true] {
                    for group in [false, true] {
                        let options = initialize_options(&settings, &identity(user, group));
                        let id = if user { "u1" } else { "_PENDO_T_anon" };
                        let visitor = if disable_user {
                            json!({"id": id})
                        } else {
                            json!({"email": "a@b.c", "id": id})
                        };
                        let mut expected = json!({ "visitor": visitor });
                        if group && !disable_group {
                            expected["account"] = json!({"plan": "pro", "id": "g1"});
                        }
                        assert_eq!(
                            options, expected,
                            "user={user} group={group} flags={disable_user},{disable_group}"
                        );
                    }
                }
            }
        }
    }
}
