//! A readable listing of the loop IR, for snapshots and debugging.

use std::fmt::{self, Write};

use super::*;
use crate::back::Level;

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| match p {
                Param::Array(a) => {
                    let a = &self.arrays[a.0 as usize];
                    let dims: Vec<String> = a.dims.iter().map(|d| self.dim(*d)).collect();
                    format!(
                        "{}: {}[{}]{}",
                        a.name,
                        a.elem,
                        dims.join(", "),
                        if a.written { " mut" } else { "" }
                    )
                }
                Param::Scalar(v) => {
                    format!("{}: {}", self.var_name(*v), self.vars[v.0 as usize].ty)
                }
            })
            .collect();
        write!(f, "def {}({})", self.name, params.join(", "))?;
        if !self.symbols.is_empty() {
            let s: Vec<String> = self.symbols.iter().map(|v| self.var_name(*v)).collect();
            write!(f, " [symbols {}]", s.join(", "))?;
        }
        writeln!(f, ":")?;
        let mut out = String::new();
        for s in &self.body {
            self.stmt(&mut out, s, 1)?;
        }
        f.write_str(&out)
    }
}

impl Function {
    /// A variable's name, with `#id` where the name alone is ambiguous.
    fn var_name(&self, v: VarId) -> String {
        let name = &self.vars[v.0 as usize].name;
        if self.vars.iter().filter(|x| &x.name == name).count() > 1 {
            format!("{name}#{}", v.0)
        } else {
            name.clone()
        }
    }

    fn dim(&self, d: Dim) -> String {
        match d {
            Dim::Const(n) => n.to_string(),
            Dim::Var(v) => self.var_name(v),
        }
    }

    pub fn expr_text(&self, e: &Expr) -> String {
        match &e.kind {
            ExprKind::Int(v) => v.to_string(),
            ExprKind::Float(v) => format!("{v:?}"),
            ExprKind::Bool(b) => if *b { "True" } else { "False" }.to_string(),
            ExprKind::Var(v) => self.var_name(*v),
            ExprKind::Load { array, index } => {
                let ix: Vec<String> = index.iter().map(|i| self.expr_text(i)).collect();
                format!("{}[{}]", self.arrays[array.0 as usize].name, ix.join(", "))
            }
            ExprKind::Unary(op, x) => {
                let o = match op {
                    UnOp::Neg => "-",
                    UnOp::Not => "not ",
                    UnOp::Invert => "~",
                };
                format!("{o}{}", self.atom(x))
            }
            ExprKind::Binary(op, a, b) => {
                let o = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    BinOp::Mul => "*",
                    BinOp::Div => "/",
                    BinOp::FloorDiv => "//",
                    BinOp::Mod => "%",
                    BinOp::Pow => "**",
                    BinOp::BitAnd => "&",
                    BinOp::BitOr => "|",
                    BinOp::BitXor => "^",
                    BinOp::Shl => "<<",
                    BinOp::Shr => ">>",
                    BinOp::Eq => "==",
                    BinOp::Ne => "!=",
                    BinOp::Lt => "<",
                    BinOp::Le => "<=",
                    BinOp::Gt => ">",
                    BinOp::Ge => ">=",
                    BinOp::And => "and",
                    BinOp::Or => "or",
                };
                format!("{} {o} {}", self.atom(a), self.atom(b))
            }
            ExprKind::Math(m, args) => {
                let a: Vec<String> = args.iter().map(|x| self.expr_text(x)).collect();
                format!("{}({})", m.name(), a.join(", "))
            }
            ExprKind::Cast(x) => format!("{}({})", e.ty, self.expr_text(x)),
            ExprKind::Extern { name, args, .. } => {
                let a: Vec<String> = args.iter().map(|x| self.expr_text(x)).collect();
                format!("extern {name}({})", a.join(", "))
            }
            ExprKind::ArrayPtr(a) => self.arrays[a.0 as usize].name.clone(),
            ExprKind::Select { cond, then, els } => {
                format!(
                    "{} if {} else {}",
                    self.atom(then),
                    self.atom(cond),
                    self.atom(els)
                )
            }
        }
    }

    fn atom(&self, e: &Expr) -> String {
        let s = self.expr_text(e);
        if matches!(e.kind, ExprKind::Binary(..) | ExprKind::Select { .. }) {
            format!("({s})")
        } else {
            s
        }
    }

    fn stmt(&self, out: &mut String, s: &Stmt, level: usize) -> fmt::Result {
        let ind = Level(level);
        match s {
            Stmt::Assign { var, value, .. } => writeln!(
                out,
                "{ind}{}: {} = {}",
                self.var_name(*var),
                self.vars[var.0 as usize].ty,
                self.expr_text(value)
            ),
            Stmt::Store {
                array,
                index,
                value,
                ..
            } => {
                let ix: Vec<String> = index.iter().map(|i| self.expr_text(i)).collect();
                writeln!(
                    out,
                    "{ind}{}[{}] = {}",
                    self.arrays[array.0 as usize].name,
                    ix.join(", "),
                    self.expr_text(value)
                )
            }
            Stmt::For(l) => {
                let mut head = format!(
                    "{ind}for {} in range({}, {}, {})",
                    self.var_name(l.var),
                    self.expr_text(&l.start),
                    self.expr_text(&l.stop),
                    l.step
                );
                if let Some(p) = &l.par {
                    let _ = write!(
                        head,
                        "  # par {}: threads={} tpb={}",
                        p.label,
                        self.expr_text(&p.threads),
                        p.tpb
                    );
                }
                if let Some(r) = &l.reduction {
                    let _ = write!(
                        head,
                        " reduce {} into {}",
                        r.op.name(),
                        self.var_name(r.acc)
                    );
                }
                writeln!(out, "{head}:")?;
                for b in &l.body {
                    self.stmt(out, b, level + 1)?;
                }
                Ok(())
            }
            Stmt::While { cond, body, .. } => {
                writeln!(out, "{ind}while {}:", self.expr_text(cond))?;
                for b in body {
                    self.stmt(out, b, level + 1)?;
                }
                Ok(())
            }
            Stmt::If {
                cond, then, els, ..
            } => {
                writeln!(out, "{ind}if {}:", self.expr_text(cond))?;
                for b in then {
                    self.stmt(out, b, level + 1)?;
                }
                if !els.is_empty() {
                    writeln!(out, "{ind}else:")?;
                    for b in els {
                        self.stmt(out, b, level + 1)?;
                    }
                }
                Ok(())
            }
            Stmt::Eval(e, _) => writeln!(out, "{ind}{}", self.expr_text(e)),
            Stmt::Break => writeln!(out, "{ind}break"),
            Stmt::Continue => writeln!(out, "{ind}continue"),
            Stmt::Sync => writeln!(out, "{ind}sync()"),
            Stmt::BlockReduce { var, op } => writeln!(
                out,
                "{ind}{} = block_{}({})",
                self.var_name(*var),
                op.name(),
                self.var_name(*var)
            ),
            Stmt::AtomicCombine {
                array,
                index,
                op,
                var,
            } => {
                let ix: Vec<String> = index.iter().map(|i| self.expr_text(i)).collect();
                writeln!(
                    out,
                    "{ind}atomic_{}({}[{}], {})",
                    op.name(),
                    self.arrays[array.0 as usize].name,
                    ix.join(", "),
                    self.var_name(*var)
                )
            }
            Stmt::PartialStore { array, slot, var } => writeln!(
                out,
                "{ind}{}[{} * blocks_per_row + block_in_row] = {}",
                self.arrays[array.0 as usize].name,
                self.expr_text(slot),
                self.var_name(*var)
            ),
            Stmt::PartialGather {
                array,
                slot,
                var,
                op,
            } => writeln!(
                out,
                "{ind}{} = gather_{}({}[{} * blocks_per_row..])",
                self.var_name(*var),
                op.name(),
                self.arrays[array.0 as usize].name,
                self.expr_text(slot)
            ),
            Stmt::OneThread(body) => {
                writeln!(out, "{ind}one_thread:")?;
                for b in body {
                    self.stmt(out, b, level + 1)?;
                }
                Ok(())
            }
        }
    }
}
