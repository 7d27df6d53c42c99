//! Fuses sibling thread-level loops of a kernel.
//!
//! Block-level code runs its thread-level loops one after another with a barrier between
//! them. Two such loops over the same range, where the second reads or writes what the first
//! wrote only at the same iteration's element, can run as one loop: each iteration of the
//! fused loop does the first loop's work and then the second's, and the barrier between them
//! goes. softmax's `out[i, :] = exp(x[i, :] - m)` followed by `s = sum(out[i, :])` becomes one
//! pass that stores each element and adds it to the thread's partial sum.
//!
//! Two arguments may be the same array, so arrays of one element type are treated as one.
//!
//! Scalar assignments between the loops (the second loop's accumulator starting at its neutral
//! element) move before the fused loop when neither loop touches their variables.

use std::collections::HashMap;

use super::mapping::substitute_var;
use super::Kernel;
use crate::ir::{ArrayId, Expr, ExprKind, For, Function, LoopId, Stmt, VarId};
use crate::types::ElemTy;

/// Fuses what it can in every kernel whose thread level runs inside block-level code.
pub fn run(func: &Function, kernels: &mut [Kernel]) {
    let elem = |a: ArrayId| func.arrays[a.0 as usize].elem;
    for k in kernels {
        if k.levels.len() < 2 {
            continue;
        }
        let last = k.levels.len() - 1;
        let level_of = k.level_of.clone();
        for s in &mut k.body {
            fuse_in(s, last, &level_of, &elem);
        }
    }
}

type Elem<'a> = &'a dyn Fn(ArrayId) -> ElemTy;

fn fuse_in(s: &mut Stmt, last: usize, level_of: &HashMap<LoopId, usize>, elem: Elem) {
    match s {
        Stmt::For(l) => {
            if level_of.get(&l.id) == Some(&last) {
                return;
            }
            fuse_list(&mut l.body, last, level_of, elem);
        }
        Stmt::While { body, .. } => fuse_list(body, last, level_of, elem),
        Stmt::If { then, els, .. } => {
            fuse_list(then, last, level_of, elem);
            fuse_list(els, last, level_of, elem);
        }
        _ => {}
    }
}

fn fuse_list(stmts: &mut Vec<Stmt>, last: usize, level_of: &HashMap<LoopId, usize>, elem: Elem) {
    for s in stmts.iter_mut() {
        fuse_in(s, last, level_of, elem);
    }
    let mut p = 0;
    while p < stmts.len() {
        if let Some(q) = fusible(stmts, p, last, level_of, elem) {
            // stmts[p] = A, stmts[p + 1] = barrier, stmts[p + 2..q] = assignments, stmts[q] = B.
            let Stmt::For(b) = stmts.remove(q) else {
                unreachable!("fusible checked the second loop")
            };
            let moved: Vec<Stmt> = stmts.drain(p + 1..q).skip(1).collect();
            let Stmt::For(a) = &mut stmts[p] else {
                unreachable!("fusible checked the first loop")
            };
            let mut body = b.body;
            substitute_var(&mut body, b.var, a.var);
            a.body.extend(body);
            a.reduction = b.reduction;
            let n = moved.len();
            for (i, m) in moved.into_iter().enumerate() {
                stmts.insert(p + i, m);
            }
            // The fused loop may fuse with the next one.
            p += n;
            continue;
        }
        p += 1;
    }
}

fn thread_loop<'s>(s: &'s Stmt, last: usize, level_of: &HashMap<LoopId, usize>) -> Option<&'s For> {
    match s {
        Stmt::For(l)
            if l.par.is_some() && level_of.get(&l.id) == Some(&last) && l.into.is_none() =>
        {
            Some(l)
        }
        _ => None,
    }
}

/// The index of the second loop when `stmts[p..]` starts a fusible pair.
fn fusible(
    stmts: &[Stmt],
    p: usize,
    last: usize,
    level_of: &HashMap<LoopId, usize>,
    elem: Elem,
) -> Option<usize> {
    let a = thread_loop(&stmts[p], last, level_of)?;
    if a.reduction.is_some() || !matches!(stmts.get(p + 1), Some(Stmt::Sync)) {
        return None;
    }
    let mut q = p + 2;
    while matches!(stmts.get(q), Some(Stmt::Assign { .. })) {
        q += 1;
    }
    let b = thread_loop(stmts.get(q)?, last, level_of)?;
    if a.start != b.start || a.stop != b.stop || a.step != b.step {
        return None;
    }
    let fa = Facts::of(a)?;
    let fb = Facts::of(b)?;
    // Scalars: neither loop sees the other's variables, nor those of the moved assignments.
    let loop_var = |v: &VarId| *v == a.var || *v == b.var;
    if fa
        .assigned
        .iter()
        .any(|v| !loop_var(v) && fb.mentioned.contains(v))
        || fb
            .assigned
            .iter()
            .any(|v| !loop_var(v) && fa.mentioned.contains(v))
    {
        return None;
    }
    for s in &stmts[p + 2..q] {
        let Stmt::Assign { var, value, .. } = s else {
            return None;
        };
        if value.loads() || fa.mentioned.contains(var) {
            return None;
        }
        let mut reads_a = false;
        value.visit_vars(&mut |v| reads_a |= fa.assigned.contains(&v));
        if reads_a {
            return None;
        }
    }
    // Arrays: one written by either loop and used by both is accessed only at one element of
    // the current iteration, the same in both loops.
    let rename = |e: &Expr| {
        let mut e = e.clone();
        e.rename_var(b.var, a.var);
        e
    };
    let b_accesses: Vec<(ArrayId, Vec<Expr>, bool)> = fb
        .accesses
        .iter()
        .map(|(x, i, w)| (*x, i.iter().map(rename).collect(), *w))
        .collect();
    // Two arguments may be one array, so arrays of one element type count as one.
    let class = |x: &ArrayId| elem(*x);
    let mut shared: Vec<ElemTy> = Vec::new();
    for (x, _, w) in fa.accesses.iter().chain(&b_accesses) {
        let c = class(x);
        let in_a = fa.accesses.iter().any(|(y, ..)| class(y) == c);
        let in_b = b_accesses.iter().any(|(y, ..)| class(y) == c);
        let written = *w
            || fa
                .accesses
                .iter()
                .chain(&b_accesses)
                .any(|(y, _, w2)| class(y) == c && *w2);
        if in_a && in_b && written && !shared.contains(&c) {
            shared.push(c);
        }
    }
    for c in shared {
        let mut indices = fa
            .accesses
            .iter()
            .chain(&b_accesses)
            .filter(|(y, ..)| class(y) == c)
            .map(|(_, i, _)| i);
        let first = indices.next()?;
        if indices.any(|i| i != first) {
            return None;
        }
        let mut local = false;
        let mut iteration = false;
        for e in first {
            e.visit_vars(&mut |v| {
                local |= !loop_var(&v) && (fa.assigned.contains(&v) || fb.assigned.contains(&v));
                iteration |= v == a.var;
            });
            local |= e.loads();
        }
        if local || !iteration {
            return None;
        }
    }
    Some(q)
}

/// What a loop body touches.
struct Facts {
    /// Variables assigned (including the loop variable).
    assigned: Vec<VarId>,
    /// Variables read or assigned.
    mentioned: Vec<VarId>,
    /// Array accesses: array, index, whether a write.
    accesses: Vec<(ArrayId, Vec<Expr>, bool)>,
}

impl Facts {
    /// `None` for bodies with effects the analysis does not follow (external calls).
    fn of(l: &For) -> Option<Facts> {
        let mut f = Facts {
            assigned: vec![l.var],
            mentioned: vec![l.var],
            accesses: Vec::new(),
        };
        let mut ok = true;
        for s in &l.body {
            s.walk(&mut |s| {
                match s {
                    Stmt::Assign { var, .. } => {
                        f.assigned.push(*var);
                        f.mentioned.push(*var);
                    }
                    Stmt::For(inner) => {
                        f.assigned.push(inner.var);
                        f.mentioned.push(inner.var);
                    }
                    Stmt::Store { array, index, .. } => {
                        f.accesses.push((*array, index.clone(), true));
                    }
                    Stmt::Eval(..)
                    | Stmt::AtomicCombine { .. }
                    | Stmt::BlockReduce { .. }
                    | Stmt::OneThread(_)
                    | Stmt::PartialStore { .. }
                    | Stmt::PartialGather { .. }
                    | Stmt::Sync => ok = false,
                    _ => {}
                }
                s.exprs(&mut |e| {
                    e.visit_vars(&mut |v| f.mentioned.push(v));
                    e.visit_externs(&mut |_, _| ok = false);
                    e.visit_loads(&mut |a, i| f.accesses.push((a, i.to_vec(), false)));
                    if matches!(e.kind, ExprKind::ArrayPtr(_)) {
                        ok = false;
                    }
                });
            });
        }
        ok.then_some(f)
    }
}
