//! Scalar expressions: names, literals, operators with Python's meaning and NumPy 2's types,
//! math functions, casts and array elements.

use super::{Binding, Error, Lowerer};
use crate::front::ast::{
    self, BinOp as AB, Builtin, CmpOp, ExprKind as AK, Index, MathFn, UnOp as AU,
};
use crate::ir::{ArrayId, BinOp, Dim, Expr, ExprKind, Stmt, UnOp};
use crate::types::{ElemTy, ScalarTy};

/// A lowered expression with its NumPy type (weak for Python scalars).
#[derive(Clone, Debug)]
pub struct TExpr {
    pub e: Expr,
    pub ty: ScalarTy,
}

impl TExpr {
    pub(super) fn new(kind: ExprKind, ty: ScalarTy) -> TExpr {
        TExpr {
            e: Expr { kind, ty: ty.elem },
            ty,
        }
    }
}

impl Lowerer<'_> {
    pub(super) fn expr(&mut self, e: &ast::Expr) -> Option<TExpr> {
        self.expr_at(e, None)
    }

    /// Lowers `e`; inside a slice statement, `iter` holds the loop index of each dimension of
    /// the statement's iteration space, and slices take the indices aligned from the right.
    pub(super) fn expr_at(&mut self, e: &ast::Expr, iter: Option<&[Expr]>) -> Option<TExpr> {
        let int = self.int_ty();
        Some(match &e.kind {
            AK::Int(i) => TExpr::new(ExprKind::Int(*i), ScalarTy::weak(int)),
            AK::Float(f) => TExpr::new(ExprKind::Float(*f), ScalarTy::weak(self.float_ty())),
            AK::Bool(b) => TExpr::new(ExprKind::Bool(*b), ScalarTy::weak(ElemTy::Bool)),
            AK::Name(n) => match self.names.get(n).copied() {
                Some(Binding::Param(v, ty)) => TExpr {
                    e: Expr::var(v, ty.elem),
                    ty,
                },
                Some(Binding::Local(v)) => {
                    let ty = self.local_ty(v);
                    TExpr {
                        e: Expr::var(v, self.func.vars[v.0 as usize].ty),
                        ty,
                    }
                }
                Some(Binding::Array(a)) => {
                    let info = &self.func.arrays[a.0 as usize];
                    if info.dims.is_empty() {
                        // A 0-d array used by name is its single element.
                        return Some(TExpr::new(
                            ExprKind::Load {
                                array: a,
                                index: vec![],
                            },
                            ScalarTy::strong(info.elem),
                        ));
                    }
                    self.unaddressed(e, &n.clone(), info.dims.len());
                    return None;
                }
                None => {
                    self.undefined(n, e.span.clone());
                    return None;
                }
            },
            AK::Binary(op, l, r) => {
                let ra = r;
                let la = l;
                let mut l = self.expr_at(l, iter)?;
                let mark = self.pre.len();
                let r = self.expr_at(r, iter)?;
                self.keep_before(mark, &mut [&mut l.e], iter, &la.span);
                if *op == AB::Pow && l.ty.elem.is_int() && r.ty.elem.is_int() {
                    return self.int_pow(l, r, ra, &e.span);
                }
                return self.binary(*op, l, r, &e.span);
            }
            // Python's `not` gives a Python bool, whatever its operand.
            AK::Unary(AU::Not, x) => {
                let b = self.truth_at(x, iter)?;
                TExpr::new(
                    ExprKind::Unary(UnOp::Not, Box::new(b.e)),
                    ScalarTy::weak(ElemTy::Bool),
                )
            }
            AK::Unary(op, x) => {
                let x = self.expr_at(x, iter)?;
                match op {
                    AU::Pos => x,
                    // A Python bool is an int: `-True` is -1, `~True` is -2.
                    AU::Neg | AU::Invert if x.ty.elem == ElemTy::Bool && x.ty.weak => {
                        let op = if *op == AU::Neg {
                            UnOp::Neg
                        } else {
                            UnOp::Invert
                        };
                        let int = self.int_ty();
                        TExpr::new(
                            ExprKind::Unary(op, Box::new(x.e.cast(int))),
                            ScalarTy::weak(int),
                        )
                    }
                    AU::Neg => {
                        if x.ty.elem == ElemTy::Bool {
                            self.errors.push(Error::TypeError {
                                span: e.span.clone(),
                                problem: "cannot negate a boolean".into(),
                            });
                            return None;
                        }
                        TExpr::new(ExprKind::Unary(UnOp::Neg, Box::new(x.e)), x.ty)
                    }
                    AU::Not => {
                        let b = truthy(x);
                        TExpr::new(
                            ExprKind::Unary(UnOp::Not, Box::new(b.e)),
                            ScalarTy::weak(ElemTy::Bool),
                        )
                    }
                    AU::Invert => {
                        if x.ty.elem.is_float() {
                            self.errors.push(Error::TypeError {
                                span: e.span.clone(),
                                problem: "`~` needs an integer or boolean operand".into(),
                            });
                            return None;
                        }
                        let op = if x.ty.elem == ElemTy::Bool {
                            UnOp::Not
                        } else {
                            UnOp::Invert
                        };
                        TExpr::new(ExprKind::Unary(op, Box::new(x.e)), x.ty)
                    }
                }
            }
            AK::Compare(first, rest) => {
                let mut left = self.expr_at(first, iter)?;
                // `a < b < c` is `a < b and b < c` with `b` evaluated once: each operand after
                // the second is evaluated only where the comparisons before it hold.
                let mut parts: Vec<(TExpr, Vec<Stmt>)> = Vec::new();
                for (k, (op, r)) in rest.iter().enumerate() {
                    let mark = self.pre.len();
                    let right = self.expr_at(r, iter)?;
                    // The left operand as Python reads it: before this operand's statements
                    // (which, after the first comparison, run only where the ones before hold).
                    self.keep_before(mark, &mut [&mut left.e], iter, &r.span);
                    let inner: Vec<Stmt> = if k == 0 {
                        Vec::new()
                    } else {
                        self.pre.drain(mark..).collect()
                    };
                    // Python scalars compare to a Python bool (which adds as an int), NumPy
                    // scalars to a NumPy bool (which adds as a logical or).
                    let bool_ty = if left.ty.weak && right.ty.weak {
                        ScalarTy::weak(ElemTy::Bool)
                    } else {
                        ScalarTy::strong(ElemTy::Bool)
                    };
                    let mut t = ScalarTy::promote(left.ty, right.ty, self.float_ty());
                    // NumPy compares an integer with a Python int literal outside its range
                    // by value (`np.uint32(5) > -1`): compare in i64, or fold for u64.
                    let literal = |x: &TExpr| match x.e.kind {
                        ExprKind::Int(v) if x.ty.weak => Some(v),
                        _ => None,
                    };
                    let folded = match (literal(&left), literal(&right)) {
                        (Some(v), None) if right.ty.elem.is_int() && !fits(v, right.ty.elem) => {
                            Some((true, v, right.ty.elem))
                        }
                        (None, Some(v)) if left.ty.elem.is_int() && !fits(v, left.ty.elem) => {
                            Some((false, v, left.ty.elem))
                        }
                        _ => None,
                    };
                    // A Python int whose value is not known here (an argument, a local) is
                    // compared by value as well: in i64, unless the other side is u64.
                    let unknown_weak = |x: &TExpr| {
                        x.ty.weak && x.ty.elem.is_int() && !matches!(x.e.kind, ExprKind::Int(_))
                    };
                    let narrow = |x: &TExpr| {
                        !x.ty.weak
                            && x.ty.elem.is_int()
                            && !matches!(x.ty.elem, ElemTy::I64 | ElemTy::U64)
                    };
                    if (unknown_weak(&left) && narrow(&right))
                        || (unknown_weak(&right) && narrow(&left))
                    {
                        t = ScalarTy::strong(ElemTy::I64);
                    }
                    let mut constant = None;
                    if let Some((lit_left, v, elem)) = folded {
                        if elem == ElemTy::U64 {
                            // Only negative literals fall outside u64 here: they are below it.
                            let below = matches!(
                                (op, lit_left),
                                (CmpOp::Lt | CmpOp::Le, true)
                                    | (CmpOp::Gt | CmpOp::Ge, false)
                                    | (CmpOp::Ne, _)
                            );
                            debug_assert!(v < 0);
                            constant = Some(below);
                        } else {
                            t = ScalarTy::strong(ElemTy::I64);
                        }
                    }
                    let op = match op {
                        CmpOp::Eq => BinOp::Eq,
                        CmpOp::Ne => BinOp::Ne,
                        CmpOp::Lt => BinOp::Lt,
                        CmpOp::Le => BinOp::Le,
                        CmpOp::Gt => BinOp::Gt,
                        CmpOp::Ge => BinOp::Ge,
                    };
                    // u64 against a signed integer (which NumPy compares exactly, not through
                    // float64), or against a Python int whose value is not known here (exactly
                    // too, by NumPy 2's rules): by the signed side's sign first, then in u64.
                    let signed =
                        |x: &TExpr| (!x.ty.weak && x.ty.elem.is_signed_int()) || unknown_weak(x);
                    let unsigned64 = |x: &TExpr| !x.ty.weak && x.ty.elem == ElemTy::U64;
                    let exact = if constant.is_none() && unsigned64(&left) && signed(&right) {
                        Some((left.e.clone(), right.e.clone(), op))
                    } else if constant.is_none() && unsigned64(&right) && signed(&left) {
                        let swapped = match op {
                            BinOp::Lt => BinOp::Gt,
                            BinOp::Le => BinOp::Ge,
                            BinOp::Gt => BinOp::Lt,
                            BinOp::Ge => BinOp::Le,
                            o => o,
                        };
                        Some((right.e.clone(), left.e.clone(), swapped))
                    } else {
                        None
                    };
                    if let Some((u, sg, op)) = exact {
                        let sg = sg.cast(ElemTy::I64);
                        let b = |op, a: Expr, c: Expr| Expr::binary(op, a, c, ElemTy::Bool);
                        let in_u64 = b(op, u, sg.clone().cast(ElemTy::U64));
                        // `u op s` where `s < 0`: true for `>`, `>=`, `!=`, false otherwise.
                        let e = match op {
                            BinOp::Gt | BinOp::Ge | BinOp::Ne => {
                                b(BinOp::Or, b(BinOp::Lt, sg, Expr::int(0)), in_u64)
                            }
                            _ => b(BinOp::And, b(BinOp::Ge, sg, Expr::int(0)), in_u64),
                        };
                        parts.push((TExpr::new(e.kind, bool_ty), inner));
                        left = right;
                        continue;
                    }
                    let c = match constant {
                        Some(b) => TExpr::new(ExprKind::Bool(b), bool_ty),
                        None => TExpr::new(
                            ExprKind::Binary(
                                op,
                                Box::new(left.e.clone().cast(t.elem)),
                                Box::new(right.e.clone().cast(t.elem)),
                            ),
                            bool_ty,
                        ),
                    };
                    parts.push((c, inner));
                    left = right;
                }
                let weak = parts.iter().all(|(c, _)| c.ty.weak);
                let all = self.combine_truths(ast::BoolOp::And, parts)?;
                let ty = if weak {
                    ScalarTy::weak(ElemTy::Bool)
                } else {
                    ScalarTy::strong(ElemTy::Bool)
                };
                TExpr::new(all.e.kind, ty)
            }
            AK::BoolOp(op, values) => return self.bool_op(*op, values, iter),
            AK::IfExp { cond, then, els } => {
                let c = self.truth_at(cond, iter);
                let mark_t = self.pre.len();
                let t = self.expr_at(then, iter);
                let pre_t: Vec<Stmt> = self.pre.drain(mark_t..).collect();
                let mark_f = self.pre.len();
                let f = self.expr_at(els, iter);
                let pre_f: Vec<Stmt> = self.pre.drain(mark_f..).collect();
                let (c, t, f) = (c?, t?, f?);
                let ty = ScalarTy::promote(t.ty, f.ty, self.float_ty());
                if !pre_t.is_empty() || !pre_f.is_empty() {
                    // Helpers called in a branch run only when that branch is taken.
                    let v = self.new_var("select", ty.elem);
                    let span = self.cur_span.clone();
                    let mut then_s = pre_t;
                    then_s.push(Stmt::Assign {
                        var: v,
                        value: t.e.cast(ty.elem),
                        span: span.clone(),
                    });
                    let mut els_s = pre_f;
                    els_s.push(Stmt::Assign {
                        var: v,
                        value: f.e.cast(ty.elem),
                        span: span.clone(),
                    });
                    self.pre.push(Stmt::If {
                        cond: c.e,
                        then: then_s,
                        els: els_s,
                        span,
                    });
                    return Some(TExpr::new(ExprKind::Var(v), ty));
                }
                TExpr::new(
                    ExprKind::Select {
                        cond: Box::new(c.e),
                        then: Box::new(t.e.cast(ty.elem)),
                        els: Box::new(f.e.cast(ty.elem)),
                    },
                    ty,
                )
            }
            AK::Subscript { base, indices } => {
                let AK::Name(name) = &base.kind else {
                    self.errors.push(Error::Unsupported {
                        span: base.span.clone(),
                        what: "indexing this expression".into(),
                        hint: "index array arguments by name".into(),
                    });
                    return None;
                };
                let Some(Binding::Array(a)) = self.names.get(name).copied() else {
                    if self.names.contains_key(name) {
                        self.errors.push(Error::NotAnArray {
                            span: base.span.clone(),
                            name: name.clone(),
                        });
                    } else {
                        self.undefined(name, base.span.clone());
                    }
                    return None;
                };
                let ndims = self.func.arrays[a.0 as usize].dims.len();
                if indices.len() > ndims {
                    self.errors.push(Error::WrongIndexCount {
                        span: e.span.clone(),
                        name: name.clone(),
                        ndims,
                        given: indices.len(),
                    });
                    return None;
                }
                if indices.len() < ndims {
                    self.unaddressed(e, name, ndims);
                    return None;
                }
                let index = self.indices(a, indices, iter, &e.span)?;
                let elem = self.func.arrays[a.0 as usize].elem;
                TExpr::new(ExprKind::Load { array: a, index }, ScalarTy::strong(elem))
            }
            AK::CallFn {
                name,
                name_span,
                args,
            } => {
                if let Some(it) = iter {
                    if args.iter().any(super::slices::has_slices) && self.elementwise_helper(name) {
                        return self.elementwise_call(name, name_span, args, it);
                    }
                }
                return self.inline_call(name, name_span, args, true);
            }
            AK::ConvertVar(x, var) => {
                let Some(t) = self.type_vars.get(var).copied() else {
                    self.errors.push(Error::TypeError {
                        span: e.span.clone(),
                        problem: format!("type variable `{var}` is not bound by any parameter"),
                    });
                    return None;
                };
                let x = self.expr_at(x, iter)?;
                TExpr {
                    e: x.e.cast(t),
                    ty: ScalarTy::strong(t),
                }
            }
            AK::Str(_) => {
                self.errors.push(Error::Unsupported {
                    span: e.span.clone(),
                    what: "a string".into(),
                    hint: "strings appear only as keys of dict arguments: `d[\"rows\"]`".into(),
                });
                return None;
            }
            AK::CallExt {
                name,
                name_span,
                args,
            } => return self.extern_call(name, name_span, args, iter, true),
            AK::StaticBackendEq(b) => {
                TExpr::new(ExprKind::Bool(b == "Cuda"), ScalarTy::strong(ElemTy::Bool))
            }
            AK::StaticTypesEq(a, b) => {
                let resolve = |t: &ast::TypeRef| match t {
                    ast::TypeRef::Concrete(e) => Some(*e),
                    ast::TypeRef::Var(v) => self.type_vars.get(v).copied(),
                };
                let (Some(x), Some(y)) = (resolve(a), resolve(b)) else {
                    self.errors.push(Error::TypeError {
                        span: e.span.clone(),
                        problem: "a type variable here is not bound by any parameter".into(),
                    });
                    return None;
                };
                TExpr::new(ExprKind::Bool(x == y), ScalarTy::strong(ElemTy::Bool))
            }
            AK::Call { func, args, .. } => match func {
                Builtin::Reduce(_) | Builtin::PyReduce(_) | Builtin::ReduceOrPair(_)
                    if args.len() == 1 =>
                {
                    self.errors.push(Error::ReductionPosition {
                        span: e.span.clone(),
                    });
                    return None;
                }
                Builtin::PyReduce(op) => {
                    // Python's max(a, b) is `b if b > a else a` (min: `b < a`): with a NaN,
                    // the result is whichever operand the comparison keeps.
                    let max = *op == ast::ReduceOp::Max;
                    let m = if max { MathFn::Max2 } else { MathFn::Min2 };
                    let r = self.math(m, args, iter, &e.span)?;
                    return Some(match r.e.kind {
                        ExprKind::Math(_, xs) if r.ty.elem.is_float() && xs.len() == 2 => {
                            let (a, b) = (xs[0].clone(), xs[1].clone());
                            let cmp = if max { BinOp::Gt } else { BinOp::Lt };
                            TExpr::new(
                                ExprKind::Select {
                                    cond: Box::new(Expr::binary(
                                        cmp,
                                        b.clone(),
                                        a.clone(),
                                        ElemTy::Bool,
                                    )),
                                    then: Box::new(b),
                                    els: Box::new(a),
                                },
                                r.ty,
                            )
                        }
                        _ => r,
                    });
                }
                Builtin::ReduceOrPair(op) | Builtin::Reduce(op) => {
                    let m = if *op == ast::ReduceOp::Max {
                        MathFn::Max2
                    } else {
                        MathFn::Min2
                    };
                    return self.math(m, args, iter, &e.span);
                }
                Builtin::Math(m) => return self.math(*m, args, iter, &e.span),
                Builtin::PyMath(m) => {
                    // `math.exp(x)` converts `x` to a Python float and gives one.
                    let ff = self.float_ty();
                    let xs = self.operands(args, iter)?;
                    let xs = xs.into_iter().map(|x| x.e.cast(ff)).collect();
                    TExpr::new(ExprKind::Math(*m, xs), ScalarTy::weak(ff))
                }
                Builtin::PyCast(t) => {
                    let x = self.expr_at(&args[0], iter)?;
                    match t {
                        ElemTy::Bool => TExpr {
                            e: truthy(x).e,
                            ty: ScalarTy::weak(ElemTy::Bool),
                        },
                        ElemTy::I64 => {
                            let it = self.int_ty();
                            TExpr {
                                e: x.e.cast(it),
                                ty: ScalarTy::weak(it),
                            }
                        }
                        _ => {
                            let ff = self.float_ty();
                            TExpr {
                                e: x.e.cast(ff),
                                ty: ScalarTy::weak(ff),
                            }
                        }
                    }
                }
                Builtin::Cast(t) => {
                    let x = self.expr_at(&args[0], iter)?;
                    TExpr {
                        e: x.e.cast(*t),
                        ty: ScalarTy::strong(*t),
                    }
                }
            },
        })
    }

    /// An expression used as a condition: Python's truthiness.
    pub(super) fn cond(&mut self, e: &ast::Expr) -> Option<Expr> {
        self.truth_at(e, None).map(|x| x.e)
    }

    /// The truth of `e` as a boolean. The truth of `a or b` is the truth of `a` or that of
    /// `b` (whichever value Python picks), so operands need not be converted to one type.
    fn truth_at(&mut self, e: &ast::Expr, iter: Option<&[Expr]>) -> Option<TExpr> {
        match &e.kind {
            AK::BoolOp(op, values) => self.truth_op(*op, values, iter),
            _ => self.expr_at(e, iter).map(truthy),
        }
    }

    /// `a and b` / `a or b` on operands that are all booleans, or as a condition: the
    /// truth of each operand combined with `&&` / `||`, evaluated lazily.
    fn truth_op(
        &mut self,
        op: ast::BoolOp,
        values: &[ast::Expr],
        iter: Option<&[Expr]>,
    ) -> Option<TExpr> {
        let mut parts = Vec::new();
        for (k, v) in values.iter().enumerate() {
            let mark = self.pre.len();
            let b = self.truth_at(v, iter)?;
            let pre = if k == 0 {
                vec![]
            } else {
                self.pre.drain(mark..).collect()
            };
            parts.push((b, pre));
        }
        self.combine_truths(op, parts)
    }

    /// `a and b` / `a or b` for its value: Python gives the first operand that decides
    /// (`a or b` is `a` when `a` is truthy, else `b`), not a boolean. The value has the
    /// type that holds every operand.
    fn bool_op(
        &mut self,
        op: ast::BoolOp,
        values: &[ast::Expr],
        iter: Option<&[Expr]>,
    ) -> Option<TExpr> {
        // Each operand with the statements (helper bodies) that compute it; the first
        // operand's always run, so they stay in `self.pre`.
        let mut parts: Vec<(TExpr, Vec<Stmt>)> = Vec::new();
        for (k, v) in values.iter().enumerate() {
            let mark = self.pre.len();
            let x = self.expr_at(v, iter)?;
            let pre = if k == 0 {
                vec![]
            } else {
                self.pre.drain(mark..).collect()
            };
            parts.push((x, pre));
        }
        if parts.iter().all(|(x, _)| x.ty.elem == ElemTy::Bool) {
            // Booleans: the value is the truth; put the statements back and combine.
            return self.combine_truths(op, parts);
        }
        let ff = self.float_ty();
        let mut ty = parts[0].0.ty;
        for (x, _) in &parts[1..] {
            ty = ScalarTy::promote(ty, x.ty, ff);
        }
        if ty.elem.is_int() && !matches!(ty.elem, ElemTy::I64 | ElemTy::U64) {
            // A Python int keeps its value where the other operands' type cannot hold it
            // (a literal out of range, or a value not known here).
            let outside = parts.iter().any(|(x, _)| {
                x.ty.weak
                    && x.ty.elem.is_int()
                    && match x.e.kind {
                        ExprKind::Int(v) => !fits(v, ty.elem),
                        _ => true,
                    }
            });
            if outside {
                ty = ScalarTy::strong(ElemTy::I64);
            }
        }
        // `a or b`: take `a` when it is truthy; `a and b`: take `a` when it is falsy.
        let keep_first = |x: &TExpr| {
            let t = truthy(x.clone()).e;
            match op {
                ast::BoolOp::Or => t,
                ast::BoolOp::And => Expr {
                    kind: ExprKind::Unary(UnOp::Not, Box::new(t)),
                    ty: ElemTy::Bool,
                },
            }
        };
        if parts.iter().all(|(_, pre)| pre.is_empty()) {
            let mut it = parts.into_iter().rev();
            let (last, _) = it.next()?;
            let mut acc = last.e.cast(ty.elem);
            for (x, _) in it {
                acc = Expr {
                    kind: ExprKind::Select {
                        cond: Box::new(keep_first(&x)),
                        then: Box::new(x.e.clone().cast(ty.elem)),
                        els: Box::new(acc),
                    },
                    ty: ty.elem,
                };
            }
            return Some(TExpr::new(acc.kind, ty));
        }
        // Some operand calls a helper: a local takes each value in turn, and an operand's
        // statements run only when the operands before it did not decide.
        let t = self.new_var("boolop", ty.elem);
        let span = self.cur_span.clone();
        let mut body: Vec<Stmt> = Vec::new();
        let n = parts.len();
        for (k, (x, pre)) in parts.into_iter().enumerate().rev() {
            let mut stmts = pre;
            stmts.push(Stmt::Assign {
                var: t,
                value: x.e.clone().cast(ty.elem),
                span: span.clone(),
            });
            if k + 1 < n {
                let c = keep_first(&x);
                stmts.push(Stmt::If {
                    cond: Expr {
                        kind: ExprKind::Unary(UnOp::Not, Box::new(c)),
                        ty: ElemTy::Bool,
                    },
                    then: std::mem::take(&mut body),
                    els: vec![],
                    span: span.clone(),
                });
            }
            body = stmts;
        }
        self.pre.extend(body);
        Some(TExpr::new(ExprKind::Var(t), ty))
    }

    /// Booleans combined lazily (see `truth_op`), from operands already lowered.
    fn combine_truths(&mut self, op: ast::BoolOp, parts: Vec<(TExpr, Vec<Stmt>)>) -> Option<TExpr> {
        let op = match op {
            ast::BoolOp::And => BinOp::And,
            ast::BoolOp::Or => BinOp::Or,
        };
        let mut acc: Option<TExpr> = None;
        for (b, inner) in parts {
            acc = Some(match acc {
                None => b,
                Some(prev) if !inner.is_empty() => {
                    let t = self.new_var("cond", ElemTy::Bool);
                    let span = self.cur_span.clone();
                    self.pre.push(Stmt::Assign {
                        var: t,
                        value: prev.e,
                        span: span.clone(),
                    });
                    let tv = Expr::var(t, ElemTy::Bool);
                    let cond = if op == BinOp::And {
                        tv.clone()
                    } else {
                        Expr {
                            kind: ExprKind::Unary(UnOp::Not, Box::new(tv.clone())),
                            ty: ElemTy::Bool,
                        }
                    };
                    let mut then = inner;
                    then.push(Stmt::Assign {
                        var: t,
                        value: b.e,
                        span: span.clone(),
                    });
                    self.pre.push(Stmt::If {
                        cond,
                        then,
                        els: vec![],
                        span,
                    });
                    TExpr::new(tv.kind, ScalarTy::strong(ElemTy::Bool))
                }
                Some(prev) => TExpr::new(
                    ExprKind::Binary(op, Box::new(prev.e), Box::new(b.e)),
                    ScalarTy::strong(ElemTy::Bool),
                ),
            });
        }
        acc
    }

    /// An integer expression (a loop bound).
    pub(super) fn int_expr(&mut self, e: &ast::Expr) -> Option<Expr> {
        let x = self.expr(e)?;
        if !x.ty.elem.is_int() {
            self.errors.push(Error::TypeError {
                span: e.span.clone(),
                problem: format!("expected an integer, found {}", x.ty.elem),
            });
            return None;
        }
        Some(x.e)
    }

    /// `a ** b` of integers. Python's ints give an int for `b >= 0` and a float for `b < 0`;
    /// NumPy's integers refuse negative powers. So a negative exponent known here makes
    /// Python ints a float power, and one whose sign is not known is an error where the
    /// result's type would depend on it.
    fn int_pow(
        &mut self,
        l: TExpr,
        r: TExpr,
        exp: &ast::Expr,
        span: &crate::diag::Span,
    ) -> Option<TExpr> {
        let negative = match const_int(exp) {
            Some(v) => Some(v < 0),
            None if self.low_bound(exp).non_negative() => Some(false),
            None => None,
        };
        match negative {
            Some(false) => self.binary(AB::Pow, l, r, span),
            Some(true) if l.ty.weak && r.ty.weak => {
                let ff = self.float_ty();
                let f = ScalarTy::weak(ff);
                Some(TExpr::new(
                    ExprKind::Binary(BinOp::Pow, Box::new(l.e.cast(ff)), Box::new(r.e.cast(ff))),
                    f,
                ))
            }
            Some(true) => {
                self.errors.push(Error::TypeError {
                    span: span.clone(),
                    problem: "NumPy integers to negative integer powers are not allowed (NumPy raises ValueError)".into(),
                });
                None
            }
            None if l.ty.weak && r.ty.weak => {
                self.errors.push(Error::TypeError {
                    span: exp.span.clone(),
                    problem: "this exponent may be negative, and a Python int to a negative power is a float, to a non-negative one an int; write `float(...)` around the base for a float power, or an exponent that is visibly non-negative".into(),
                });
                None
            }
            None => self.binary(AB::Pow, l, r, span),
        }
    }

    fn binary(&mut self, op: AB, l: TExpr, r: TExpr, span: &crate::diag::Span) -> Option<TExpr> {
        let ff = self.float_ty();
        let t = ScalarTy::promote(l.ty, r.ty, ff);
        let bin = |op: BinOp, ty: ScalarTy, a: Expr, b: Expr| {
            TExpr::new(
                ExprKind::Binary(op, Box::new(a.cast(ty.elem)), Box::new(b.cast(ty.elem))),
                ty,
            )
        };
        Some(match op {
            // NumPy booleans: `+` is a logical or and `*` a logical and.
            AB::Add | AB::Mul if t.elem == ElemTy::Bool && !t.weak => {
                let op = if op == AB::Add { BinOp::Or } else { BinOp::And };
                bin(op, t, l.e, r.e)
            }
            AB::Add | AB::Sub | AB::Mul | AB::FloorDiv | AB::Mod | AB::Pow => {
                let t = if t.elem == ElemTy::Bool && op != AB::Pow {
                    // NumPy: arithmetic on booleans gives integers (except `+`/`*`, which stay
                    // logical in NumPy but are integers in Python); follow Python here.
                    ScalarTy {
                        elem: self.int_ty(),
                        weak: t.weak,
                    }
                } else {
                    t
                };
                let op = match op {
                    AB::Add => BinOp::Add,
                    AB::Sub => BinOp::Sub,
                    AB::Mul => BinOp::Mul,
                    AB::FloorDiv => BinOp::FloorDiv,
                    AB::Mod => BinOp::Mod,
                    _ => BinOp::Pow,
                };
                bin(op, t, l.e, r.e)
            }
            AB::Div => {
                // True division: integers divide as floats.
                let t = if t.elem.is_float() {
                    t
                } else if t.weak {
                    ScalarTy::weak(ff)
                } else {
                    ScalarTy::strong(ElemTy::F64)
                };
                bin(BinOp::Div, t, l.e, r.e)
            }
            AB::BitAnd | AB::BitOr | AB::BitXor | AB::Shl | AB::Shr => {
                if t.elem.is_float() {
                    self.errors.push(Error::TypeError {
                        span: span.clone(),
                        problem: "bitwise operators need integer or boolean operands".into(),
                    });
                    return None;
                }
                let op = match op {
                    AB::BitAnd => BinOp::BitAnd,
                    AB::BitOr => BinOp::BitOr,
                    AB::BitXor => BinOp::BitXor,
                    AB::Shl => BinOp::Shl,
                    _ => BinOp::Shr,
                };
                bin(op, t, l.e, r.e)
            }
        })
    }

    /// A call's arguments, in Python's order (see [`Self::keep_before`]).
    fn operands(&mut self, args: &[ast::Expr], iter: Option<&[Expr]>) -> Option<Vec<TExpr>> {
        let mut xs: Vec<TExpr> = Vec::new();
        let mut failed = false;
        for a in args {
            let mark = self.pre.len();
            match self.expr_at(a, iter) {
                Some(x) => {
                    let mut earlier: Vec<&mut Expr> = xs.iter_mut().map(|x| &mut x.e).collect();
                    self.keep_before(mark, &mut earlier, iter, &a.span);
                    xs.push(x);
                }
                None => failed = true,
            }
        }
        (!failed).then_some(xs)
    }

    fn math(
        &mut self,
        m: MathFn,
        args: &[ast::Expr],
        iter: Option<&[Expr]>,
        span: &crate::diag::Span,
    ) -> Option<TExpr> {
        let xs = self.operands(args, iter)?;
        let mut ty = xs[0].ty;
        for x in &xs[1..] {
            ty = ScalarTy::promote(ty, x.ty, self.float_ty());
        }
        if matches!(m, MathFn::Max2 | MathFn::Min2) && !ty.weak && ty.elem.is_int() {
            // Python's max/min compare by value: a Python int outside the other argument's
            // integer type (`max(np.uint16(3), -5)`), or one whose value is not known here,
            // takes the maximum in i64.
            let by_value = xs.iter().any(|x| {
                x.ty.weak
                    && x.ty.elem.is_int()
                    && match x.e.kind {
                        ExprKind::Int(v) => !fits(v, ty.elem),
                        _ => true,
                    }
            });
            if by_value && !matches!(ty.elem, ElemTy::I64 | ElemTy::U64) {
                ty = ScalarTy::strong(ElemTy::I64);
            }
        }
        let needs_float = !matches!(m, MathFn::Abs | MathFn::Max2 | MathFn::Min2);
        if needs_float && !ty.elem.is_float() {
            // NumPy computes transcendental functions of integers in float64.
            ty = if ty.weak {
                ScalarTy::weak(self.float_ty())
            } else {
                ScalarTy::strong(ElemTy::F64)
            };
        }
        if ty.elem == ElemTy::Bool && matches!(m, MathFn::Max2 | MathFn::Min2) {
            // NumPy's maximum/minimum of booleans: logical or / and.
            let op = if m == MathFn::Max2 {
                BinOp::Or
            } else {
                BinOp::And
            };
            let mut it = xs.into_iter().map(|x| x.e.cast(ElemTy::Bool));
            let first = it.next()?;
            let e = it.fold(first, |a, b| Expr {
                kind: ExprKind::Binary(op, Box::new(a), Box::new(b)),
                ty: ElemTy::Bool,
            });
            return Some(TExpr::new(e.kind, ty));
        }
        if ty.elem == ElemTy::Bool && !needs_float {
            self.errors.push(Error::TypeError {
                span: span.clone(),
                problem: format!("`{}` of booleans", m.name()),
            });
            return None;
        }
        let args = xs.into_iter().map(|x| x.e.cast(ty.elem)).collect();
        Some(TExpr::new(ExprKind::Math(m, args), ty))
    }

    /// Lowers the indices of a subscript. Plain indices may be negative literals (counted from
    /// the end); slices take their loop index from `iter`, aligned from the right.
    pub(super) fn indices(
        &mut self,
        a: ArrayId,
        indices: &[Index],
        iter: Option<&[Expr]>,
        span: &crate::diag::Span,
    ) -> Option<Vec<Expr>> {
        let dims = self.func.arrays[a.0 as usize].dims.clone();
        let nslices = indices
            .iter()
            .filter(|i| matches!(i, Index::Slice { .. }))
            .count();
        let mut slice_no = 0;
        let mut out = Vec::new();
        for (k, ix) in indices.iter().enumerate() {
            let dim = dim_expr(dims[k], &self.func);
            match ix {
                Index::Expr(e) => {
                    if let Some(i) = const_int(e) {
                        if i < 0 {
                            out.push(Expr::binary(BinOp::Add, dim, Expr::int(i), ElemTy::I64));
                            continue;
                        }
                    }
                    let x = self.int_expr(e)?.cast(ElemTy::I64);
                    if self.low_bound(e).non_negative() {
                        out.push(x);
                    } else {
                        // An index that may be negative counts from the end, as in Python.
                        out.push(Expr {
                            kind: ExprKind::Select {
                                cond: Box::new(Expr::binary(
                                    BinOp::Lt,
                                    x.clone(),
                                    Expr::int(0),
                                    ElemTy::Bool,
                                )),
                                then: Box::new(Expr::binary(
                                    BinOp::Add,
                                    x.clone(),
                                    dim,
                                    ElemTy::I64,
                                )),
                                els: Box::new(x),
                            },
                            ty: ElemTy::I64,
                        });
                    }
                }
                Index::Slice { lo, hi, step, .. } => {
                    let Some(iter) = iter else {
                        self.errors.push(Error::Unsupported {
                            span: span.clone(),
                            what: "a slice here".into(),
                            hint: "slices appear in assignments".into(),
                        });
                        return None;
                    };
                    // The `slice_no`-th slice of this operand takes iteration dimension
                    // `len - nslices + slice_no`.
                    let it = iter[iter.len() - nslices + slice_no].clone();
                    slice_no += 1;
                    let step = self.slice_step(step)?;
                    // A slice of length 1 stretches against longer operands: its one element.
                    if let (Some(l), Some(h)) = (lo, hi) {
                        let (l, h) = (
                            self.bound_as_written(l, &dim)?,
                            self.bound_as_written(h, &dim)?,
                        );
                        if super::slices::is_one(&super::slices::slice_length(l, h, step)) {
                            out.push(self.slice_start(lo, step, &dim)?);
                            continue;
                        }
                    }
                    let lo = self.slice_start(lo, step, &dim)?;
                    let scaled = if step == 1 {
                        it
                    } else {
                        Expr::binary(BinOp::Mul, it, Expr::int(step), ElemTy::I64)
                    };
                    out.push(fold_add(lo, scaled));
                }
            }
        }
        Some(out)
    }

    /// What is known of the least value of integer expression `e`, to decide whether an
    /// index may be negative (and must count from the end, as in Python). A loop variable
    /// starts where its range shows; a local is what its assignments make it (`j = i - 1` may
    /// be negative, as `i - 1` is); other names (sizes, parameters), array elements and calls
    /// are taken to be non-negative and large enough that subtracting from them stays
    /// non-negative (`N - 1 - i`), so that gathers (`x[cols[k]]`) and loops over ranges read
    /// from arrays (`range(rowptr[i], rowptr[i + 1])`) keep plain, vectorizable indices. Only
    /// arithmetic that can go below a known bound, such as `i - 1` from `i = 0` or `-1 - i`,
    /// is wrapped.
    pub(super) fn low_bound(&self, e: &ast::Expr) -> Low {
        match &e.kind {
            AK::Int(v) => Low::Known(*v),
            AK::Bool(_) => Low::Known(0),
            // A loop whose body assigns its variable runs on `v#it` and copies it into `v`.
            AK::Name(n) => match self
                .loop_lows
                .iter()
                .rev()
                .find(|(v, _)| v == n || v.strip_suffix("#it") == Some(n.as_str()))
            {
                Some((_, Some(low))) => Low::Known(*low),
                Some((_, None)) => Low::Neg,
                None => match self.names.get(n) {
                    Some(super::Binding::Local(_)) => self
                        .local_lows
                        .get(&self.key(n))
                        .copied()
                        .unwrap_or(Low::Big),
                    _ => Low::Big,
                },
            },
            AK::Unary(AU::Neg, x) => match self.low_bound(x) {
                Low::Known(0) if matches!(x.kind, AK::Int(0)) => Low::Known(0),
                _ => match x.kind {
                    AK::Int(v) => v.checked_neg().map_or(Low::Neg, Low::Known),
                    _ => Low::Neg,
                },
            },
            AK::Unary(AU::Pos, x) => self.low_bound(x),
            AK::Binary(op, a, b) => {
                let (la, lb) = (self.low_bound(a), self.low_bound(b));
                match op {
                    AB::Add => match (la, lb) {
                        (Low::Known(x), Low::Known(y)) => {
                            x.checked_add(y).map_or(Low::Neg, Low::Known)
                        }
                        (Low::Neg, _) | (_, Low::Neg) => Low::Neg,
                        _ => Low::Big,
                    },
                    AB::Sub => match (la, &b.kind) {
                        (Low::Known(x), AK::Int(c)) => {
                            x.checked_sub(*c).map_or(Low::Neg, Low::Known)
                        }
                        (Low::Big, _) if lb != Low::Neg => Low::Big,
                        _ => Low::Neg,
                    },
                    AB::Mul => match (la, lb) {
                        (Low::Known(x), Low::Known(y)) if x >= 0 && y >= 0 => {
                            x.checked_mul(y).map_or(Low::Neg, Low::Known)
                        }
                        (l, r) if l.non_negative() && r.non_negative() => Low::Big,
                        _ => Low::Neg,
                    },
                    // Python's floor division and modulo by a positive divisor.
                    AB::Mod if lb.non_negative() => Low::Known(0),
                    AB::FloorDiv | AB::Shr if la.non_negative() && lb.non_negative() => {
                        Low::Known(0)
                    }
                    AB::BitAnd if la.non_negative() || lb.non_negative() => Low::Known(0),
                    AB::BitOr | AB::BitXor if la.non_negative() && lb.non_negative() => {
                        Low::Known(0)
                    }
                    _ => Low::Neg,
                }
            }
            AK::IfExp { then, els, .. } => match (self.low_bound(then), self.low_bound(els)) {
                (Low::Known(x), Low::Known(y)) => Low::Known(x.min(y)),
                (l, r) if l.non_negative() && r.non_negative() => Low::Known(0),
                _ => Low::Neg,
            },
            _ => Low::Big,
        }
    }

    /// A slice bound: negative literals count from the end of the dimension.
    /// A slice bound as written (negative literals count from the end), without clipping.
    pub(super) fn bound_as_written(&mut self, e: &ast::Expr, dim: &Expr) -> Option<Expr> {
        if let AK::Int(i) = e.kind {
            return Some(if i < 0 {
                Expr::binary(BinOp::Add, dim.clone(), Expr::int(i), ElemTy::I64)
            } else {
                Expr::int(i)
            });
        }
        Some(self.int_expr(e)?.cast(ElemTy::I64))
    }

    /// A slice bound, clipped to the dimension where Python would clip it (see below); `stop`
    /// tells the stop from the start.
    pub(super) fn bound(
        &mut self,
        e: &ast::Expr,
        dim: &Expr,
        step: i64,
        stop: bool,
    ) -> Option<Expr> {
        if let AK::Int(i) = e.kind {
            return Some(clip_literal(i, dim, step, stop));
        }
        let b = self.int_expr(e)?.cast(ElemTy::I64);
        // A bound known only at run time (a window `x[j:j + W]`, a stop `-M`) means what it
        // means in Python: a negative bound counts from the end, then the bound is clamped
        // into the dimension.
        let i64t = |kind| Expr {
            kind,
            ty: ElemTy::I64,
        };
        let (low, high) = if step > 0 {
            (Expr::int(0), dim.clone())
        } else {
            (
                Expr::int(-1),
                Expr::binary(BinOp::Sub, dim.clone(), Expr::int(1), ElemTy::I64),
            )
        };
        let from_end = i64t(ExprKind::Math(
            MathFn::Max2,
            vec![
                Expr::binary(BinOp::Add, b.clone(), dim.clone(), ElemTy::I64),
                low,
            ],
        ));
        let clamped = i64t(ExprKind::Math(MathFn::Min2, vec![b.clone(), high]));
        Some(i64t(ExprKind::Select {
            cond: Box::new(Expr {
                kind: ExprKind::Binary(BinOp::Lt, Box::new(b), Box::new(Expr::int(0))),
                ty: ElemTy::Bool,
            }),
            then: Box::new(from_end),
            els: Box::new(clamped),
        }))
    }

    pub(super) fn undefined(&mut self, name: &str, span: crate::diag::Span) {
        if self.poisoned.contains(name) {
            return;
        }
        if self.fspec.dicts.iter().any(|d| d == name) {
            let prefix = format!("{name}.");
            let keys = self
                .fspec
                .args
                .iter()
                .filter_map(|a| a.name.strip_prefix(&prefix))
                .map(|k| format!("{name}[\"{k}\"]"))
                .collect();
            self.errors.push(Error::DictWithoutKey {
                span,
                name: name.to_string(),
                keys,
            });
            return;
        }
        let candidates: Vec<&str> = self.names.keys().map(String::as_str).collect();
        let suggestion = crate::diag::suggest(name, candidates).map(str::to_string);
        let unused_loop_var = self
            .loop_vars
            .iter()
            .rev()
            .find(|(_, used)| !used)
            .map(|(v, _)| v.clone());
        self.errors.push(Error::UndefinedName {
            span,
            name: name.to_string(),
            suggestion,
            unused_loop_var,
        });
    }
}

/// Literal slice bound `i` where Python clips it into the dimension: a negative start of a
/// positive step (`x[-3:]` of two elements starts at 0) and a stop beyond the end
/// (`x[i, 0:4]` of a shorter row stops at its end), and the same for negative steps
/// (`x[5::-1]`, `x[:-5:-1]`). Elsewhere clipping would change no element the slice selects
/// (only how far below zero an empty slice's length goes), so `x[1:-1]` stays as written.
/// Folded where the dimension is a constant.
fn clip_literal(i: i64, dim: &Expr, step: i64, stop: bool) -> Expr {
    let as_written = if i < 0 {
        Expr::binary(BinOp::Add, dim.clone(), Expr::int(i), ElemTy::I64)
    } else {
        Expr::int(i)
    };
    // Which side may leave the dimension: below for a negative bound, above for the others.
    let (from_end, forward) = (i < 0, step > 0);
    let needs = if forward {
        from_end != stop
    } else {
        from_end == stop
    };
    if !needs {
        return as_written;
    }
    let (low, high) = if forward { (0, 0) } else { (-1, -1) };
    if let ExprKind::Int(n) = dim.kind {
        return Expr::int(if from_end {
            n.saturating_add(i).max(low)
        } else {
            i.min(n + high)
        });
    }
    let i64t = |kind| Expr {
        kind,
        ty: ElemTy::I64,
    };
    if from_end {
        i64t(ExprKind::Math(
            MathFn::Max2,
            vec![as_written, Expr::int(low)],
        ))
    } else {
        let top = if high == 0 {
            dim.clone()
        } else {
            Expr::binary(BinOp::Sub, dim.clone(), Expr::int(1), ElemTy::I64)
        };
        i64t(ExprKind::Math(MathFn::Min2, vec![as_written, top]))
    }
}

/// What is known of an index's least value (see `Lowerer::low_bound`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Low {
    /// At least this.
    Known(i64),
    /// Non-negative, and large enough to subtract from.
    Big,
    /// May be negative.
    Neg,
}

impl Low {
    /// What holds of a variable that takes either value.
    pub fn meet(self, other: Low) -> Low {
        match (self, other) {
            (Low::Neg, _) | (_, Low::Neg) => Low::Neg,
            (Low::Known(a), Low::Known(b)) => Low::Known(a.min(b)),
            (Low::Known(a), Low::Big) | (Low::Big, Low::Known(a)) => Low::Known(a.min(0)),
            (Low::Big, Low::Big) => Low::Big,
        }
    }
}

impl Low {
    pub fn non_negative(self) -> bool {
        match self {
            Low::Known(v) => v >= 0,
            Low::Big => true,
            Low::Neg => false,
        }
    }
}

/// The value of an integer expression made of literals only (`-(1 + 1)`, `2 * 3`), with
/// Python's meaning of `//` and `%`; None if it reads anything else or overflows.
pub fn const_int(e: &ast::Expr) -> Option<i64> {
    match &e.kind {
        AK::Int(v) => Some(*v),
        AK::Unary(AU::Neg, x) => const_int(x)?.checked_neg(),
        AK::Unary(AU::Pos, x) => const_int(x),
        AK::Unary(AU::Invert, x) => Some(!const_int(x)?),
        AK::Binary(op, a, b) => {
            let (a, b) = (const_int(a)?, const_int(b)?);
            match op {
                AB::Add => a.checked_add(b),
                AB::Sub => a.checked_sub(b),
                AB::Mul => a.checked_mul(b),
                AB::FloorDiv if b != 0 => {
                    let q = a.checked_div(b)?;
                    Some(if a % b != 0 && ((a < 0) != (b < 0)) {
                        q - 1
                    } else {
                        q
                    })
                }
                AB::Mod if b != 0 => {
                    let r = a.checked_rem(b)?;
                    Some(if r != 0 && ((r < 0) != (b < 0)) {
                        r + b
                    } else {
                        r
                    })
                }
                _ => None,
            }
        }
        _ => None,
    }
}

/// Whether integer `v` is a value of type `t`.
fn fits(v: i64, t: ElemTy) -> bool {
    match t {
        ElemTy::I8 => i8::try_from(v).is_ok(),
        ElemTy::I16 => i16::try_from(v).is_ok(),
        ElemTy::I32 => i32::try_from(v).is_ok(),
        ElemTy::U8 => u8::try_from(v).is_ok(),
        ElemTy::U16 => u16::try_from(v).is_ok(),
        ElemTy::U32 => u32::try_from(v).is_ok(),
        ElemTy::U64 => v >= 0,
        _ => true,
    }
}

/// `a + b`, dropping a zero.
pub fn fold_add(a: Expr, b: Expr) -> Expr {
    if a.kind == ExprKind::Int(0) {
        return b;
    }
    if b.kind == ExprKind::Int(0) {
        return a;
    }
    Expr::binary(BinOp::Add, a, b, ElemTy::I64)
}

/// The extent of a dimension as an `i64` expression.
pub fn dim_expr(d: Dim, f: &crate::ir::Function) -> Expr {
    match d {
        Dim::Const(n) => Expr::int(n),
        Dim::Var(v) => Expr::var(v, f.vars[v.0 as usize].ty).cast(ElemTy::I64),
    }
}

/// Python truthiness as a boolean expression.
fn truthy(x: TExpr) -> TExpr {
    if x.ty.elem == ElemTy::Bool {
        return x;
    }
    let zero = if x.ty.elem.is_float() {
        ExprKind::Float(0.0)
    } else {
        ExprKind::Int(0)
    };
    TExpr::new(
        ExprKind::Binary(
            BinOp::Ne,
            Box::new(x.e.clone()),
            Box::new(Expr {
                kind: zero,
                ty: x.ty.elem,
            }),
        ),
        ScalarTy::strong(ElemTy::Bool),
    )
}
