//! Builds the tree of a trigger from its tokens, read one at a time and without recursion:
//! open parentheses live on an explicit stack, bounded by [`MAX_NESTING`](super::MAX_NESTING),
//! so no input can exhaust the call stack, here or later when the tree is matched, cloned or
//! dropped.

use super::lexer::{Lexer, Name, Token, TokenKind};
use super::tree::{Check, Compare, Condition, FieldPath, Glob, Node};
use super::{Failure, MAX_NESTING};
use crate::data::Key;

/// The tree of `text`, or the first reason it is not a trigger.
pub(super) fn parse(text: &str) -> Result<Node, Failure> {
    if text.chars().all(char::is_whitespace) {
        return Err(Failure::new(0, "the trigger is empty"));
    }
    let mut tokens = Tokens {
        text,
        lexer: Lexer::new(text),
        peeked: None,
    };
    // The innermost open group; the ones around it wait on `outer`.
    let mut group = Group::new(0);
    let mut outer: Vec<Group> = Vec::new();
    let mut context = "at the start";
    loop {
        // A condition, or a "(" that opens a group.
        let token = tokens.next()?;
        match token.kind {
            Some(TokenKind::OpenParen) => {
                if outer.len() >= MAX_NESTING {
                    let message =
                        format!("parentheses are nested deeper than {MAX_NESTING} levels");
                    return Err(Failure::new(token.span.start, message));
                }
                outer.push(std::mem::replace(&mut group, Group::new(token.span.start)));
                context = "after \"(\"";
                continue;
            }
            Some(TokenKind::Not) => group.push_all(tokens.negated_function(token.span.start)?),
            Some(TokenKind::Name(name))
                if !is_operator(&name) && tokens.next_is(&TokenKind::OpenParen)? =>
            {
                group.push_all(tokens.function(token.span, &name, false)?);
            }
            Some(TokenKind::Name(name)) if !is_operator(&name) => {
                group.push_all(tokens.comparison(token.span, name)?);
            }
            _ => return Err(tokens.expected("a condition", context, &token)),
        }
        // What may follow a condition: "and", "or", ")" or the end.
        loop {
            let token = tokens.next()?;
            match token.kind {
                Some(TokenKind::Name(name)) if name.is_word("and") => context = "after \"and\"",
                Some(TokenKind::Name(name)) if name.is_word("or") => {
                    group.end_all();
                    context = "after \"or\"";
                }
                Some(TokenKind::CloseParen) => {
                    let Some(enclosing) = outer.pop() else {
                        return Err(Failure::new(
                            token.span.start,
                            "unmatched \")\": no \"(\" opens it",
                        ));
                    };
                    let closed = std::mem::replace(&mut group, enclosing).finish();
                    group.push_all(closed);
                    continue;
                }
                None if !outer.is_empty() => {
                    return Err(Failure::new(group.open_at, "unclosed parenthesis"))
                }
                None => return Ok(group.finish()),
                _ => {
                    let what = "\"and\", \"or\", \")\" or the end of the trigger";
                    return Err(tokens.expected(what, "after a condition", &token));
                }
            }
            break;
        }
    }
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
            Node::All(terms) => self.all.extend(terms),
            node => self.all.push(node),
        }
    }

    /// Ends the current alternative at an "or" (or at the end of the group).
    fn end_all(&mut self) {
        let mut terms = std::mem::take(&mut self.all);
        let alternative = match terms.pop() {
            Some(only) if terms.is_empty() => only,
            Some(last) => {
                terms.push(last);
                Node::All(terms)
            }
            None => return,
        };
        match alternative {
            Node::Any(alternatives) => self.any.extend(alternatives),
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
}

impl Tokens<'_> {
    fn next(&mut self) -> Result<Next, Failure> {
        let token = match self.peeked.take() {
            Some(token) => Some(token),
            None => self.lexer.next_token()?,
        };
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

    fn next_is(&mut self, kind: &TokenKind) -> Result<bool, Failure> {
        if self.peeked.is_none() {
            self.peeked = self.lexer.next_token()?;
        }
        Ok(self
            .peeked
            .as_ref()
            .is_some_and(|token| token.kind == *kind))
    }

    /// The source text of a token, for messages.
    fn source(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// "expected WHAT CONTEXT, found TOKEN", at the token.
    fn expected(&self, what: &str, context: &str, found: &Next) -> Failure {
        let description = match &found.kind {
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
                format!("\"{}\"{hint}", self.source(found.span))
            }
            Some(_) => format!("\"{}\"", self.source(found.span)),
        };
        Failure::new(
            found.span.start,
            format!("expected {what} {context}, found {description}"),
        )
    }

    /// `field <op> value`, the field already read.
    fn comparison(&mut self, field_span: Span, field: Name) -> Result<Node, Failure> {
        if is_literal(&field) {
            let message = format!(
                "expected a field at the start of a condition, found \"{}\"",
                self.source(field_span)
            );
            return Err(Failure::new(field_span.start, message));
        }
        let operator = self.next()?;
        let Some(TokenKind::Compare(compare)) = operator.kind else {
            let context = format!("after the field \"{}\"", self.source(field_span));
            return Err(self.expected("an operator (=, !=, <, <=, >, >=)", &context, &operator));
        };
        let value = self.next()?;
        let check = match value.kind {
            Some(TokenKind::Number(value)) => Check::Number { compare, value },
            Some(TokenKind::Text(text)) if compare.is_equality() => Check::Text {
                text: Key::new(&text),
                equal: compare == Compare::Equal,
            },
            Some(TokenKind::Name(name)) if compare.is_equality() && name.is_word("null") => {
                Check::Present {
                    present: compare == Compare::NotEqual,
                }
            }
            Some(TokenKind::Name(name))
                if compare.is_equality() && (name.is_word("true") || name.is_word("false")) =>
            {
                Check::Bool {
                    value: name.is_word("true"),
                    equal: compare == Compare::Equal,
                }
            }
            _ => {
                let what = if compare.is_equality() {
                    "a value (a quoted string, a number, true, false or null)"
                } else {
                    "a number"
                };
                let context = format!("after \"{}\"", compare.symbol());
                return Err(self.expected(what, &context, &value));
            }
        };
        Ok(Node::Test(Condition {
            field: FieldPath::new(field.keys),
            check,
        }))
    }

    /// `!contains(...)` or `!match(...)`, the "!" at `not_at` already read.
    fn negated_function(&mut self, not_at: usize) -> Result<Node, Failure> {
        let token = self.next()?;
        match token.kind {
            Some(TokenKind::Name(name)) if self.next_is(&TokenKind::OpenParen)? => {
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
                let message = format!(
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
            _ => return Err(self.expected("a field", &format!("after \"{function}(\""), &field)),
        };
        let comma = self.next()?;
        if comma.kind != Some(TokenKind::Comma) {
            return Err(self.expected(
                "\",\"",
                &format!("after the field of {function}(...)"),
                &comma,
            ));
        }
        let argument = self.next()?;
        let Some(TokenKind::Text(text)) = argument.kind else {
            let context = format!("as the second argument of {function}(...)");
            return Err(self.expected("a quoted string", &context, &argument));
        };
        let close = self.next()?;
        if close.kind != Some(TokenKind::CloseParen) {
            return Err(self.expected(
                &format!("\")\" to close {function}(...)"),
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
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trigger::tree::Check;

    /// The tree as text: `(a | b)` for `or`, `(a & b)` for `and`.
    fn show(text: &str) -> String {
        match parse(text) {
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
            Node::Test(Condition { field, check }) => {
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
                }
            }
        }
    }

    fn error(text: &str) -> (usize, String) {
        match parse(text) {
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
    fn escapes_in_fields_and_strings() {
        assert_eq!(
            show(r#"properties.a\.b = "say \"hi\"""#),
            r#"properties.a.b="say \"hi\"""#
        );
        assert_eq!(
            show(r#"properties.order\ id = "\\""#),
            r#"properties.order id="\\""#
        );
        assert_eq!(show(r"\and = 1"), "and=1", "an escaped keyword is a field");
        assert_eq!(show(r#"traits.x = "\u00e9\n""#), "traits.x=\"é\\n\"");
    }

    #[test]
    fn errors_say_where_and_why() {
        let cases: &[(&str, usize, &str)] = &[
            ("", 0, "the trigger is empty"),
            ("   ", 0, "the trigger is empty"),
            ("type =", 6, "expected a value (a quoted string, a number, true, false or null) after \"=\", found the end of the trigger"),
            ("type = and", 7, "expected a value (a quoted string, a number, true, false or null) after \"=\", found \"and\""),
            ("type \"track\"", 5, "expected an operator (=, !=, <, <=, >, >=) after the field \"type\", found a string"),
            ("type like \"x\"", 5, "expected an operator (=, !=, <, <=, >, >=) after the field \"type\", found \"like\""),
            ("x > \"1\"", 4, "expected a number after \">\", found a string"),
            ("x <= null", 5, "expected a number after \"<=\", found \"null\""),
            ("x = TRUE", 4, "expected a value (a quoted string, a number, true, false or null) after \"=\", found \"TRUE\" (keywords are written in lower case)"),
            ("a = 1 AND b = 2", 6, "expected \"and\", \"or\", \")\" or the end of the trigger after a condition, found \"AND\" (keywords are written in lower case)"),
            ("a = 1 b = 2", 6, "expected \"and\", \"or\", \")\" or the end of the trigger after a condition, found \"b\""),
            ("a = 1 and", 9, "expected a condition after \"and\", found the end of the trigger"),
            ("a = 1 or or b = 2", 9, "expected a condition after \"or\", found \"or\""),
            ("and a = 1", 0, "expected a condition at the start, found \"and\""),
            ("\"track\" = type", 0, "expected a condition at the start, found a string"),
            ("null = 1", 0, "expected a field at the start of a condition, found \"null\""),
            ("(a = 1", 0, "unclosed parenthesis"),
            ("((a = 1) or (b = 2)", 0, "unclosed parenthesis"),
            ("(a = 1 and (b = 2 or c = 3)", 0, "unclosed parenthesis"),
            ("a = 1)", 5, "unmatched \")\": no \"(\" opens it"),
            ("()", 1, "expected a condition after \"(\", found \")\""),
            ("!(a = 1)", 0, "\"!\" can only negate contains(...) or match(...)"),
            ("!type = 1", 0, "\"!\" can only negate contains(...) or match(...)"),
            ("lower(event) = \"x\"", 0, "unknown function \"lower\": expected contains or match"),
            ("contains(event \"x\")", 15, "expected \",\" after the field of contains(...), found a string"),
            ("contains(\"x\", event)", 9, "expected a field after \"contains(\", found a string"),
            ("match(event, 5)", 13, "expected a quoted string as the second argument of match(...), found a number"),
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
        assert!(parse(&deep).is_ok());
    }

    #[test]
    fn long_triggers_parse_in_linear_time() {
        let conditions = 100_000;
        let long = vec!["properties.total > 1 and event = \"x\""; conditions].join(" or ");
        match parse(&long) {
            Ok(Node::Any(alternatives)) => assert_eq!(alternatives.len(), conditions),
            other => panic!("unexpected {:?}", other.map(|node| render(&node))),
        }
        let unclosed = "(".repeat(MAX_NESTING) + &"a = 1 and ".repeat(conditions);
        assert!(parse(&unclosed).is_err());
    }
}
