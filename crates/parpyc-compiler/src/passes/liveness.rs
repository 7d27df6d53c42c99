//! Which variables are live after each parallel loop: read on some path after it before being
//! assigned again. As in `mapping::upward_exposed`, an assignment on any path counts (a read
//! of a variable that no path assigned would fail in Python), so the flags that inlined helpers
//! use for an early `return` do not make their results look live.

use std::collections::{HashMap, HashSet};

use super::mapping::upward_exposed;
use crate::ir::{LoopId, Stmt, VarId};

type Live = HashSet<VarId>;

/// For every parallel loop of `body`, the variables live when it ends.
pub fn after_parallel_loops(body: &[Stmt]) -> HashMap<LoopId, Live> {
    let mut after = HashMap::new();
    block(body, &Live::new(), &mut after);
    after
}

/// Records the live sets after the parallel loops of `stmts`, given the live set after them.
fn block(stmts: &[Stmt], out: &Live, after: &mut HashMap<LoopId, Live>) {
    let mut live = out.clone();
    for s in stmts.iter().rev() {
        inside(s, &live, after);
        let mut assigned = Live::new();
        s.walk(&mut |x| match x {
            Stmt::Assign { var, .. } | Stmt::PartialGather { var, .. } => {
                assigned.insert(*var);
            }
            Stmt::For(l) => {
                assigned.insert(l.var);
            }
            _ => {}
        });
        live.retain(|v| !assigned.contains(v));
        live.extend(exposed(std::slice::from_ref(s)));
    }
}

/// The statements nested in `s`, which `live` follows.
fn inside(s: &Stmt, live: &Live, after: &mut HashMap<LoopId, Live>) {
    match s {
        Stmt::For(l) => {
            if l.par.is_some() {
                after.entry(l.id).or_default().extend(live.iter().copied());
            }
            // The end of the body reaches the next iteration, or what follows the loop.
            let mut out: Live = exposed(&l.body);
            out.remove(&l.var);
            out.extend(live.iter().copied());
            block(&l.body, &out, after);
        }
        Stmt::While { body, .. } => {
            let mut out = exposed(std::slice::from_ref(s));
            out.extend(live.iter().copied());
            block(body, &out, after);
        }
        Stmt::If { then, els, .. } => {
            block(then, live, after);
            block(els, live, after);
        }
        Stmt::OneThread(body) => block(body, live, after),
        _ => {}
    }
}

fn exposed(stmts: &[Stmt]) -> Live {
    let mut exposed = Live::new();
    upward_exposed(stmts, &mut HashSet::new(), &mut exposed);
    exposed
}
