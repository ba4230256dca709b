//! Send Page: `pendo.pageLoad(url)`, for single-page apps that change route without a reload.
//! It has no preset: it runs only when a subscription names it.

use crate::prelude::*;

use super::definition::{required, Definition, Field, FieldKind};
use super::PendoCall;
use crate::data::Data;
use crate::mapping::Payload;

/// Send Page, declared: key, title and field; no preset trigger.
pub static DEFINITION: Definition = Definition {
    key: "pageLoad",
    title: "Send Page",
    preset_trigger: None,
    fields: &[Field {
        key: "url",
        #[cfg(feature = "labels")]
        label: "Page URL",
        kind: FieldKind::Text,
        missing: Some("Send Page skipped: the event has no page url"),
        default: r#"{"@path": "$.context.page.url"}"#,
    }],
};

/// What `perform` receives: the fields, checked.
pub struct Page<D> {
    /// The page URL (`context.page.url`, by default).
    pub url: D,
}

impl<D: Data> Page<D> {
    /// The checked field of `payload`; `Err` says why the event is skipped.
    pub fn read(payload: &Payload<D>, event: &D) -> Result<Self, String> {
        let mut values = [None];
        DEFINITION.read(payload, event, &mut values)?;
        let [url] = values;
        Ok(Page {
            url: required(url)?,
        })
    }
}

/// `pendo.pageLoad(url)`.
pub fn perform<D: Data>(page: Page<D>) -> PendoCall<D> {
    PendoCall::PageLoad(page.url)
}
#[cfg(test)]
mod tests {
    use super::super::test_support::{run, settings};
    use super::super::{Action, PendoCall};
    use serde_json::json;

    #[test]
    fn url_from_context() {
        let call = run(
            Action::Page,
            json!({"context": {"page": {"url": "https://app/x"}}}),
            None,
            &settings(),
        );
        assert_eq!(call, Ok(PendoCall::PageLoad(json!("https://app/x"))));
        assert!(run(Action::Page, json!({}), None, &settings()).is_err());
    }
}
