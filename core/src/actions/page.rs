//! Send Page: `pendo.pageLoad(url)`, for single-page apps that change route without a reload.
//! It has no preset: it runs only when a subscription names it.

use super::PendoCall;
use crate::data::Data;
use crate::mapping::Payload;

pub const KEY: &str = "pageLoad";
pub const TITLE: &str = "Send Page";

/// `url` from `context.page.url`.
pub const DEFAULT_MAPPING: &str = r#"{"url": {"@path": "$.context.page.url"}}"#;

pub fn perform<D: Data>(payload: &Payload<D>) -> Result<PendoCall<D>, String> {
    let url = payload
        .get("url")
        .filter(Data::is_non_empty_text)
        .ok_or("Send Page skipped: the event has no page url")?;
    Ok(PendoCall::PageLoad(url))
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
