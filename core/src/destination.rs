//! The destination: validated settings plus parsed subscriptions, and the per-event dispatch
//! that runs every matching subscription of an action.

use crate::prelude::*;

use crate::actions::{Action, Context, PendoCall};
use crate::data::Data;
use crate::sdk::Sdk;
use crate::settings::{Settings, SettingsError};
use crate::subscriptions::{self, Subscription};

/// Everything parsed once, when the plugins are created.
///
/// ```
/// use pendo_core::{actions::{Action, Context, PendoCall}, destination::Destination};
/// use serde_json::json;
/// let (destination, errors) = Destination::new(&json!({"apiKey": "k"})).unwrap();
/// assert!(errors.is_empty());
/// let no_group = || None;
/// let context = Context { settings: &destination.settings, current_group_id: &no_group };
/// let calls = destination.dispatch(Action::Track, &json!({"type": "track", "event": "Hi"}), &context);
/// assert_eq!(calls, vec![Ok(PendoCall::Track("Hi".into(), None))]);
/// ```
pub struct Destination<D> {
    /// The validated settings, which every action reads through its [`Context`].
    pub settings: Settings,
    subscriptions: Vec<Subscription<D>>,
    warnings: Vec<String>,
    needs_full_build: bool,
    /// Explain mode is on: the page asks [`Destination::explain`] rather than
    /// [`Destination::dispatch`].
    #[cfg(feature = "explain")]
    explaining: bool,
}

impl<D: Data> Destination<D> {
    /// Validates the settings and parses the subscriptions. A bad setting refuses the whole
    /// destination; a bad subscription is left out and reported in the returned messages.
    ///
    /// ```
    /// use pendo_core::destination::Destination;
    /// use serde_json::{json, Value};
    /// let broken = json!({"partnerAction": "track", "name": "Broken", "enabled": true,
    ///                     "subscribe": "type =", "mapping": {}});
    /// let (destination, errors) =
    ///     Destination::<Value>::new(&json!({"apiKey": "k", "subscriptions": [broken]})).unwrap();
    /// assert!(destination.actions().is_empty());
    /// // Without the feature `messages` (the package's default .wasm), the full build says it.
    /// assert_eq!(errors.len(), if cfg!(feature = "messages") { 1 } else { 0 });
    /// assert_eq!(destination.needs_full_build(), !cfg!(feature = "messages"));
    /// assert!(Destination::<Value>::new(&json!({"apiKey": ""})).is_err());
    /// ```
    ///
    /// A build without the feature `all-directives` parses no subscription when one needs it:
    /// it says so in [`Destination::needs_full_build`], and the page creates the destination
    /// in the build that has every directive instead.
    pub fn new(raw_settings: &D) -> Result<(Self, Vec<String>), SettingsError> {
        Self::new_for(raw_settings, Sdk::Segment, false)
    }

    /// [`Destination::new`] for the events of `sdk` (without subscriptions in the settings, its
    /// presets apply, [`Sdk::preset`]), with explain mode also on when `debug_switch` is (the
    /// page's `localStorage['pendo-wasm:debug']`), not only when the setting `debug` is. A build
    /// without the feature `explain` then parses no subscription and says so in
    /// [`Destination::needs_full_build`], as for a directive it lacks.
    ///
    /// ```
    /// # #[cfg(feature = "explain")] {
    /// use pendo_core::{destination::Destination, sdk::Sdk};
    /// use serde_json::{json, Value};
    /// let (destination, _) = Destination::<Value>::new_for(&json!({"apiKey": "k"}), Sdk::Segment, true).unwrap();
    /// assert!(destination.explaining());
    /// let (destination, _) = Destination::<Value>::new(&json!({"apiKey": "k", "debug": true})).unwrap();
    /// assert!(destination.explaining());
    /// let (destination, _) = Destination::<Value>::new(&json!({"apiKey": "k"})).unwrap();
    /// assert!(!destination.explaining());
    /// # }
    /// ```
    ///
    /// ```
    /// # #[cfg(feature = "rudderstack")] {
    /// use pendo_core::{actions::{Action, Context, PendoCall}, destination::Destination, sdk::Sdk};
    /// use serde_json::json;
    /// let (destination, _) = Destination::new_for(&json!({"apiKey": "k"}), Sdk::RudderStack, false).unwrap();
    /// let no_group = || None;
    /// let context = Context { settings: &destination.settings, current_group_id: &no_group };
    /// let identify = json!({"type": "identify", "userId": "u1", "context": {"traits": {"plan": "pro"}}});
    /// assert_eq!(
    ///     destination.dispatch(Action::Identify, &identify, &context),
    ///     vec![Ok(PendoCall::Identify(json!({"visitor": {"plan": "pro", "id": "u1"}})))]
    /// );
    /// # }
    /// ```
    pub fn new_for(
        raw_settings: &D,
        sdk: Sdk,
        debug_switch: bool,
    ) -> Result<(Self, Vec<String>), SettingsError> {
        let settings = Settings::parse(raw_settings)?;
        let explaining = settings.debug || debug_switch;
        let to_full_build = |settings| {
            let destination = Destination {
                settings,
                subscriptions: Vec::new(),
                warnings: Vec::new(),
                needs_full_build: true,
                #[cfg(feature = "explain")]
                explaining,
            };
            Ok((destination, Vec::new()))
        };
        if !cfg!(feature = "explain") && explaining {
            return to_full_build(settings);
        }
        let parsed = subscriptions::parse_for(raw_settings, sdk);
        // Something to say, and no words for it here (see `message!`); a directive this build
        // leaves out is one such thing, refused where the mapping is compiled.
        let to_say = !parsed.errors.is_empty() || !parsed.warnings.is_empty();
        if !cfg!(feature = "messages") && to_say {
            return to_full_build(settings);
        }
        Ok((
            Destination {
                settings,
                subscriptions: parsed.subscriptions,
                warnings: parsed.warnings,
                needs_full_build: false,
                #[cfg(feature = "explain")]
                explaining,
            },
            parsed.errors,
        ))
    }

    /// Whether explain mode is on (the setting `debug`, or the page's switch).
    #[cfg(feature = "explain")]
    pub fn explaining(&self) -> bool {
        self.explaining
    }

    /// Whether this build cannot run the subscriptions, which the build with every directive
    /// (feature `all-directives`) can: then it holds none. A build without the feature
    /// `messages` also says so when a subscription is left out or its trigger is not
    /// well-formed, for the full build to say what and why.
    pub fn needs_full_build(&self) -> bool {
        self.needs_full_build
    }

    /// One message per subscription that runs although its trigger is not well-formed (it runs
    /// as Segment runs it), to be shown once as a warning.
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// The actions with at least one enabled subscription, in a fixed order.
    pub fn actions(&self) -> Vec<Action> {
        Action::ALL
            .into_iter()
            .filter(|action| self.runs(*action))
            .collect()
    }

    /// Whether `action` has at least one enabled subscription.
    pub fn runs(&self, action: Action) -> bool {
        self.subscriptions.iter().any(|s| s.action == action)
    }

    /// Runs every subscription of `action` whose trigger matches `event`, in order: one call
    /// on `window.pendo`, or one warning, per matching subscription.
    ///
    /// ```
    /// use pendo_core::{actions::{Action, Context}, destination::Destination};
    /// use serde_json::json;
    /// let track = |subscribe: &str| json!({"partnerAction": "track", "name": subscribe,
    ///     "enabled": true, "subscribe": subscribe, "mapping": {"event": {"@path": "$.event"}}});
    /// let subscriptions = [track(r#"type = "track""#), track(r#"event = "Signed Up""#)];
    /// let (destination, _) =
    ///     Destination::new(&json!({"apiKey": "k", "subscriptions": subscriptions})).unwrap();
    /// let no_group = || None;
    /// let context = Context { settings: &destination.settings, current_group_id: &no_group };
    /// let signed_up = json!({"type": "track", "event": "Signed Up"});
    /// assert_eq!(destination.dispatch(Action::Track, &signed_up, &context).len(), 2);
    /// let unnamed = json!({"type": "track"});
    /// assert!(matches!(destination.dispatch(Action::Track, &unnamed, &context)[..], [Err(_)]));
    /// ```
    pub fn dispatch(
        &self,
        action: Action,
        event: &D,
        context: &Context<'_, D>,
    ) -> Vec<Result<PendoCall<D>, String>> {
        // A loop: filtering and collecting through iterator adapters costs more code.
        let mut outcomes = Vec::new();
        for s in &self.subscriptions {
            if s.action == action && s.trigger.matches(event) {
                outcomes.push(action.perform(&s.mapping, &s.prepared, event, context));
            }
        }
        outcomes
    }

    /// Explain mode: [`Destination::dispatch`], and the lines that say why: for every
    /// subscription of `action`, its trigger's verdict (for one that does not match, the first
    /// condition that failed and the value it saw), and for one that matches the payload its
    /// mapping produced and the Pendo call made, or why there is none. The outcomes are those
    /// `dispatch` gives.
    ///
    /// ```
    /// use pendo_core::{actions::{Action, Context}, destination::Destination};
    /// use serde_json::json;
    /// let (destination, _) = Destination::new(&json!({"apiKey": "k"})).unwrap();
    /// let no_group = || None;
    /// let context = Context { settings: &destination.settings, current_group_id: &no_group };
    /// let event = json!({"type": "track", "event": "Hi", "properties": {"a": 1}});
    /// let (outcomes, lines) = destination.explain(Action::Track, &event, &context);
    /// assert_eq!(outcomes, destination.dispatch(Action::Track, &event, &context));
    /// assert_eq!(lines, [
    ///     r#"Send Track Event, subscription "track" (type = "track"): matched"#,
    ///     r#"  payload {"event":"Hi","metadata":{"a":1}}"#,
    ///     r#"  Pendo call: pendo.track("Hi", {"a":1})"#,
    /// ]);
    /// ```
    #[cfg(feature = "explain")]
    pub fn explain(
        &self,
        action: Action,
        event: &D,
        context: &Context<'_, D>,
    ) -> (Vec<Result<PendoCall<D>, String>>, Vec<String>) {
        use crate::explain;
        let mut outcomes = Vec::new();
        let mut lines = Vec::new();
        for s in self.subscriptions.iter().filter(|s| s.action == action) {
            let verdict = s.trigger.explain(event);
            lines.push(explain::verdict(
                action,
                &s.name,
                s.trigger.text(),
                &verdict,
            ));
            if verdict.is_err() {
                continue;
            }
            let outcome = action.payload(&s.mapping, event).and_then(|payload| {
                lines.push(format!("  {}", explain::payload(&payload)));
                action.call(&payload, &s.mapping, &s.prepared, event, context)
            });
            lines.push(format!("  {}", explain::outcome(&outcome)));
            outcomes.push(outcome);
        }
        (outcomes, lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// Explain mode on a matched, an unmatched and a skipped event, through subscriptions of
    /// one action; the outcomes are exactly dispatch's.
    #[cfg(feature = "explain")]
    #[test]
    fn explains_matched_unmatched_and_skipped_events() {
        let track = |name: &str, subscribe: &str| {
            json!({"partnerAction": "track", "name": name,
            "enabled": true, "subscribe": subscribe, "mapping": {"event": {"@path": "$.event"},
            "metadata": {"@path": "$.properties"}}})
        };
        let subscriptions = [
            track("All tracks", r#"type = "track""#),
            track("Big orders", r#"type = "track" and properties.total > 100"#),
        ];
        let (destination, errors) = Destination::new(
            &json!({"apiKey": "k", "debug": true, "subscriptions": subscriptions}),
        )
        .unwrap();
        assert!(errors.is_empty() && destination.explaining());
        let no_group = || None;
        let context = Context {
            settings: &destination.settings,
            current_group_id: &no_group,
        };
        let explain = |event: Value| {
            let (outcomes, lines) = destination.explain(Action::Track, &event, &context);
            assert_eq!(
                outcomes,
                destination.dispatch(Action::Track, &event, &context)
            );
            lines
        };
        assert_eq!(
            explain(json!({"type": "track", "event": "Order", "properties": {"total": 80}})),
            [
                r#"Send Track Event, subscription "All tracks" (type = "track"): matched"#,
                r#"  payload {"event":"Order","metadata":{"total":80}}"#,
                r#"  Pendo call: pendo.track("Order", {"total":80})"#,
                r#"Send Track Event, subscription "Big orders" (type = "track" and properties.total > 100): not matched, properties.total > 100 is false: it saw 80"#,
            ]
        );
        assert_eq!(
            explain(json!({"type": "track", "properties": {"total": 120}})),
            [
                r#"Send Track Event, subscription "All tracks" (type = "track"): matched"#,
                r#"  payload {"metadata":{"total":120}}"#,
                "  no Pendo call: Send Track skipped: the event has no name",
                r#"Send Track Event, subscription "Big orders" (type = "track" and properties.total > 100): matched"#,
                r#"  payload {"metadata":{"total":120}}"#,
                "  no Pendo call: Send Track skipped: the event has no name",
            ]
        );
        assert_eq!(
            explain(json!({"type": "page"})),
            [
                r#"Send Track Event, subscription "All tracks" (type = "track"): not matched, type = "track" is false: it saw "page""#,
                r#"Send Track Event, subscription "Big orders" (type = "track" and properties.total > 100): not matched, type = "track" is false: it saw "page""#,
            ]
        );
    }

    /// The default build (without `all-directives`, `explain` and `messages`) hands over
    /// exactly the workspaces that need the full build, and parses the others itself; a refused
    /// setting is named, without words for why.
    #[test]
    #[cfg(not(any(feature = "all-directives", feature = "explain", feature = "messages")))]
    fn the_default_build_hands_over_what_it_cannot_run() {
        let track = |mapping: Value, enabled: bool| {
            json!({"partnerAction": "track", "name": "t", "enabled": enabled,
                   "subscribe": "type = \"track\"", "mapping": mapping})
        };
        let case =
            json!({"event": {"@case": {"operator": "upper", "value": {"@path": "$.event"}}}});
        let common =
            json!({"event": {"@template": "{{event}}"}, "metadata": {"@path": "$.properties"}});
        let cases = [
            (json!({"apiKey": "k"}), false),
            (
                json!({"apiKey": "k", "subscriptions": [track(common.clone(), true)]}),
                false,
            ),
            (
                json!({"apiKey": "k", "subscriptions": [track(case.clone(), false)]}),
                false,
            ),
            (
                json!({"apiKey": "k", "subscriptions": [track(common, true), track(case.clone(), true)]}),
                true,
            ),
            // Segment may send the list as JSON text.
            (
                json!({"apiKey": "k", "subscriptions": json!([track(case, true)]).to_string()}),
                true,
            ),
            // Wherever the directive is: in an array, inside `@literal`, or Segment's root
            // directive (a `@transform` for the whole mapping).
            (
                json!({"apiKey": "k", "subscriptions": [track(json!({"event": "e",
                    "metadata": {"tags": ["a", {"@json": {"value": 1, "mode": "encode"}}]}}), true)]}),
                true,
            ),
            (
                json!({"apiKey": "k", "subscriptions": [track(json!({"event": "e",
                    "metadata": {"@literal": {"a": {"@case": {"operator": "lower", "value": "A"}}}}}), true)]}),
                true,
            ),
            (
                json!({"apiKey": "k", "subscriptions": [track(json!({"event": "e",
                    "__segment_internal_directive": {"@transform": {"apply": {}, "mapping": {}}}}), true)]}),
                true,
            ),
            // A `@path` or `@template` whose argument is a directive.
            (
                json!({"apiKey": "k", "subscriptions": [track(json!({"event": "e",
                    "metadata": {"@path": {"@template": "$.properties.{{key}}"}}}), true)]}),
                true,
            ),
            // An `@if` decided by `blank` (one decided by `exists`, as the presets', stays).
            (
                json!({"apiKey": "k", "subscriptions": [track(json!({"event": "e",
                    "metadata": {"@if": {"blank": {"@path": "$.properties"}, "then": {}, "else": {"@path": "$.properties"}}}}), true)]}),
                true,
            ),
            (
                json!({"apiKey": "k", "subscriptions": [track(json!({"event": "e",
                    "metadata": {"@if": {"exists": {"@path": "$.properties"}, "then": {"@path": "$.properties"}}}}), true)]}),
                false,
            ),
            (json!({"apiKey": "k", "debug": true}), true),
            // Something to say about the subscriptions: a trigger that is not well-formed (it
            // runs), a subscription left out, a list that cannot be read.
            (
                json!({"apiKey": "k", "subscriptions": [{"partnerAction": "track", "name": "t",
                    "enabled": true, "subscribe": "type = \"track\" and", "mapping": {}}]}),
                true,
            ),
            (
                json!({"apiKey": "k", "subscriptions": [{"partnerAction": "track", "name": "t",
                    "enabled": true, "subscribe": "type =", "mapping": {}}]}),
                true,
            ),
            (
                json!({"apiKey": "k", "subscriptions": [{"partnerAction": "nope", "name": "t",
                    "enabled": true, "subscribe": "type = \"track\"", "mapping": {}}]}),
                true,
            ),
            (json!({"apiKey": "k", "subscriptions": "[not json"}), true),
        ];
        for (settings, hands_over) in cases {
            let (destination, errors) = Destination::<Value>::new(&settings).unwrap();
            assert_eq!(destination.needs_full_build(), hands_over, "{settings}");
            assert!(errors.is_empty(), "{settings}: {errors:?}");
            if hands_over {
                assert!(destination.actions().is_empty(), "{settings}");
            }
        }
        let refused = Destination::<Value>::new(&json!({"apiKey": "k", "debug": "yes"}));
        let refusal = refused.err().map(|e| (e.setting, e.message));
        assert_eq!(refusal, Some(("debug", String::new())));
    }

    /// The worked example of the README, word for word (its `@case` is the full build's).
    #[test]
    #[cfg(feature = "all-directives")]
    fn readme_custom_mapping_example() {
        let subscription = json!({
          "partnerAction": "identify",
          "name": "Identify by e-mail",
          "enabled": true,
          "subscribe": "type = \"identify\" and traits.email != null",
          "mapping": {
            "visitorId": {"@path": "$.traits.email"},
            "visitorData": {
              "fullName": {"@template": "{{traits.firstName}} {{traits.lastName}}"},
              "plan": {"@case": {"value": {"@path": "$.traits.tier"}, "operator": "upper"}}
            },
            "accountId": {"@path": "$.traits.company"}
          }
        });
        let (destination, errors) =
            Destination::new(&json!({"apiKey": "k", "subscriptions": [subscription]})).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        let no_group = || None;
        let context = Context {
            settings: &destination.settings,
            current_group_id: &no_group,
        };
        let event = json!({"type": "identify", "userId": "u1", "traits": {
            "email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace", "tier": "pro", "company": "acme"
        }});
        let expected: Value = json!({
            "visitor": {"fullName": "Ada Lovelace", "plan": "PRO", "id": "ada@example.com"},
            "account": {"id": "acme"}
        });
        assert_eq!(
            destination.dispatch(Action::Identify, &event, &context),
            vec![Ok(PendoCall::Identify(expected))]
        );
        let without_email = json!({"type": "identify", "userId": "u1", "traits": {}});
        assert_eq!(
            destination.dispatch(Action::Identify, &without_email, &context),
            vec![]
        );
    }
}
