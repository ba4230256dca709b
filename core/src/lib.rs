//! The core of the Pendo Web (actions) destination: everything between an analytics.js event
//! and the Pendo call it makes, with no page in sight.
//!
//! The crate is written against the [`data::Data`] trait, which is how it reads events and
//! builds what it hands to Pendo, and how it asks its host for the few things the host does
//! better (JavaScript's number text, case and letter rules, keys prepared once). The browser
//! crate on top implements it over the page's own values; here it is implemented for
//! `serde_json::Value` (feature `json`, on by default), which the tests and fuzzers use.
//! - [`js_text_rules`]: JavaScript's text rules (number text, case, letters), in Rust;
//! - [`quote`]: text quoted in error messages;
//! - [`search`]: finding text in text;
//! - [`settings`]: destination settings, validated once;
//! - [`snippet`]: the Pendo stub, the agent script and the first `initialize`;
//! - [`trigger`]: the subscription language (`type = "track"`);
//! - [`mapping`]: the mapping language (`{"@path": "$.traits"}`);
//! - [`subscriptions`]: which action runs for which events, with which mapping;
//! - [`actions`]: Send Identify, Send Group, Send Track, Send Page;
//! - [`destination`]: all of the above, parsed once, dispatching each event;
//! - [`sdk`]: what differs between the SDKs that hand events over (Segment's analytics.js,
//!   RudderStack's JavaScript SDK): the presets, and how the user and group are read.
//! - `explain` (feature `explain`): the text of explain mode, why each event did or did not
//!   reach Pendo.

#![deny(missing_docs)]
// The standard library is left out of the browser build: with it comes its panic machinery,
// which the page never needs (see the README's "Dependencies").
#![cfg_attr(not(test), no_std)]

extern crate alloc;

/// What `std`'s prelude would bring, from `alloc`.
mod prelude {
    pub(crate) use alloc::borrow::ToOwned;
    pub(crate) use alloc::boxed::Box;
    pub(crate) use alloc::format;
    pub(crate) use alloc::rc::Rc;
    pub(crate) use alloc::string::{String, ToString};
    pub(crate) use alloc::vec;
    pub(crate) use alloc::vec::Vec;
}

/// A message for people, from `format!`'s arguments, for what the package's default `.wasm` hands
/// to the full build to put in words: refused settings, subscriptions left out, and the warnings
/// of parsing (see [`destination::Destination::needs_full_build`]). With the feature `messages`
/// (the full build, and the host), the text; without it, an empty `String`, and neither the
/// words nor Rust's formatting are in the `.wasm` (-4.3 KB gzip, measured on the default
/// package). Messages said about one event (a skipped event's warning) are written with
/// [`concat`] instead, in every build.
///
/// ```ignore
/// let why = message!("number {literal} is out of range");
/// ```
macro_rules! message {
    ($($words:tt)*) => {
        if cfg!(feature = "messages") {
            alloc::format!($($words)*)
        } else {
            alloc::string::String::new()
        }
    };
}

/// `text` where it is only ever put in a message (the name in a refusal, a part built
/// elsewhere), as [`message!`] keeps it: itself with the feature `messages`, else empty.
/// Always inlined, so that the text is not even passed where it is dropped (+165 B gzip
/// otherwise).
#[inline(always)]
pub(crate) fn words(text: impl Into<prelude::String>) -> prelude::String {
    match cfg!(feature = "messages") {
        true => text.into(),
        false => prelude::String::new(),
    }
}

pub mod actions;
pub mod data;
pub mod destination;
#[cfg(feature = "explain")]
pub mod explain;
pub mod js_text_rules;
pub mod mapping;
pub mod quote;
pub mod sdk;
pub mod search;
pub mod settings;
pub mod snippet;
pub mod subscriptions;
pub mod trigger;

/// `parts` joined by `with`, as `[String]::join` does. One loop for every join of `String`s:
/// `alloc`'s join is one 1 KB copy in the `.wasm` per element type.
pub(crate) fn join(parts: &[prelude::String], with: &str) -> prelude::String {
    let mut out = prelude::String::new();
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            out.push_str(with);
        }
        out.push_str(part);
    }
    out
}

/// `parts` one after the other, as `[&str]::concat` does, for messages and keys: `alloc`'s
/// concat is its join, 0.4 KB in the `.wasm`, where this loop is a tenth of that.
pub fn concat(parts: &[&str]) -> prelude::String {
    let mut out = prelude::String::new();
    for part in parts {
        out.push_str(part);
    }
    out
}

/// The number that `text`, ASCII digits only, writes; `None` when it is empty, holds anything
/// else, or overflows, as `text.parse::<usize>()` says. One loop for the array indices of
/// paths and the port of an origin, in place of `core`'s parsing.
pub(crate) fn parse_digits(text: &str) -> Option<usize> {
    if text.is_empty() {
        return None;
    }
    text.bytes().try_fold(0usize, |n, b| {
        let digit = b.is_ascii_digit().then(|| usize::from(b - b'0'))?;
        n.checked_mul(10)?.checked_add(digit)
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn parse_digits_is_parse_of_digits() {
        let too_big = format!("{}0", usize::MAX);
        for text in [
            "",
            "0",
            "7",
            "007",
            "65535",
            "65536",
            "4294967296",
            &too_big,
            "1a",
            "-1",
            "+1",
            " 1",
            "١",
        ] {
            let expected = text
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| text.parse::<usize>().ok())
                .flatten();
            assert_eq!(super::parse_digits(text), expected, "{text:?}");
        }
    }
}
