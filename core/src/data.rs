//! The view of event data that triggers, mappings and actions read and build.
//!
//! Everything that inspects a Segment event is written once, against the [`Data`] trait, and
//! runs on two representations: `serde_json::Value` on the host (unit tests, property tests,
//! fuzzing) and the page's own `JsValue` objects in the browser, where reading a field is a
//! property lookup instead of a copy of the whole event into Rust.

use crate::prelude::*;

use core::cell::Cell;
use core::sync::atomic::{AtomicU32, Ordering};

/// What kind of value a [`Data`] holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `null`, or in the browser `undefined` too.
    Null,
    /// `true` or `false`.
    Bool,
    /// A number; in the browser it may be `NaN` or infinite.
    Number,
    /// Text.
    String,
    /// An array.
    Array,
    /// An object that is no array.
    Object,
    /// Anything JSON cannot hold: functions, symbols, BigInt, `undefined` inside arrays.
    Other,
}

/// An object key prepared once, when a trigger or mapping is parsed, so that reading it from
/// every event costs one lookup. A host may give it a handle the first time it reads it (the
/// browser keeps the key's JS string there, so no key text crosses into JavaScript per event);
/// clones share that handle.
///
/// ```
/// use pendo_core::data::{Data, Key};
/// let user_id = Key::new("userId");
/// let event = serde_json::json!({"userId": "u1"});
/// assert_eq!(event.field(&user_id), Some(serde_json::json!("u1")));
/// assert!(event.field(&user_id).is_some_and(|v| v.is_text(&Key::new("u1"))));
/// ```
#[derive(Clone, Debug)]
pub struct Key(Name);

#[derive(Clone, Debug)]
enum Name {
    /// A key from a trigger, a mapping or an event.
    Shared(Rc<KeyName>),
    /// A key the code itself names (see [`FixedKey`]).
    Fixed(&'static FixedKey),
}

#[derive(Debug)]
struct KeyName {
    name: Box<str>,
    handle: Cell<u32>,
}

/// A key the code names itself (`id`, `visitor`, ...), as a `static`: prepared once per
/// instance like any [`Key`], with nothing to allocate.
///
/// ```
/// use pendo_core::data::{Data, FixedKey, Key};
/// static USER_ID: FixedKey = FixedKey::new("userId");
/// let event = serde_json::json!({"userId": "u1"});
/// assert_eq!(event.field(&Key::fixed(&USER_ID)), Some(serde_json::json!("u1")));
/// ```
#[derive(Debug)]
pub struct FixedKey {
    name: &'static str,
    // Atomic only so that the key can be a `static`; the browser build has one thread.
    handle: AtomicU32,
}

impl FixedKey {
    /// A key named `name`, not prepared yet.
    pub const fn new(name: &'static str) -> FixedKey {
        FixedKey {
            name,
            handle: AtomicU32::new(Key::NOT_YET),
        }
    }
}

/// Keys are equal when their names are, prepared or not.
impl PartialEq for Key {
    fn eq(&self, other: &Key) -> bool {
        self.name() == other.name()
    }
}

impl Eq for Key {}

impl Key {
    /// No handle: the key is read by its name (keys that come from events, not from settings).
    pub const NO_HANDLE: u32 = u32::MAX;
    /// A prepared key that its host has not read yet.
    const NOT_YET: u32 = u32::MAX - 1;

    /// A key read from every event: its host may prepare it, once.
    pub fn new(name: &str) -> Key {
        Key::with_handle(name, Key::NOT_YET)
    }

    /// A key read once: never prepared, so keys taken from events never pile up in the host.
    pub fn unregistered(name: &str) -> Key {
        Key::with_handle(name, Key::NO_HANDLE)
    }

    /// One of the code's own keys.
    pub const fn fixed(key: &'static FixedKey) -> Key {
        Key(Name::Fixed(key))
    }

    fn with_handle(name: &str, handle: u32) -> Key {
        Key(Name::Shared(Rc::new(KeyName {
            name: name.into(),
            handle: Cell::new(handle),
        })))
    }

    /// The key's text, as written in the trigger, mapping or event.
    pub fn name(&self) -> &str {
        match &self.0 {
            Name::Shared(key) => &key.name,
            Name::Fixed(key) => key.name,
        }
    }

    fn current_handle(&self) -> u32 {
        match &self.0 {
            Name::Shared(key) => key.handle.get(),
            Name::Fixed(key) => key.handle.load(Ordering::Relaxed),
        }
    }

    /// The host's number for this key: `prepare(name)` the first time, the same number after;
    /// [`Key::NO_HANDLE`] for a key read by name. `prepare` may answer [`Key::NO_HANDLE`] too.
    pub fn handle(&self, prepare: impl FnOnce(&str) -> u32) -> u32 {
        let handle = self.current_handle();
        if handle != Key::NOT_YET {
            return handle;
        }
        let handle = match prepare(self.name()) {
            Key::NOT_YET => Key::NO_HANDLE,
            handle => handle,
        };
        match &self.0 {
            Name::Shared(key) => key.handle.set(handle),
            Name::Fixed(key) => key.handle.store(handle, Ordering::Relaxed),
        }
        handle
    }

    /// Whether the key is read by its name (see [`Key::unregistered`]).
    pub fn is_by_name(&self) -> bool {
        self.current_handle() == Key::NO_HANDLE
    }
}

impl From<&str> for Key {
    fn from(name: &str) -> Key {
        Key::new(name)
    }
}

/// A JSON-like value that can be read field by field and built anew.
///
/// Reading never fails loudly: a missing key, a wrong type or an index out of range is `None`.
/// Objects built through this trait are fresh plain objects whose keys are own data properties,
/// so a key named `__proto__` or `constructor` stays an ordinary key.
///
/// ```
/// use pendo_core::data::{Data, Kind};
/// let event: serde_json::Value = serde_json::json!({"traits": {"plan": "pro"}});
/// let plan = event.get_key("traits").and_then(|t| t.get_key("plan"));
/// assert_eq!(plan.and_then(|p| p.as_string()).as_deref(), Some("pro"));
/// assert_eq!(event.kind(), Kind::Object);
/// ```
pub trait Data: Clone + Sized {
    /// Which JSON kind this value is, or [`Kind::Other`].
    fn kind(&self) -> Kind;
    /// An own property of an object; `None` when absent, `undefined`, or `self` is no object.
    fn get_key(&self, key: &str) -> Option<Self>;
    /// [`Data::get_key`] with a key prepared once: what every per-event read uses.
    fn field(&self, key: &Key) -> Option<Self> {
        self.get_key(key.name())
    }
    /// Whether this is the string `text`.
    fn is_text(&self, text: &Key) -> bool {
        self.kind() == Kind::String && self.as_string().as_deref() == Some(text.name())
    }
    /// Whether the field `key` of this object is the string `text`: [`Data::field`] then
    /// [`Data::is_text`], in one step where the host can take it (a trigger's commonest
    /// condition, `type = "track"`, on every event).
    fn field_is_text(&self, key: &Key, text: &Key) -> bool {
        self.field(key).is_some_and(|value| value.is_text(text))
    }
    /// Whether this is a non-empty string.
    fn is_non_empty_text(&self) -> bool {
        self.kind() == Kind::String && self.as_string().is_some_and(|s| !s.is_empty())
    }
    /// Whether this can be an id: a non-empty string or a finite number.
    fn is_id(&self) -> bool {
        self.is_non_empty_text() || self.as_f64().is_some_and(f64::is_finite)
    }
    /// An item of an array; `None` when out of range or `self` is no array.
    fn get_index(&self, index: usize) -> Option<Self>;
    /// The items of an array (empty for anything else).
    fn items(&self) -> Vec<Self>;
    /// The own enumerable entries of an object (empty for anything else).
    fn entries(&self) -> Vec<(String, Self)>;
    /// The boolean, when this is one.
    fn as_bool(&self) -> Option<bool>;
    /// The number, when this is one.
    fn as_f64(&self) -> Option<f64>;
    /// The text, when this is a string.
    fn as_string(&self) -> Option<String>;

    /// `null`.
    fn null() -> Self;
    /// The boolean `value`.
    fn from_bool(value: bool) -> Self;
    /// The number `value`.
    fn from_f64(value: f64) -> Self;
    /// The string `value`.
    fn from_str(value: &str) -> Self;
    /// A fresh array holding `items`, in order.
    fn new_array(items: Vec<Self>) -> Self;
    /// A fresh plain object holding `entries` as own data properties, in order; a later
    /// duplicate key replaces an earlier one.
    fn new_object(entries: Vec<(String, Self)>) -> Self;
    /// A fresh plain object holding `entries` (keys prepared once), in order.
    fn object_of(entries: Vec<(&Key, Self)>) -> Self {
        Self::new_object(
            entries
                .into_iter()
                .map(|(key, value)| (key.name().to_owned(), value))
                .collect(),
        )
    }
    /// A fresh shallow copy of the object `base` (or an empty object when `base` is no object),
    /// without the key `remove`, with `set` added last (replacing an existing key of that name).
    fn copy_object(base: Option<&Self>, remove: Option<&Key>, set: Option<(&Key, Self)>) -> Self;

    /// JSON text of the value; `None` when it cannot be encoded (cycles, BigInt).
    fn to_json(&self) -> Option<String>;
    /// The value that JSON text decodes to; `None` when the text is not JSON.
    fn parse_json(text: &str) -> Option<Self>;

    /// A string or a finite number, as text: how ids are read from events.
    fn as_id(&self) -> Option<String> {
        match self.kind() {
            Kind::String => self.as_string(),
            Kind::Number => self
                .as_f64()
                .filter(|n| n.is_finite())
                .map(Self::number_to_string),
            _ => None,
        }
    }
    /// Whether this is an object that is no array.
    fn is_object(&self) -> bool {
        self.kind() == Kind::Object
    }

    // JavaScript's text rules, which the core needs from its host. The defaults are the Rust
    // ports in `js_text_rules`; the browser overrides them with one JavaScript call each, which keeps
    // float formatting and parsing and Unicode tables out of the `.wasm`.

    /// The value of a decimal literal whose syntax is checked (`-2.5`, `+3`, `1e3`), as
    /// JavaScript's `Number(literal)` reads it; infinite when it is too large.
    fn parse_number(literal: &str) -> f64 {
        crate::js_text_rules::parse_number(literal)
    }
    /// JavaScript's `Number(text)` for any text (see [`js_text_rules::text_to_number`](crate::js_text_rules::text_to_number)).
    fn text_to_number(text: &str) -> f64 {
        crate::js_text_rules::text_to_number(text)
    }
    /// Whether `c` is a letter (Unicode's Alphabetic property), or when `or_number`, a letter
    /// or a number (`\p{N}`).
    fn is_letter(c: char, or_number: bool) -> bool {
        crate::js_text_rules::is_letter(c, or_number)
    }

    /// JavaScript's `String(n)`: `1`, `1.5`, `1e+21`, `NaN`.
    fn number_to_string(n: f64) -> String {
        crate::js_text_rules::number_to_string(n)
    }
    /// A string value upper- or lower-cased as JavaScript's `toUpperCase`/`toLowerCase` do;
    /// `None` when `self` is no string.
    fn change_case(&self, upper: bool) -> Option<Self> {
        let text = self.as_string()?;
        Some(Self::from_str(&crate::js_text_rules::change_case(
            &text, upper,
        )))
    }
    /// `text` with each character as a case-insensitive search compares it, one character for
    /// each character (see [`js_text_rules::fold_case`](crate::js_text_rules::fold_case)).
    fn fold_case(text: &str) -> String {
        crate::js_text_rules::fold_case(text)
    }
    /// `text` without the white space around it that JavaScript's `trim` removes (see
    /// [`js_text_rules::trim`](crate::js_text_rules::trim)).
    fn trim(text: &str) -> String {
        crate::js_text_rules::trim(text).to_owned()
    }
}

#[cfg(feature = "json")]
mod json {
    use super::{Data, Key, Kind};
    use crate::prelude::*;
    use serde_json::{Map, Number, Value};

    impl Data for Value {
        fn kind(&self) -> Kind {
            match self {
                Value::Null => Kind::Null,
                Value::Bool(_) => Kind::Bool,
                Value::Number(_) => Kind::Number,
                Value::String(_) => Kind::String,
                Value::Array(_) => Kind::Array,
                Value::Object(_) => Kind::Object,
            }
        }
        fn get_key(&self, key: &str) -> Option<Self> {
            self.as_object()?.get(key).cloned()
        }
        fn get_index(&self, index: usize) -> Option<Self> {
            self.as_array()?.get(index).cloned()
        }
        fn items(&self) -> Vec<Self> {
            self.as_array().cloned().unwrap_or_default()
        }
        fn entries(&self) -> Vec<(String, Self)> {
            match self {
                Value::Object(map) => map.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
                _ => Vec::new(),
            }
        }
        fn as_bool(&self) -> Option<bool> {
            Value::as_bool(self)
        }
        fn as_f64(&self) -> Option<f64> {
            Value::as_f64(self)
        }
        fn as_string(&self) -> Option<String> {
            self.as_str().map(str::to_owned)
        }
        fn null() -> Self {
            Value::Null
        }
        fn from_bool(value: bool) -> Self {
            Value::Bool(value)
        }
        fn from_f64(value: f64) -> Self {
            if value.fract() == 0.0 && value.abs() < 9.007_199_254_740_992e15 {
                Value::Number(Number::from(value as i64))
            } else {
                Number::from_f64(value).map_or(Value::Null, Value::Number)
            }
        }
        fn from_str(value: &str) -> Self {
            Value::String(value.to_owned())
        }
        fn new_array(items: Vec<Self>) -> Self {
            Value::Array(items)
        }
        fn new_object(entries: Vec<(String, Self)>) -> Self {
            let mut map = Map::new();
            for (key, value) in entries {
                map.insert(key, value);
            }
            Value::Object(map)
        }
        fn copy_object(
            base: Option<&Self>,
            remove: Option<&Key>,
            set: Option<(&Key, Self)>,
        ) -> Self {
            let mut map = base.and_then(Value::as_object).cloned().unwrap_or_default();
            if let Some(key) = remove {
                map.shift_remove(key.name());
            }
            if let Some((key, value)) = set {
                map.shift_remove(key.name());
                map.insert(key.name().to_owned(), value);
            }
            Value::Object(map)
        }
        fn to_json(&self) -> Option<String> {
            serde_json::to_string(self).ok()
        }
        fn parse_json(text: &str) -> Option<Self> {
            serde_json::from_str(text).ok()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn ids_are_strings_or_finite_numbers() {
        assert_eq!(json!("u1").as_id().as_deref(), Some("u1"));
        assert_eq!(json!(42).as_id().as_deref(), Some("42"));
        assert_eq!(json!(1.5).as_id().as_deref(), Some("1.5"));
        assert_eq!(json!(true).as_id(), None);
        assert_eq!(json!({}).as_id(), None);
    }

    #[test]
    fn copy_object_removes_then_sets_last() {
        let base = json!({"id": "old", "plan": "pro", "parentAccount": {"id": "p"}});
        let copy = Value::copy_object(
            Some(&base),
            Some(&Key::new("parentAccount")),
            Some((&Key::new("id"), json!("new"))),
        );
        assert_eq!(copy, json!({"plan": "pro", "id": "new"}));
        assert_eq!(base["id"], "old", "the source is never changed");
    }

    use serde_json::Value;
}
