//! `@if`: `{"exists" | "blank": <mapping>, "then": <mapping>, "else": <mapping>}`, run as
//! Segment runs it.
//!
//! Segment throws, on every event, when neither `exists` nor `blank` is a truthy value (so
//! `"exists": 0` alone throws); otherwise a present `exists` decides (even a falsy one: it
//! holds when its value is neither undefined nor `null`), else `blank`, which holds when its
//! value is not loosely equal to `""`. `then` is taken whenever present (even `null`); `else`
//! only when it is a truthy value, so `"else": false` gives undefined.

use crate::prelude::*;

#[cfg(feature = "all-directives")]
use super::js_value_rules::is_blank;
use super::js_value_rules::is_truthy;
use super::parse::{has_directive_key, option, throw, Compiler, Failure, VALIDATES};
use super::{Expr, Value};
use crate::data::{Data, Kind};

/// A compiled `@if`.
#[derive(Clone, Debug)]
pub struct If<D> {
    condition: Condition<D>,
    then: Option<Expr<D>>,
    otherwise: Option<Expr<D>>,
}

#[derive(Clone, Debug)]
enum Condition<D> {
    /// Holds when the value is not undefined and not `null`.
    Exists(Expr<D>),
    /// Holds when the value is not loosely equal to `""`.
    #[cfg(feature = "all-directives")]
    Blank(Expr<D>),
}

pub(super) fn compile<D: Data>(
    compiler: &mut Compiler<'_>,
    argument: &D,
) -> Result<Expr<D>, Failure> {
    if VALIDATES {
        // `validate`: an object without directives, each of its values a valid mapping (those
        // not read here too).
        if argument.kind() != Kind::Object || has_directive_key(argument) {
            return Err(compiler.error(message!("@if needs an object of options")));
        }
        // Compiled as a plain object, which checks every value (the options compiled below
        // again): fewer bytes than a walk of its own.
        compiler.expr(argument)?;
    }
    // (Refused above in the default build.)
    if !VALIDATES && argument.kind() != Kind::Object {
        return Ok(throw("@if requires an object with an \"exists\" key"));
    }
    let exists = option(argument, "exists");
    let blank = option(argument, "blank");
    if !exists.iter().chain(blank.iter()).any(is_truthy) {
        return Ok(throw("@if requires an \"exists\" key or a \"blank\" key"));
    }
    let condition = match (exists, blank) {
        (Some(exists), _) => Condition::Exists(compiler.expr(&exists)?),
        #[cfg(feature = "all-directives")]
        (None, Some(blank)) => Condition::Blank(compiler.expr(&blank)?),
        // The default build refuses it where it is compiled: the workspace goes to the full build.
        #[cfg(not(feature = "all-directives"))]
        (None, Some(_)) => {
            return Err(compiler.error(message!("@if with blank is run by the full build")))
        }
        (None, None) => return Ok(throw("@if requires an \"exists\" key or a \"blank\" key")),
    };
    let then = compiler.option(option(argument, "then").as_ref())?;
    let otherwise = option(argument, "else").filter(is_truthy);
    let otherwise = compiler.option(otherwise.as_ref())?;
    Ok(Expr::If(Box::new(If {
        condition,
        then,
        otherwise,
    })))
}

impl<D: Data> If<D> {
    pub(super) fn evaluate(&self, root: &D) -> Value<D> {
        let holds = match &self.condition {
            Condition::Exists(expr) => expr
                .evaluate(root)?
                .is_some_and(|value| value.kind() != Kind::Null),
            #[cfg(feature = "all-directives")]
            Condition::Blank(expr) => expr.evaluate(root)?.is_some_and(|value| !is_blank(&value)),
        };
        let branch = if holds { &self.then } else { &self.otherwise };
        match branch {
            Some(expr) => expr.evaluate(root),
            None => Ok(None),
        }
    }
}
