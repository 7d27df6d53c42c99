//! Shape checks for calls into generated entry points, as the spec declares them.
//!
//! The bindings that `parpyc-build` generates use [`Shapes`] before every launch; callers of
//! entry points loaded with [`Library::get`](crate::Library::get) can use it too. Each array's
//! declared dims are compared with the buffer's shape: a literal must match, a symbol named
//! like an integer argument must equal that argument, and any other symbol takes its value
//! from the first array that has it and must agree with every later one.
//!
//! ```
//! use parpy_runtime::bind::{Dim, Shapes};
//!
//! // mv(A: f64[N, M], b: f64[M], out: f64[N], N: i64), called with N = 2:
//! let mut s = Shapes::new("mv_parpy");
//! s.scalar("N", 2i64);
//! s.array("A", "f64[N, M]", &[2, 3], &[Dim::Symbol("N"), Dim::Symbol("M")])?;
//! s.array("out", "f64[N]", &[2], &[Dim::Symbol("N")])?;
//! let err = s.array("b", "f64[M]", &[4], &[Dim::Symbol("M")]).unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "mv_parpy: argument `b` has shape [4], but the spec declares f64[M]: \
//!      dimension 0 is M, which is 3 in dimension 1 of `A`"
//! );
//! assert_eq!(s.symbol("M")?, 3);
//! # Ok::<(), parpy_runtime::Error>(())
//! ```

use crate::Error;

/// A dimension as the spec declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dim<'a> {
    /// A literal size.
    Const(i64),
    /// An integer argument's name, or a shape symbol bound from the arrays.
    Symbol(&'a str),
}

#[derive(Clone, Copy, Debug)]
enum Origin<'a> {
    Scalar,
    Array { argument: &'a str, dim: usize },
}

#[derive(Clone, Copy, Debug)]
struct Binding<'a> {
    name: &'a str,
    value: i128,
    origin: Origin<'a>,
}

/// The symbols bound so far in one call; see the [module documentation](self).
#[derive(Clone, Debug)]
pub struct Shapes<'a> {
    function: &'a str,
    bound: Vec<Binding<'a>>,
}

impl<'a> Shapes<'a> {
    /// Checks for a call of `function` (the name used in messages).
    pub fn new(function: &'a str) -> Shapes<'a> {
        Shapes {
            function,
            bound: Vec::new(),
        }
    }

    /// Binds the integer argument `name`, which some array's dims mention, to its value.
    /// Call this for such arguments before [`array`](Shapes::array).
    pub fn scalar(&mut self, name: &'a str, value: impl Into<i128>) {
        self.bound.push(Binding {
            name,
            value: value.into(),
            origin: Origin::Scalar,
        });
    }

    /// Checks the array argument `argument`, declared as `declared` (`f32[N, M]`, for messages)
    /// with `dims`, against its `shape`, binding symbols seen for the first time.
    pub fn array(
        &mut self,
        argument: &'a str,
        declared: &str,
        shape: &[usize],
        dims: &[Dim<'a>],
    ) -> Result<(), Error> {
        let fail = |why: String| {
            Error::argument(
                self.function,
                argument,
                format!("has shape {shape:?}, but the spec declares {declared}{why}"),
            )
        };
        if shape.len() != dims.len() {
            let n = dims.len();
            return Err(fail(format!(
                " ({n} dimension{})",
                if n == 1 { "" } else { "s" }
            )));
        }
        for (i, (&size, dim)) in shape.iter().zip(dims).enumerate() {
            let size = size as i128;
            match *dim {
                Dim::Const(n) => {
                    if size != i128::from(n) {
                        return Err(fail(format!(": dimension {i} must be {n}")));
                    }
                }
                Dim::Symbol(name) => match self.bound.iter().find(|b| b.name == name) {
                    Some(b) if b.value != size => {
                        let from = match b.origin {
                            Origin::Scalar => {
                                format!("which argument `{name}` sets to {}", b.value)
                            }
                            Origin::Array { argument, dim } => {
                                format!("which is {} in dimension {dim} of `{argument}`", b.value)
                            }
                        };
                        return Err(fail(format!(": dimension {i} is {name}, {from}")));
                    }
                    Some(_) => {}
                    None => self.bound.push(Binding {
                        name,
                        value: size,
                        origin: Origin::Array { argument, dim: i },
                    }),
                },
            }
        }
        Ok(())
    }

    /// The value of a shape symbol bound by [`array`](Shapes::array), as the C entry point
    /// takes it.
    pub fn symbol(&self, name: &str) -> Result<i64, Error> {
        let b = self.bound.iter().find(|b| b.name == name).ok_or_else(|| {
            Error::argument(
                self.function,
                name,
                "is a shape symbol, but no array argument gave it a value",
            )
        })?;
        i64::try_from(b.value).map_err(|_| {
            Error::argument(
                self.function,
                name,
                format!("is {}, more than int64_t holds", b.value),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use Dim::{Const, Symbol as Sym};

    #[test]
    fn binds_and_checks_symbols() {
        let mut s = Shapes::new("softmax");
        s.scalar("N", 3i64);
        s.scalar("M", 4i64);
        s.array("x", "f32[N, M]", &[3, 4], &[Sym("N"), Sym("M")])
            .unwrap();
        let e = s
            .array("out", "f32[N, M]", &[3, 5], &[Sym("N"), Sym("M")])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "softmax: argument `out` has shape [3, 5], but the spec declares f32[N, M]: \
             dimension 1 is M, which argument `M` sets to 4"
        );
        assert!(matches!(e, Error::Argument { ref argument, .. } if argument == "out"));
    }

    #[test]
    fn ranks_and_literals() {
        let mut s = Shapes::new("f");
        let e = s
            .array("A", "f32[N, 4]", &[6], &[Sym("N"), Const(4)])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "f: argument `A` has shape [6], but the spec declares f32[N, 4] (2 dimensions)"
        );
        let e = s
            .array("A", "f32[N, 4]", &[2, 5], &[Sym("N"), Const(4)])
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "f: argument `A` has shape [2, 5], but the spec declares f32[N, 4]: dimension 1 must be 4"
        );
        s.array("x", "f32[]", &[], &[]).unwrap();
        s.array("A", "f32[N, 4]", &[2, 4], &[Sym("N"), Const(4)])
            .unwrap();
        assert_eq!(s.symbol("N").unwrap(), 2);
    }

    #[test]
    fn negative_scalars_never_match() {
        let mut s = Shapes::new("f");
        s.scalar("N", -1i64);
        assert!(s.array("A", "f32[N]", &[0], &[Sym("N")]).is_err());
        s.scalar("K", u64::MAX);
        assert!(s.array("B", "f32[K]", &[5], &[Sym("K")]).is_err());
    }

    #[test]
    fn unbound_symbols_are_errors() {
        let s = Shapes::new("f");
        assert_eq!(
            s.symbol("M").unwrap_err().to_string(),
            "f: argument `M` is a shape symbol, but no array argument gave it a value"
        );
    }
}
