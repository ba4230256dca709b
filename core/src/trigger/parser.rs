//! Builds the tree of a trigger from its tokens, read one at a time and without recursion:
//! open parentheses live on an explicit stack, bounded by [`MAX_NESTING`](super::MAX_NESTING),
//! so no input can exhaust the call stack, here or later when the tree is matched, cloned or
//! dropped.

use crate::prelude::*;

use super::lexer::{Lexer, Name, Token, TokenKind};
use super::tree::{Check, Compare, Condition, FieldPath, Glob, Node};
use super::{Failure, TextRules, MAX_NESTING};
use crate::data::Key;
use crate::quote::quote;

/// The tree of `text`, and what was set right in it (see [`Repairs`]), or the first reason it is
/// not a trigger.
pub(super) fn parse(text: &str, rules: TextRules) -> Result<(Node, Repairs), Failure> {
    if text.bytes().all(|b| b.is_ascii_whitespace()) {
        return Err(Failure::new(0, "the trigger is empty"));
    }
    let mut tokens = Tokens {
        text,
        lexer: Lexer::new(text, rules),
        peeked: None,
        repairs: Vec::new(),
        #[cfg(feature = "explain")]
        last_end: 0,
    };
    // The innermost open group; the ones around it wait on `outer`.
    let mut group = Group::new(0);
    let mut outer: Vec<Group> = Vec::new();
    let mut context = "at the start";
    // Whether a condition (or "(") comes next, rather than "and", "or", ")" or the end.
    let mut expecting = true;
    // The "and" or "or" just read, with its position, while the condition after it is awaited.
    let mut pending: Option<(&'static str, usize)> = None;
    loop {
        let token = tokens.next()?;
        let at = token.span.start;
        if !expecting {
            match token.kind {
                Some(TokenKind::Name(name)) if name.is_word("and") => {
                    pending = Some(("and", at));
                    context = "after \"and\"";
                }
                Some(TokenKind::Name(name)) if name.is_word("or") => {
                    group.end_all();
                    pending = Some(("or", at));
                    context = "after \"or\"";
                }
                Some(TokenKind::CloseParen) => {
                    match outer.pop() {
                        Some(enclosing) => {
                            let closed = core::mem::replace(&mut group, enclosing).finish();
                            group.push_all(closed);
                        }
                        None => tokens.repaired(message!("ignored the unmatched \")\" at {at}"))?,
                    }
                    continue;
                }
                None if !outer.is_empty() => {
                    return Err(Failure::new(group.open_at, "unclosed parenthesis"))
                }
                None => return Ok((group.finish(), tokens.repairs)),
                _ => {
                    let what = "\"and\", \"or\", \")\" or the end of the trigger";
                    return Err(tokens.expected(what, "after a condition", &token));
                }
            }
            expecting = true;
            continue;
        }
        // A condition, or a "(" that opens a group.
        match token.kind {
            Some(TokenKind::OpenParen) => {
                if outer.len() >= MAX_NESTING {
                    let message =
                        message!("parentheses are nested deeper than {MAX_NESTING} levels");
                    return Err(Failure::new(at, message));
                }
                outer.push(core::mem::replace(&mut group, Group::new(at)));
                context = "after \"(\"";
                pending = None;
                continue;
            }
            Some(TokenKind::Not) => {
                let node = tokens.negated_function(at)?;
                group.push_all(tokens.written(node, at));
            }
            // "and" or "or" where a condition belongs: leading or doubled, Segment skips it.
            Some(TokenKind::Name(ref name)) if is_operator(name) => {
                let word = if name.is_word("and") { "and" } else { "or" };
                match pending {
                    // Without words, each of these stops the parse.
                    _ if !cfg!(feature = "messages") => {
                        return Err(tokens.expected("a condition", context, &token))
                    }
                    Some((previous, _)) if previous != word => {
                        return Err(tokens.expected("a condition", context, &token))
                    }
                    Some(_) => {
                        tokens.repaired(message!("ignored the repeated \"{word}\" at {at}"))?
                    }
                    None => tokens.repaired(message!(
                        "ignored the \"{word}\" at {at}, which no condition precedes"
                    ))?,
                }
                continue;
            }
            Some(TokenKind::Name(name)) if tokens.next_is_open_paren()? => {
                let node = tokens.function(token.span, &name, false)?;
                group.push_all(tokens.written(node, at));
            }
            Some(TokenKind::Name(name)) => {
                let node = tokens.comparison(token.span, name)?;
                group.push_all(tokens.written(node, at));
            }
            // ")" that closes nothing: Segment skips it, and a condition is still awaited.
            // (These three repairs, without words, would only stop the parse, as the last arm
            // does: see `Tokens::repaired`.)
            Some(TokenKind::CloseParen) if cfg!(feature = "messages") && outer.is_empty() => {
                tokens.repaired(message!("ignored the unmatched \")\" at {at}"))?;
                continue;
            }
            // ")" after a dangling "and"/"or": Segment skips the word.
            Some(TokenKind::CloseParen) if cfg!(feature = "messages") && pending.is_some() => {
                if let Some((word, word_at)) = pending.take() {
                    tokens.repaired(dangling(word, word_at))?;
                }
                if let Some(enclosing) = outer.pop() {
                    let closed = core::mem::replace(&mut group, enclosing).finish();
                    group.push_all(closed);
                }
                expecting = false;
                continue;
            }
            None if cfg!(feature = "messages") && pending.is_some() => {
                if let Some((word, word_at)) = pending.take() {
                    tokens.repaired(dangling(word, word_at))?;
                }
                if !outer.is_empty() {
                    return Err(Failure::new(group.open_at, "unclosed parenthesis"));
                }
                return Ok((group.finish(), tokens.repairs));
            }
            _ => return Err(tokens.expected("a condition", context, &token)),
        }
        pending = None;
        expecting = false;
    }
}

/// What Segment's parser reads past and we set right the same way, each said in a few words: a
/// trigger with any runs as Segment runs it, with one warning.
pub(super) type Repairs = Vec<String>;

fn dangling(word: &str, at: usize) -> String {
    message!("ignored the \"{word}\" at {at}, which no condition follows")
}

fn is_operator(name: &Name) -> bool {
    name.is_word("and") || name.is_word("or")
}

/// The words that are values, never fields.
fn is_literal(name: &Name) -> bool {
    name.is_word("null") || name.is_word("true") || name.is_word("false")
}

/// A parenthesised group (or the whole trigger) being read: the finished `or` alternatives,
/// and the `and` terms of the alternative being read.
struct Group {
    open_at: usize,
    any: Vec<Node>,
    all: Vec<Node>,
}

impl Group {
    fn new(open_at: usize) -> Self {
        Group {
            open_at,
            any: Vec::new(),
            all: Vec::new(),
        }
    }

    fn push_all(&mut self, node: Node) {
        match node {
            Node::All(mut terms) => self.all.append(&mut terms),
            node => self.all.push(node),
        }
    }

    /// Ends the current alternative at an "or" (or at the end of the group).
    fn end_all(&mut self) {
        let mut terms = core::mem::take(&mut self.all);
        let alternative = match terms.pop() {
            Some(only) if terms.is_empty() => only,
            Some(last) => {
                terms.push(last);
                Node::All(terms)
            }
            None => return,
        };
        match alternative {
            Node::Any(mut alternatives) => self.any.append(&mut alternatives),
            node => self.any.push(node),
        }
    }

    fn finish(mut self) -> Node {
        self.end_all();
        match self.any.pop() {
            Some(only) if self.any.is_empty() => only,
            Some(last) => {
                self.any.push(last);
                Node::Any(self.any)
            }
            // Never reached: a group is finished only after a condition was read into it. An
            // empty `Any` would match nothing.
            None => Node::Any(Vec::new()),
        }
    }
}

/// A token that may be missing: `kind` is `None` at the end of the text, where `span` is empty
/// at the text's length.
struct Next {
    kind: Option<TokenKind>,
    span: Span,
}

/// Where a token is in the text, in bytes.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
}

struct Tokens<'a> {
    text: &'a str,
    lexer: Lexer<'a>,
    peeked: Option<Token>,
    repairs: Repairs,
    /// Where the last token read ends: the end of the condition just read.
    #[cfg(feature = "explain")]
    last_end: usize,
}

/// A value written after an operator or as the text of a function.
enum Literal {
    Number(f64),
    Text(String),
    Bool(bool),
    Null,
}

/// How a field compares, as Segment reads it: `type`, `event` and `name` take every value as
/// text; `userId` too, except that `= true` and `= false` ask for a boolean; other fields take
/// values as they are.
#[derive(Clone, Copy, PartialEq, Eq)]
enum FieldKind {
    Text,
    UserId,
    Value,
}

impl FieldKind {
    fn of(field: &Name) -> Self {
        match field.keys.as_slice() {
            [only] if only == "userId" => FieldKind::UserId,
            [only] if matches!(only.as_str(), "type" | "event" | "name") => FieldKind::Text,
            _ => FieldKind::Value,
        }
    }
}

impl Literal {
    /// The value as text, as JavaScript's `String(value)` writes it.
    fn into_text(self, rules: TextRules) -> String {
        match self {
            Literal::Number(n) => (rules.number_to_string)(n),
            Literal::Text(text) => text,
            Literal::Bool(b) => if b { "true" } else { "false" }.to_owned(),
            Literal::Null => "null".to_owned(),
        }
    }

    /// What `<`, `<=`, `>` and `>=` compare a number with: JavaScript's `Number(value)` of the
    /// value as the field reads it (text for `type`, `event`, `name` and `userId`).
    fn into_number(self, field: FieldKind, rules: TextRules) -> f64 {
        match self {
            Literal::Number(n) => n,
            Literal::Text(text) => (rules.text_to_number)(&text),
            Literal::Bool(b) if field == FieldKind::Value => f64::from(u8::from(b)),
            Literal::Bool(_) | Literal::Null => f64::NAN,
        }
    }

    fn check(self, compare: Compare, field: FieldKind, rules: TextRules) -> Check {
        let equal = compare == Compare::Equal;
        if !compare.is_equality() {
            let value = self.into_number(field, rules);
            return if value.is_nan() {
                Check::Never
            } else {
                Check::Number { compare, value }
            };
        }
        match self {
            Literal::Null => Check::Present { present: !equal },
            Literal::Number(value) if field == FieldKind::Value => Check::Number { compare, value },
            Literal::Bool(value) if field != FieldKind::Text => Check::Bool { value, equal },
            literal => Check::Text {
                text: Key::new(&literal.into_text(rules)),
                equal,
            },
        }
    }
}

impl Tokens<'_> {
    /// Notes what was set right. Without the feature `messages` there are no words for it,
    /// and a trigger with anything to say goes to the build that has them (see
    /// [`crate::destination::Destination::needs_full_build`]): the parse stops there.
    fn repaired(&mut self, what: String) -> Result<(), Failure> {
        if !cfg!(feature = "messages") {
            return Err(Failure::new(0, what));
        }
        self.repairs.push(what);
        Ok(())
    }

    /// A value: a number, a quoted string, `true`, `false` or `null`; or, as Segment reads it,
    /// an unquoted word taken as its text.
    /// `Ok(Err(token))` when the next token is no value.
    fn literal(&mut self) -> Result<Result<Literal, Next>, Failure> {
        let value = self.next()?;
        let literal = match value.kind {
            Some(TokenKind::Number(n)) => Literal::Number(n),
            Some(TokenKind::Text(text)) => Literal::Text(text),
            Some(TokenKind::Name(name)) if name.is_word("null") => Literal::Null,
            Some(TokenKind::Name(name)) if name.is_word("true") => Literal::Bool(true),
            Some(TokenKind::Name(name)) if name.is_word("false") => Literal::Bool(false),
            // (Without words, a repair only stops the parse, as the last arm does.)
            Some(TokenKind::Name(name)) if cfg!(feature = "messages") && !is_operator(&name) => {
                let word = crate::join(&name.keys, ".");
                self.repaired(message!(
                    "took the unquoted {} at {} as the text {}",
                    self.source(value.span),
                    value.span.start,
                    quote(&word)
                ))?;
                Literal::Text(word)
            }
            kind => {
                return Ok(Err(Next {
                    kind,
                    span: value.span,
                }))
            }
        };
        Ok(Ok(literal))
    }

    fn next(&mut self) -> Result<Next, Failure> {
        let token = match self.peeked.take() {
            Some(token) => Some(token),
            None => self.lexer.next_token()?,
        };
        #[cfg(feature = "explain")]
        if let Some(token) = &token {
            self.last_end = token.end;
        }
        Ok(match token {
            Some(Token { kind, start, end }) => Next {
                kind: Some(kind),
                span: Span { start, end },
            },
            None => Next {
                kind: None,
                span: Span {
                    start: self.text.len(),
                    end: self.text.len(),
                },
            },
        })
    }

    /// Whether the next token is "(", which makes the name before it a function's. Tokens are
    /// matched, not compared: `TokenKind`'s derived `==`, which compares names, texts and
    /// numbers, would be in the `.wasm` for these three checks.
    fn next_is_open_paren(&mut self) -> Result<bool, Failure> {
        if self.peeked.is_none() {
            self.peeked = self.lexer.next_token()?;
        }
        Ok(self
            .peeked
            .as_ref()
            .is_some_and(|token| matches!(token.kind, TokenKind::OpenParen)))
    }

    /// The condition just read, which started at `start`, with its text as written (for
    /// explain mode, which names the condition that failed).
    #[cfg(feature = "explain")]
    fn written(&self, mut node: Node, start: usize) -> Node {
        if let Node::Test(condition) = &mut node {
            condition.text = self.text.get(start..self.last_end).unwrap_or("").into();
        }
        node
    }

    /// Without explain mode, conditions keep no text.
    #[cfg(not(feature = "explain"))]
    fn written(&self, node: Node, _start: usize) -> Node {
        node
    }

    /// The source text of a token, for messages.
    fn source(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// "expected WHAT CONTEXT, found TOKEN", at the token.
    fn expected(&self, what: &str, context: &str, found: &Next) -> Failure {
        // A closure, so that a build without words never works out the description.
        let description = || match &found.kind {
            None => "the end of the trigger".to_owned(),
            Some(TokenKind::Text(_)) => "a string".to_owned(),
            Some(TokenKind::Number(_)) => "a number".to_owned(),
            Some(TokenKind::Name(name)) => {
                let lower = name.word().map(str::to_ascii_lowercase);
                let shouted = matches!(
                    lower.as_deref(),
                    Some("and" | "or" | "true" | "false" | "null")
                ) && !is_operator(name)
                    && !is_literal(name);
                let hint = if shouted {
                    " (keywords are written in lower case)"
                } else {
                    ""
                };
                message!("\"{}\"{hint}", self.source(found.span))
            }
            Some(_) => message!("\"{}\"", self.source(found.span)),
        };
        Failure::new(
            found.span.start,
            message!("expected {what} {context}, found {}", description()),
        )
    }

    /// `field <op> value`, the field already read.
    fn comparison(&mut self, field_span: Span, field: Name) -> Result<Node, Failure> {
        if is_literal(&field) {
            let message = message!(
                "expected a field at the start of a condition, found \"{}\"",
                self.source(field_span)
            );
            return Err(Failure::new(field_span.start, message));
        }
        let operator = self.next()?;
        let Some(TokenKind::Compare(compare)) = operator.kind else {
            let context = message!("after the field \"{}\"", self.source(field_span));
            return Err(self.expected("an operator (=, !=, <, <=, >, >=)", &context, &operator));
        };
        let check = match self.literal()? {
            Ok(literal) => literal.check(compare, FieldKind::of(&field), self.lexer.rules),
            Err(value) => {
                let what = "a value (a quoted string, a number, true, false or null)";
                let context = message!("after \"{}\"", compare.symbol());
                return Err(self.expected(what, &context, &value));
            }
        };
        Ok(Node::Test(Condition {
            field: FieldPath::new(field.keys),
            check,
            #[cfg(feature = "explain")]
            text: "".into(),
        }))
    }

    /// `!contains(...)` or `!match(...)`, the "!" at `not_at` already read.
    fn negated_function(&mut self, not_at: usize) -> Result<Node, Failure> {
        let token = self.next()?;
        match token.kind {
            Some(TokenKind::Name(name)) if self.next_is_open_paren()? => {
                self.function(token.span, &name, true)
            }
            _ => Err(Failure::new(
                not_at,
                "\"!\" can only negate contains(...) or match(...)",
            )),
        }
    }

    /// `contains(field, "text")` or `match(field, "pattern")`, the name already read and "("
    /// next.
    fn function(&mut self, name_span: Span, name: &Name, negated: bool) -> Result<Node, Failure> {
        let function = match name.word() {
            Some(word @ ("contains" | "match")) => word,
            _ => {
                let message = message!(
                    "unknown function \"{}\": expected contains or match",
                    self.source(name_span)
                );
                return Err(Failure::new(name_span.start, message));
            }
        };
        let _open = self.next()?;
        let field = self.next()?;
        let field = match field.kind {
            Some(TokenKind::Name(name)) if !is_operator(&name) && !is_literal(&name) => {
                FieldPath::new(name.keys)
            }
            _ => return Err(self.expected("a field", &message!("after \"{function}(\""), &field)),
        };
        let comma = self.next()?;
        if !matches!(comma.kind, Some(TokenKind::Comma)) {
            return Err(self.expected(
                "\",\"",
                &message!("after the field of {function}(...)"),
                &comma,
            ));
        }
        // Segment's own editor writes `contains(properties.total, 5)` for a number.
        let text = match self.literal()? {
            Ok(literal) => literal.into_text(self.lexer.rules),
            Err(argument) => {
                let context = message!("as the second argument of {function}(...)");
                return Err(self.expected("a value", &context, &argument));
            }
        };
        let close = self.next()?;
        if !matches!(close.kind, Some(TokenKind::CloseParen)) {
            return Err(self.expected(
                &message!("\")\" to close {function}(...)"),
                "after its text",
                &close,
            ));
        }
        let pattern = if function == "contains" {
            Glob::containing(&text)
        } else {
            Glob::parse(&text)
        };
        Ok(Node::Test(Condition {
            field,
            check: Check::Pattern { pattern, negated },
            #[cfg(feature = "explain")]
            text: "".into(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trigger::tree::Check;

    fn tree(text: &str) -> Result<Node, Failure> {
        parse(text, TextRules::of::<serde_json::Value>()).map(|(node, _)| node)
    }

    #[cfg(feature = "messages")]
    fn repairs(text: &str) -> Repairs {
        match parse(text, TextRules::of::<serde_json::Value>()) {
            Ok((_, repairs)) => repairs,
            Err(failure) => panic!("{text:?} refused: {}", failure.message),
        }
    }

    /// The tree as text: `(a | b)` for `or`, `(a & b)` for `and`.
    fn show(text: &str) -> String {
        match tree(text) {
            Ok(node) => render(&node),
            Err(failure) => panic!(
                "{text:?} refused at {}: {}",
                failure.position, failure.message
            ),
        }
    }

    fn render(node: &Node) -> String {
        let join =
            |nodes: &[Node], with: &str| nodes.iter().map(render).collect::<Vec<_>>().join(with);
        match node {
            Node::All(terms) => format!("({})", join(terms, " & ")),
            Node::Any(alternatives) => format!("({})", join(alternatives, " | ")),
            Node::Test(Condition { field, check, .. }) => {
                let path = field
                    .segments
                    .iter()
                    .map(|s| s.key.name())
                    .collect::<Vec<_>>()
                    .join(".");
                let equal = |equal: &bool| if *equal { "=" } else { "!=" };
                match check {
                    Check::Present { present } => format!("{path}{}null", equal(&!present)),
                    Check::Text { text, equal: e } => {
                        format!("{path}{}{:?}", equal(e), text.name())
                    }
                    Check::Bool { value, equal: e } => format!("{path}{}{value}", equal(e)),
                    Check::Number { compare, value } => {
                        format!("{path}{}{value}", compare.symbol())
                    }
                    Check::Pattern { pattern, negated } => {
                        format!("{}{path}~{pattern:?}", if *negated { "!" } else { "" })
                    }
                    Check::Never => format!("{path}:never"),
                }
            }
        }
    }

    #[cfg(feature = "messages")]
    fn error(text: &str) -> (usize, String) {
        match tree(text) {
            Ok(node) => panic!("{text:?} parsed as {}", render(&node)),
            Err(failure) => (failure.position, failure.message.clone()),
        }
    }

    #[test]
    fn and_binds_tighter_than_or() {
        assert_eq!(show("a = 1 or b = 2 and c = 3"), "(a=1 | (b=2 & c=3))");
        assert_eq!(show("a = 1 and b = 2 or c = 3"), "((a=1 & b=2) | c=3)");
        assert_eq!(
            show("a = 1 and b = 2 or c = 3 and d = 4"),
            "((a=1 & b=2) | (c=3 & d=4))"
        );
        assert_eq!(show("(a = 1 or b = 2) and c = 3"), "((a=1 | b=2) & c=3)");
        assert_eq!(
            show("a = 1 and (b = 2 or c = 3) and d = 4"),
            "(a=1 & (b=2 | c=3) & d=4)"
        );
    }

    #[test]
    fn groups_flatten_and_redundant_parentheses_vanish() {
        assert_eq!(show("a = 1 and (b = 2 and c = 3)"), "(a=1 & b=2 & c=3)");
        assert_eq!(show("(a = 1 or b = 2) or c = 3"), "(a=1 | b=2 | c=3)");
        assert_eq!(show("((((type = \"track\"))))"), "type=\"track\"");
        assert_eq!(show("((a = 1) or ((b = 2)))"), "(a=1 | b=2)");
    }

    #[test]
    fn every_operator_and_value_kind() {
        assert_eq!(
            show("x = 1 and x != -2 and x < 3.5 and x <= 4 and x > 5e1 and x >= 0"),
            "(x=1 & x!=-2 & x<3.5 & x<=4 & x>50 & x>=0)"
        );
        assert_eq!(show("x = \"a\" or x != 'b'"), "(x=\"a\" | x!=\"b\")");
        assert_eq!(show("x = null or x != null"), "(x=null | x!=null)");
        assert_eq!(show("x = true or x != false"), "(x=true | x!=false)");
    }

    #[test]
    fn functions_and_negation() {
        assert_eq!(
            show("contains(event, \"a*\")"),
            "event~Wildcard { first: \"\", middle: [\"a*\"], last: \"\" }"
        );
        assert_eq!(
            show("!match(name, \"ab*\")"),
            "!name~Wildcard { first: \"ab\", middle: [], last: \"\" }"
        );
        assert_eq!(show("! match ( name , \"ab\" )"), "!name~Exact(\"ab\")");
        assert_eq!(
            show("contains = \"x\""),
            "contains=\"x\"",
            "a field may be called contains"
        );
    }

    #[test]
    fn escapes_in_fields_strings_as_written() {
        assert_eq!(
            show(r#"properties.a\.b = "say \hi\""#),
            r#"properties.a.b="say \\hi\\""#
        );
        assert_eq!(
            show(r#"properties.order\ id = "C:\new""#),
            r#"properties.order id="C:\\new""#
        );
        assert_eq!(show(r"\and = 1"), "and=1", "an escaped keyword is a field");
        assert_eq!(show(r#"traits.x = "\u00e9""#), "traits.x=\"\\\\u00e9\"");
    }

    #[test]
    #[cfg(feature = "messages")]
    fn errors_say_where_and_why() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, "the trigger is empty"),
            ("   ", 0, "the trigger is empty"),
            ("type =", 6, "expected a value (a quoted string, a number, true, false or null) after \"=\", found the end of the trigger"),
            ("a = 1 and or b = 2", 10, "expected a condition after \"and\", found \"or\""),
            ("a = 1 or and b = 2", 9, "expected a condition after \"or\", found \"and\""),
            ("x = ,", 4, "expected a value (a quoted string, a number, true, false or null) after \"=\", found \",\""),
            ("match(event, (", 13, "expected a value as the second argument of match(...), found \"(\""),
            ("(and)", 4, "expected a condition after \"(\", found \")\""),
            ("type = and", 7, "expected a value (a quoted string, a number, true, false or null) after \"=\", found \"and\""),
            ("type \"track\"", 5, "expected an operator (=, !=, <, <=, >, >=) after the field \"type\", found a string"),
            ("type like \"x\"", 5, "expected an operator (=, !=, <, <=, >, >=) after the field \"type\", found \"like\""),
            ("a = 1 AND b = 2", 6, "expected \"and\", \"or\", \")\" or the end of the trigger after a condition, found \"AND\" (keywords are written in lower case)"),
            ("a = 1 b = 2", 6, "expected \"and\", \"or\", \")\" or the end of the trigger after a condition, found \"b\""),
            ("\"track\" = type", 0, "expected a condition at the start, found a string"),
            ("null = 1", 0, "expected a field at the start of a condition, found \"null\""),
            ("(a = 1", 0, "unclosed parenthesis"),
            ("((a = 1) or (b = 2)", 0, "unclosed parenthesis"),
            ("(a = 1 and (b = 2 or c = 3)", 0, "unclosed parenthesis"),
            ("()", 1, "expected a condition after \"(\", found \")\""),
            ("!(a = 1)", 0, "\"!\" can only negate contains(...) or match(...)"),
            ("!type = 1", 0, "\"!\" can only negate contains(...) or match(...)"),
            ("lower(event) = \"x\"", 0, "unknown function \"lower\": expected contains or match"),
            ("contains(event \"x\")", 15, "expected \",\" after the field of contains(...), found a string"),
            ("contains(\"x\", event)", 9, "expected a field after \"contains(\", found a string"),
            ("match(event, \"x\"", 16, "expected \")\" to close match(...) after its text, found the end of the trigger"),
            ("contains(event, \"x\", \"y\")", 19, "expected \")\" to close contains(...) after its text, found \",\""),
            ("type = \"track", 7, "unclosed string: no closing \""),
            ("type == \"track\"", 5, "unknown operator \"==\": use \"=\""),
            ("é = 1 and ü", 13, "expected an operator (=, !=, <, <=, >, >=) after the field \"ü\", found the end of the trigger"),
        ];
        let mut wrong = Vec::new();
        for &(text, position, message) in cases {
            let got = error(text);
            if got != (position, message.to_owned()) {
                wrong.push(format!(
                    "{text:?}\n  expected {position}: {message}\n  got      {}: {}",
                    got.0, got.1
                ));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn values_as_segment_reads_them() {
        assert_eq!(
            show("userId = 123 and event != 1.50 and name = true and type != null"),
            "(userId=\"123\" & event!=\"1.5\" & name=\"true\" & type!=null)"
        );
        assert_eq!(
            show("userId = true and userId != false and traits.x = false"),
            "(userId=true & userId!=false & traits.x=false)"
        );
        assert_eq!(show("x > \"100\" and x <= \" 0x10 \""), "(x>100 & x<=16)");
        assert_eq!(show("x > true and x < false"), "(x>1 & x<0)");
        assert_eq!(
            show("x > null or userId > true or x < \"a\""),
            "(x:never | userId:never | x:never)"
        );
        assert_eq!(show("x = 5 and x != -.5"), "(x=5 & x!=-0.5)");
        assert_eq!(
            show("contains(event, 5) or contains(name, true)"),
            "(event~Wildcard { first: \"\", middle: [\"5\"], last: \"\" } | name~Wildcard { first: \"\", middle: [\"true\"], last: \"\" })"
        );
    }

    #[test]
    #[cfg(feature = "messages")]
    fn what_segment_reads_past_runs_and_is_named() {
        let cases: &[(&str, &str, &[&str])] = &[
            (
                "a = 1 and",
                "a=1",
                &["ignored the \"and\" at 6, which no condition follows"],
            ),
            (
                "a = 1 or",
                "a=1",
                &["ignored the \"or\" at 6, which no condition follows"],
            ),
            (
                "(a = 1 or) and b = 2",
                "(a=1 & b=2)",
                &["ignored the \"or\" at 7, which no condition follows"],
            ),
            ("a = 1)", "a=1", &["ignored the unmatched \")\" at 5"]),
            (") a = 1", "a=1", &["ignored the unmatched \")\" at 0"]),
            (
                "a = 1 and )",
                "a=1",
                &[
                    "ignored the unmatched \")\" at 10",
                    "ignored the \"and\" at 6, which no condition follows",
                ],
            ),
            (
                "a = 1 or) b = 2",
                "(a=1 | b=2)",
                &["ignored the unmatched \")\" at 8"],
            ),
            (
                "and a = 1",
                "a=1",
                &["ignored the \"and\" at 0, which no condition precedes"],
            ),
            (
                "(or a = 1)",
                "a=1",
                &["ignored the \"or\" at 1, which no condition precedes"],
            ),
            (
                "a = 1 or or b = 2",
                "(a=1 | b=2)",
                &["ignored the repeated \"or\" at 9"],
            ),
            (
                "type = track",
                "type=\"track\"",
                &["took the unquoted track at 7 as the text \"track\""],
            ),
            (
                "x = TRUE",
                "x=\"TRUE\"",
                &["took the unquoted TRUE at 4 as the text \"TRUE\""],
            ),
        ];
        for &(text, tree, expected) in cases {
            assert_eq!(show(text), tree, "{text:?}");
            assert_eq!(repairs(text), expected, "{text:?}");
        }
        assert!(repairs("(a = 1 or b = 2) and c = 3").is_empty());
    }

    #[test]
    #[cfg(feature = "messages")]
    fn nesting_is_bounded() {
        let nested = |depth: usize| format!("{}a = 1{}", "(".repeat(depth), ")".repeat(depth));
        assert_eq!(show(&nested(MAX_NESTING)), "a=1");
        let (position, message) = error(&nested(MAX_NESTING + 1));
        assert_eq!(position, MAX_NESTING);
        assert_eq!(
            message,
            format!("parentheses are nested deeper than {MAX_NESTING} levels")
        );
        // Alternating groups cannot be flattened, so the tree really is that deep.
        let mut deep = "a = 1".to_owned();
        for level in 0..MAX_NESTING {
            let joiner = if level % 2 == 0 { "or" } else { "and" };
            deep = format!("b = {level} {joiner} ({deep})");
        }
        assert!(tree(&deep).is_ok());
    }

    #[test]
    fn long_triggers_parse_in_linear_time() {
        let conditions = 100_000;
        let long = vec!["properties.total > 1 and event = \"x\""; conditions].join(" or ");
        match tree(&long) {
            Ok(Node::Any(alternatives)) => assert_eq!(alternatives.len(), conditions),
            other => panic!("unexpected {:?}", other.map(|node| render(&node))),
        }
        let unclosed = "(".repeat(MAX_NESTING) + &"a = 1 and ".repeat(conditions);
        assert!(tree(&unclosed).is_err());
    }
}
