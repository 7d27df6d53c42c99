//! Element types and the NumPy 2 promotion rules that decide the type of every expression.

use std::fmt;

/// A scalar element type, as written in a spec (`f32`) or in `parpy.types` (`F32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ElemTy {
    Bool,
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
    F16,
    F32,
    F64,
}

impl ElemTy {
    pub const ALL: [ElemTy; 12] = [
        ElemTy::Bool,
        ElemTy::I8,
        ElemTy::I16,
        ElemTy::I32,
        ElemTy::I64,
        ElemTy::U8,
        ElemTy::U16,
        ElemTy::U32,
        ElemTy::U64,
        ElemTy::F16,
        ElemTy::F32,
        ElemTy::F64,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ElemTy::Bool => "bool",
            ElemTy::I8 => "i8",
            ElemTy::I16 => "i16",
            ElemTy::I32 => "i32",
            ElemTy::I64 => "i64",
            ElemTy::U8 => "u8",
            ElemTy::U16 => "u16",
            ElemTy::U32 => "u32",
            ElemTy::U64 => "u64",
            ElemTy::F16 => "f16",
            ElemTy::F32 => "f32",
            ElemTy::F64 => "f64",
        }
    }

    pub fn parse(s: &str) -> Option<ElemTy> {
        ElemTy::ALL.into_iter().find(|t| t.name() == s)
    }

    /// The name in `parpy.types` (`F32`, `I64`, `Bool`).
    pub fn from_parpy_name(s: &str) -> Option<ElemTy> {
        if s == "Bool" {
            return Some(ElemTy::Bool);
        }
        ElemTy::ALL
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(s))
    }

    /// NumPy's dtype name (`float32`).
    pub fn numpy_name(self) -> &'static str {
        match self {
            ElemTy::Bool => "bool",
            ElemTy::I8 => "int8",
            ElemTy::I16 => "int16",
            ElemTy::I32 => "int32",
            ElemTy::I64 => "int64",
            ElemTy::U8 => "uint8",
            ElemTy::U16 => "uint16",
            ElemTy::U32 => "uint32",
            ElemTy::U64 => "uint64",
            ElemTy::F16 => "float16",
            ElemTy::F32 => "float32",
            ElemTy::F64 => "float64",
        }
    }

    pub fn size_bytes(self) -> u32 {
        match self {
            ElemTy::Bool | ElemTy::I8 | ElemTy::U8 => 1,
            ElemTy::I16 | ElemTy::U16 | ElemTy::F16 => 2,
            ElemTy::I32 | ElemTy::U32 | ElemTy::F32 => 4,
            ElemTy::I64 | ElemTy::U64 | ElemTy::F64 => 8,
        }
    }

    pub fn is_float(self) -> bool {
        matches!(self, ElemTy::F16 | ElemTy::F32 | ElemTy::F64)
    }

    pub fn is_int(self) -> bool {
        self.is_signed_int() || self.is_unsigned_int()
    }

    pub fn is_signed_int(self) -> bool {
        matches!(self, ElemTy::I8 | ElemTy::I16 | ElemTy::I32 | ElemTy::I64)
    }

    pub fn is_unsigned_int(self) -> bool {
        matches!(self, ElemTy::U8 | ElemTy::U16 | ElemTy::U32 | ElemTy::U64)
    }

    fn kind_rank(self) -> u8 {
        match self {
            ElemTy::Bool => 0,
            t if t.is_int() => 1,
            _ => 2,
        }
    }

    /// NumPy 2 promotion of two array dtypes (`np.result_type`).
    pub fn promote(a: ElemTy, b: ElemTy) -> ElemTy {
        use ElemTy::*;
        if a == b {
            return a;
        }
        match (a.kind_rank(), b.kind_rank()) {
            (x, y) if x != y => {
                let (lo, hi) = if x < y { (a, b) } else { (b, a) };
                if hi.is_float() && lo.is_int() {
                    // An integer needs a float wide enough for all its values.
                    let need = match lo.size_bytes() {
                        1 => F16,
                        2 => F32,
                        _ => F64,
                    };
                    if need.size_bytes() > hi.size_bytes() {
                        need
                    } else {
                        hi
                    }
                } else {
                    hi
                }
            }
            (2, 2) => {
                if a.size_bytes() >= b.size_bytes() {
                    a
                } else {
                    b
                }
            }
            _ => {
                // Both integers.
                if a.is_signed_int() == b.is_signed_int() {
                    if a.size_bytes() >= b.size_bytes() {
                        a
                    } else {
                        b
                    }
                } else {
                    let (s, u) = if a.is_signed_int() { (a, b) } else { (b, a) };
                    if s.size_bytes() > u.size_bytes() {
                        s
                    } else {
                        match u.size_bytes() {
                            1 => I16,
                            2 => I32,
                            4 => I64,
                            _ => F64,
                        }
                    }
                }
            }
        }
    }
}

impl fmt::Display for ElemTy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The type of a scalar value in a program. `weak` marks a Python scalar (a literal, a
/// Python `int` argument, a loop variable): as in NumPy 2, it adapts to the other operand.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct ScalarTy {
    pub elem: ElemTy,
    pub weak: bool,
}

impl ScalarTy {
    pub fn strong(elem: ElemTy) -> ScalarTy {
        ScalarTy { elem, weak: false }
    }
    pub fn weak(elem: ElemTy) -> ScalarTy {
        ScalarTy { elem, weak: true }
    }

    /// The result type of an arithmetic operation on `a` and `b`, following NumPy 2
    /// (NEP 50): Python scalars take the other operand's type unless their kind is higher.
    pub fn promote(a: ScalarTy, b: ScalarTy, default_float: ElemTy) -> ScalarTy {
        match (a.weak, b.weak) {
            (false, false) => ScalarTy::strong(ElemTy::promote(a.elem, b.elem)),
            // Two Python scalars: a Python float with an int is a Python float (of the forced
            // size), not NumPy's float wide enough for the int.
            (true, true) => match a.elem.kind_rank().cmp(&b.elem.kind_rank()) {
                std::cmp::Ordering::Greater => a,
                std::cmp::Ordering::Less => b,
                std::cmp::Ordering::Equal => ScalarTy::weak(ElemTy::promote(a.elem, b.elem)),
            },
            (true, false) => Self::promote_weak(a, b, default_float),
            (false, true) => Self::promote_weak(b, a, default_float),
        }
    }

    fn promote_weak(weak: ScalarTy, strong: ScalarTy, default_float: ElemTy) -> ScalarTy {
        if weak.elem.kind_rank() <= strong.elem.kind_rank() {
            strong
        } else if weak.elem.is_float() {
            ScalarTy::strong(default_float)
        } else {
            ScalarTy::strong(weak.elem)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ElemTy::*;
    use super::*;

    #[test]
    fn numpy_promotion() {
        assert_eq!(ElemTy::promote(F32, F64), F64);
        assert_eq!(ElemTy::promote(I64, F32), F64);
        assert_eq!(ElemTy::promote(I8, F16), F16);
        assert_eq!(ElemTy::promote(I16, F16), F32);
        assert_eq!(ElemTy::promote(U8, I8), I16);
        assert_eq!(ElemTy::promote(U64, I64), F64);
        assert_eq!(ElemTy::promote(U32, I64), I64);
        assert_eq!(ElemTy::promote(Bool, I32), I32);
    }

    #[test]
    fn weak_scalars_adapt() {
        let f32s = ScalarTy::strong(F32);
        let lit = ScalarTy::weak(F64);
        assert_eq!(ScalarTy::promote(f32s, lit, F64), f32s);
        let int_lit = ScalarTy::weak(I64);
        assert_eq!(ScalarTy::promote(int_lit, f32s, F64), f32s);
        let i32s = ScalarTy::strong(I32);
        assert_eq!(ScalarTy::promote(i32s, lit, F64), ScalarTy::strong(F64));
        assert_eq!(ScalarTy::promote(i32s, int_lit, F64), i32s);
    }
}
