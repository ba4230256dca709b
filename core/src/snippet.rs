//! The Pendo install snippet: the queueing stub, the agent's `<script>`, and the options of the
//! first `pendo.initialize` call, taken from what analytics.js knows about the user and group.

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

/// What analytics.js knows about the current user and group at load time.
#[derive(Clone, Debug, Default)]
pub struct Identity<D> {
    pub user_id: Option<D>,
    pub anonymous_id: Option<D>,
    pub user_traits: Option<D>,
    pub group_id: Option<D>,
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
        options.extend(account.map(|account| (&keys.account, account)));
        D::object_of(options)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

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
