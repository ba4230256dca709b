//! The destination's actions. Each file holds one action: its [`Definition`] (key, title,
//! preset trigger, and its fields, each declared once with its default mapping), the typed
//! payload its `perform` receives, and `perform`, which turns it into one call on
//! `window.pendo`. Adding an action is one file and one line in each `match` of [`Action`].

use crate::prelude::*;

pub mod definition;
pub mod group;
pub mod identify;
pub mod page;
pub mod track;

use crate::data::{Data, FixedKey, Key};
use crate::mapping::{Mapping, Payload};
use crate::settings::Settings;
pub use definition::Definition;

/// Prefix Pendo gives ids of anonymous visitors; Segment's anonymous id follows it.
pub const ANONYMOUS_VISITOR_PREFIX: &str = "_PENDO_T_";

/// The actions this destination offers, by their Segment `partnerAction` key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Action {
    /// Send Identify: `pendo.identify` with the visitor and, when known, the account.
    Identify,
    /// Send Group: `pendo.identify` with the visitor, the account and maybe a parent account.
    Group,
    /// Send Track: `pendo.track` with the event's name and metadata.
    Track,
    /// Send Page: `pendo.pageLoad` with the page's URL.
    Page,
}

impl Action {
    /// Every action, in a fixed order: the order of the presets and of
    /// [`Destination::actions`](crate::destination::Destination::actions).
    pub const ALL: [Action; 4] = [Action::Identify, Action::Group, Action::Track, Action::Page];

    /// The action's declaration.
    pub fn definition(self) -> &'static Definition {
        match self {
            Action::Identify => &identify::DEFINITION,
            Action::Group => &group::DEFINITION,
            Action::Track => &track::DEFINITION,
            Action::Page => &page::DEFINITION,
        }
    }

    /// The `partnerAction` key Segment uses in subscriptions.
    pub fn key(self) -> &'static str {
        self.definition().key
    }

    /// The action's name in Segment's UI.
    pub fn title(self) -> &'static str {
        self.definition().title
    }

    /// The action a subscription's `partnerAction` names; `None` for one this destination lacks.
    pub fn from_key(key: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|action| action.key() == key)
    }

    /// The preset subscription (trigger, mapping as JSON), for the actions that have one.
    pub fn preset(self) -> Option<(&'static str, String)> {
        let definition = self.definition();
        Some((definition.preset_trigger?, definition.default_mapping()))
    }

    /// What the action reads of a subscription's mapping once, when it is parsed, for
    /// [`Action::perform`].
    pub fn prepare<D: Data>(self, mapping: &Mapping<D>) -> Prepared {
        match self {
            Action::Group => Prepared::Group(group::Prepared::new(mapping)),
            Action::Identify | Action::Track | Action::Page => Prepared::Nothing,
        }
    }

    /// Turns one event, through one subscription's mapping (and what [`Action::prepare`] read
    /// of it), into a call on `window.pendo`: [`Action::payload`], then [`Action::call`]. An
    /// `Err` is a warning saying why the event was skipped.
    pub fn perform<D: Data>(
        self,
        mapping: &Mapping<D>,
        prepared: &Prepared,
        event: &D,
        context: &Context<'_, D>,
    ) -> Result<PendoCall<D>, String> {
        let payload = self.payload(mapping, event)?;
        self.call(&payload, mapping, prepared, event, context)
    }

    /// The first step of [`Action::perform`], apart for explain mode, which shows it: the
    /// payload `mapping` produces for `event`; an `Err` is a warning saying why the event was
    /// skipped.
    pub fn payload<'m, D: Data>(
        self,
        mapping: &'m Mapping<D>,
        event: &D,
    ) -> Result<Payload<'m, D>, String> {
        mapping.payload(event).map_err(|thrown| {
            crate::concat(&[
                self.title(),
                " skipped: its mapping fails for this event (",
                &thrown.0,
                ")",
            ])
        })
    }

    /// The second step of [`Action::perform`]: the call on `window.pendo` for the `payload`
    /// that `mapping` produced for `event`; an `Err` is a warning saying why the event was
    /// skipped.
    pub fn call<D: Data>(
        self,
        payload: &Payload<'_, D>,
        mapping: &Mapping<D>,
        prepared: &Prepared,
        event: &D,
        context: &Context<'_, D>,
    ) -> Result<PendoCall<D>, String> {
        match self {
            Action::Identify => Ok(identify::perform(
                identify::Identify::read(payload, event)?,
                context,
            )),
            Action::Group => {
                let group = group::Group::read(payload, event)?;
                match prepared {
                    Prepared::Group(prepared) => group::perform(group, prepared),
                    Prepared::Nothing => group::perform(group, &group::Prepared::new(mapping)),
                }
            }
            Action::Track => Ok(track::perform(track::Track::read(payload, event)?)),
            Action::Page => Ok(page::perform(page::Page::read(payload, event)?)),
        }
    }
}

/// What an action read of a subscription's mapping when it was parsed ([`Action::prepare`]).
#[derive(Clone, Debug, PartialEq)]
pub enum Prepared {
    /// Nothing: the action reads only the payload.
    Nothing,
    /// Send Group's.
    Group(group::Prepared),
}

/// What an action reads besides the event: the settings and the page's current group.
pub struct Context<'a, D> {
    /// The destination settings (Send Identify reads `disableGroupIdAndTraitsOnLoad`).
    pub settings: &'a Settings,
    /// `analytics.group().id()`, read only when an action needs it.
    pub current_group_id: &'a dyn Fn() -> Option<D>,
}

/// One call on `window.pendo`, with its arguments built as fresh plain objects: ids, names,
/// and objects made only by [`Data::copy_object`] (or [`Data::object_of`] of such objects and
/// ids). In the browser `copy_object` is where values JSON cannot carry are replaced or left
/// out, so the call needs no second look; keep it that way.
#[derive(Clone, Debug, PartialEq)]
pub enum PendoCall<D> {
    /// `pendo.initialize(options)`: the first call of the page, made by the snippet.
    Initialize(D),
    /// `pendo.identify(options)`: from Send Identify and Send Group.
    Identify(D),
    /// `pendo.track(event, metadata)`; the metadata is `undefined` when there is none.
    Track(D, Option<D>),
    /// `pendo.pageLoad(url)`.
    PageLoad(D),
}

/// The keys of the objects built for Pendo, and of the event fields read besides mappings,
/// prepared once per page.
pub struct Keys {
    /// `id`, in the visitor, account and parent account objects.
    pub id: Key,
    /// `visitor`, in the options of `initialize` and `identify`.
    pub visitor: Key,
    /// `account`, in the options of `initialize` and `identify`.
    pub account: Key,
    /// `parentAccount`, in the options of Send Group's `identify`.
    pub parent_account: Key,
    /// `anonymousId`, read from events for anonymous visitor ids.
    pub anonymous_id: Key,
}

static ID: FixedKey = FixedKey::new("id");
static VISITOR: FixedKey = FixedKey::new("visitor");
static ACCOUNT: FixedKey = FixedKey::new("account");
static PARENT_ACCOUNT: FixedKey = FixedKey::new("parentAccount");
static ANONYMOUS_ID: FixedKey = FixedKey::new("anonymousId");

/// Runs `f` with the prepared [`Keys`].
pub fn with_keys<R>(f: impl FnOnce(&Keys) -> R) -> R {
    f(&Keys {
        id: Key::fixed(&ID),
        visitor: Key::fixed(&VISITOR),
        account: Key::fixed(&ACCOUNT),
        parent_account: Key::fixed(&PARENT_ACCOUNT),
        anonymous_id: Key::fixed(&ANONYMOUS_ID),
    })
}

/// A mapped value that can be an id: a non-empty string or a finite number, passed on as is.
pub fn id_value<D: Data>(value: Option<D>) -> Option<D> {
    value.filter(Data::is_id)
}

/// The Pendo visitor id: the mapped id, or `_PENDO_T_` + the event's anonymous id.
pub fn visitor_id<D: Data>(mapped: Option<D>, event: &D) -> Option<D> {
    id_value(mapped)
        .or_else(|| anonymous_visitor_id(with_keys(|keys| event.field(&keys.anonymous_id))))
}

/// `_PENDO_T_` + the anonymous id, when there is one.
pub fn anonymous_visitor_id<D: Data>(anonymous_id: Option<D>) -> Option<D> {
    let anonymous = id_value(anonymous_id)?.as_id()?;
    Some(D::from_str(&crate::concat(&[
        ANONYMOUS_VISITOR_PREFIX,
        &anonymous,
    ])))
}

/// `{...base, id}` as a fresh object.
pub fn with_id<D: Data>(base: Option<&D>, id: D) -> D {
    with_keys(|keys| D::copy_object(base, None, Some((&keys.id, id))))
}

#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use serde_json::Value;

    pub fn settings() -> Settings {
        Settings::parse(&serde_json::json!({"apiKey": "k"})).unwrap()
    }

    /// The action's default mapping (every action has one, preset or not).
    pub fn preset(action: Action) -> Mapping<Value> {
        let mapping = action.definition().default_mapping();
        Mapping::parse(&serde_json::from_str::<Value>(&mapping).unwrap()).unwrap()
    }

    pub fn run(
        action: Action,
        event: Value,
        group: Option<&str>,
        settings: &Settings,
    ) -> Result<PendoCall<Value>, String> {
        let group = group.map(Value::from);
        let current_group_id = move || group.clone();
        let context = Context {
            settings,
            current_group_id: &current_group_id,
        };
        let mapping = preset(action);
        action.perform(&mapping, &action.prepare(&mapping), &event, &context)
    }
}
