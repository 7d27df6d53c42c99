//! Slices passed to helpers: `f(x[i, :])` gives `f` a view of row `i` of `x`. The call binds
//! the array under a hidden name and each fixed index to a hidden local (evaluated where the
//! call is), and the helper's body is rewritten so that `row[j]` reads `x[i, j]`, `row[:]` is
//! `x[i, :]`, and a bare `row` (passed on, or reduced) is the slice `x[i, :]` itself.
//!
//! A slice with bounds or a step (`f(x[i, 2:6])`, `f(x[::-1])`) is a view too: the call also
//! binds the slice's first index, its length and its bounds as written to hidden locals, so
//! that `w[j]` reads `x[i, start + j * step]` (`w[-1]` counts from the view's end), and `w[:]`
//! or a bare `w` is the slice `x[i, lo:hi:step]` with the bounds the caller gave. Slicing such
//! a view again (`w[1:3]`, `w[::2]`) is the slice of the array that Python's meaning selects:
//! the bounds are taken into `0..=len(w)` as Python takes them, then mapped through the view
//! (`x[i, start + lo * step : start + hi * step : sub * step]`). Where the view or the
//! sub-slice steps backwards, that is reported.

use crate::diag::Span;
use crate::front::ast::{BinOp, CmpOp, Expr, ExprKind, Index, Stmt};

pub struct View {
    /// The helper's parameter.
    pub param: String,
    /// The hidden name the array is bound to in the helper.
    pub array: String,
    /// Per dimension of the array: how the view addresses it.
    pub dims: Vec<ViewDim>,
}

pub enum ViewDim {
    /// A fixed index, held by the hidden local.
    Fixed(String),
    /// The whole dimension (`:`).
    Whole,
    /// A slice with bounds or a step: hidden locals for its first index and its length, the
    /// constant step, and hidden locals for the bounds as written (`None` where omitted).
    Range {
        start: String,
        len: String,
        step: i64,
        lo: Option<String>,
        hi: Option<String>,
    },
}

/// Rewrites the helper's body for `view`; returns the spans of sub-slices of bounded views,
/// which cannot be expressed.
pub fn rewrite(stmts: &mut [Stmt], view: &View) -> Vec<Span> {
    let mut bad = Vec::new();
    rewrite_block(stmts, view, &mut bad);
    bad
}

fn rewrite_block(stmts: &mut [Stmt], view: &View, bad: &mut Vec<Span>) {
    for s in stmts {
        let (exprs, blocks) = s.parts_mut();
        for e in exprs {
            rewrite_expr(e, view, bad);
        }
        for b in blocks {
            rewrite_block(b, view, bad);
        }
    }
}

fn int(v: i64, span: &Span) -> Expr {
    Expr {
        kind: ExprKind::Int(v),
        span: span.clone(),
    }
}

fn bin(op: BinOp, a: Expr, b: Expr, span: &Span) -> Expr {
    Expr {
        kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
        span: span.clone(),
    }
}

/// The slice of the array that a view dimension spans, as the caller wrote it.
fn spanned(d: &ViewDim, span: &Span) -> Index {
    match d {
        ViewDim::Range { step, lo, hi, .. } => Index::Slice {
            lo: lo.as_ref().map(|l| Box::new(name(l, span))),
            hi: hi.as_ref().map(|h| Box::new(name(h, span))),
            step: Some(Box::new(int(*step, span))),
            span: span.clone(),
        },
        _ => full(span),
    }
}

fn full(span: &Span) -> Index {
    Index::Slice {
        lo: None,
        hi: None,
        step: None,
        span: span.clone(),
    }
}

fn name(n: &str, span: &Span) -> Expr {
    Expr {
        kind: ExprKind::Name(n.to_string()),
        span: span.clone(),
    }
}

fn rewrite_expr(e: &mut Expr, view: &View, bad: &mut Vec<Span>) {
    let span = e.span.clone();
    match &mut e.kind {
        ExprKind::Subscript { base, indices } if matches!(&base.kind, ExprKind::Name(n) if *n == view.param) =>
        {
            for i in indices.iter_mut() {
                match i {
                    Index::Expr(x) => rewrite_expr(x, view, bad),
                    Index::Slice { lo, hi, step, .. } => {
                        for x in [lo, hi, step].into_iter().flatten() {
                            rewrite_expr(x, view, bad);
                        }
                    }
                }
            }
            let mut given = std::mem::take(indices).into_iter();
            let mut merged = Vec::new();
            for d in &view.dims {
                match d {
                    ViewDim::Fixed(local) => merged.push(Index::Expr(name(local, &base.span))),
                    ViewDim::Whole => merged.push(given.next().unwrap_or_else(|| full(&span))),
                    ViewDim::Range {
                        start, len, step, ..
                    } => match given.next() {
                        Some(Index::Expr(x)) => {
                            let sp = x.span.clone();
                            // A negative literal counts from the view's end.
                            let v = match super::expr::const_int(&x) {
                                Some(k) if k < 0 => bin(BinOp::Add, name(len, &sp), x, &sp),
                                _ => x,
                            };
                            // `start + v * step`, as `start - v * -step` for a negative
                            // step (so that the index reads as non-negative).
                            let size = step.abs();
                            let scaled = if size == 1 {
                                v
                            } else {
                                bin(BinOp::Mul, v, int(size, &sp), &sp)
                            };
                            let op = if *step < 0 { BinOp::Sub } else { BinOp::Add };
                            merged.push(Index::Expr(bin(op, name(start, &sp), scaled, &sp)));
                        }
                        Some(Index::Slice {
                            lo: None,
                            hi: None,
                            step: None,
                            span: sp,
                        }) => merged.push(spanned(d, &sp)),
                        Some(Index::Slice {
                            lo,
                            hi,
                            step: sub,
                            span: sp,
                        }) if *step > 0 && positive_step(&sub) => {
                            merged.push(sub_slice(start, len, *step, lo, hi, sub, &sp));
                        }
                        Some(other) => {
                            bad.push(other.span());
                            merged.push(other);
                        }
                        None => merged.push(spanned(d, &span)),
                    },
                }
            }
            // Extra indices stay, for lowering to report.
            merged.extend(given);
            base.kind = ExprKind::Name(view.array.clone());
            *indices = merged;
        }
        ExprKind::Name(n) if *n == view.param => {
            let indices = view
                .dims
                .iter()
                .map(|d| match d {
                    ViewDim::Fixed(local) => Index::Expr(name(local, &span)),
                    d => spanned(d, &span),
                })
                .collect();
            e.kind = ExprKind::Subscript {
                base: Box::new(name(&view.array, &span)),
                indices,
            };
        }
        _ => {
            for c in e.children_mut() {
                rewrite_expr(c, view, bad);
            }
        }
    }
}

/// Whether a sub-slice's step is omitted or a positive literal.
fn positive_step(step: &Option<Box<Expr>>) -> bool {
    match step {
        None => true,
        Some(x) => super::expr::const_int(x).is_some_and(|k| k > 0),
    }
}

fn cmp(op: CmpOp, a: Expr, b: Expr, span: &Span) -> Expr {
    Expr {
        kind: ExprKind::Compare(Box::new(a), vec![(op, b)]),
        span: span.clone(),
    }
}

fn pick(cond: Expr, then: Expr, els: Expr, span: &Span) -> Expr {
    Expr {
        kind: ExprKind::IfExp {
            cond: Box::new(cond),
            then: Box::new(then),
            els: Box::new(els),
        },
        span: span.clone(),
    }
}

fn min(a: Expr, b: Expr, span: &Span) -> Expr {
    pick(cmp(CmpOp::Lt, b.clone(), a.clone(), span), b, a, span)
}

fn max(a: Expr, b: Expr, span: &Span) -> Expr {
    pick(cmp(CmpOp::Gt, b.clone(), a.clone(), span), b, a, span)
}

/// A bound of a sub-slice of a view of length `len` (a positive step), as Python takes it:
/// negative counts from the end, then into `0..=len`.
fn view_bound(x: Expr, len: &str, span: &Span) -> Expr {
    let l = || name(len, span);
    match super::expr::const_int(&x) {
        Some(k) if k >= 0 => min(x, l(), span),
        Some(_) => max(bin(BinOp::Add, l(), x, span), int(0, span), span),
        None => pick(
            cmp(CmpOp::Lt, x.clone(), int(0, span), span),
            max(bin(BinOp::Add, x.clone(), l(), span), int(0, span), span),
            min(x, l(), span),
            span,
        ),
    }
}

/// `w[lo:hi:sub]` of a view `start + j * step` of length `len` (both steps positive), as a
/// slice of the array. The stop is at least the start, so that neither reads as counting from
/// the end; clipping it to the array's dimension then selects the same elements.
fn sub_slice(
    start: &str,
    len: &str,
    step: i64,
    lo: Option<Box<Expr>>,
    hi: Option<Box<Expr>>,
    sub: Option<Box<Expr>>,
    span: &Span,
) -> Index {
    let a = match lo {
        Some(x) => view_bound(*x, len, span),
        None => int(0, span),
    };
    let b = match hi {
        Some(x) => view_bound(*x, len, span),
        None => name(len, span),
    };
    let b = max(b, a.clone(), span);
    let at = |v: Expr| {
        let scaled = if step == 1 {
            v
        } else {
            bin(BinOp::Mul, v, int(step, span), span)
        };
        bin(BinOp::Add, name(start, span), scaled, span)
    };
    let sub = sub.and_then(|x| super::expr::const_int(&x)).unwrap_or(1);
    Index::Slice {
        lo: Some(Box::new(at(a))),
        hi: Some(Box::new(at(b))),
        step: Some(Box::new(int(sub * step, span))),
        span: span.clone(),
    }
}
