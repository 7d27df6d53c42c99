//! Gives a local a new version at each plain reassignment in straight-line code, so that each
//! version has the type of what is assigned to it: `v = i` (an integer, usable as an index)
//! followed by `v = v / 2` (a float) are two variables, as they are two values in Python.
//!
//! A block's top-level assignment `v = e` starts a new version `v#1`, `v#2`, ... when the
//! block holds every use of `v` in the function and its first use is an assignment that does
//! not read `v` (so no value flows in from before the block or from a previous iteration).
//! Assignments nested in branches or loops update the current version: where values of two
//! versions would meet, they are one variable, typed by everything assigned to it.

use std::collections::HashMap;

use super::ast::{Expr, ExprKind, Function, Module, Stmt, StmtKind};

/// The name a version of a local displays: `v` for `v#2`.
pub fn display_name(name: &str) -> &str {
    name.split('#').next().unwrap_or(name)
}

/// A local's, argument's or array's name as the source spells it: `v` for the version `v#2`,
/// `d["f"]` for the field `d.f` of a dict argument.
pub fn source_name(name: &str) -> String {
    let name = display_name(name);
    match name.split_once('.') {
        Some((dict, field)) => format!("{dict}[\"{field}\"]"),
        None => name.to_string(),
    }
}

pub fn run(m: &mut Module) {
    for f in &mut m.functions {
        version_function(f);
    }
}

fn version_function(f: &mut Function) {
    let mut total = HashMap::new();
    count_block(&f.body, &mut total);
    let mut fresh = 0;
    separate_loop_variables(&mut f.body, &total, &mut fresh);
    let mut total = HashMap::new();
    count_block(&f.body, &mut total);
    let params: Vec<String> = f.params.iter().map(|p| p.name.clone()).collect();
    version_block(&mut f.body, &total, &params);
}

/// Python's `for` over `range`: the range is evaluated once, the loop variable takes each value
/// in turn whatever the body assigns to it, and after the loop it holds the last value (or its
/// earlier value, for an empty range). Where a body assigns a name the range reads, the range's
/// bounds are computed once before the loop (`j_range#1 = n`). Where the body assigns the loop
/// variable, or (for a loop without a label) the variable is used outside the loop, the loop
/// runs on a hidden variable `j#it` and the body starts with `j = j#it`.
fn separate_loop_variables(
    stmts: &mut Vec<Stmt>,
    total: &HashMap<String, usize>,
    fresh: &mut usize,
) {
    let mut p = 0;
    while p < stmts.len() {
        let s = &mut stmts[p];
        let span = s.span.clone();
        let labelled = !s.labels.is_empty();
        let mut inside = HashMap::new();
        count_stmt(s, &mut inside);
        let mut hoisted = Vec::new();
        if let StmtKind::For {
            var,
            var_span,
            body,
            range,
        } = &mut s.kind
        {
            separate_loop_variables(body, total, fresh);
            // Bounds reading a name the body assigns are computed once, before the loop.
            for bound in [
                range.start.as_mut(),
                Some(&mut range.stop),
                range.step.as_mut(),
            ]
            .into_iter()
            .flatten()
            {
                let mut names = HashMap::new();
                count_expr(bound, &mut names);
                if names.keys().any(|n| assigns(body, n)) {
                    *fresh += 1;
                    let tmp = format!("{var}_range#{fresh}");
                    let value = std::mem::replace(
                        bound,
                        Expr {
                            kind: ExprKind::Name(tmp.clone()),
                            span: bound.span.clone(),
                        },
                    );
                    hoisted.push(Stmt {
                        kind: StmtKind::Assign {
                            target: Expr {
                                kind: ExprKind::Name(tmp),
                                span: value.span.clone(),
                            },
                            value,
                        },
                        labels: Vec::new(),
                        span: span.clone(),
                    });
                }
            }
            let used_outside = total.get(var.as_str()).copied().unwrap_or(0)
                > inside.get(var.as_str()).copied().unwrap_or(0);
            if assigns(body, var) || (!labelled && used_outside) {
                let hidden = format!("{var}#it");
                let assign = Stmt {
                    kind: StmtKind::Assign {
                        target: Expr {
                            kind: ExprKind::Name(var.clone()),
                            span: var_span.clone(),
                        },
                        value: Expr {
                            kind: ExprKind::Name(hidden.clone()),
                            span: var_span.clone(),
                        },
                    },
                    labels: Vec::new(),
                    span,
                };
                body.insert(0, assign);
                *var = hidden;
            }
            let n = hoisted.len();
            for (k, h) in hoisted.into_iter().enumerate() {
                stmts.insert(p + k, h);
            }
            p += n + 1;
            continue;
        }
        let (_, blocks) = s.parts_mut();
        for b in blocks {
            separate_loop_variables(b, total, fresh);
        }
        p += 1;
    }
}

/// Whether a block assigns `name` (as a whole, or with an augmented assignment).
fn assigns(stmts: &[Stmt], name: &str) -> bool {
    stmts.iter().any(|s| match &s.kind {
        StmtKind::Assign { target, .. } | StmtKind::AugAssign { target, .. } => {
            matches!(&target.kind, ExprKind::Name(n) if n == name)
        }
        StmtKind::For { var, body, .. } => var == name || assigns(body, name),
        StmtKind::While { body, .. } | StmtKind::Gpu { body } => assigns(body, name),
        StmtKind::If { then, els, .. } => assigns(then, name) || assigns(els, name),
        _ => false,
    })
}

fn count_expr(e: &Expr, counts: &mut HashMap<String, usize>) {
    visit_names(e, &mut |n| *counts.entry(n.to_string()).or_default() += 1);
}

fn count_block(stmts: &[Stmt], counts: &mut HashMap<String, usize>) {
    for s in stmts {
        count_stmt(s, counts);
    }
}

fn count_stmt(s: &Stmt, counts: &mut HashMap<String, usize>) {
    if let StmtKind::For { var, .. } = &s.kind {
        // A loop variable is never versioned: count it twice over so it never qualifies.
        *counts.entry(var.clone()).or_default() += 2;
    }
    let (exprs, blocks) = s.parts();
    for e in exprs {
        count_expr(e, counts);
    }
    for b in blocks {
        count_block(b, counts);
    }
}

fn version_block(stmts: &mut [Stmt], total: &HashMap<String, usize>, params: &[String]) {
    for s in stmts.iter_mut() {
        for b in s.parts_mut().1 {
            version_block(b, total, params);
        }
    }
    // Names assigned at this block's top level more than once.
    let mut assigned: HashMap<String, usize> = HashMap::new();
    for s in stmts.iter() {
        if let Some(n) = plain_target(s) {
            *assigned.entry(n.to_string()).or_default() += 1;
        }
    }
    let mut here = HashMap::new();
    count_block(stmts, &mut here);
    let mut names: Vec<String> = assigned
        .into_iter()
        .filter(|(n, k)| *k > 1 && !params.contains(n) && total.get(n) == here.get(n))
        .map(|(n, _)| n)
        .collect();
    names.sort();
    for name in names {
        // The first statement mentioning the name must assign it without reading it.
        let Some(first) = stmts.iter().position(|s| {
            let mut c = HashMap::new();
            count_stmt(s, &mut c);
            c.contains_key(&name)
        }) else {
            continue;
        };
        let reads_itself = match &stmts[first].kind {
            StmtKind::Assign { value, .. } => {
                let mut c = HashMap::new();
                count_expr(value, &mut c);
                c.contains_key(&name)
            }
            _ => true,
        };
        if plain_target(&stmts[first]) != Some(name.as_str()) || reads_itself {
            continue;
        }
        let mut version = 0;
        let mut current = name.clone();
        for s in stmts.iter_mut().skip(first + 1) {
            if plain_target(s) == Some(name.as_str()) {
                if let StmtKind::Assign { target, value } = &mut s.kind {
                    rename_expr(value, &name, &current);
                    version += 1;
                    current = format!("{name}#{version}");
                    target.kind = ExprKind::Name(current.clone());
                }
            } else {
                rename_stmt(s, &name, &current);
            }
        }
    }
}

/// The local a statement assigns as a whole (`v = e`), if it does.
fn plain_target(s: &Stmt) -> Option<&str> {
    match &s.kind {
        StmtKind::Assign { target, .. } => match &target.kind {
            ExprKind::Name(n) => Some(n),
            _ => None,
        },
        _ => None,
    }
}

fn rename_stmt(s: &mut Stmt, from: &str, to: &str) {
    if from == to {
        return;
    }
    let (exprs, blocks) = s.parts_mut();
    for e in exprs {
        rename_expr(e, from, to);
    }
    for b in blocks {
        b.iter_mut().for_each(|s| rename_stmt(s, from, to));
    }
}

/// Calls `f` on every name an expression mentions.
fn visit_names(e: &Expr, f: &mut impl FnMut(&str)) {
    if let ExprKind::Name(n) = &e.kind {
        f(n);
    }
    for c in e.children() {
        visit_names(c, f);
    }
}

fn rename_expr(e: &mut Expr, from: &str, to: &str) {
    if let ExprKind::Name(n) = &mut e.kind {
        if n == from {
            *n = to.to_string();
        }
    }
    for c in e.children_mut() {
        rename_expr(c, from, to);
    }
}
