//! How large integer variables can get, so that arithmetic that cannot overflow is printed as
//! written and only the rest goes through the unsigned type (see `expr::Ctx`).
//!
//! A bound `k` means `|v| < 2^k`. Dimensions are taken to be below 2^40 elements; a loop
//! variable is bounded by its range; a local by the largest of the values assigned to it, when
//! every one of them is bounded (so `c = c + 1` in a loop is not). Parameters other than
//! dimensions, array elements of 64-bit types and reduction results are unbounded.

use crate::ir::{BinOp, Dim, Expr, ExprKind, MathFn, Stmt, UnOp, VarId};
use crate::passes::mapping::{HostStmt, Mapped};
use crate::types::ElemTy;

/// Dimensions are below 2^40 elements (an array that large does not fit a GPU).
const DIM_BITS: u32 = 40;

/// The bound of each variable of `m`'s function, or None.
pub fn var_bounds(m: &Mapped, kernels: &[&[Stmt]]) -> Vec<Option<u32>> {
    let f = &m.func;
    let n = f.vars.len();
    let mut dims = vec![false; n];
    for a in &f.arrays {
        for d in &a.dims {
            if let Dim::Var(v) = d {
                dims[v.0 as usize] = true;
            }
        }
    }
    // Every value each variable receives; `None` for one that is not an expression.
    let mut sources: Vec<Vec<Option<Source>>> = vec![Vec::new(); n];
    let mut add = |v: VarId, s: Option<Source>| sources[v.0 as usize].push(s);
    walk(&f.body, &mut add);
    for body in kernels {
        walk(body, &mut add);
    }
    walk_host(&m.host, &mut add);
    let mut bounds: Vec<Option<u32>> = (0..n).map(|i| dims[i].then_some(DIM_BITS)).collect();
    // From unbounded upward: a variable becomes bounded once all its sources are.
    loop {
        let mut changed = false;
        for i in 0..n {
            if bounds[i].is_some() || sources[i].is_empty() {
                continue;
            }
            let mut worst = 0;
            let mut ok = true;
            for s in &sources[i] {
                let b = match s {
                    Some(Source::Value(e)) => bits(e, &|v| bounds[v.0 as usize]),
                    Some(Source::Range(a, b)) => {
                        let get = |v: VarId| bounds[v.0 as usize];
                        match (bits(a, &get), bits(b, &get)) {
                            (Some(x), Some(y)) => Some(x.max(y)),
                            _ => None,
                        }
                    }
                    None => None,
                };
                match b {
                    Some(b) => worst = worst.max(b),
                    None => {
                        ok = false;
                        break;
                    }
                }
            }
            if ok {
                bounds[i] = Some(worst.min(type_bits(f.vars[i].ty)));
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    bounds
}

#[derive(Clone)]
enum Source {
    Value(Expr),
    /// A loop variable's range.
    Range(Expr, Expr),
}

fn walk(stmts: &[Stmt], add: &mut impl FnMut(VarId, Option<Source>)) {
    for s in stmts {
        match s {
            Stmt::Assign { var, value, .. } => add(*var, Some(Source::Value(value.clone()))),
            Stmt::For(l) => {
                add(l.var, Some(Source::Range(l.start.clone(), l.stop.clone())));
                if let Some(r) = &l.reduction {
                    add(r.acc, None);
                }
                walk(&l.body, add);
            }
            Stmt::While { body, .. } => walk(body, add),
            Stmt::If { then, els, .. } => {
                walk(then, add);
                walk(els, add);
            }
            Stmt::OneThread(body) => walk(body, add),
            Stmt::BlockReduce { var, .. } | Stmt::PartialGather { var, .. } => add(*var, None),
            _ => {}
        }
    }
}

fn walk_host(stmts: &[HostStmt], add: &mut impl FnMut(VarId, Option<Source>)) {
    for s in stmts {
        match s {
            HostStmt::Assign { var, value } => add(*var, Some(Source::Value(value.clone()))),
            HostStmt::For {
                var,
                start,
                stop,
                body,
                ..
            } => {
                add(*var, Some(Source::Range(start.clone(), stop.clone())));
                walk_host(body, add);
            }
            HostStmt::While { body, .. } => walk_host(body, add),
            HostStmt::If { then, els, .. } => {
                walk_host(then, add);
                walk_host(els, add);
            }
            _ => {}
        }
    }
}

/// `|v| < 2^k` for every value of type `t`.
pub fn type_bits(t: ElemTy) -> u32 {
    match t {
        ElemTy::Bool => 1,
        t if t.is_int() => 8 * t.size_bytes(),
        _ => 64,
    }
}

/// A bound of integer expression `e`, given the variables' bounds.
pub fn bits(e: &Expr, var: &dyn Fn(VarId) -> Option<u32>) -> Option<u32> {
    if !(e.ty.is_int() || e.ty == ElemTy::Bool) {
        return None;
    }
    let cap = |b: Option<u32>| b.map(|b| b.min(type_bits(e.ty)));
    let r = match &e.kind {
        ExprKind::Int(v) => Some(64 - v.unsigned_abs().leading_zeros()),
        ExprKind::Bool(_) => Some(1),
        ExprKind::Var(v) => var(*v).or(Some(type_bits(e.ty)).filter(|&b| b < 64)),
        ExprKind::Load { .. } => Some(type_bits(e.ty)).filter(|&b| b < 64),
        ExprKind::Cast(x) if x.ty.is_int() || x.ty == ElemTy::Bool => {
            bits(x, var).or(Some(type_bits(x.ty)).filter(|&b| b < 64))
        }
        ExprKind::Unary(UnOp::Neg, x) => bits(x, var),
        ExprKind::Binary(op, a, b) => {
            let (x, y) = (bits(a, var), bits(b, var));
            match op {
                BinOp::Add | BinOp::Sub => Some(x?.max(y?) + 1),
                BinOp::Mul => Some(x? + y?),
                BinOp::FloorDiv | BinOp::Shr => x,
                BinOp::Mod => y,
                BinOp::BitAnd | BinOp::BitOr | BinOp::BitXor => Some(x?.max(y?)),
                _ if e.ty == ElemTy::Bool => Some(1),
                _ => None,
            }
        }
        ExprKind::Select { then, els, .. } => Some(bits(then, var)?.max(bits(els, var)?)),
        ExprKind::Math(MathFn::Max2 | MathFn::Min2 | MathFn::Abs, args) => {
            let mut m = 0;
            for a in args {
                m = m.max(bits(a, var)?);
            }
            Some(m)
        }
        _ => None,
    };
    cap(r)
}
