//! Dependences between the iterations of a parallel loop that the loop's indices prove.
//!
//! The iterations of a parallel loop run at once and in no order, and the rows forms of the
//! CUDA back end also change which thread runs which iteration; so no iteration may read or
//! write an element that another one writes. A running sum written as a parallel loop,
//! `out[i + 1] = out[i] + x[i]`, breaks that (iteration `i + 1` reads what iteration `i`
//! writes), and so does an in-place stencil (`x[i] = (x[i - 1] + x[i + 1]) / 2`). This module
//! finds such pairs where the indices show them: both accesses run in every iteration (not
//! under a condition), and in each dimension both indices are the same affine function of the
//! loop's variable plus terms that do not change in the loop, differing by a constant. Then
//! iteration `i` and iteration `i + d` touch the same element for one fixed distance `d`. Two
//! more patterns are certain too: an access mirrored across the loop's range (`x[i]` against
//! `x[N - 1 - i]` over `range(N)`, pairs of iterations at varying distances), and a write whose
//! index maps several iterations to one element (`out[i // 2]`, `out[i % 4]`, the other
//! dimensions not moving with the loop). A local the body assigns once, at its top level, from
//! arithmetic without loads (`t = i - 1`) is read through its definition. Anything less
//! certain (indices through loads or through other locals the loop assigns, different
//! coefficients such as `x[2 * i]` against `x[i]`, accesses under `if`) is left alone: the
//! check rejects only what is certainly wrong.

use std::collections::HashMap;

use super::mapping::{count_assignments, LoopFacts};
use crate::diag::Span;
use crate::ir::{ArrayId, BinOp, Expr, ExprKind, For, Stmt, UnOp, VarId};

/// A dependence found: iteration `i` writes the element that iteration `i + distance`
/// accesses (`other_writes`: writes too, otherwise reads).
#[derive(Debug)]
pub(super) struct Carried {
    pub array: ArrayId,
    pub write: Span,
    pub other: Span,
    pub other_writes: bool,
    pub distance: i64,
    /// Whether the distance holds for every iteration (`i % 4`), or only for some (`i // 2`:
    /// iterations 0 and 1, not 1 and 2).
    pub exact: bool,
}

/// One access of an array element that every iteration makes.
struct Access<'a> {
    array: ArrayId,
    /// The index, with the locals the loop defines before the access replaced by their
    /// definitions (see [`carried`]).
    index: Vec<Expr>,
    write: bool,
    /// A write's value.
    value: Option<&'a Expr>,
    span: &'a Span,
}

/// The first dependence between iterations of parallel loop `l` that its indices prove;
/// `facts` says what changes in the loop.
pub(super) fn carried(l: &For, facts: &LoopFacts) -> Option<Carried> {
    // Locals the body assigns once, at its top level, from arithmetic without loads (`t = i -
    // 1`): an access after the assignment reads the definition (`y[t]` is `y[i - 1]`).
    let mut counts = HashMap::new();
    for st in &l.body {
        count_assignments(st, &mut counts);
    }
    let mut defs: Vec<(VarId, Expr)> = Vec::new();
    let mut accesses = Vec::new();
    for st in &l.body {
        let first = accesses.len();
        collect(std::slice::from_ref(st), &mut accesses);
        for a in &mut accesses[first..] {
            a.index = a.index.iter().map(|e| substitute(e, &defs)).collect();
        }
        if let Stmt::Assign { var, value, .. } = st {
            let mut externs = false;
            value.visit_externs(&mut |_, _| externs = true);
            if counts.get(var) == Some(&1) && !value.loads() && !externs {
                defs.push((*var, substitute(value, &defs)));
            }
        }
    }
    // A value that is the same in every iteration: writes of it to one element agree (as for
    // E0413's `out[0] = 0.0`).
    let fixed = |v: Option<&Expr>| v.is_some_and(|v| facts.fixed(v));
    for w in accesses.iter().filter(|a| a.write && !fixed(a.value)) {
        if let Some((distance, exact)) = collision(l, facts, &w.index) {
            return Some(Carried {
                array: w.array,
                write: w.span.clone(),
                other: w.span.clone(),
                other_writes: true,
                distance,
                exact,
            });
        }
    }
    for w in accesses.iter().filter(|a| a.write) {
        for o in &accesses {
            if o.array != w.array || o.index.len() != w.index.len() {
                continue;
            }
            if o.write && fixed(w.value) && w.value == o.value {
                continue;
            }
            let (distance, exact) = match distance(l, facts, &w.index, &o.index) {
                Some(d) => (d, true),
                None if mirror(l, facts, &w.index, &o.index) => (0, false),
                None => continue,
            };
            return Some(Carried {
                array: w.array,
                write: w.span.clone(),
                other: o.span.clone(),
                other_writes: o.write,
                distance,
                exact,
            });
        }
    }
    None
}

/// The accesses of `body` that run whenever it does, in order: not under `if`, `while`, a
/// conditional expression or the right side of `and`/`or`, nor in a loop that may leave early.
fn collect<'a>(body: &'a [Stmt], out: &mut Vec<Access<'a>>) {
    for s in body {
        match s {
            Stmt::Assign { value, span, .. } | Stmt::Eval(value, span) => reads(value, span, out),
            Stmt::Store {
                array,
                index,
                value,
                span,
            } => {
                for e in index {
                    reads(e, span, out);
                }
                reads(value, span, out);
                out.push(Access {
                    array: *array,
                    index: index.clone(),
                    write: true,
                    value: Some(value),
                    span,
                });
            }
            Stmt::For(m) => {
                let mut leaves = false;
                for st in &m.body {
                    st.walk(&mut |x| leaves |= matches!(x, Stmt::Break | Stmt::Continue));
                }
                if !leaves {
                    reads(&m.start, &m.span, out);
                    reads(&m.stop, &m.span, out);
                    collect(&m.body, out);
                }
            }
            Stmt::If { cond, span, .. } | Stmt::While { cond, span, .. } => reads(cond, span, out),
            _ => {}
        }
    }
}

/// The loads of `e` that every evaluation of it makes.
fn reads<'a>(e: &'a Expr, span: &'a Span, out: &mut Vec<Access<'a>>) {
    match &e.kind {
        ExprKind::Load { array, index } => {
            for x in index {
                reads(x, span, out);
            }
            out.push(Access {
                array: *array,
                index: index.clone(),
                write: false,
                value: None,
                span,
            });
        }
        ExprKind::Unary(_, x) | ExprKind::Cast(x) => reads(x, span, out),
        ExprKind::Binary(BinOp::And | BinOp::Or, a, _) => reads(a, span, out),
        ExprKind::Binary(_, a, b) => {
            reads(a, span, out);
            reads(b, span, out);
        }
        ExprKind::Math(_, args) | ExprKind::Extern { args, .. } => {
            for x in args {
                reads(x, span, out);
            }
        }
        ExprKind::Select { cond, .. } => reads(cond, span, out),
        _ => {}
    }
}

/// `d` where element `write` of iteration `i` is element `other` of iteration `i + d`, `d` a
/// non-zero multiple of the loop's step within its range, if the indices prove one.
fn distance(l: &For, facts: &LoopFacts, write: &[Expr], other: &[Expr]) -> Option<i64> {
    let mut found: Option<i64> = None;
    for (w, o) in write.iter().zip(other) {
        let (w, o) = (Linear::of(w)?, Linear::of(o)?);
        let (a, rest_w, kw) = w.split(facts)?;
        let (b, rest_o, ko) = o.split(facts)?;
        if a != b || !rest_w.same(&rest_o) {
            return None;
        }
        // a * i1 + k_w == a * i2 + k_o: i2 - i1 == (k_w - k_o) / a.
        let c = kw.checked_sub(ko)?;
        if a == 0 {
            if c != 0 {
                return None;
            }
            continue;
        }
        if c.checked_rem(a)? != 0 {
            return None;
        }
        let d = c.checked_div(a)?;
        if found.is_some_and(|f| f != d) {
            return None;
        }
        found = Some(d);
    }
    let d = found?;
    if d == 0 || d.checked_rem(l.step)? != 0 {
        return None;
    }
    // Two iterations that far apart must exist.
    if iterations(l)?.is_some_and(|n| n.unsigned_abs() <= d.unsigned_abs() / l.step.unsigned_abs())
    {
        return None;
    }
    Some(d)
}

/// The number of iterations of `l` where its bounds are constants (`Some(None)` where they are
/// not), `None` where counting them overflows.
fn iterations(l: &For) -> Option<Option<i64>> {
    let (ExprKind::Int(start), ExprKind::Int(stop)) = (&strip(&l.start).kind, &strip(&l.stop).kind)
    else {
        return Some(None);
    };
    let extent = if l.step > 0 {
        stop.checked_sub(*start)?
    } else {
        start.checked_sub(*stop)?
    };
    let step = i64::try_from(l.step.unsigned_abs()).ok()?;
    Some(Some(if extent <= 0 {
        0
    } else {
        (extent - 1) / step + 1
    }))
}

/// Whether element `write` of iteration `i` is element `other` of the iteration as far from
/// the range's other end (`x[i]` and `x[N - 1 - i]` over `range(N)`): one dimension has the
/// loop's variable with opposite coefficients, their other terms add up to the range's
/// `first + last` times the coefficient, and every other dimension is the same element in
/// every iteration. Steps of 1 and -1.
fn mirror(l: &For, facts: &LoopFacts, write: &[Expr], other: &[Expr]) -> bool {
    let check = || -> Option<bool> {
        if l.step.unsigned_abs() != 1 {
            return Some(false);
        }
        let mut found = false;
        for (w, o) in write.iter().zip(other) {
            let (a, rest_w, kw) = Linear::of(w)?.split(facts)?;
            let (b, rest_o, ko) = Linear::of(o)?.split(facts)?;
            if a == 0 && b == 0 {
                if !rest_w.same(&rest_o) || kw != ko {
                    return Some(false);
                }
                continue;
            }
            if a != b.checked_neg()? || found {
                return Some(false);
            }
            found = true;
            // a * i1 + w == -a * i2 + o: a * (i1 + i2) == o - w, where i1 + i2 is
            // start + stop - step for the pairs the range mirrors.
            let mut diff = rest_o.plus(&rest_w, -1)?;
            diff.konst = ko.checked_sub(kw)?;
            let mut ends = Linear::of(&l.start)?.plus(&Linear::of(&l.stop)?, 1)?;
            ends.konst = ends.konst.checked_sub(l.step)?;
            let (zero, ends, k) = ends.split(facts)?;
            if zero != 0 {
                return Some(false);
            }
            let mut ends = Linear::default().plus(&ends, a)?;
            ends.konst = k.checked_mul(a)?;
            if !diff.same(&ends) || diff.konst != ends.konst {
                return Some(false);
            }
        }
        if !found {
            return Some(false);
        }
        // At least two iterations.
        Some(iterations(l)?.is_none_or(|n| n >= 2))
    };
    check().unwrap_or(false)
}

/// Where an element written in every iteration is the same in two of them: one dimension
/// `e // c` or `e % c`, `e` linear in the loop's variable, that maps several iterations to one
/// value (`i // 2`, `i % 4`), and every other dimension the same in all iterations. Returns a
/// distance between two such iterations and whether it holds for all of them.
fn collision(l: &For, facts: &LoopFacts, index: &[Expr]) -> Option<(i64, bool)> {
    let mut found = None;
    for x in index {
        if let Some((a, _, _)) = Linear::of(x).and_then(|lin| lin.split(facts)) {
            if a == 0 {
                continue;
            }
            // The dimension moves with the loop, one element per iteration.
            return None;
        }
        let ExprKind::Binary(op @ (BinOp::FloorDiv | BinOp::Mod), inner, c) = &strip(x).kind else {
            return None;
        };
        let ExprKind::Int(c) = strip(c).kind else {
            return None;
        };
        let (a, _, _) = Linear::of(inner)?.split(facts)?;
        // How far the dividend moves from one iteration to the next.
        let stride = a.checked_mul(l.step)?.checked_abs()?;
        if c < 2 || a == 0 || found.is_some() {
            return None;
        }
        found = Some((*op, stride, c));
    }
    let (op, stride, c) = found?;
    let count = iterations(l)?;
    match op {
        // Dividends `stride` apart: `count` of them span `(count - 1) * stride`, so they fall
        // into at most `(count - 1) * stride / c + 2` quotients (wherever the first one
        // starts), fewer than `count` when two share one.
        BinOp::FloorDiv if stride < c => {
            if let Some(n) = count {
                let quotients = n.checked_sub(1)?.checked_mul(stride)? / c + 2;
                if n <= quotients {
                    return None;
                }
            }
            Some((l.step, false))
        }
        // Iterations `c` apart have the same remainder.
        BinOp::Mod => {
            if count.is_some_and(|n| n <= c) {
                return None;
            }
            Some((c.checked_mul(l.step)?, true))
        }
        _ => None,
    }
}

/// `e` with the variables `defs` defines replaced by their definitions.
fn substitute(e: &Expr, defs: &[(VarId, Expr)]) -> Expr {
    let mut e = e.clone();
    fn go(e: &mut Expr, defs: &[(VarId, Expr)]) {
        match &mut e.kind {
            ExprKind::Var(v) => {
                if let Some((_, d)) = defs.iter().find(|(w, _)| w == v) {
                    // A definition of another type is reached through a cast.
                    *e = d.clone().cast(e.ty);
                }
            }
            ExprKind::Unary(_, x) | ExprKind::Cast(x) => go(x, defs),
            ExprKind::Binary(_, a, b) => {
                go(a, defs);
                go(b, defs);
            }
            ExprKind::Load { index, .. } => index.iter_mut().for_each(|x| go(x, defs)),
            ExprKind::Math(_, args) | ExprKind::Extern { args, .. } => {
                args.iter_mut().for_each(|x| go(x, defs))
            }
            ExprKind::Select { cond, then, els } => {
                go(cond, defs);
                go(then, defs);
                go(els, defs);
            }
            _ => {}
        }
    }
    go(&mut e, defs);
    e
}

fn strip(e: &Expr) -> &Expr {
    match &e.kind {
        ExprKind::Cast(x) if e.ty.is_int() && x.ty.is_int() => strip(x),
        _ => e,
    }
}

/// `sum(coefficient * term) + constant`, the terms being integer subexpressions that are not
/// sums, differences or constant multiples.
#[derive(Debug, Default)]
struct Linear {
    terms: Vec<(Expr, i64)>,
    konst: i64,
}

impl Linear {
    fn of(e: &Expr) -> Option<Linear> {
        let mut l = Linear {
            terms: Vec::new(),
            konst: 0,
        };
        l.add(e, 1)?;
        l.terms.retain(|t| t.1 != 0);
        Some(l)
    }

    /// Adds `scale * e`; `None` on overflow.
    fn add(&mut self, e: &Expr, scale: i64) -> Option<()> {
        let e = strip(e);
        match &e.kind {
            ExprKind::Int(c) => self.konst = self.konst.checked_add(c.checked_mul(scale)?)?,
            ExprKind::Binary(BinOp::Add, a, b) => {
                self.add(a, scale)?;
                self.add(b, scale)?;
            }
            ExprKind::Binary(BinOp::Sub, a, b) => {
                self.add(a, scale)?;
                self.add(b, scale.checked_neg()?)?;
            }
            ExprKind::Binary(BinOp::Mul, a, b) if matches!(strip(a).kind, ExprKind::Int(_)) => {
                let ExprKind::Int(c) = strip(a).kind else {
                    unreachable!()
                };
                self.add(b, scale.checked_mul(c)?)?;
            }
            ExprKind::Binary(BinOp::Mul, a, b) if matches!(strip(b).kind, ExprKind::Int(_)) => {
                let ExprKind::Int(c) = strip(b).kind else {
                    unreachable!()
                };
                self.add(a, scale.checked_mul(c)?)?;
            }
            ExprKind::Unary(UnOp::Neg, a) => self.add(a, scale.checked_neg()?)?,
            _ if e.ty.is_int() => match self.terms.iter_mut().find(|t| t.0 == *e) {
                Some(t) => t.1 = t.1.checked_add(scale)?,
                None => self.terms.push((e.clone(), scale)),
            },
            _ => return None,
        }
        Some(())
    }

    /// The coefficient of the loop's variable, the other terms and the constant, if no other
    /// term changes in the loop (reads the loop's variable, one its body assigns, or memory).
    fn split(self, facts: &LoopFacts) -> Option<(i64, Linear, i64)> {
        let mut coefficient = 0;
        let mut rest = Vec::new();
        for (t, c) in self.terms {
            if t.kind == ExprKind::Var(facts.var) {
                coefficient = c;
                continue;
            }
            let mut moves = t.loads();
            t.visit_vars(&mut |v| moves |= v == facts.var || facts.assigned.contains(&v));
            if moves {
                return None;
            }
            rest.push((t, c));
        }
        Some((
            coefficient,
            Linear {
                terms: rest,
                konst: 0,
            },
            self.konst,
        ))
    }

    /// `self + scale * other`.
    fn plus(mut self, other: &Linear, scale: i64) -> Option<Linear> {
        for (t, c) in &other.terms {
            let c = c.checked_mul(scale)?;
            match self.terms.iter_mut().find(|u| u.0 == *t) {
                Some(u) => u.1 = u.1.checked_add(c)?,
                None => self.terms.push((t.clone(), c)),
            }
        }
        self.konst = self.konst.checked_add(other.konst.checked_mul(scale)?)?;
        self.terms.retain(|t| t.1 != 0);
        Some(self)
    }

    fn same(&self, other: &Linear) -> bool {
        self.terms.len() == other.terms.len()
            && self
                .terms
                .iter()
                .all(|t| other.terms.iter().any(|u| u.0 == t.0 && u.1 == t.1))
    }
}
