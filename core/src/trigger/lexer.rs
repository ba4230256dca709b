//! Splits trigger text into tokens, each with the byte range it came from.

use crate::prelude::*;

use super::tree::Compare;
use super::{Failure, TextRules};
use crate::quote::quote_char;

#[derive(Clone, Debug, PartialEq)]
pub(super) struct Token {
    pub kind: TokenKind,
    /// Byte offsets into the trigger text.
    pub start: usize,
    pub end: usize,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum TokenKind {
    /// A bare word or a dotted field path: `and`, `contains`, `properties.total`.
    Name(Name),
    /// A quoted string, as written between its quotes.
    Text(String),
    Number(f64),
    Compare(Compare),
    /// `!` before `contains` or `match`.
    Not,
    OpenParen,
    CloseParen,
    Comma,
}

/// A word split at its unescaped dots. A backslash escapes the next character, so
/// `properties.a\.b` is the two keys `properties` and `a.b`.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Name {
    pub keys: Vec<String>,
    /// Whether any character was escaped: `\and` is a field called "and", never the keyword.
    pub escaped: bool,
}

impl Name {
    /// The word, when it could be a keyword or a function name: one key, nothing escaped.
    pub fn word(&self) -> Option<&str> {
        match self.keys.as_slice() {
            [only] if !self.escaped => Some(only),
            _ => None,
        }
    }

    pub fn is_word(&self, word: &str) -> bool {
        self.word() == Some(word)
    }
}

fn starts_name(rules: TextRules, c: char) -> bool {
    (rules.is_letter)(c, false) || matches!(c, '_' | '$' | '\\')
}

fn continues_name(rules: TextRules, c: char) -> bool {
    (rules.is_letter)(c, true) || matches!(c, '_' | '$' | '-' | '.' | '\\')
}

/// Reads tokens one at a time, so that a trigger refused early is not read to its end.
///
/// Characters are decoded in one place, [`Lexer::peek`]: every other step goes through it, which
/// keeps UTF-8 decoding from being copied into each of them.
pub(super) struct Lexer<'a> {
    text: &'a str,
    pub rules: TextRules,
    /// Byte offset of the next character.
    at: usize,
}

impl<'a> Lexer<'a> {
    pub fn new(text: &'a str, rules: TextRules) -> Self {
        Lexer { text, rules, at: 0 }
    }

    /// The next token; `None` at the end of the text.
    pub fn next_token(&mut self) -> Result<Option<Token>, Failure> {
        let Some((start, first)) = self.next_significant() else {
            return Ok(None);
        };
        let kind = self.token(start, first)?;
        Ok(Some(Token {
            kind,
            start,
            end: self.offset(),
        }))
    }

    #[inline(never)]
    fn peek(&self) -> Option<char> {
        self.text.get(self.at..)?.chars().next()
    }

    /// Byte offset of the next character (the text's length at the end).
    fn offset(&self) -> usize {
        self.at
    }

    /// The next character and its offset, consumed.
    fn bump(&mut self) -> Option<(usize, char)> {
        let c = self.peek()?;
        let at = self.at;
        self.at += c.len_utf8();
        Some((at, c))
    }

    /// The next character, consumed when `wanted` says so.
    #[inline(never)]
    fn bump_if(&mut self, wanted: fn(char) -> bool) -> Option<(usize, char)> {
        match self.peek() {
            Some(c) if wanted(c) => self.bump(),
            _ => None,
        }
    }

    fn eat(&mut self, expected: char) -> bool {
        if self.peek() == Some(expected) {
            self.at += expected.len_utf8();
            true
        } else {
            false
        }
    }

    /// Skips ASCII white space (space, tab, line feed, form feed, carriage return): Segment's
    /// lexer knows the first three, and a line typed on Windows ends in `\r\n`. Other white
    /// space, such as a no-break space, is refused, as in Segment (and the `.wasm` carries no
    /// Unicode white space table).
    fn next_significant(&mut self) -> Option<(usize, char)> {
        while self.bump_if(|c| c.is_ascii_whitespace()).is_some() {}
        self.bump()
    }

    fn token(&mut self, start: usize, first: char) -> Result<TokenKind, Failure> {
        let kind = match first {
            '(' => TokenKind::OpenParen,
            ')' => TokenKind::CloseParen,
            ',' => TokenKind::Comma,
            // The hints for other languages' operators are words only: without them, what
            // follows such an operator is refused all the same, a token later.
            '=' => match self.peek() {
                Some('=') if HINTS => return Err(unknown_operator(start, "==", "=")),
                Some('>') if HINTS => return Err(unknown_operator(start, "=>", ">=")),
                Some('<') if HINTS => return Err(unknown_operator(start, "=<", "<=")),
                _ => TokenKind::Compare(Compare::Equal),
            },
            '!' if self.eat('=') => match self.peek() {
                Some('=') if HINTS => return Err(unknown_operator(start, "!==", "!=")),
                _ => TokenKind::Compare(Compare::NotEqual),
            },
            '!' => TokenKind::Not,
            '<' if HINTS && self.peek() == Some('>') => {
                return Err(unknown_operator(start, "<>", "!="))
            }
            '<' if self.eat('=') => TokenKind::Compare(Compare::LessOrEqual),
            '<' => TokenKind::Compare(Compare::Less),
            '>' if self.eat('=') => TokenKind::Compare(Compare::GreaterOrEqual),
            '>' => TokenKind::Compare(Compare::Greater),
            '&' if HINTS && self.peek() == Some('&') => {
                return Err(unknown_operator(start, "&&", "and"))
            }
            '|' if HINTS && self.peek() == Some('|') => {
                return Err(unknown_operator(start, "||", "or"))
            }
            '"' | '\'' => TokenKind::Text(self.text_literal(start, first)?),
            '-' | '+' | '0'..='9' => TokenKind::Number(self.number(start, first)?),
            c if starts_name(self.rules, c) => TokenKind::Name(self.name(start, first)?),
            c => {
                return Err(Failure::new(
                    start,
                    message!("unexpected character {}", quote_char(c)),
                ))
            }
        };
        Ok(kind)
    }

    /// The rest of a string opened by `quote` at `start`: everything up to the next `quote`,
    /// taken as written. As in Segment, a backslash is an ordinary character, so
    /// `"C:\new"` is those seven characters and a string cannot hold its own quote.
    fn text_literal(&mut self, start: usize, quote: char) -> Result<String, Failure> {
        let from = self.offset();
        loop {
            match self.bump() {
                // Each message whole: a `char` in `format!` links Rust's `Display` of
                // characters.
                None if quote == '"' => {
                    return Err(Failure::new(start, "unclosed string: no closing \""))
                }
                None => return Err(Failure::new(start, "unclosed string: no closing '")),
                Some((at, c)) if c == quote => {
                    return Ok(self.text.get(from..at).unwrap_or_default().to_owned())
                }
                Some(_) => {}
            }
        }
    }

    fn digits(&mut self) -> usize {
        let mut count = 0usize;
        while self.bump_if(|c| c.is_ascii_digit()).is_some() {
            count = count.saturating_add(1);
        }
        count
    }

    /// An integer or decimal, maybe signed, maybe with an exponent: `42`, `-3.5`, `1e6`.
    fn number(&mut self, start: usize, first: char) -> Result<f64, Failure> {
        // A sign may be followed by a decimal point, as in Segment: `-.5`.
        if !first.is_ascii_digit() && self.digits() == 0 && self.peek() != Some('.') {
            return Err(Failure::new(
                start,
                message!("expected a digit after {}", quote_char(first)),
            ));
        }
        self.digits();
        if self.eat('.') && self.digits() == 0 {
            return Err(Failure::new(
                self.offset(),
                "expected a digit after the decimal point",
            ));
        }
        if self.bump_if(|c| matches!(c, 'e' | 'E')).is_some() {
            let _sign = self.bump_if(|c| matches!(c, '+' | '-'));
            if self.digits() == 0 {
                return Err(Failure::new(
                    self.offset(),
                    "expected a digit in the exponent",
                ));
            }
        }
        let end = self.offset();
        let literal = self.text.get(start..end).unwrap_or_default();
        // The syntax is checked above, so what remains to fail is the range.
        let value = (self.rules.parse_number)(literal);
        if value.is_finite() {
            Ok(value)
        } else {
            Err(Failure::new(
                start,
                message!("number {literal} is out of range"),
            ))
        }
    }

    /// A word or dotted path starting with `first` at `start`.
    fn name(&mut self, start: usize, first: char) -> Result<Name, Failure> {
        let mut name = Name::default();
        let mut key = String::new();
        let mut next = Some((start, first));
        while let Some((at, c)) = next {
            match c {
                '.' if key.is_empty() => {
                    return Err(Failure::new(at, "expected a field name before \".\""))
                }
                '.' => name.keys.push(core::mem::take(&mut key)),
                '\\' => {
                    let (_, escaped) = self
                        .bump()
                        .ok_or_else(|| Failure::new(at, "expected a character after \"\\\""))?;
                    key.push(escaped);
                    name.escaped = true;
                }
                c => key.push(c),
            }
            next = match self.peek() {
                Some(c) if continues_name(self.rules, c) => self.bump(),
                _ => None,
            };
        }
        if key.is_empty() {
            return Err(Failure::new(
                self.offset(),
                "expected a field name after \".\"",
            ));
        }
        name.keys.push(key);
        Ok(name)
    }
}

/// Whether the lexer names the operator meant where another language's is written (`==`):
/// with words only (feature `messages`).
const HINTS: bool = cfg!(feature = "messages");

fn unknown_operator(at: usize, written: &str, instead: &str) -> Failure {
    Failure::new(
        at,
        message!("unknown operator \"{written}\": use \"{instead}\""),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenize(text: &str) -> Result<Vec<Token>, Failure> {
        let mut lexer = Lexer::new(text, TextRules::of::<serde_json::Value>());
        core::iter::from_fn(|| lexer.next_token().transpose()).collect()
    }

    fn kinds(text: &str) -> Vec<TokenKind> {
        tokenize(text)
            .expect("tokenizes")
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[cfg(feature = "messages")]
    fn error(text: &str) -> (usize, String) {
        let failure = tokenize(text).expect_err("refused");
        (failure.position, failure.message.clone())
    }

    fn name(keys: &[&str], escaped: bool) -> TokenKind {
        TokenKind::Name(Name {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            escaped,
        })
    }

    #[test]
    fn ascii_white_space_separates_and_other_white_space_is_refused() {
        let expected = [
            name(&["type"], false),
            TokenKind::Compare(Compare::Equal),
            TokenKind::Text("t".into()),
        ];
        for text in ["type = \"t\"", "type\r\n=\t\"t\"\n", "\u{c}type\u{c}=\"t\""] {
            assert_eq!(kinds(text), expected, "{text:?}");
        }
        for space in ['\u{a0}', '\u{b}', '\u{2028}', '\u{3000}', '\u{feff}'] {
            let text = format!("type{space}= \"t\"");
            let failure = tokenize(&text).expect_err("refused");
            assert_eq!(failure.position, 4, "{text:?}");
        }
        // Inside quotes, white space is text like any other.
        assert_eq!(kinds("\"a\u{a0}b\"")[0], TokenKind::Text("a\u{a0}b".into()));
    }

    #[test]
    fn operators_and_punctuation() {
        use Compare::*;
        let ops: Vec<_> = ["=", "!=", "<", "<=", ">", ">="]
            .iter()
            .flat_map(|op| kinds(op))
            .collect();
        let expected =
            [Equal, NotEqual, Less, LessOrEqual, Greater, GreaterOrEqual].map(TokenKind::Compare);
        assert_eq!(ops, expected);
        assert_eq!(
            kinds("!(,)"),
            [
                TokenKind::Not,
                TokenKind::OpenParen,
                TokenKind::Comma,
                TokenKind::CloseParen
            ]
        );
        assert_eq!(
            kinds("a!=b"),
            [
                name(&["a"], false),
                TokenKind::Compare(NotEqual),
                name(&["b"], false)
            ]
        );
    }

    #[test]
    fn byte_ranges_count_multibyte_characters() {
        let tokens = tokenize("é = \"ü\"").expect("tokenizes");
        let ranges: Vec<_> = tokens.iter().map(|t| (t.start, t.end)).collect();
        assert_eq!(ranges, [(0, 2), (3, 4), (5, 9)]);
    }

    #[test]
    #[cfg(feature = "messages")]
    fn numbers() {
        let numbers = kinds("0 42 -7 +3 2.5 -0.25 1e3 1.5E-2");
        let expected = [0.0, 42.0, -7.0, 3.0, 2.5, -0.25, 1000.0, 0.015].map(TokenKind::Number);
        assert_eq!(numbers, expected);
        assert_eq!(
            error("x > 5."),
            (6, "expected a digit after the decimal point".into())
        );
        assert_eq!(error("x > -"), (4, "expected a digit after '-'".into()));
        assert_eq!(
            error("x > 1e"),
            (6, "expected a digit in the exponent".into())
        );
        assert_eq!(
            error("x > 1e999"),
            (4, "number 1e999 is out of range".into())
        );
    }

    #[test]
    #[cfg(feature = "messages")]
    fn strings_are_taken_as_written() {
        assert_eq!(
            kinds(r#"'it' "x'y" """#),
            [
                TokenKind::Text("it".into()),
                TokenKind::Text("x'y".into()),
                TokenKind::Text("".into())
            ]
        );
        assert_eq!(
            kinds(r#""C:\new\u00e9\\""#),
            [TokenKind::Text(r"C:\new\u00e9\\".into())],
            "no escapes are decoded"
        );
        assert_eq!(
            kinds(r#""a\" b"#),
            [TokenKind::Text(r"a\".into()), name(&["b"], false)],
            "a backslash does not keep the quote from closing the string"
        );
        assert_eq!(
            error(r#"x = "abc"#),
            (4, "unclosed string: no closing \"".into())
        );
        assert_eq!(
            error("x = 'abc"),
            (4, "unclosed string: no closing '".into())
        );
        assert_eq!(
            kinds("-.5 +.25"),
            [TokenKind::Number(-0.5), TokenKind::Number(0.25)]
        );
    }

    #[test]
    #[cfg(feature = "messages")]
    fn names_split_at_unescaped_dots() {
        assert_eq!(
            kinds("context.page.path"),
            [name(&["context", "page", "path"], false)]
        );
        assert_eq!(
            kinds(r"properties.a\.b\ c"),
            [name(&["properties", "a.b c"], true)]
        );
        assert_eq!(
            kinds("products.0.sku_$-x"),
            [name(&["products", "0", "sku_$-x"], false)]
        );
        assert_eq!(
            error("properties."),
            (11, "expected a field name after \".\"".into())
        );
        assert_eq!(
            error("properties..x"),
            (11, "expected a field name before \".\"".into())
        );
        assert_eq!(
            error("a\\"),
            (1, "expected a character after \"\\\"".into())
        );
    }

    #[test]
    #[cfg(feature = "messages")]
    fn operators_from_other_languages_are_named() {
        assert_eq!(
            error("a == 1"),
            (2, "unknown operator \"==\": use \"=\"".into())
        );
        assert_eq!(
            error("a <> 1"),
            (2, "unknown operator \"<>\": use \"!=\"".into())
        );
        assert_eq!(
            error("a => 1"),
            (2, "unknown operator \"=>\": use \">=\"".into())
        );
        assert_eq!(
            error("a !== 1"),
            (2, "unknown operator \"!==\": use \"!=\"".into())
        );
        assert_eq!(
            error("a && b"),
            (2, "unknown operator \"&&\": use \"and\"".into())
        );
        assert_eq!(
            error("a || b"),
            (2, "unknown operator \"||\": use \"or\"".into())
        );
        assert_eq!(error("a # b"), (2, "unexpected character '#'".into()));
    }
}
