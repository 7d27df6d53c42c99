//! Dict arguments: `d = { rows = "i64[R]", vals = "f32[NNZ]" }` in the spec. The function is
//! rewritten before lowering so that each field is a parameter of its own, named `d.field`
//! (a name no Python identifier can clash with), and `d["rows"][i]` reads `d.rows[i]`.

use crate::front::ast::{self, ExprKind as AK, Index, StmtKind as SK};
use crate::spec::FunctionSpec;

pub fn flatten(f: &ast::Function, fs: &FunctionSpec) -> ast::Function {
    if fs.dicts.is_empty() {
        return f.clone();
    }
    let mut params = Vec::new();
    for p in &f.params {
        if fs.dicts.contains(&p.name) {
            let prefix = format!("{}.", p.name);
            for a in fs.args.iter().filter(|a| a.name.starts_with(&prefix)) {
                params.push(ast::Param {
                    name: a.name.clone(),
                    span: p.span.clone(),
                    annotation: None,
                });
            }
        } else {
            params.push(p.clone());
        }
    }
    let dicts = &fs.dicts;
    ast::Function {
        name: f.name.clone(),
        name_span: f.name_span.clone(),
        params,
        ret: f.ret.clone(),
        body: block(&f.body, dicts),
        span: f.span.clone(),
    }
}

/// Rewrites `d["field"]` to the name `d.field` for each dict `d` of `dicts`.
pub fn block(stmts: &[ast::Stmt], dicts: &[String]) -> Vec<ast::Stmt> {
    stmts
        .iter()
        .map(|s| {
            let kind = match &s.kind {
                SK::Assign { target, value } => SK::Assign {
                    target: expr(target, dicts),
                    value: expr(value, dicts),
                },
                SK::AugAssign { target, op, value } => SK::AugAssign {
                    target: expr(target, dicts),
                    op: *op,
                    value: expr(value, dicts),
                },
                SK::For {
                    var,
                    var_span,
                    range,
                    body,
                } => SK::For {
                    var: var.clone(),
                    var_span: var_span.clone(),
                    range: ast::RangeArgs {
                        start: range.start.as_ref().map(|e| expr(e, dicts)),
                        stop: expr(&range.stop, dicts),
                        step: range.step.as_ref().map(|e| expr(e, dicts)),
                    },
                    body: block(body, dicts),
                },
                SK::While { cond, body } => SK::While {
                    cond: expr(cond, dicts),
                    body: block(body, dicts),
                },
                SK::If { cond, then, els } => SK::If {
                    cond: expr(cond, dicts),
                    then: block(then, dicts),
                    els: block(els, dicts),
                },
                SK::Call {
                    name,
                    name_span,
                    args,
                } => SK::Call {
                    name: name.clone(),
                    name_span: name_span.clone(),
                    args: args.iter().map(|a| expr(a, dicts)).collect(),
                },
                SK::Return(v) => SK::Return(v.as_ref().map(|e| expr(e, dicts))),
                SK::Gpu { body } => SK::Gpu {
                    body: block(body, dicts),
                },
                other => other.clone(),
            };
            ast::Stmt {
                kind,
                labels: s.labels.clone(),
                span: s.span.clone(),
            }
        })
        .collect()
}

fn boxed(e: &ast::Expr, dicts: &[String]) -> Box<ast::Expr> {
    Box::new(expr(e, dicts))
}

fn expr(e: &ast::Expr, dicts: &[String]) -> ast::Expr {
    let kind = match &e.kind {
        AK::Subscript { base, indices } => {
            if let (
                AK::Name(d),
                Some(Index::Expr(ast::Expr {
                    kind: AK::Str(field),
                    ..
                })),
            ) = (&base.kind, indices.first())
            {
                if dicts.contains(d) {
                    let name = ast::Expr {
                        kind: AK::Name(format!("{d}.{field}")),
                        span: base.span.start..indices[0].span().end + 1,
                    };
                    let rest: Vec<Index> = indices[1..].iter().map(|i| index(i, dicts)).collect();
                    return if rest.is_empty() {
                        ast::Expr {
                            kind: name.kind,
                            span: e.span.clone(),
                        }
                    } else {
                        ast::Expr {
                            kind: AK::Subscript {
                                base: Box::new(name),
                                indices: rest,
                            },
                            span: e.span.clone(),
                        }
                    };
                }
            }
            AK::Subscript {
                base: boxed(base, dicts),
                indices: indices.iter().map(|i| index(i, dicts)).collect(),
            }
        }
        AK::Binary(op, a, b) => AK::Binary(*op, boxed(a, dicts), boxed(b, dicts)),
        AK::Unary(op, a) => AK::Unary(*op, boxed(a, dicts)),
        AK::Compare(a, rest) => AK::Compare(
            boxed(a, dicts),
            rest.iter().map(|(op, r)| (*op, expr(r, dicts))).collect(),
        ),
        AK::BoolOp(op, vs) => AK::BoolOp(*op, vs.iter().map(|v| expr(v, dicts)).collect()),
        AK::IfExp { cond, then, els } => AK::IfExp {
            cond: boxed(cond, dicts),
            then: boxed(then, dicts),
            els: boxed(els, dicts),
        },
        AK::Call {
            func,
            func_span,
            args,
            axis,
        } => AK::Call {
            func: *func,
            func_span: func_span.clone(),
            args: args.iter().map(|a| expr(a, dicts)).collect(),
            axis: axis.clone(),
        },
        AK::CallFn {
            name,
            name_span,
            args,
        } => AK::CallFn {
            name: name.clone(),
            name_span: name_span.clone(),
            args: args.iter().map(|a| expr(a, dicts)).collect(),
        },
        AK::ConvertVar(x, v) => AK::ConvertVar(boxed(x, dicts), v.clone()),
        other => other.clone(),
    };
    ast::Expr {
        kind,
        span: e.span.clone(),
    }
}

fn index(i: &Index, dicts: &[String]) -> Index {
    match i {
        Index::Expr(e) => Index::Expr(expr(e, dicts)),
        Index::Slice { lo, hi, step, span } => Index::Slice {
            lo: lo.as_ref().map(|e| boxed(e, dicts)),
            hi: hi.as_ref().map(|e| boxed(e, dicts)),
            step: step.as_ref().map(|e| boxed(e, dicts)),
            span: span.clone(),
        },
    }
}
