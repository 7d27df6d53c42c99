//! Slices passed to helpers: `f(x[i, :])` gives `f` a view of row `i` of `x`. The call binds
//! the array under a hidden name and each fixed index to a hidden local (evaluated where the
//! call is), and the helper's body is rewritten so that `row[j]` reads `x[i, j]`, `row[:]` is
//! `x[i, :]`, and a bare `row` (passed on, or reduced) is the slice `x[i, :]` itself. Views
//! take whole dimensions (`:`); slices with bounds or steps are not passed.

use crate::diag::Span;
use crate::front::ast::{Expr, ExprKind, Index, Stmt};

pub struct View {
    /// The helper's parameter.
    pub param: String,
    /// The hidden name the array is bound to in the helper.
    pub array: String,
    /// Per dimension of the array: the hidden local holding a fixed index, or `None` for a
    /// dimension the view spans.
    pub dims: Vec<Option<String>>,
}

pub fn rewrite(stmts: &mut [Stmt], view: &View) {
    for s in stmts {
        let (exprs, blocks) = s.parts_mut();
        for e in exprs {
            rewrite_expr(e, view);
        }
        for b in blocks {
            rewrite(b, view);
        }
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

fn rewrite_expr(e: &mut Expr, view: &View) {
    let span = e.span.clone();
    match &mut e.kind {
        ExprKind::Subscript { base, indices } if matches!(&base.kind, ExprKind::Name(n) if *n == view.param) =>
        {
            for i in indices.iter_mut() {
                match i {
                    Index::Expr(x) => rewrite_expr(x, view),
                    Index::Slice { lo, hi, step, .. } => {
                        for x in [lo, hi, step].into_iter().flatten() {
                            rewrite_expr(x, view);
                        }
                    }
                }
            }
            let mut given = std::mem::take(indices).into_iter();
            let mut merged = Vec::new();
            for d in &view.dims {
                match d {
                    Some(local) => merged.push(Index::Expr(name(local, &base.span))),
                    None => merged.push(given.next().unwrap_or_else(|| full(&span))),
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
                    Some(local) => Index::Expr(name(local, &span)),
                    None => full(&span),
                })
                .collect();
            e.kind = ExprKind::Subscript {
                base: Box::new(name(&view.array, &span)),
                indices,
            };
        }
        _ => {
            for c in e.children_mut() {
                rewrite_expr(c, view);
            }
        }
    }
}
