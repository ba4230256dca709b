//! The destination's actions. Each file holds one action: its key, its preset (default trigger
//! and mapping) and its `perform`, which turns a mapped event into one call on `window.pendo`.

pub mod group;
pub mod identify;
pub mod page;
pub mod track;

use crate::data::Data;
use crate::mapping::Mapping;
use crate::settings::Settings;

/// Prefix Pendo gives ids of anonymous visitors; Segment's anonymous id follows it.
pub const ANONYMOUS_VISITOR_PREFIX: &str = "_PENDO_T_";

/// The actions this destination offers, by their Segment `partnerAction` key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    Identify,
    Group,
    Track,
    Page,
}

impl Action {
    pub const ALL: [Action; 4] = [Action::Identify, Action::Group, Action::Track, Action::Page];

    /// The `partnerAction` key Segment uses in subscriptions.
    pub fn key(self) -> &'static str {
        match self {
            Action::Identify => identify::KEY,
            Action::Group => group::KEY,
            Action::Track => track::KEY,
            Action::Page => page::KEY,
        }
    }

    /// The action's name in Segment's UI.
    pub fn title(self) -> &'static str {
        match self {
            Action::Identify => identify::TITLE,
            Action::Group => group::TITLE,
            Action::Track => track::TITLE,
            Action::Page => page::TITLE,
        }
    }

    pub fn from_key(key: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.key() == key)
    }

    /// The preset subscription (trigger, mapping as JSON), for the actions that have one.
    pub fn preset(self) -> Option<(&'static str, &'static str)> {
        match self {
            Action::Identify => Some((identify::PRESET_TRIGGER, identify::DEFAULT_MAPPING)),
            Action::Group => Some((group::PRESET_TRIGGER, group::DEFAULT_MAPPING)),
            Action::Track => Some((track::PRESET_TRIGGER, track::DEFAULT_MAPPING)),
            Action::Page => None,
        }
    }

    /// Turns one event, through one subscription's mapping, into a call on `window.pendo`.
    /// An `Err` is a warning saying why the event was skipped.
    pub fn perform<D: Data>(
        self,
        mapping: &Mapping<D>,
        event: &D,
        context: &Context<'_>,
    ) -> Result<PendoCall<D>, String> {
        match self {
            Action::Identify => identify::perform(mapping, event, context),
            Action::Group => group::perform(mapping, event),
            Action::Track => track::perform(mapping, event),
            Action::Page => page::perform(mapping, event),
        }
    }
}

/// What an action reads besides the event: the settings and the page's current group.
pub struct Context<'a> {
    pub settings: &'a Settings,
    /// `analytics.group().id()`, read only when an action needs it.
    pub current_group_id: &'a dyn Fn() -> Option<String>,
}

/// One call on `window.pendo`, with its arguments built as fresh plain objects.
#[derive(Clone, Debug, PartialEq)]
pub enum PendoCall<D> {
    Initialize(D),
    Identify(D),
    Track(String, Option<D>),
    PageLoad(String),
}

/// A non-empty id (string or number) from a mapped field.
pub fn non_empty_id<D: Data>(value: Option<D>) -> Option<String> {
    value.and_then(|v| v.as_id()).filter(|id| !id.is_empty())
}

/// The Pendo visitor id: the mapped id, or `_PENDO_T_` + the event's anonymous id.
pub fn visitor_id<D: Data>(mapped: Option<D>, event: &D) -> Option<String> {
    non_empty_id(mapped).or_else(|| anonymous_visitor_id(event.get_key("anonymousId")))
}

/// `_PENDO_T_` + the anonymous id, when there is one.
pub fn anonymous_visitor_id<D: Data>(anonymous_id: Option<D>) -> Option<String> {
    non_empty_id(anonymous_id).map(|anonymous| format!("{ANONYMOUS_VISITOR_PREFIX}{anonymous}"))
}

/// A field that must be an object when present; `Err` names the field.
pub fn optional_object<D: Data>(
    mapping: &Mapping<D>,
    event: &D,
    field: &str,
) -> Result<Option<D>, String> {
    match mapping.evaluate(field, event) {
        None => Ok(None),
        Some(v) if v.is_object() => Ok(Some(v)),
        Some(v) if v.kind() == crate::data::Kind::Null => Ok(None),
        Some(_) => Err(format!("field \"{field}\" must be an object")),
    }
}

/// `{...base, id}` as a fresh object.
pub fn with_id<D: Data>(base: Option<&D>, id: &str) -> D {
    D::copy_object(base, None, Some(("id", D::from_str(id))))
}

/// The single `id`-only object used for accounts when no metadata is mapped.
pub fn id_only<D: Data>(id: &str) -> D {
    with_id(None, id)
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use serde_json::Value;

    pub fn settings() -> Settings {
        Settings::parse(&serde_json::json!({"apiKey": "k"})).unwrap()
    }

    pub fn preset(action: Action) -> Mapping<Value> {
        let (_, mapping) = action.preset().unwrap();
        Mapping::parse(&serde_json::from_str::<Value>(mapping).unwrap()).unwrap()
    }

    pub fn run(
        action: Action,
        event: Value,
        group: Option<&str>,
        settings: &Settings,
    ) -> Result<PendoCall<Value>, String> {
        let group = group.map(str::to_owned);
        let current_group_id = move || group.clone();
        let context = Context {
            settings,
            current_group_id: &current_group_id,
        };
        action.perform(&preset_or_page(action), &event, &context)
    }

    fn preset_or_page(action: Action) -> Mapping<Value> {
        match action {
            Action::Page => {
                Mapping::parse(&serde_json::from_str::<Value>(page::DEFAULT_MAPPING).unwrap())
                    .unwrap()
            }
            _ => preset(action),
        }
    }
}
