//! Which variables are live after each parallel loop: read on some path after it before being
//! assigned again on that path. A backward dataflow over the structured IR: a branch or a loop
//! that may not run assigns nothing for certain, loops run to a fixpoint, and `break` and
//! `continue` lead to their loop's exit and head.
//!
//! A parallel loop met on the way is taken whole, by what it may read before assigning
//! (`mapping::upward_exposed`): its iterations are other threads' business, and reading a
//! variable that no path of an iteration assigned would fail in Python, so the flags of an
//! inlined helper's early `return` do not make its result look read.

use std::collections::{HashMap, HashSet};

use super::mapping::upward_exposed;
use crate::ir::{LoopId, Stmt, VarId};

type Live = HashSet<VarId>;

/// For every parallel loop of `body`, the variables live when it ends.
pub fn after_parallel_loops(body: &[Stmt]) -> HashMap<LoopId, Live> {
    let mut cx = Cx {
        after: HashMap::new(),
        loops: Vec::new(),
    };
    cx.block(body, Live::new());
    cx.after
}

struct Cx {
    after: HashMap<LoopId, Live>,
    /// The enclosing loops' live sets at their exit and at their head, innermost last.
    loops: Vec<(Live, Live)>,
}

fn reads(s: &Stmt, live: &mut Live) {
    s.exprs(&mut |e| {
        e.visit_vars(&mut |v| {
            live.insert(v);
        })
    });
    match s {
        Stmt::BlockReduce { var, .. }
        | Stmt::AtomicCombine { var, .. }
        | Stmt::PartialStore { var, .. } => {
            live.insert(*var);
        }
        _ => {}
    }
}

impl Cx {
    fn block(&mut self, stmts: &[Stmt], out: Live) -> Live {
        stmts.iter().rev().fold(out, |live, s| self.stmt(s, live))
    }

    /// The live set before `s`, given the one after it.
    fn stmt(&mut self, s: &Stmt, mut live: Live) -> Live {
        match s {
            Stmt::Assign { var, .. } | Stmt::PartialGather { var, .. } => {
                live.remove(var);
                reads(s, &mut live);
                live
            }
            Stmt::For(l) if l.par.is_some() => {
                self.after
                    .entry(l.id)
                    .or_default()
                    .extend(live.iter().copied());
                // What the loop may read before assigning, at its head and so at the end of
                // each iteration, for the parallel loops inside it.
                let mut exposed = Live::new();
                upward_exposed(std::slice::from_ref(s), &mut HashSet::new(), &mut exposed);
                let mut out = exposed.clone();
                out.extend(live.iter().copied());
                self.loops.push((live.clone(), out.clone()));
                self.block(&l.body, out);
                self.loops.pop();
                live.extend(exposed);
                live
            }
            Stmt::For(l) => {
                let mut head = self.looped(&l.body, live, Some(l.var));
                reads(s, &mut head);
                head
            }
            Stmt::While { body, .. } => {
                let mut at_test = live.clone();
                reads(s, &mut at_test);
                let mut head = self.looped(body, at_test, None);
                reads(s, &mut head);
                head
            }
            Stmt::If { then, els, .. } => {
                let mut before = self.block(then, live.clone());
                before.extend(self.block(els, live));
                reads(s, &mut before);
                before
            }
            Stmt::OneThread(body) => self.block(body, live),
            Stmt::Break => self.loops.last().map_or(live, |(exit, _)| exit.clone()),
            Stmt::Continue => self.loops.last().map_or(live, |(_, head)| head.clone()),
            _ => {
                reads(s, &mut live);
                live
            }
        }
    }

    /// The live set at the head of a sequential loop over `body` that may run no iteration and
    /// whose exit is followed by `exit`; `var`, a `for` loop's variable, is assigned between
    /// the head and each iteration.
    fn looped(&mut self, body: &[Stmt], exit: Live, var: Option<VarId>) -> Live {
        let mut head = exit.clone();
        loop {
            self.loops.push((exit.clone(), head.clone()));
            let mut next = self.block(body, head.clone());
            self.loops.pop();
            if let Some(v) = var {
                next.remove(&v);
            }
            next.extend(head.iter().copied());
            if next == head {
                return head;
            }
            head = next;
        }
    }
}
