//! Send Group: `pendo.identify({visitor, account, parentAccount})` from a Segment group.

use crate::prelude::*;

use super::definition::{required, Definition, Field, FieldKind};
use super::{id_value, with_id, with_keys, PendoCall};
use crate::data::Key;
use crate::data::{Data, Kind};
use crate::mapping::{Mapping, Payload};

/// Send Group, declared: key, title, preset trigger and fields.
pub static DEFINITION: Definition = Definition {
    key: "group",
    title: "Send Group Event",
    preset_trigger: Some(r#"type = "group""#),
    fields: &[
        Field {
            key: "visitorId",
            #[cfg(feature = "labels")]
            label: "Visitor ID",
            kind: FieldKind::VisitorId,
            missing: Some("Send Group skipped: the event has neither a visitor id (userId) nor an anonymousId"),
            default: r#"{"@path": "$.userId"}"#,
        },
        Field {
            key: "accountId",
            #[cfg(feature = "labels")]
            label: "Account ID",
            kind: FieldKind::Id,
            missing: Some("Send Group skipped: the event has no account id (groupId)"),
            default: r#"{"@path": "$.groupId"}"#,
        },
        Field {
            key: "accountData",
            #[cfg(feature = "labels")]
            label: "Account Metadata",
            kind: FieldKind::Object,
            missing: None,
            default: r#"{"@path": "$.traits"}"#,
        },
        Field {
            key: "parentAccountData",
            #[cfg(feature = "labels")]
            label: "Parent Account Metadata",
            kind: FieldKind::Object,
            missing: None,
            default: r#"{"@path": "$.traits.parentAccount"}"#,
        },
    ],
};

/// What `perform` receives: the fields, checked.
pub struct Group<D> {
    /// The Pendo visitor id: the mapped id, or `_PENDO_T_` + the anonymous id.
    pub visitor_id: D,
    /// The Pendo account id (the event's `groupId`, by default).
    pub account_id: D,
    /// The account metadata (the group's traits, by default).
    pub account_data: Option<D>,
    /// An object with an `id`.
    pub parent_account_data: Option<D>,
}

impl<D: Data> Group<D> {
    /// The checked fields of `payload`; `Err` says why the event is skipped (a required field
    /// missing, a field of the wrong type, a parent account without an `id`).
    pub fn read(payload: &Payload<D>, event: &D) -> Result<Self, String> {
        let mut values = [None, None, None, None];
        DEFINITION.read(payload, event, &mut values)?;
        let [visitor_id, account_id, account_data, parent_account_data] = values;
        if let Some(parent) = &parent_account_data {
            if id_value(with_keys(|keys| parent.field(&keys.id))).is_none() {
                return Err(
                    "Send Group skipped: field \"parentAccountData\" must have an \"id\""
                        .to_owned(),
                );
            }
        }
        Ok(Group {
            visitor_id: required(visitor_id)?,
            account_id: required(account_id)?,
            account_data,
            parent_account_data,
        })
    }
}

/// What Send Group reads of a subscription's mapping once, when it is parsed: where
/// `parentAccountData` lies inside `accountData` (see `nested_path`).
#[derive(Clone, Debug, PartialEq)]
pub struct Prepared {
    /// The keys from the account data down to the parent account (none when it is not inside);
    /// `Err` when the mapping's paths cannot be compared, which skips every event.
    parent_inside_account: Result<Vec<Key>, String>,
}

impl Prepared {
    /// Reads `mapping`'s paths once.
    pub fn new<D: Data>(mapping: &Mapping<D>) -> Prepared {
        let parent_inside_account = nested_path(mapping).map(|nested| {
            let mut keys = Vec::new();
            for key in crate::search::split_at_ascii(&nested.unwrap_or_default(), b'.') {
                if !key.is_empty() {
                    // From the settings, like the mapping's own keys: prepared once.
                    keys.push(Key::new(key));
                }
            }
            keys
        });
        Prepared {
            parent_inside_account,
        }
    }
}

/// When `parentAccountData` is read from inside `accountData`, that part is left out of the
/// account metadata, so Pendo receives it once, as `parentAccount`.
pub fn perform<D: Data>(group: Group<D>, prepared: &Prepared) -> Result<PendoCall<D>, String> {
    let nested = prepared
        .parent_inside_account
        .as_ref()
        .map_err(Clone::clone)?;
    let visitor = with_id::<D>(None, group.visitor_id);
    let account = match (&group.account_data, nested.as_slice()) {
        // The usual case (`$.traits.parentAccount` under `$.traits`): one copy.
        (Some(data), [key]) => with_keys(|keys| {
            D::copy_object(Some(data), Some(key), Some((&keys.id, group.account_id)))
        }),
        (Some(data), nested) if !nested.is_empty() => {
            with_id(Some(&without(data, nested)), group.account_id)
        }
        (data, _) => with_id(data.as_ref(), group.account_id),
    };
    let parent_account = group
        .parent_account_data
        .map(|parent| D::copy_object(Some(&parent), None, None));
    Ok(PendoCall::Identify(with_keys(|keys| {
        let mut options = vec![(&keys.visitor, visitor), (&keys.account, account)];
        if let Some(parent) = parent_account {
            options.push((&keys.parent_account, parent));
        }
        D::object_of(options)
    })))
}

/// Where `parentAccountData` lies inside `accountData`, read as Segment's Send Group reads it:
/// the rest of the parent's `@path` text after the account's, when it starts with it
/// (`".parentAccount"` for `$.traits.parentAccount` under `$.traits`).
fn nested_path<D: Data>(mapping: &Mapping<D>) -> Result<Option<String>, String> {
    let given = |field| {
        mapping
            .raw_path(field)
            .filter(|path| path.kind() != Kind::Null)
    };
    let (Some(parent), Some(account)) = (given("parentAccountData"), given("accountData")) else {
        return Ok(None);
    };
    let Some(parent) = parent.as_string().filter(|_| parent.kind() == Kind::String) else {
        return Err(
            "Send Group skipped: the @path of parentAccountData must be a string".to_owned(),
        );
    };
    let account = match account.kind() {
        Kind::String => account.as_string().unwrap_or_default(),
        Kind::Number => D::number_to_string(account.as_f64().unwrap_or(f64::NAN)),
        Kind::Bool => match account.as_bool() {
            Some(true) => "true".to_owned(),
            _ => "false".to_owned(),
        },
        _ => "[object Object]".to_owned(),
    };
    Ok(parent.strip_prefix(account.as_str()).map(str::to_owned))
}

fn without<D: Data>(object: &D, path: &[Key]) -> D {
    match path {
        [] => object.clone(),
        [key] if object.field(key).is_some() => D::copy_object(Some(object), Some(key), None),
        [key, rest @ ..] if !rest.is_empty() => match object.field(key) {
            Some(child) => {
                let child = if child.is_object() {
                    child
                } else {
                    D::new_object(Vec::new())
                };
                D::copy_object(Some(object), None, Some((key, without(&child, rest))))
            }
            None => object.clone(),
        },
        _ => object.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{run, settings};
    use super::super::{Action, PendoCall};
    use super::*;
    use serde_json::{json, Value};

    #[test]
    fn parent_account_is_sent_once() {
        let event = json!({"userId": "u", "groupId": "g", "traits": {"plan": "pro", "parentAccount": {"id": "p", "tier": 1}}});
        let call = run(Action::Group, event.clone(), None, &settings());
        let expected = json!({"visitor": {"id": "u"}, "account": {"plan": "pro", "id": "g"}, "parentAccount": {"id": "p", "tier": 1}});
        assert_eq!(call, Ok(PendoCall::Identify(expected)));
        assert!(
            event["traits"].get("parentAccount").is_some(),
            "the event is never mutated"
        );
    }

    #[test]
    fn without_parent_account() {
        let call = run(
            Action::Group,
            json!({"userId": "u", "groupId": "g", "traits": {"n": 1}}),
            None,
            &settings(),
        );
        assert_eq!(
            call,
            Ok(PendoCall::Identify(
                json!({"visitor": {"id": "u"}, "account": {"n": 1, "id": "g"}})
            ))
        );
    }

    #[test]
    fn skips_without_group_id_or_with_bad_parent() {
        assert!(run(
            Action::Group,
            json!({"userId": "u", "traits": {}}),
            None,
            &settings()
        )
        .unwrap_err()
        .contains("groupId"));
        let bad_parent =
            json!({"userId": "u", "groupId": "g", "traits": {"parentAccount": {"name": "x"}}});
        assert!(run(Action::Group, bad_parent, None, &settings())
            .unwrap_err()
            .contains("parentAccountData"));
    }

    #[test]
    fn anonymous_visitor() {
        let call = run(
            Action::Group,
            json!({"anonymousId": "a", "groupId": "g"}),
            None,
            &settings(),
        );
        assert_eq!(
            call,
            Ok(PendoCall::Identify(
                json!({"visitor": {"id": "_PENDO_T_a"}, "account": {"id": "g"}})
            ))
        );
    }

    #[test]
    fn nested_removal_copies_only_the_path() {
        let object = json!({"a": {"b": {"c": 1, "d": 2}, "e": 3}, "f": 4});
        let path = [Key::from("a"), Key::from("b"), Key::from("c")];
        assert_eq!(
            without::<Value>(&object, &path),
            json!({"f": 4, "a": {"e": 3, "b": {"d": 2}}})
        );
        assert_eq!(object["a"]["b"]["c"], 1);
    }
}
