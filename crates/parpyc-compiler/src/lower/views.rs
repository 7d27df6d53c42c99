//! Slices passed to helpers: `f(x[i, :])` gives `f` a view of row `i` of `x`. The call binds
//! the array under a hidden name and each fixed index to a hidden local (evaluated where the
//! call is), and the helper's body is rewritten so that `row[j]` reads `x[i, j]`, `row[:]` is
//! `x[i, :]`, and a bare `row` (passed on, or reduced) is the slice `x[i, :]` itself.
//!
//! A slice with bounds or a step (`f(x[i, 2:6])`, `f(x[::-1])`) is a view too: the call also
//! binds the slice's first index, its length and its bounds as written to hidden locals, so
//! that `w[j]` reads `x[i, start + j * step]` (`w[-1]` counts from the view's end), and `w[:]`
//! or a bare `w` is the slice `x[i, lo:hi:step]` with the bounds the caller gave. Slicing such
//! a view again with bounds (`w[1:3]`) is reported.

use crate::diag::Span;
use crate::front::ast::{BinOp, Expr, ExprKind, Index, Stmt};

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
