//! 16-byte vector accesses for thread-level loops.
//!
//! A thread-level loop `for j in range(lo, hi)` whose body is straight-line code reading and
//! writing rows `a[p..., j]` can give each thread `V` consecutive iterations at a time, loading
//! and storing each row's `V` elements with one 16-byte access (`float4`, `double2`, ...). The
//! iterations of a parallel loop are independent (the mapping pass rejects races), so which
//! thread runs which iteration is free; every thread-level loop ends at a barrier, so no other
//! loop depends on the assignment either. Each thread still runs its iterations in order, so
//! loop-carried values (a reduction's partial value) see the same sequence of updates.
//!
//! The generated code checks at run time that every row it accesses this way starts on a
//! 16-byte boundary; rows that do not, and the last `hi - lo mod V` iterations, take the scalar
//! loop.

use crate::ir::{ArrayId, Expr, ExprKind, For, Stmt, VarId};
use crate::types::ElemTy;

/// One row accessed with vectors: `array[prefix..., j]`.
#[derive(Debug)]
pub struct Group {
    pub array: ArrayId,
    pub prefix: Vec<Expr>,
    /// Whether the body reads the row before writing it (loaded once per step, first).
    pub loaded: bool,
    /// Whether the body writes the row (stored once per step, after the body).
    pub stored: bool,
    /// The CUDA vector type (`float4`).
    pub vtype: &'static str,
}

#[derive(Debug)]
pub struct Plan {
    /// Elements per vector.
    pub width: usize,
    pub groups: Vec<Group>,
}

impl Plan {
    /// The group an access `array[index]` belongs to.
    pub fn group_of(&self, j: VarId, array: ArrayId, index: &[Expr]) -> Option<usize> {
        let (last, prefix) = index.split_last()?;
        if last.kind != ExprKind::Var(j) {
            return None;
        }
        self.groups
            .iter()
            .position(|g| g.array == array && g.prefix == prefix)
    }
}

/// The vector type holding 16 bytes of `t`, and its element count.
fn vector_type(t: ElemTy) -> Option<(&'static str, usize)> {
    Some(match t {
        ElemTy::F32 => ("float4", 4),
        ElemTy::I32 => ("int4", 4),
        ElemTy::U32 => ("uint4", 4),
        ElemTy::F64 => ("double2", 2),
        ElemTy::I64 => ("longlong2", 2),
        ElemTy::U64 => ("ulonglong2", 2),
        _ => return None,
    })
}

/// The array accesses of a straight-line loop body in program order, each with the index of
/// its statement: `(statement, array, index, is_store)`, a store after the loads of its index
/// and value. Statements other than assignments and stores have none.
pub fn body_accesses<'a>(body: &'a [Stmt]) -> Vec<(usize, ArrayId, &'a [Expr], bool)> {
    let mut out = Vec::new();
    for (si, s) in body.iter().enumerate() {
        let mut load = |a: ArrayId, i: &'a [Expr]| out.push((si, a, i, false));
        match s {
            Stmt::Assign { value, .. } => value.visit_loads(&mut load),
            Stmt::Store {
                array,
                index,
                value,
                ..
            } => {
                index.iter().for_each(|x| x.visit_loads(&mut load));
                value.visit_loads(&mut load);
                out.push((si, *array, index.as_slice(), true));
            }
            _ => {}
        }
    }
    out
}

fn has_extern(e: &Expr) -> bool {
    let mut found = false;
    e.visit_externs(&mut |_, _| found = true);
    found
}

/// How to vectorize a thread-level loop, if its body allows it.
pub fn plan(l: &For, elem: impl Fn(ArrayId) -> ElemTy) -> Option<Plan> {
    if l.step != 1 {
        return None;
    }
    let j = l.var;
    // Straight-line bodies only; variables they assign.
    let mut assigned: Vec<VarId> = Vec::new();
    for s in &l.body {
        match s {
            Stmt::Assign { var, value, .. } => {
                if *var == j || has_extern(value) {
                    return None;
                }
                assigned.push(*var);
            }
            Stmt::Store { index, value, .. } => {
                if has_extern(value) || index.iter().any(has_extern) {
                    return None;
                }
            }
            _ => return None,
        }
    }
    let accesses: Vec<(ArrayId, &[Expr], bool)> = body_accesses(&l.body)
        .into_iter()
        .map(|(_, a, i, w)| (a, i, w))
        .collect();
    let mut groups: Vec<Group> = Vec::new();
    // Arrays accessed some other way than a vectorizable row.
    let mut irregular: Vec<ArrayId> = Vec::new();
    for (array, index, is_store) in &accesses {
        let row = match index.split_last() {
            Some((last, prefix)) => {
                last.kind == ExprKind::Var(j)
                    && prefix
                        .iter()
                        .all(|p| !p.mentions(j) && !assigned.iter().any(|v| p.mentions(*v)))
            }
            None => false,
        };
        if !row {
            irregular.push(*array);
            continue;
        }
        let prefix = &index[..index.len() - 1];
        // Two arguments may be one array: a row read after a row of another array of its type
        // was written might be reading that row, which the deferred store has not written yet.
        if !is_store
            && groups
                .iter()
                .any(|g| g.stored && g.array != *array && elem(g.array) == elem(*array))
        {
            return None;
        }
        match groups
            .iter_mut()
            .find(|g| g.array == *array && g.prefix == prefix)
        {
            // A read after a write of the row in the same iteration reads the register the
            // write went to; only a read before any write loads the row.
            Some(g) => g.stored |= *is_store,
            None => groups.push(Group {
                array: *array,
                prefix: prefix.to_vec(),
                loaded: !is_store,
                stored: *is_store,
                vtype: "",
            }),
        }
    }
    if groups.is_empty() || !groups.iter().any(|g| g.loaded) {
        return None;
    }
    // A written array with a vector row must be accessed only through that row: other
    // accesses would see the row's loads early or its stores late. Written arrays without
    // one are accessed element by element, in order.
    let written: Vec<ArrayId> = accesses
        .iter()
        .filter(|(_, _, w)| *w)
        .map(|(a, _, _)| *a)
        .collect();
    for g in groups.iter().filter(|g| written.contains(&g.array)) {
        if irregular.contains(&g.array) || groups.iter().filter(|h| h.array == g.array).count() > 1
        {
            return None;
        }
    }
    let mut width = None;
    for g in &mut groups {
        let (t, w) = vector_type(elem(g.array))?;
        if width.is_some_and(|x| x != w) {
            return None;
        }
        width = Some(w);
        g.vtype = t;
    }
    Some(Plan {
        width: width?,
        groups,
    })
}
