//! Slice statements become loops. The iteration space of a statement is the shape of its
//! target (an elementwise map), or of the reduced operand (a reduction, with `axis` or over
//! every dimension). Operands broadcast against it aligned from the right, as in NumPy; the
//! statement's labels name its loops from the left.

use super::expr::{dim_expr, TExpr};
use super::{Binding, Error, Lowerer};
use crate::diag::Span;
use crate::front::ast::{self, Builtin, ExprKind as AK, Index, ReduceOp};
use crate::ir::{self, combine, neutral, BinOp, Expr, ExprKind, Par, Reduction, Stmt, VarId};
use crate::types::{ElemTy, ScalarTy};

/// The length of one dimension of a slice expression, with the span that gave it.
#[derive(Clone, Debug)]
struct Extent {
    len: Expr,
    /// The length as the bounds are written, before clipping to the dimension: what
    /// broadcasting compares (a valid program's slices that combine are not clipped).
    written: Expr,
    span: Span,
}

pub fn has_slices(e: &ast::Expr) -> bool {
    let mut found = false;
    visit_outside_calls(e, &mut |x| {
        if let AK::Subscript { indices, .. } = &x.kind {
            found |= indices.iter().any(|i| matches!(i, Index::Slice { .. }));
        }
    });
    found
}

/// Like [`visit`], but not into the arguments of helper calls: slices there are views passed to
/// the helper, not slices of the statement.
fn visit_outside_calls(e: &ast::Expr, f: &mut impl FnMut(&ast::Expr)) {
    f(e);
    if matches!(e.kind, AK::CallFn { .. }) {
        return;
    }
    for c in e.children() {
        visit_outside_calls(c, f);
    }
}

fn visit(e: &ast::Expr, f: &mut impl FnMut(&ast::Expr)) {
    f(e);
    for c in e.children() {
        visit(c, f);
    }
}

/// Calls `f` with the name of every helper `e` calls.
pub fn visit_calls(e: &ast::Expr, f: &mut impl FnMut(&str)) {
    visit(e, &mut |x| {
        if let AK::CallFn { name, .. } = &x.kind {
            f(name)
        }
    });
}

/// Calls `f` on every name read by `e`.
pub fn visit_names(e: &ast::Expr, f: &mut impl FnMut(&str, &Span)) {
    visit(e, &mut |x| {
        if let AK::Name(n) = &x.kind {
            f(n, &x.span)
        }
    });
}

/// The reduction a right-hand side is, if it is one: `(op, operand, axis, is_python_builtin)`.
/// A reduction on the right-hand side: its operator, operand, `axis`, and whether it is
/// Python's own builtin.
type ReductionParts<'e> = (ReduceOp, &'e ast::Expr, Option<(i64, Span)>, bool);

/// Whether `e` is a reduction over every dimension of its operand (no `axis`).
pub fn is_full_reduction(e: &ast::Expr) -> bool {
    matches!(as_reduction(e), Some((_, _, None, _)))
}

fn as_reduction(e: &ast::Expr) -> Option<ReductionParts<'_>> {
    let AK::Call {
        func, args, axis, ..
    } = &e.kind
    else {
        return None;
    };
    if args.len() != 1 {
        return None;
    }
    match func {
        Builtin::Reduce(op) | Builtin::ReduceOrPair(op) => {
            Some((*op, &args[0], axis.clone(), false))
        }
        Builtin::PyReduce(op) => Some((*op, &args[0], None, true)),
        _ => None,
    }
}

impl Lowerer<'_> {
    /// Whether `value` makes its statement a slice statement: it has slices, or it is a
    /// reduction (whose operand must then be a slice expression), or it uses a whole array.
    pub(super) fn value_has_slices(&self, value: &ast::Expr) -> bool {
        if has_slices(value) || as_reduction(value).is_some() {
            return true;
        }
        // Array names indexed, or passed whole to a helper, are not whole-array operands.
        let mut bases: Vec<Span> = Vec::new();
        visit_outside_calls(value, &mut |x| {
            if let AK::Subscript { base, .. } = &x.kind {
                bases.push(base.span.clone())
            }
        });
        let mut whole = false;
        visit_outside_calls(value, &mut |x| match &x.kind {
            AK::Name(n) if !bases.contains(&x.span) => {
                if let Some(Binding::Array(a)) = self.names.get(n) {
                    whole |= !self.func.arrays[a.0 as usize].dims.is_empty();
                }
            }
            AK::Subscript { base, indices } => {
                if let AK::Name(n) = &base.kind {
                    if let Some(Binding::Array(a)) = self.names.get(n) {
                        whole |= indices.len() < self.func.arrays[a.0 as usize].dims.len();
                    }
                }
            }
            _ => {}
        });
        whole
    }

    /// A slice's step: a non-zero integer literal, 1 by default.
    pub(super) fn slice_step(&mut self, step: &Option<Box<ast::Expr>>) -> Option<i64> {
        match step {
            None => Some(1),
            Some(s) => match super::expr::const_int(s) {
                Some(v) if v != 0 => Some(v),
                _ => {
                    self.errors.push(Error::Unsupported {
                        span: s.span.clone(),
                        what: "this slice step".into(),
                        hint: "slice steps are non-zero integer literals".into(),
                    });
                    None
                }
            },
        }
    }

    /// A slice's first index: Python's default is the start, or the end for a negative step.
    pub(super) fn slice_start(
        &mut self,
        lo: &Option<Box<ast::Expr>>,
        step: i64,
        dim: &Expr,
    ) -> Option<Expr> {
        match lo {
            Some(x) => self.bound(x, dim, step, false),
            None if step < 0 => Some(Expr::binary(
                BinOp::Sub,
                dim.clone(),
                Expr::int(1),
                ElemTy::I64,
            )),
            None => Some(Expr::int(0)),
        }
    }

    /// The shape of a slice expression; `None` after reporting an error.
    fn shape(&mut self, e: &ast::Expr) -> Option<Vec<Extent>> {
        match &e.kind {
            AK::Int(_) | AK::Float(_) | AK::Bool(_) => Some(vec![]),
            AK::Name(n) => match self.names.get(n).copied() {
                Some(Binding::Array(a)) if !self.func.arrays[a.0 as usize].dims.is_empty() => {
                    let ndims = self.func.arrays[a.0 as usize].dims.len();
                    self.unaddressed(e, n, ndims);
                    None
                }
                _ => Some(vec![]),
            },
            AK::Subscript { base, indices } => {
                let AK::Name(n) = &base.kind else {
                    return Some(vec![]);
                };
                let Some(Binding::Array(a)) = self.names.get(n).copied() else {
                    return Some(vec![]);
                };
                let dims = self.func.arrays[a.0 as usize].dims.clone();
                if indices.len() < dims.len() {
                    self.unaddressed(e, n, dims.len());
                    return None;
                }
                if indices.len() > dims.len() {
                    self.errors.push(Error::WrongIndexCount {
                        span: e.span.clone(),
                        name: n.clone(),
                        ndims: dims.len(),
                        given: indices.len(),
                    });
                    return None;
                }
                let mut shape = Vec::new();
                for (k, ix) in indices.iter().enumerate() {
                    if let Index::Slice { lo, hi, step, span } = ix {
                        let dim = dim_expr(dims[k], &self.func);
                        let step = self.slice_step(step)?;
                        let mut lengths = Vec::new();
                        for clip in [true, false] {
                            let lo = match lo {
                                Some(x) if !clip => self.bound_as_written(x, &dim)?,
                                _ => self.slice_start(lo, step, &dim)?,
                            };
                            let hi = match hi {
                                Some(x) if clip => self.bound(x, &dim, step, true)?,
                                Some(x) => self.bound_as_written(x, &dim)?,
                                None if step < 0 => Expr::int(-1),
                                None => dim.clone(),
                            };
                            lengths.push(slice_length(lo, hi, step));
                        }
                        let written = lengths.pop().expect("two lengths");
                        let len = lengths.pop().expect("two lengths");
                        shape.push(Extent {
                            len,
                            written,
                            span: span.clone(),
                        });
                    }
                }
                Some(shape)
            }
            AK::Binary(_, a, b) => {
                let sa = self.shape(a);
                let sb = self.shape(b);
                self.broadcast(sa?, sb?)
            }
            AK::Unary(_, a) | AK::ConvertVar(a, _) => self.shape(a),
            AK::Compare(a, rest) => {
                let mut s = self.shape(a)?;
                for (_, r) in rest {
                    let sr = self.shape(r)?;
                    s = self.broadcast(s, sr)?;
                }
                Some(s)
            }
            AK::BoolOp(_, vs) => {
                let mut s = Vec::new();
                for v in vs {
                    let sv = self.shape(v)?;
                    s = self.broadcast(s, sv)?;
                }
                Some(s)
            }
            AK::IfExp { cond, then, els } => {
                let a = self.shape(cond)?;
                let b = self.shape(then)?;
                let c = self.shape(els)?;
                let ab = self.broadcast(a, b)?;
                self.broadcast(ab, c)
            }
            AK::CallFn { name, args, .. }
                if args.iter().any(has_slices) && self.elementwise_helper(name) =>
            {
                let mut s = Vec::new();
                for a in args {
                    let sa = self.shape(a)?;
                    s = self.broadcast(s, sa)?;
                }
                Some(s)
            }
            AK::CallFn { .. } | AK::Str(_) | AK::StaticBackendEq(_) | AK::StaticTypesEq(..) => {
                Some(vec![])
            }
            AK::Call { args, .. } | AK::CallExt { args, .. } => {
                if as_reduction(e).is_some() {
                    self.errors.push(Error::ReductionPosition {
                        span: e.span.clone(),
                    });
                    return None;
                }
                let mut s = Vec::new();
                for a in args {
                    let sa = self.shape(a)?;
                    s = self.broadcast(s, sa)?;
                }
                Some(s)
            }
        }
    }

    /// NumPy broadcasting of two shapes, aligned from the right. Lengths must be provably equal.
    fn broadcast(&mut self, a: Vec<Extent>, b: Vec<Extent>) -> Option<Vec<Extent>> {
        let (mut long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
        let off = long.len() - short.len();
        for (i, s) in short.iter().enumerate() {
            let l = &long[off + i];
            // A dimension of length 1 stretches to the other's length, as in NumPy.
            if is_one(&s.written) {
                continue;
            }
            if is_one(&l.written) {
                long[off + i] = s.clone();
                continue;
            }
            if !self.same_length(l, s) {
                return None;
            }
        }
        Some(long)
    }

    /// Whether two slice lengths agree: provably (the same affine expression), or by a check
    /// at run time when both depend only on parameters and symbols. Reports otherwise.
    fn same_length(&mut self, a: &Extent, b: &Extent) -> bool {
        if a.written == b.written {
            return true;
        }
        let (fa, fb) = (ir::affine(&a.written), ir::affine(&b.written));
        if let (Some(x), Some(y)) = (&fa, &fb) {
            if x == y {
                return true;
            }
            if x.1.is_empty() && y.1.is_empty() {
                self.errors.push(Error::ShapeMismatch {
                    span: b.span.clone(),
                    other: a.span.clone(),
                    problem: format!("this slice has length {}, the other {}", y.0, x.0),
                });
                return false;
            }
        }
        let fixed = self.fixed_vars;
        let only_params = |e: &Expr| {
            let mut ok = true;
            e.visit_vars(&mut |v| ok &= (v.0 as usize) < fixed);
            ok
        };
        if only_params(&a.written) && only_params(&b.written) {
            let line = self.source[..b.span.start.min(self.source.len())]
                .matches('\n')
                .count()
                + 1;
            self.func.checks.push(ir::ShapeCheck {
                a: a.written.clone(),
                b: b.written.clone(),
                what: format!("line {line}"),
            });
            return true;
        }
        // Lengths from values known only inside the kernel (locals, loop variables): a
        // program whose lengths differ there fails in Python too, so they are taken as equal.
        true
    }

    /// Reports an array whose dimensions are not all addressed, with the statement rewritten.
    pub(super) fn unaddressed(&mut self, e: &ast::Expr, name: &str, ndims: usize) {
        let rewrite = self.rewrite_unaddressed(e);
        // One diagnostic per statement: its hint already rewrites every reference.
        let dup = self.errors.iter().any(|x| matches!(x, Error::UnaddressedArray { span, rewrite: r, .. } if *span == e.span || (r.is_some() && *r == rewrite)));
        if !dup {
            self.errors.push(Error::UnaddressedArray {
                span: e.span.clone(),
                name: name.to_string(),
                ndims,
                rewrite,
            });
        }
    }

    /// The source of the statement around the current error with every array reference given
    /// explicit slices: `sum(A[row] * b)` becomes `sum(A[row, :] * b[:])`.
    fn rewrite_unaddressed(&self, _e: &ast::Expr) -> Option<String> {
        let stmt = self.current_value.as_ref()?;
        let mut edits: Vec<(Span, String)> = Vec::new();
        let src = self.source;
        let mut bases: Vec<Span> = Vec::new();
        visit(stmt, &mut |x| {
            if let AK::Subscript { base, .. } = &x.kind {
                bases.push(base.span.clone());
            }
        });
        visit(stmt, &mut |x| match &x.kind {
            AK::Name(n) if !bases.contains(&x.span) => {
                if let Some(Binding::Array(a)) = self.names.get(n) {
                    let nd = self.func.arrays[a.0 as usize].dims.len();
                    if nd > 0 {
                        edits.push((x.span.clone(), format!("{n}[{}]", vec![":"; nd].join(", "))));
                    }
                }
            }
            AK::Subscript { base, indices } => {
                if let AK::Name(n) = &base.kind {
                    if let Some(Binding::Array(a)) = self.names.get(n) {
                        let nd = self.func.arrays[a.0 as usize].dims.len();
                        if indices.len() < nd {
                            let text = &src[x.span.clone()];
                            let inner = text.trim_end().strip_suffix(']').unwrap_or(text);
                            let extra = vec![":"; nd - indices.len()].join(", ");
                            edits.push((x.span.clone(), format!("{inner}, {extra}]")));
                        }
                    }
                }
            }
            _ => {}
        });
        if edits.is_empty() {
            return None;
        }
        edits.sort_by_key(|(s, _)| s.start);
        let mut out = String::new();
        let mut pos = stmt.span.start;
        for (s, text) in edits {
            if s.start < pos {
                continue;
            }
            out.push_str(&src[pos..s.start]);
            out.push_str(&text);
            pos = s.end;
        }
        out.push_str(&src[pos..stmt.span.end]);
        Some(out)
    }

    /// The iteration-space shape of the target (a local has none).
    fn target_shape(&mut self, target: &ast::Expr) -> Option<Vec<Extent>> {
        match &target.kind {
            AK::Name(_) => Some(vec![]),
            _ => self.shape(target),
        }
    }

    /// The type of `operand` at a dummy iteration point, leaving no trace: helpers it inlines
    /// are inlined again, at the same scopes, when the operand is lowered for real.
    fn probe(&mut self, operand: &ast::Expr, point: &[Expr]) -> Option<TExpr> {
        let (nvars, npre, count) = (self.func.vars.len(), self.pre.len(), self.inline_count);
        let nper = self.per_element.len();
        let t = self.expr_at(operand, Some(point));
        self.func.vars.truncate(nvars);
        self.pre.truncate(npre);
        self.per_element.truncate(nper);
        self.inline_count = count;
        t
    }

    /// Lowers a statement with slices into loops (refusing one that reads the array it writes
    /// at other elements, which NumPy reads before it writes).
    pub(super) fn slice_assign(
        &mut self,
        s: &ast::Stmt,
        target: &ast::Expr,
        value: &ast::Expr,
        out: &mut Vec<Stmt>,
    ) {
        self.current_value = Some(value.clone());
        let first = out.len();
        self.slice_assign_inner(s, target, value, out);
        self.current_value = None;
        // NumPy evaluates the right side whole before writing; the loops write element by
        // element, so a read of the written array at other elements would see new values.
        let mut overlap = None;
        for st in &out[first..] {
            st.walk(&mut |x| {
                if let Stmt::Store {
                    array,
                    index,
                    value,
                    ..
                } = x
                {
                    value.visit_loads(&mut |a, ix| {
                        if a == *array
                            && ix != index.as_slice()
                            && !apart(ix, index)
                            && overlap.is_none()
                        {
                            overlap = Some(*array);
                        }
                    });
                }
            });
        }
        if let Some(a) = overlap {
            let name = self.func.arrays[a.0 as usize].name.clone();
            self.errors.push(Error::Unsupported {
                span: s.span.clone(),
                what: format!("reading `{name}` at other elements than this statement writes"),
                hint: format!("NumPy reads the right side whole before writing `{name}`; copy what it reads into another array (or a local) first, then assign from that"),
            });
        }
    }

    fn slice_assign_inner(
        &mut self,
        s: &ast::Stmt,
        target: &ast::Expr,
        value: &ast::Expr,
        out: &mut Vec<Stmt>,
    ) {
        let Some(tshape) = self.target_shape(target) else {
            return;
        };
        if let Some((op, operand, axis, python)) = as_reduction(value) {
            let Some(oshape) = self.shape(operand) else {
                return;
            };
            if oshape.is_empty() {
                self.errors.push(Error::Unsupported {
                    span: operand.span.clone(),
                    what: "a reduction of a scalar".into(),
                    hint: "reduce over a slice such as `x[i, :]`".into(),
                });
                return;
            }
            if python && oshape.len() > 1 {
                self.errors.push(Error::PythonSumOverDims {
                    span: value.span.clone(),
                    ndims: oshape.len(),
                });
                return;
            }
            match axis {
                None => {
                    if !tshape.is_empty() {
                        self.errors.push(Error::ShapeMismatch {
                            span: target.span.clone(),
                            other: value.span.clone(),
                            problem: "a slice target for a reduction to one value".into(),
                        });
                        return;
                    }
                    self.full_reduction(s, (op, python), target, operand, &oshape, out);
                }
                Some((axis, axis_span)) => {
                    let n = oshape.len() as i64;
                    let a = if axis < 0 { axis + n } else { axis };
                    if !(0..n).contains(&a) {
                        self.errors.push(Error::BadAxis {
                            span: axis_span,
                            axis,
                            ndims: oshape.len(),
                        });
                        return;
                    }
                    self.axis_reduction(s, op, target, operand, &oshape, &tshape, a as usize, out);
                }
            }
            return;
        }
        let Some(vshape) = self.shape(value) else {
            return;
        };
        if tshape.is_empty() {
            self.errors.push(Error::ShapeMismatch {
                span: value.span.clone(),
                other: target.span.clone(),
                problem: "an array value assigned to a single element".into(),
            });
            return;
        }
        if vshape.len() > tshape.len() {
            self.errors.push(Error::ShapeMismatch {
                span: value.span.clone(),
                other: target.span.clone(),
                problem: "the value has more dimensions than the target".into(),
            });
            return;
        }
        if self.broadcast(tshape.clone(), vshape).is_none() {
            return;
        }
        let Some(loops) = self.make_loops(s, &tshape, None) else {
            return;
        };
        let iter: Vec<Expr> = loops
            .iter()
            .map(|l| Expr::var(l.var, self.func.vars[l.var.0 as usize].ty))
            .collect();
        let Some(v) = self.expr_at(value, Some(&iter)) else {
            return;
        };
        let Some(store) = self.store_at(target, &iter, v) else {
            return;
        };
        let vars: Vec<VarId> = loops.iter().map(|l| l.var).collect();
        let (once, mut body) = self.hoist_pre(&vars);
        out.extend(once);
        body.append(&mut self.per_element);
        body.push(store);
        out.extend(nest(loops, body));
    }

    /// The statements that lowering a slice statement's operands left in `self.pre`: those
    /// before the first that depends on the statement's loops (`vars`) run once, before the
    /// loops, as NumPy evaluates them once (a helper called with scalars: `bump(x[i], 0)`); the
    /// rest run for each element.
    fn hoist_pre(&mut self, vars: &[VarId]) -> (Vec<Stmt>, Vec<Stmt>) {
        let mut once = Vec::new();
        let mut each = Vec::new();
        for st in std::mem::take(&mut self.pre) {
            let mut depends = !each.is_empty();
            st.walk(&mut |x| {
                x.exprs(&mut |e| e.visit_vars(&mut |v| depends |= vars.contains(&v)));
            });
            if depends {
                each.push(st);
            } else {
                once.push(st);
            }
        }
        (once, each)
    }

    /// The statement storing `v` into `target` at the iteration point `iter`.
    fn store_at(&mut self, target: &ast::Expr, iter: &[Expr], v: TExpr) -> Option<Stmt> {
        match &target.kind {
            AK::Subscript { base, indices } => {
                let (array, index) = self.element_at(base, indices, &target.span, Some(iter))?;
                self.func.arrays[array.0 as usize].written = true;
                let elem = self.func.arrays[array.0 as usize].elem;
                Some(Stmt::Store {
                    array,
                    index,
                    value: v.e.cast(elem),
                    span: self.cur_span.clone(),
                })
            }
            AK::Name(n) => {
                let var = self.bind_local(n, target.span.clone(), v.ty)?;
                let ty = self.func.vars[var.0 as usize].ty;
                Some(Stmt::Assign {
                    var,
                    value: v.e.cast(ty),
                    span: self.cur_span.clone(),
                })
            }
            _ => None,
        }
    }

    pub(super) fn element(
        &mut self,
        base: &ast::Expr,
        indices: &[Index],
        span: &Span,
    ) -> Option<(ir::ArrayId, Vec<Expr>)> {
        self.element_at(base, indices, span, None)
    }

    fn element_at(
        &mut self,
        base: &ast::Expr,
        indices: &[Index],
        span: &Span,
        iter: Option<&[Expr]>,
    ) -> Option<(ir::ArrayId, Vec<Expr>)> {
        let AK::Name(name) = &base.kind else {
            self.errors.push(Error::Unsupported {
                span: base.span.clone(),
                what: "this assignment target".into(),
                hint: "assign to elements of array arguments".into(),
            });
            return None;
        };
        let a = match self.names.get(name).copied() {
            Some(Binding::Array(a)) => a,
            Some(_) => {
                self.errors.push(Error::NotAnArray {
                    span: base.span.clone(),
                    name: name.clone(),
                });
                return None;
            }
            None => {
                self.undefined(name, base.span.clone());
                return None;
            }
        };
        let ndims = self.func.arrays[a.0 as usize].dims.len();
        if indices.len() > ndims {
            self.errors.push(Error::WrongIndexCount {
                span: span.clone(),
                name: name.clone(),
                ndims,
                given: indices.len(),
            });
            return None;
        }
        if indices.len() < ndims {
            let e = ast::Expr {
                kind: AK::Subscript {
                    base: Box::new(base.clone()),
                    indices: indices.to_vec(),
                },
                span: span.clone(),
            };
            self.unaddressed(&e, name, ndims);
            return None;
        }
        let index = self.indices(a, indices, iter, span)?;
        Some((a, index))
    }

    /// One loop per dimension of `shape`; `labels[i]` names loop `i`. `reduce` marks every
    /// parallel loop as a reduction into the given accumulator.
    fn make_loops(
        &mut self,
        s: &ast::Stmt,
        shape: &[Extent],
        reduce: Option<Reduction>,
    ) -> Option<Vec<LoopSpec>> {
        let explicit = s.labels.iter().filter(|l| !l.implicit).count();
        if explicit > shape.len() {
            let extra = &s.labels[shape.len()];
            self.errors.push(Error::Unsupported {
                span: extra.span.clone(),
                what: format!(
                    "{} labels on a statement with {} sliced dimension{}",
                    explicit,
                    shape.len(),
                    if shape.len() == 1 { "" } else { "s" }
                ),
                hint: "labels map to the sliced dimensions from the left; remove the extra label"
                    .into(),
            });
            return None;
        }
        let mut loops = Vec::new();
        // Loop variables take the first short names the function does not use.
        let free: Vec<&str> = ["j", "k", "l", "p", "q", "r", "u", "v", "w"]
            .into_iter()
            .filter(|n| !self.source_names.contains(*n))
            .collect();
        let mut free = free.into_iter();
        for (i, ext) in shape.iter().enumerate() {
            let label = s.labels.get(i);
            let par = match label.and_then(|l| self.par.get(&l.name).copied()) {
                Some(spec) => Some(self.par_of(spec)?),
                None => None,
            };
            let hint = free
                .next()
                .map(str::to_string)
                .unwrap_or_else(|| format!("idx{i}"));
            let var = self.new_var(&hint, ElemTy::I64);
            self.func.vars[var.0 as usize].scoped = true;
            let reduction = if par.is_some() { reduce } else { None };
            loops.push(LoopSpec {
                var,
                len: ext.len.clone(),
                par,
                reduction,
                span: s.span.clone(),
            });
        }
        Some(loops)
    }

    /// `op.1` marks Python's own `sum`/`max`/`min`.
    fn full_reduction(
        &mut self,
        s: &ast::Stmt,
        (op, python): (ReduceOp, bool),
        target: &ast::Expr,
        operand: &ast::Expr,
        oshape: &[Extent],
        out: &mut Vec<Stmt>,
    ) {
        // Type the operand once at a dummy point to learn the accumulator type.
        let probe: Vec<Expr> = oshape.iter().map(|_| Expr::int(0)).collect();
        let Some(probe) = self.probe(operand, &probe) else {
            return;
        };
        let acc_ty = if python && op == ReduceOp::Sum {
            py_sum_type(probe.ty)
        } else {
            acc_type(op, probe.ty)
        };
        let acc = match &target.kind {
            AK::Name(n) => match self.bind_local(n, target.span.clone(), acc_ty) {
                Some(v) => v,
                None => return,
            },
            _ => self.new_var("acc", acc_ty.elem),
        };
        let acc_elem = self.func.vars[acc.0 as usize].ty;
        let Some(loops) = self.make_loops(s, oshape, Some(Reduction { acc, op })) else {
            return;
        };
        let iter: Vec<Expr> = loops
            .iter()
            .map(|l| Expr::var(l.var, ElemTy::I64))
            .collect();
        let Some(v) = self.expr_at(operand, Some(&iter)) else {
            return;
        };
        out.push(Stmt::Assign {
            var: acc,
            value: neutral(op, acc_elem),
            span: self.cur_span.clone(),
        });
        let update = Stmt::Assign {
            var: acc,
            value: combine(op, Expr::var(acc, acc_elem), v.e.cast(acc_elem)),
            span: self.cur_span.clone(),
        };
        let vars: Vec<VarId> = loops.iter().map(|l| l.var).collect();
        let (once, mut inner) = self.hoist_pre(&vars);
        out.extend(once);
        inner.append(&mut self.per_element);
        inner.push(update);
        out.extend(nest(loops, inner));
        if !matches!(target.kind, AK::Name(_)) {
            let t = TExpr {
                e: Expr::var(acc, acc_elem),
                ty: acc_ty,
            };
            if let Some(store) = self.store_at(target, &[], t) {
                out.push(store);
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn axis_reduction(
        &mut self,
        s: &ast::Stmt,
        op: ReduceOp,
        target: &ast::Expr,
        operand: &ast::Expr,
        oshape: &[Extent],
        tshape: &[Extent],
        axis: usize,
        out: &mut Vec<Stmt>,
    ) {
        let kept: Vec<Extent> = oshape
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != axis)
            .map(|(_, e)| e.clone())
            .collect();
        let mismatch = tshape.len() != kept.len()
            || !tshape
                .iter()
                .zip(&kept)
                .all(|(a, b)| self.same_length(a, b));
        if mismatch {
            self.errors.push(Error::ShapeMismatch {
                span: target.span.clone(),
                other: operand.span.clone(),
                problem: format!("the target's shape differs from the reduction's result (the operand without axis {axis})"),
            });
            return;
        }
        let probe: Vec<Expr> = oshape.iter().map(|_| Expr::int(0)).collect();
        let Some(probe) = self.probe(operand, &probe) else {
            return;
        };
        let acc_ty = acc_type(op, probe.ty);
        let acc = self.new_var("acc", acc_ty.elem);
        let Some(mut loops) = self.make_loops(s, oshape, Some(Reduction { acc, op })) else {
            return;
        };
        // Only the reduced dimension's loop reduces.
        for (i, l) in loops.iter_mut().enumerate() {
            if i != axis {
                l.reduction = None;
            }
        }
        let inner = loops.remove(axis);
        let operand_iter: Vec<Expr> = {
            let mut v: Vec<Expr> = loops
                .iter()
                .map(|l| Expr::var(l.var, ElemTy::I64))
                .collect();
            v.insert(axis, Expr::var(inner.var, ElemTy::I64));
            v
        };
        let target_iter: Vec<Expr> = loops
            .iter()
            .map(|l| Expr::var(l.var, ElemTy::I64))
            .collect();
        let Some(v) = self.expr_at(operand, Some(&operand_iter)) else {
            return;
        };
        let acc_elem = acc_ty.elem;
        let update = Stmt::Assign {
            var: acc,
            value: combine(op, Expr::var(acc, acc_elem), v.e.cast(acc_elem)),
            span: self.cur_span.clone(),
        };
        let mut vars: Vec<VarId> = loops.iter().map(|l| l.var).collect();
        vars.push(inner.var);
        let (once, mut inner_body) = self.hoist_pre(&vars);
        out.extend(once);
        inner_body.append(&mut self.per_element);
        inner_body.push(update);
        let Some(store) = self.store_at(
            target,
            &target_iter,
            TExpr {
                e: Expr::var(acc, acc_elem),
                ty: acc_ty,
            },
        ) else {
            return;
        };
        let mut body = vec![Stmt::Assign {
            var: acc,
            value: neutral(op, acc_elem),
            span: self.cur_span.clone(),
        }];
        body.extend(nest(vec![inner], inner_body));
        body.push(store);
        out.extend(nest(loops, body));
    }
}

pub(super) struct LoopSpec {
    var: VarId,
    len: Expr,
    par: Option<Par>,
    reduction: Option<Reduction>,
    span: Span,
}

/// Nests `loops` (outermost first) around `body`.
fn nest(loops: Vec<LoopSpec>, body: Vec<Stmt>) -> Vec<Stmt> {
    let mut body = body;
    for l in loops.into_iter().rev() {
        body = vec![Stmt::For(ir::For {
            id: ir::LoopId(0),
            var: l.var,
            start: Expr::int(0),
            stop: l.len,
            step: 1,
            body,
            par: l.par,
            reduction: l.reduction,
            into: None,
            span: l.span,
        })];
    }
    body
}

/// NumPy's accumulator type: sums and products of small integers and booleans are 64-bit.
fn acc_type(op: ReduceOp, t: ScalarTy) -> ScalarTy {
    let elem = match (op, t.elem) {
        (ReduceOp::Sum | ReduceOp::Prod, e) if e.is_signed_int() || e == ElemTy::Bool => {
            ElemTy::I64
        }
        (ReduceOp::Sum | ReduceOp::Prod, e) if e.is_unsigned_int() => ElemTy::U64,
        (_, e) => e,
    };
    ScalarTy { elem, weak: t.weak }
}

/// The type of Python's `sum` over elements of type `t`: it adds from the Python int 0 one
/// element at a time, so the total keeps the element type (an int8 total wraps at 8 bits),
/// except for booleans (`0 + True` is an int64).
fn py_sum_type(t: ScalarTy) -> ScalarTy {
    if t.elem == ElemTy::Bool {
        ScalarTy::strong(ElemTy::I64)
    } else {
        t
    }
}

/// Whether a slice length is provably 1 (`x[:, 0:1]`, `x[k:k + 1]`).
pub(super) fn is_one(len: &Expr) -> bool {
    matches!(ir::affine(len), Some((1, terms)) if terms.is_empty())
}

/// The number of elements of a slice from `lo` to `hi` (exclusive) by `step`.
pub(super) fn slice_length(lo: Expr, hi: Expr, step: i64) -> Expr {
    let (from, to, size) = if step > 0 {
        (lo, hi, step)
    } else {
        (hi, lo, -step)
    };
    let len = if from.kind == ExprKind::Int(0) {
        to
    } else {
        Expr::binary(BinOp::Sub, to, from, ElemTy::I64)
    };
    if size == 1 {
        len
    } else {
        let up = Expr::binary(BinOp::Add, len, Expr::int(size - 1), ElemTy::I64);
        Expr::binary(BinOp::FloorDiv, up, Expr::int(size), ElemTy::I64)
    }
}

/// Whether a read and a write of one array never meet: in some dimension one index is a
/// constant below where the other, a loop variable counting up from 0 plus a constant, starts
/// (`x[a, 1:, :] -= x[a, 0, :]` writes `x[a, 1 + j, k]` and reads `x[a, 0, k]`).
fn apart(read: &[Expr], write: &[Expr]) -> bool {
    // `v + c` or `c`.
    fn affine(e: &Expr) -> Option<(Option<VarId>, i64)> {
        match &e.kind {
            ExprKind::Int(c) => Some((None, *c)),
            ExprKind::Var(v) => Some((Some(*v), 0)),
            ExprKind::Cast(x) => affine(x),
            ExprKind::Binary(BinOp::Add, a, b) => match (affine(a)?, affine(b)?) {
                ((Some(v), x), (None, y)) | ((None, x), (Some(v), y)) => Some((Some(v), x + y)),
                ((None, x), (None, y)) => Some((None, x + y)),
                _ => None,
            },
            _ => None,
        }
    }
    read.len() == write.len()
        && read
            .iter()
            .zip(write)
            .any(|(r, w)| match (affine(r), affine(w)) {
                (Some((None, c)), Some((Some(_), lo))) | (Some((Some(_), lo)), Some((None, c))) => {
                    c < lo
                }
                (Some((None, a)), Some((None, b))) => a != b,
                _ => false,
            })
}
