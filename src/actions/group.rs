//! Send Group: `pendo.identify({visitor, account, parentAccount})` from a Segment group.

use super::{id_value, optional_object, visitor_id, with_id, with_keys, PendoCall};
use crate::data::Data;
use crate::mapping::{Mapping, Segment};

pub const KEY: &str = "group";
pub const TITLE: &str = "Send Group Event";
pub const PRESET_TRIGGER: &str = r#"type = "group""#;

/// `visitorId` (required) from `userId`, `accountId` (required) from `groupId`, `accountData`
/// from `traits`, `parentAccountData` (an object with an `id`) from `traits.parentAccount`.
pub const DEFAULT_MAPPING: &str = r#"{
  "visitorId": {"@path": "$.userId"},
  "accountId": {"@path": "$.groupId"},
  "accountData": {"@path": "$.traits"},
  "parentAccountData": {"@path": "$.traits.parentAccount"}
}"#;

/// When `parentAccountData` is read from inside `accountData`, that part is left out of the
/// account metadata, so Pendo receives it once, as `parentAccount`.
pub fn perform<D: Data>(mapping: &Mapping<D>, event: &D) -> Result<PendoCall<D>, String> {
    let visitor_id = visitor_id(mapping.evaluate("visitorId", event), event).ok_or(
        "Send Group skipped: the event has neither a visitor id (userId) nor an anonymousId",
    )?;
    let account_id = id_value(mapping.evaluate("accountId", event))
        .ok_or("Send Group skipped: the event has no account id (groupId)")?;
    let mut account_data = optional_object(mapping, event, "accountData")?;
    let parent_account = optional_object(mapping, event, "parentAccountData")?;
    if let Some(parent) = &parent_account {
        if id_value(with_keys(|keys| parent.field(&keys.id))).is_none() {
            return Err(
                "Send Group skipped: field \"parentAccountData\" must have an \"id\"".to_owned(),
            );
        }
    }
    if let (Some(data), Some(parent_path), Some(account_path)) = (
        &account_data,
        mapping.path_of("parentAccountData"),
        mapping.path_of("accountData"),
    ) {
        if let Some(nested) = parent_path.strip_prefix(account_path) {
            account_data = Some(without(data, nested));
        }
    }
    let visitor = with_id::<D>(None, visitor_id);
    let account = with_id(account_data.as_ref(), account_id);
    let parent_account = parent_account.map(|parent| D::copy_object(Some(&parent), None, None));
    Ok(PendoCall::Identify(with_keys(|keys| {
        let mut options = vec![(&keys.visitor, visitor), (&keys.account, account)];
        options.extend(parent_account.map(|parent| (&keys.parent_account, parent)));
        D::object_of(options)
    })))
}

/// A copy of `object` without the value at `path`, copying only the objects along the path.
fn without<D: Data>(object: &D, path: &[Segment]) -> D {
    match path {
        [Segment::Key(key)] => D::copy_object(Some(object), Some(key), None),
        [Segment::Key(key), rest @ ..] => match object.field(key).filter(Data::is_object) {
            Some(child) => D::copy_object(Some(object), None, Some((key, without(&child, rest)))),
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
        let path = [
            Segment::Key("a".into()),
            Segment::Key("b".into()),
            Segment::Key("c".into()),
        ];
        assert_eq!(
            without::<Value>(&object, &path),
            json!({"f": 4, "a": {"e": 3, "b": {"d": 2}}})
        );
        assert_eq!(object["a"]["b"]["c"], 1);
    }
}
