//! The interface of a compiled module as its callers see it: the entry points of the C header,
//! their parameters in order, element types, shapes and shape symbols. The Python module, the
//! header and Rust bindings are all written from this description.

use crate::ir;
use crate::passes::Mapped;
use crate::types::ElemTy;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Module {
    /// The output stem: `mv` for `mv.py`, naming `lib<stem>.so`.
    pub stem: String,
    /// The prefix of every exported C symbol.
    pub prefix: String,
    pub functions: Vec<Function>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Function {
    /// The Python function's name.
    pub name: String,
    /// The C entry point: `<prefix>_<name>`.
    pub symbol: String,
    /// Parameters in the Python function's order; the C entry point takes them in this order,
    /// then `symbols` as `int64_t`, then the stream.
    pub params: Vec<Param>,
    /// Shape symbols that are not parameters, bound from the arrays' shapes.
    pub symbols: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Param {
    /// The Python name.
    pub name: String,
    /// The name in the C header.
    pub c_name: String,
    pub kind: ParamKind,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamKind {
    /// A device pointer to C-contiguous elements.
    Array {
        elem: ElemTy,
        dims: Vec<Dim>,
        written: bool,
    },
    /// A scalar passed by value.
    Scalar(ElemTy),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Dim {
    Const(i64),
    /// An integer parameter's name or a shape symbol.
    Symbol(String),
}

pub fn describe(stem: &str, prefix: &str, funcs: &[Mapped]) -> Module {
    let functions = funcs
        .iter()
        .map(|m| {
            let f = &m.func;
            let c_names = crate::back::cuda::abi_names(f);
            let params = f
                .params
                .iter()
                .zip(&c_names)
                .map(|(p, c)| match p {
                    ir::Param::Array(a) => {
                        let a = &f.arrays[a.0 as usize];
                        let dims = a
                            .dims
                            .iter()
                            .map(|d| match d {
                                ir::Dim::Const(n) => Dim::Const(*n),
                                ir::Dim::Var(v) => Dim::Symbol(f.vars[v.0 as usize].name.clone()),
                            })
                            .collect();
                        Param {
                            name: a.name.clone(),
                            c_name: c.clone(),
                            kind: ParamKind::Array {
                                elem: a.elem,
                                dims,
                                written: a.written,
                            },
                        }
                    }
                    ir::Param::Scalar(v) => {
                        let v = &f.vars[v.0 as usize];
                        Param {
                            name: v.name.clone(),
                            c_name: c.clone(),
                            kind: ParamKind::Scalar(v.ty),
                        }
                    }
                })
                .collect();
            Function {
                name: f.name.clone(),
                symbol: format!("{prefix}_{}", f.name),
                params,
                symbols: f
                    .symbols
                    .iter()
                    .map(|s| f.vars[s.0 as usize].name.clone())
                    .collect(),
            }
        })
        .collect();
    Module {
        stem: stem.to_string(),
        prefix: prefix.to_string(),
        functions,
    }
}
