//! Static name resolution: what `parpy.operators.sum`, `pp.sum`, `np.exp` or a plain `sum`
//! mean, read from the module's own imports.

use std::collections::HashMap;

use rustpython_parser::ast as py;

use super::ast::{Builtin, MathFn, ReduceOp};
use crate::types::ElemTy;

/// What a name or dotted attribute chain refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// A fully qualified path into an imported library: `parpy.operators.sum`.
    Path(String),
    /// A Python builtin such as `range` or `sum`.
    Builtin(String),
    /// A local variable or parameter (or an unknown name).
    Local(String),
}

const LIBRARIES: &[&str] = &["parpy", "numpy", "math"];
const PY_BUILTINS: &[&str] = &[
    "range", "sum", "max", "min", "abs", "float", "int", "bool", "True", "False",
];

#[derive(Default)]
pub struct Imports {
    aliases: HashMap<String, String>,
}

fn is_library(module: &str) -> bool {
    let top = module.split('.').next().unwrap_or(module);
    LIBRARIES.contains(&top)
}

impl Imports {
    /// `import a.b.c` binds `a`; `import a.b as x` binds `x` to `a.b`.
    pub fn import(&mut self, module: &str, asname: Option<&str>) {
        if !is_library(module) {
            return;
        }
        match asname {
            Some(a) => {
                self.aliases.insert(a.to_string(), module.to_string());
            }
            None => {
                let top = module.split('.').next().unwrap_or(module);
                self.aliases.insert(top.to_string(), top.to_string());
            }
        }
    }

    /// `from a.b import c as d` binds `d` to `a.b.c`.
    pub fn import_from(&mut self, module: &str, name: &str, asname: Option<&str>) {
        if !is_library(module) {
            return;
        }
        self.aliases.insert(
            asname.unwrap_or(name).to_string(),
            format!("{module}.{name}"),
        );
    }

    pub fn resolve_name(&self, name: &str) -> Resolved {
        if let Some(p) = self.aliases.get(name) {
            Resolved::Path(p.clone())
        } else if PY_BUILTINS.contains(&name) {
            Resolved::Builtin(name.to_string())
        } else {
            Resolved::Local(name.to_string())
        }
    }

    pub fn resolve_expr(&self, e: &py::Expr) -> Option<Resolved> {
        match e {
            py::Expr::Name(n) => Some(self.resolve_name(n.id.as_str())),
            py::Expr::Attribute(a) => match self.resolve_expr(&a.value)? {
                Resolved::Path(p) => Some(Resolved::Path(format!("{p}.{}", a.attr.as_str()))),
                _ => None,
            },
            _ => None,
        }
    }
}

fn split(path: &str) -> (&str, &str) {
    match path.rfind('.') {
        Some(i) => (&path[..i], &path[i + 1..]),
        None => ("", path),
    }
}

fn reduce_op(leaf: &str) -> Option<ReduceOp> {
    Some(match leaf {
        "sum" => ReduceOp::Sum,
        "prod" => ReduceOp::Prod,
        "max" => ReduceOp::Max,
        "min" => ReduceOp::Min,
        _ => return None,
    })
}

fn math_fn(leaf: &str) -> Option<MathFn> {
    Some(match leaf {
        "exp" => MathFn::Exp,
        "log" => MathFn::Log,
        "sin" => MathFn::Sin,
        "cos" => MathFn::Cos,
        "tan" => MathFn::Tan,
        "sqrt" => MathFn::Sqrt,
        "tanh" => MathFn::Tanh,
        "abs" | "fabs" | "absolute" => MathFn::Abs,
        "atan2" | "arctan2" => MathFn::Atan2,
        "maximum" => MathFn::Max2,
        "minimum" => MathFn::Min2,
        _ => return None,
    })
}

fn cast(leaf: &str) -> Option<ElemTy> {
    Some(match leaf {
        "float16" => ElemTy::F16,
        "float32" => ElemTy::F32,
        "float64" => ElemTy::F64,
        "int8" => ElemTy::I8,
        "int16" => ElemTy::I16,
        "int32" => ElemTy::I32,
        "int64" => ElemTy::I64,
        "uint8" => ElemTy::U8,
        "uint16" => ElemTy::U16,
        "uint32" => ElemTy::U32,
        "uint64" => ElemTy::U64,
        _ => return None,
    })
}

/// The function a library path names, if parpyc knows it.
pub fn function(path: &str) -> Option<Builtin> {
    let (module, leaf) = split(path);
    match module {
        "parpy" | "parpy.operators" | "parpy.builtin" => {
            if let Some(op) = reduce_op(leaf) {
                return Some(match op {
                    ReduceOp::Max | ReduceOp::Min => Builtin::ReduceOrPair(op),
                    _ => Builtin::Reduce(op),
                });
            }
            if let Some(m) = math_fn(leaf) {
                return Some(Builtin::Math(m));
            }
            if module != "parpy.builtin" {
                return cast(leaf).map(Builtin::Cast);
            }
            None
        }
        "parpy.reduce" => reduce_op(leaf).map(Builtin::Reduce),
        "parpy.math" => match leaf {
            "max" => Some(Builtin::Math(MathFn::Max2)),
            "min" => Some(Builtin::Math(MathFn::Min2)),
            _ => math_fn(leaf).map(Builtin::Math),
        },
        "numpy" => {
            if let Some(op) = reduce_op(leaf) {
                return Some(Builtin::Reduce(op));
            }
            if let Some(m) = math_fn(leaf) {
                return Some(Builtin::Math(m));
            }
            cast(leaf).map(Builtin::Cast)
        }
        "math" => math_fn(leaf)
            .filter(|m| !matches!(m, MathFn::Max2 | MathFn::Min2))
            .map(Builtin::PyMath),
        _ => None,
    }
}

/// Python's own functions as ParPy reads them.
pub fn python_builtin(name: &str) -> Option<Builtin> {
    Some(match name {
        "sum" => Builtin::PyReduce(ReduceOp::Sum),
        "max" => Builtin::PyReduce(ReduceOp::Max),
        "min" => Builtin::PyReduce(ReduceOp::Min),
        "abs" => Builtin::Math(MathFn::Abs),
        "int" => Builtin::PyCast(ElemTy::I64),
        "float" => Builtin::PyCast(ElemTy::F64),
        "bool" => Builtin::PyCast(ElemTy::Bool),
        _ => return None,
    })
}

/// Library constants: `parpy.operators.inf`, `np.inf`, `math.pi`.
pub fn constant(path: &str) -> Option<f64> {
    let (module, leaf) = split(path);
    let known = matches!(
        module,
        "parpy" | "parpy.operators" | "parpy.builtin" | "numpy" | "math"
    );
    if !known {
        return None;
    }
    match leaf {
        "inf" => Some(f64::INFINITY),
        "pi" if module == "numpy" || module == "math" => Some(std::f64::consts::PI),
        "e" if module == "numpy" || module == "math" => Some(std::f64::consts::E),
        "nan" if module == "numpy" || module == "math" => Some(f64::NAN),
        _ => None,
    }
}

/// A known path close to an unknown one, for "did you mean".
pub fn suggest_path(path: &str) -> Option<String> {
    let (module, leaf) = split(path);
    const LEAVES: &[&str] = &[
        "sum", "prod", "max", "min", "exp", "log", "sin", "cos", "tan", "sqrt", "tanh", "abs",
        "atan2", "maximum", "minimum", "float16", "float32", "float64", "int8", "int16", "int32",
        "int64", "uint8", "uint16", "uint32", "uint64", "inf", "label", "jit",
    ];
    let candidates: Vec<&str> = LEAVES
        .iter()
        .copied()
        .filter(|l| {
            function(&format!("{module}.{l}")).is_some()
                || constant(&format!("{module}.{l}")).is_some()
        })
        .collect();
    crate::diag::suggest(leaf, candidates).map(|l| format!("{module}.{l}"))
}
