//! Send Identify: `pendo.identify({visitor, account})` from a Segment identify.

use crate::prelude::*;

use super::definition::{required, Definition, Field, FieldKind};
use super::{id_value, with_id, with_keys, Context, PendoCall};
use crate::data::Data;
use crate::mapping::Payload;

/// Send Identify, declared: key, title, preset trigger and fields.
pub static DEFINITION: Definition = Definition {
    key: "identify",
    title: "Send Identify Event",
    preset_trigger: Some(r#"type = "identify""#),
    fields: &[
        Field {
            key: "visitorId",
            #[cfg(feature = "labels")]
            label: "Visitor ID",
            kind: FieldKind::VisitorId,
            missing: Some("Send Identify skipped: the event has neither a visitor id (userId) nor an anonymousId"),
            default: r#"{"@path": "$.userId"}"#,
        },
        Field {
            key: "visitorData",
            #[cfg(feature = "labels")]
            label: "Visitor Metadata",
            kind: FieldKind::Object,
            missing: None,
            default: r#"{"@path": "$.traits"}"#,
        },
        Field {
            key: "accountId",
            #[cfg(feature = "labels")]
            label: "Account ID",
            kind: FieldKind::Id,
            missing: None,
            default: r#"{"@if": {"exists": {"@path": "$.context.groupId"}, "then": {"@path": "$.context.groupId"}, "else": {"@path": "$.groupId"}}}"#,
        },
    ],
};

/// What `perform` receives: the fields, checked.
pub struct Identify<D> {
    /// The Pendo visitor id: the mapped id, or `_PENDO_T_` + the anonymous id.
    pub visitor_id: D,
    /// The visitor metadata (the user's traits, by default).
    pub visitor_data: Option<D>,
    /// The mapped account id; without one, [`perform`] falls back to the page's current group.
    pub account_id: Option<D>,
}

impl<D: Data> Identify<D> {
    /// The checked fields of `payload`; `Err` says why the event is skipped.
    pub fn read(payload: &Payload<D>, event: &D) -> Result<Self, String> {
        let mut values = [None, None, None];
        DEFINITION.read(payload, event, &mut values)?;
        let [visitor_id, visitor_data, account_id] = values;
        Ok(Identify {
            visitor_id: required(visitor_id)?,
            visitor_data,
            account_id,
        })
    }
}

/// The account is the mapped `accountId`, else the page's current Segment group (unless the
/// setting disables passing it), else absent.
pub fn perform<D: Data>(identify: Identify<D>, context: &Context<'_, D>) -> PendoCall<D> {
    let account_id = identify.account_id.or_else(|| {
        if context.settings.disable_group_id_and_traits_on_load {
            None
        } else {
            id_value((context.current_group_id)())
        }
    });
    let visitor = with_id(identify.visitor_data.as_ref(), identify.visitor_id);
    let account = account_id.map(|id| with_id(None, id));
    PendoCall::Identify(with_keys(|keys| {
        let mut options = vec![(&keys.visitor, visitor)];
        if let Some(account) = account {
            options.push((&keys.account, account));
        }
        D::object_of(options)
    }))
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{run, settings};
    use super::super::{Action, PendoCall};
    use crate::settings::Settings;
    use serde_json::json;

    #[test]
    fn visitor_gets_traits_and_id() {
        let call = run(
            Action::Identify,
            json!({"type": "identify", "userId": "u1", "traits": {"email": "a@b.c", "id": "ignored"}}),
            None,
            &settings(),
        );
        assert_eq!(
            call,
            Ok(PendoCall::Identify(
                json!({"visitor": {"email": "a@b.c", "id": "u1"}})
            ))
        );
    }

    #[test]
    fn account_comes_from_context_then_group_id_then_current_group() {
        let s = settings();
        let event = json!({"userId": "u", "context": {"groupId": "ctx"}, "groupId": "g"});
        assert_eq!(
            run(Action::Identify, event, Some("cur"), &s),
            Ok(PendoCall::Identify(
                json!({"visitor": {"id": "u"}, "account": {"id": "ctx"}})
            ))
        );
        let event = json!({"userId": "u", "groupId": "g"});
        assert_eq!(
            run(Action::Identify, event, Some("cur"), &s),
            Ok(PendoCall::Identify(
                json!({"visitor": {"id": "u"}, "account": {"id": "g"}})
            ))
        );
        let event = json!({"userId": "u"});
        assert_eq!(
            run(Action::Identify, event.clone(), Some("cur"), &s),
            Ok(PendoCall::Identify(
                json!({"visitor": {"id": "u"}, "account": {"id": "cur"}})
            ))
        );
        let disabled = Settings {
            disable_group_id_and_traits_on_load: true,
            ..settings()
        };
        assert_eq!(
            run(Action::Identify, event, Some("cur"), &disabled),
            Ok(PendoCall::Identify(json!({"visitor": {"id": "u"}})))
        );
    }

    #[test]
    fn anonymous_fallback_and_skip() {
        let call = run(
            Action::Identify,
            json!({"anonymousId": "a1", "traits": {}}),
            None,
            &settings(),
        );
        assert_eq!(
            call,
            Ok(PendoCall::Identify(
                json!({"visitor": {"id": "_PENDO_T_a1"}})
            ))
        );
        assert!(run(Action::Identify, json!({"traits": {}}), None, &settings()).is_err());
        assert!(run(
            Action::Identify,
            json!({"userId": "", "anonymousId": ""}),
            None,
            &settings()
        )
        .is_err());
    }

    #[test]
    fn wrong_types_are_refused_not_sent() {
        let error = run(
            Action::Identify,
            json!({"userId": "u", "traits": "nope"}),
            None,
            &settings(),
        )
        .unwrap_err();
        assert!(error.contains("visitorData"), "{error}");
    }

    #[test]
    fn proto_traits_stay_plain_keys() {
        let event: serde_json::Value =
            serde_json::from_str(r#"{"userId": "u", "traits": {"__proto__": {"polluted": true}}}"#)
                .unwrap();
        let call = run(Action::Identify, event, None, &settings()).unwrap();
        assert_eq!(
            call,
            PendoCall::Identify(json!({"visitor": {"__proto__": {"polluted": true}, "id": "u"}}))
        );
    }
}
