//! CUDA C++ for expressions and types, with Python's meaning for `//`, `%` and `**`.

use crate::ir::{BinOp, Expr, ExprKind, MathFn, UnOp};
use crate::types::ElemTy;

pub fn ctype(t: ElemTy) -> &'static str {
    match t {
        ElemTy::Bool => "bool",
        ElemTy::I8 => "int8_t",
        ElemTy::I16 => "int16_t",
        ElemTy::I32 => "int32_t",
        ElemTy::I64 => "int64_t",
        ElemTy::U8 => "uint8_t",
        ElemTy::U16 => "uint16_t",
        ElemTy::U32 => "uint32_t",
        ElemTy::U64 => "uint64_t",
        ElemTy::F16 => "__half",
        ElemTy::F32 => "float",
        ElemTy::F64 => "double",
    }
}

/// A literal of type `t` holding `v`.
pub fn float_lit(v: f64, t: ElemTy) -> String {
    let body = if v.is_nan() {
        "NAN".to_string()
    } else if v.is_infinite() {
        if v > 0.0 {
            "INFINITY".to_string()
        } else {
            "-INFINITY".to_string()
        }
    } else if t == ElemTy::F64 {
        format!("{v:?}")
    } else {
        format!("{:?}f", v as f32)
    };
    match t {
        ElemTy::F16 => format!("__float2half({body})"),
        ElemTy::F64 if v.is_infinite() || v.is_nan() => format!("(double){body}"),
        _ => body,
    }
}

pub fn int_lit(v: i64, t: ElemTy) -> String {
    match t {
        ElemTy::U64 => format!("{}ull", v as u64),
        ElemTy::U32 => format!("{}u", v as u32),
        ElemTy::I64 if v == i64::MIN => "(-9223372036854775807ll - 1)".to_string(),
        ElemTy::I64 if i32::try_from(v).is_err() => format!("{v}ll"),
        ElemTy::Bool => (if v != 0 { "true" } else { "false" }).to_string(),
        t if t.is_float() => float_lit(v as f64, t),
        ElemTy::I32 if v == i32::MIN as i64 => "(-2147483647 - 1)".to_string(),
        _ => format!("{v}"),
    }
}

/// C precedence levels, higher binds tighter.
fn prec(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::Binary(op, ..) => binop_prec(*op),
        ExprKind::Select { .. } => 1,
        ExprKind::Unary(..) | ExprKind::Cast(_) => 14,
        ExprKind::Int(v) if *v < 0 => 14,
        ExprKind::Float(v) if *v < 0.0 => 14,
        _ => 16,
    }
}

fn binop_prec(op: BinOp) -> u8 {
    match op {
        BinOp::Mul | BinOp::Div => 13,
        BinOp::Add | BinOp::Sub => 12,
        BinOp::Shl | BinOp::Shr => 11,
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => 10,
        BinOp::Eq | BinOp::Ne => 9,
        BinOp::BitAnd => 8,
        BinOp::BitXor => 7,
        BinOp::BitOr => 6,
        BinOp::And => 5,
        BinOp::Or => 4,
        // Printed as calls.
        BinOp::FloorDiv | BinOp::Mod | BinOp::Pow => 16,
    }
}

/// Prints expressions; `name` gives each variable's identifier, `load` prints an element.
pub struct ExprPrinter<'a> {
    pub var: &'a dyn Fn(crate::ir::VarId) -> String,
    pub array: &'a dyn Fn(crate::ir::ArrayId) -> String,
    pub load: &'a dyn Fn(&Self, crate::ir::ArrayId, &[Expr]) -> String,
    /// What is known of each integer variable's magnitude (`bounds::var_bounds`).
    pub bound: &'a dyn Fn(crate::ir::VarId) -> Option<u32>,
}

/// Where an expression is printed. Signed `+ - *` and negation wrap at the declared width (as
/// NumPy's do) through the unsigned type, since C++ leaves signed overflow undefined; in an
/// array index (`Index`), `i64` arithmetic is printed as written: an index whose arithmetic
/// overflows 64 bits is out of bounds anyway.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Value,
    Index,
}

/// The signed types whose `+ - *` C computes at their own width (narrower ones compute in
/// `int`, where they cannot overflow, and are cast back).
fn wide_signed(t: ElemTy) -> bool {
    matches!(t, ElemTy::I32 | ElemTy::I64)
}

fn unsigned_of(t: ElemTy) -> &'static str {
    if t.size_bytes() == 8 {
        "uint64_t"
    } else {
        "uint32_t"
    }
}

impl ExprPrinter<'_> {
    /// Whether `e` is printed as `(T)(...)`: signed arithmetic that may overflow, outside
    /// indices.
    fn prints_as_cast(&self, e: &Expr, ctx: Ctx) -> bool {
        if !wide_signed(e.ty) || (ctx == Ctx::Index && e.ty == ElemTy::I64) {
            return false;
        }
        matches!(
            &e.kind,
            ExprKind::Binary(BinOp::Add | BinOp::Sub | BinOp::Mul, ..)
                | ExprKind::Unary(UnOp::Neg, _)
        ) && super::bounds::bits(e, self.bound).is_none_or(|b| b >= 8 * e.ty.size_bytes())
    }

    pub fn expr(&self, e: &Expr) -> String {
        self.expr_in(e, Ctx::Value)
    }

    /// An array index (see [`Ctx`]).
    pub fn index(&self, e: &Expr) -> String {
        self.expr_in(e, Ctx::Index)
    }

    fn expr_in(&self, e: &Expr, ctx: Ctx) -> String {
        if self.prints_as_cast(e, ctx) {
            let (chain, _) = self.uchain(e, e.ty);
            return format!("({})({chain})", ctype(e.ty));
        }
        // Only i64 arithmetic, selects and max/min keep an index's context.
        let inner = if e.ty == ElemTy::I64 { ctx } else { Ctx::Value };
        match &e.kind {
            ExprKind::Int(v) => int_lit(*v, e.ty),
            ExprKind::Float(v) => float_lit(*v, e.ty),
            ExprKind::Bool(b) => (if *b { "true" } else { "false" }).to_string(),
            ExprKind::Var(v) => (self.var)(*v),
            ExprKind::Load { array, index } => (self.load)(self, *array, index),
            ExprKind::Unary(UnOp::Neg, x) if x.ty == ElemTy::F16 => {
                format!("__float2half(-__half2float({}))", self.expr(x))
            }
            ExprKind::Unary(op, x) => {
                let inner = self.operand(x, 14, false, inner);
                let text = match op {
                    UnOp::Neg => format!("-{inner}"),
                    UnOp::Not => format!("!{inner}"),
                    UnOp::Invert => format!("~{inner}"),
                };
                // C promotes 8- and 16-bit operands to int: wrap back to the declared width.
                let narrow = e.ty.is_int() && e.ty.size_bytes() < 4 && *op != UnOp::Not;
                if narrow {
                    format!("(({})({text}))", ctype(e.ty))
                } else {
                    text
                }
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, e.ty, inner),
            ExprKind::Math(f, args) => self.math(*f, args, e.ty, inner),
            ExprKind::Cast(x) => {
                if e.ty == ElemTy::Bool && x.ty == ElemTy::F16 {
                    format!("(__half2float({}) != 0.0f)", self.expr(x))
                } else if e.ty == ElemTy::Bool {
                    format!("({} != 0)", self.operand(x, 9, false, Ctx::Value))
                } else if e.ty == ElemTy::F16 {
                    format!(
                        "__float2half((float){})",
                        self.operand(x, 14, false, Ctx::Value)
                    )
                } else if x.ty == ElemTy::F16 && e.ty.is_int() {
                    format!(
                        "parpyc_ftoi<{}, float>(__half2float({}))",
                        ctype(e.ty),
                        self.expr(x)
                    )
                } else if x.ty == ElemTy::F16 {
                    format!("({})__half2float({})", ctype(e.ty), self.expr(x))
                } else if x.ty.is_float() && e.ty.is_int() {
                    // Out of range, C leaves the conversion undefined (see the prelude).
                    format!(
                        "parpyc_ftoi<{}, {}>({})",
                        ctype(e.ty),
                        ctype(x.ty),
                        self.expr(x)
                    )
                } else {
                    format!(
                        "({}){}",
                        ctype(e.ty),
                        self.operand(x, 14, false, Ctx::Value)
                    )
                }
            }
            ExprKind::Extern { name, args, .. } => {
                let a: Vec<String> = args.iter().map(|x| self.expr(x)).collect();
                format!("{name}({})", a.join(", "))
            }
            ExprKind::ArrayPtr(a) => (self.array)(*a),
            ExprKind::Select { cond, then, els } => {
                format!(
                    "{} ? {} : {}",
                    self.operand(cond, 2, false, Ctx::Value),
                    self.operand(then, 2, false, inner),
                    self.operand(els, 1, false, inner)
                )
            }
        }
    }

    /// `e` as an operand of an operator of precedence `p`.
    fn operand(&self, e: &Expr, p: u8, right: bool, ctx: Ctx) -> String {
        let s = self.expr_in(e, ctx);
        let q = if self.prints_as_cast(e, ctx) {
            14
        } else {
            prec(e)
        };
        if q < p || (right && q == p) {
            format!("({s})")
        } else {
            s
        }
    }

    /// `e`, of wide signed type `t`, computed in the unsigned type of its width: a chain of
    /// `+ - *` and negation in `t` is one unsigned expression; the text and its precedence.
    fn uchain(&self, e: &Expr, t: ElemTy) -> (String, u8) {
        let u = unsigned_of(t);
        let sub = |x: &Expr, p: u8, right: bool| {
            let (s, q) = self.uchain(x, t);
            if q < p || (right && q == p) {
                format!("({s})")
            } else {
                s
            }
        };
        match &e.kind {
            ExprKind::Binary(op @ (BinOp::Add | BinOp::Sub | BinOp::Mul), a, b) if e.ty == t => {
                let p = binop_prec(*op);
                let sym = match op {
                    BinOp::Add => "+",
                    BinOp::Sub => "-",
                    _ => "*",
                };
                (format!("{} {sym} {}", sub(a, p, false), sub(b, p, true)), p)
            }
            ExprKind::Unary(UnOp::Neg, x) if e.ty == t => (format!("-{}", sub(x, 14, false)), 14),
            ExprKind::Int(v) if *v >= 0 && e.ty == t => {
                let suffix = if t.size_bytes() == 8 { "ull" } else { "u" };
                (format!("{v}{suffix}"), 16)
            }
            _ => (
                format!("({u}){}", self.operand(e, 14, false, Ctx::Value)),
                14,
            ),
        }
    }

    /// A shift, as NumPy computes it (see `parpyc_shl` in the prelude): a literal count below
    /// the width shifts directly (left through the unsigned type where the value is signed).
    fn shift(&self, op: BinOp, a: &Expr, b: &Expr, ty: ElemTy, ctx: Ctx) -> String {
        let bits = 8 * i64::from(ty.size_bytes());
        let t = ctype(ty);
        match b.kind {
            ExprKind::Int(c) if (0..bits).contains(&c) => {
                let lhs = self.operand(a, 14, false, ctx);
                match op {
                    BinOp::Shl if ty.is_signed_int() => {
                        let u = unsigned_of(ty);
                        format!("({t})(({u}){lhs} << {c})")
                    }
                    BinOp::Shl if ty.size_bytes() < 4 => format!("({t})({lhs} << {c})"),
                    BinOp::Shl => format!("{} << {c}", self.operand(a, 11, false, ctx)),
                    _ if ty.size_bytes() < 4 => format!("({t})({lhs} >> {c})"),
                    _ => format!("{} >> {c}", self.operand(a, 11, false, ctx)),
                }
            }
            _ => {
                let f = if op == BinOp::Shl {
                    "parpyc_shl"
                } else {
                    "parpyc_shr"
                };
                format!(
                    "{f}<{t}, {}>({}, {})",
                    ctype(b.ty),
                    self.expr_in(a, ctx),
                    self.expr(b)
                )
            }
        }
    }

    fn binary(&self, op: BinOp, a: &Expr, b: &Expr, ty: ElemTy, ctx: Ctx) -> String {
        if a.ty == ElemTy::F16 {
            // Half precision computes in float and rounds each result, which is exact rounding
            // for + - * / and what NumPy's float16 gives.
            let fa = Expr {
                kind: ExprKind::Cast(Box::new(a.clone())),
                ty: ElemTy::F32,
            };
            let fb = Expr {
                kind: ExprKind::Cast(Box::new(b.clone())),
                ty: ElemTy::F32,
            };
            let rty = if ty == ElemTy::F16 { ElemTy::F32 } else { ty };
            let inner = self.binary(op, &fa, &fb, rty, Ctx::Value);
            return if ty == ElemTy::F16 {
                format!("__float2half({inner})")
            } else {
                inner
            };
        }
        let float = a.ty.is_float();
        if matches!(op, BinOp::Shl | BinOp::Shr) && ty.is_int() {
            return self.shift(op, a, b, ty, ctx);
        }
        let sym = match op {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Shl => "<<",
            BinOp::Shr => ">>",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::BitAnd => "&",
            BinOp::BitXor => "^",
            BinOp::BitOr => "|",
            BinOp::And => "&&",
            BinOp::Or => "||",
            BinOp::FloorDiv => {
                return if float {
                    format!(
                        "parpyc_ffloordiv<{}>({}, {})",
                        ctype(ty),
                        self.expr(a),
                        self.expr(b)
                    )
                } else {
                    format!(
                        "parpyc_floordiv<{}>({}, {})",
                        ctype(ty),
                        self.expr(a),
                        self.expr(b)
                    )
                };
            }
            BinOp::Mod => {
                return if float {
                    format!(
                        "parpyc_fmod<{}>({}, {})",
                        ctype(ty),
                        self.expr(a),
                        self.expr(b)
                    )
                } else {
                    format!(
                        "parpyc_mod<{}>({}, {})",
                        ctype(ty),
                        self.expr(a),
                        self.expr(b)
                    )
                };
            }
            BinOp::Pow => {
                return match ty {
                    ElemTy::F32 => format!("powf({}, {})", self.expr(a), self.expr(b)),
                    ElemTy::F64 => format!("pow({}, {})", self.expr(a), self.expr(b)),
                    _ => format!(
                        "parpyc_ipow<{}>({}, {})",
                        ctype(ty),
                        self.expr(a),
                        self.expr(b)
                    ),
                };
            }
        };
        let p = binop_prec(op);
        if op == BinOp::Mul && ty == ElemTy::U16 {
            // Not in `int`, where 65535 * 65535 overflows.
            return format!(
                "(uint16_t)((uint32_t){} * {})",
                self.operand(a, 14, false, Ctx::Value),
                self.operand(b, 13, true, Ctx::Value)
            );
        }
        let text = format!(
            "{} {sym} {}",
            self.operand(a, p, false, ctx),
            self.operand(b, p, true, ctx)
        );
        // C computes narrow integers in `int`; the result wraps at the declared width.
        let arith = !matches!(
            op,
            BinOp::Lt
                | BinOp::Le
                | BinOp::Gt
                | BinOp::Ge
                | BinOp::Eq
                | BinOp::Ne
                | BinOp::And
                | BinOp::Or
        );
        if arith && matches!(ty, ElemTy::I8 | ElemTy::U8 | ElemTy::I16 | ElemTy::U16) {
            format!("({})({text})", ctype(ty))
        } else {
            text
        }
    }

    fn math(&self, f: MathFn, args: &[Expr], ty: ElemTy, ctx: Ctx) -> String {
        if ty == ElemTy::F16 {
            let fargs: Vec<Expr> = args
                .iter()
                .map(|x| Expr {
                    kind: ExprKind::Cast(Box::new(x.clone())),
                    ty: ElemTy::F32,
                })
                .collect();
            return format!(
                "__float2half({})",
                self.math(f, &fargs, ElemTy::F32, Ctx::Value)
            );
        }
        let keep = if matches!(f, MathFn::Max2 | MathFn::Min2) {
            ctx
        } else {
            Ctx::Value
        };
        let a: Vec<String> = args.iter().map(|x| self.expr_in(x, keep)).collect();
        let f32 = ty == ElemTy::F32;
        let name = match f {
            MathFn::Exp => {
                if f32 {
                    "expf"
                } else {
                    "exp"
                }
            }
            MathFn::Log => {
                if f32 {
                    "logf"
                } else {
                    "log"
                }
            }
            MathFn::Sin => {
                if f32 {
                    "sinf"
                } else {
                    "sin"
                }
            }
            MathFn::Cos => {
                if f32 {
                    "cosf"
                } else {
                    "cos"
                }
            }
            MathFn::Tan => {
                if f32 {
                    "tanf"
                } else {
                    "tan"
                }
            }
            MathFn::Sqrt => {
                if f32 {
                    "sqrtf"
                } else {
                    "sqrt"
                }
            }
            MathFn::Tanh => {
                if f32 {
                    "tanhf"
                } else {
                    "tanh"
                }
            }
            MathFn::Atan2 => {
                if f32 {
                    "atan2f"
                } else {
                    "atan2"
                }
            }
            MathFn::Abs => return format!("parpyc_abs<{}>({})", ctype(ty), a.join(", ")),
            MathFn::Max2 => return format!("parpyc_max<{}>({})", ctype(ty), a.join(", ")),
            MathFn::Min2 => return format!("parpyc_min<{}>({})", ctype(ty), a.join(", ")),
        };
        format!("{name}({})", a.join(", "))
    }
}
