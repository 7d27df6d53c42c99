//! Element types of device buffers: the spec's `bool i8 i16 i32 i64 u8 u16 u32 u64 f16 f32 f64`.

use std::ffi::c_void;
use std::fmt;

use crate::{Error, Runtime, Stream};

/// The element type of an array, as a spec writes it (`f32`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dtype {
    /// `bool`: one byte, 0 or 1.
    Bool,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `f16`: IEEE 754 half precision, [`Half`] on the host.
    F16,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
}

impl Dtype {
    /// The name in a spec: `f32`.
    pub fn name(self) -> &'static str {
        match self {
            Dtype::Bool => "bool",
            Dtype::I8 => "i8",
            Dtype::I16 => "i16",
            Dtype::I32 => "i32",
            Dtype::I64 => "i64",
            Dtype::U8 => "u8",
            Dtype::U16 => "u16",
            Dtype::U32 => "u32",
            Dtype::U64 => "u64",
            Dtype::F16 => "f16",
            Dtype::F32 => "f32",
            Dtype::F64 => "f64",
        }
    }

    /// The size of one element in bytes, on the host and on the device.
    pub fn size_bytes(self) -> usize {
        match self {
            Dtype::Bool | Dtype::I8 | Dtype::U8 => 1,
            Dtype::I16 | Dtype::U16 | Dtype::F16 => 2,
            Dtype::I32 | Dtype::U32 | Dtype::F32 => 4,
            Dtype::I64 | Dtype::U64 | Dtype::F64 => 8,
        }
    }
}

impl fmt::Display for Dtype {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A type that can be an element of a [`DeviceBuffer`](crate::DeviceBuffer): `bool`, `i8` to
/// `i64`, `u8` to `u64`, [`Half`], `f32` and `f64`.
///
/// The trait is sealed: its implementations are exactly the spec's element types, whose host
/// layout matches the generated code's C types (`bool`, `int8_t`, ..., `uint16_t` for `f16`,
/// `float`, `double`).
pub trait Element: Copy + Default + Send + Sync + 'static + sealed::Sealed {
    /// The spec's name for this type.
    const DTYPE: Dtype;
}

pub(crate) mod sealed {
    use super::*;

    /// Not implementable outside this crate; also holds how device bytes are read back.
    pub trait Sealed: Sized {
        /// Copies `dst.len()` elements from the device address `src` into `dst`, waiting for
        /// `stream`.
        ///
        /// # Safety
        ///
        /// `src` must point to at least `dst.len()` elements of device memory.
        unsafe fn read_device(
            rt: &Runtime,
            src: *const c_void,
            dst: &mut [Self],
            stream: Stream,
        ) -> Result<(), Error>;
    }
}

macro_rules! plain_element {
    ($($t:ty => $d:ident),* $(,)?) => {$(
        impl sealed::Sealed for $t {
            unsafe fn read_device(
                rt: &Runtime,
                src: *const c_void,
                dst: &mut [Self],
                stream: Stream,
            ) -> Result<(), Error> {
                // SAFETY: `dst` is valid for writes of its own size in bytes, and every bit
                // pattern is a valid value of this type; the caller vouches for `src`.
                unsafe {
                    rt.raw_copy_to_host(
                        dst.as_mut_ptr().cast(),
                        src,
                        std::mem::size_of_val(dst),
                        stream,
                    )
                }
            }
        }

        impl Element for $t {
            const DTYPE: Dtype = Dtype::$d;
        }
    )*};
}

plain_element!(
    i8 => I8, i16 => I16, i32 => I32, i64 => I64,
    u8 => U8, u16 => U16, u32 => U32, u64 => U64,
    Half => F16, f32 => F32, f64 => F64,
);

impl sealed::Sealed for bool {
    unsafe fn read_device(
        rt: &Runtime,
        src: *const c_void,
        dst: &mut [Self],
        stream: Stream,
    ) -> Result<(), Error> {
        // Device memory may hold any byte (a buffer that was never written, or one filled
        // through a `u8` view), and a `bool` other than 0 or 1 is undefined behaviour in Rust:
        // read bytes, then convert.
        let mut bytes = vec![0u8; dst.len()];
        // SAFETY: `bytes` is valid for writes of `dst.len()` bytes; the caller vouches for `src`.
        unsafe { rt.raw_copy_to_host(bytes.as_mut_ptr().cast(), src, bytes.len(), stream)? };
        for (d, b) in dst.iter_mut().zip(bytes) {
            *d = b != 0;
        }
        Ok(())
    }
}

impl Element for bool {
    const DTYPE: Dtype = Dtype::Bool;
}

/// An IEEE 754 half-precision float (`f16` in a spec), stored as its 16 bits.
///
/// Arithmetic is not provided; convert with [`Half::from_f32`] and [`Half::to_f32`] (or
/// `From`), which round to nearest, ties to even, like CUDA's `__float2half`.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
#[repr(transparent)]
pub struct Half(u16);

impl Half {
    /// Positive zero.
    pub const ZERO: Half = Half(0);
    /// One.
    pub const ONE: Half = Half(0x3c00);
    /// Positive infinity.
    pub const INFINITY: Half = Half(0x7c00);
    /// The largest finite value, 65504.
    pub const MAX: Half = Half(0x7bff);

    /// The value with these bits.
    pub const fn from_bits(bits: u16) -> Half {
        Half(bits)
    }

    /// The bits of this value.
    pub const fn to_bits(self) -> u16 {
        self.0
    }

    /// Whether this is a NaN.
    pub fn is_nan(self) -> bool {
        self.0 & 0x7c00 == 0x7c00 && self.0 & 0x03ff != 0
    }

    /// The nearest half-precision value (ties to even); overflow gives infinity, NaN stays NaN.
    pub fn from_f32(x: f32) -> Half {
        let bits = x.to_bits();
        let sign = ((bits >> 16) & 0x8000) as u16;
        let exp = ((bits >> 23) & 0xff) as i32;
        let man = bits & 0x007f_ffff;
        if exp == 0xff {
            // Infinity, or NaN with its top payload bits and the quiet bit set.
            return Half(if man == 0 {
                sign | 0x7c00
            } else {
                sign | 0x7e00 | (man >> 13) as u16
            });
        }
        // The exponent in half precision's bias.
        let e = exp - 127 + 15;
        if e >= 0x1f {
            return Half(sign | 0x7c00);
        }
        if e <= 0 {
            // Subnormal (or zero) in half precision: units of 2^-24. An f32 subnormal (exp 0)
            // is far below that and rounds to zero.
            if exp == 0 || e < -10 {
                return Half(sign);
            }
            let m = man | 0x0080_0000;
            return Half(sign | round_shift(m, (14 - e) as u32) as u16);
        }
        // Normal: a carry out of the mantissa increments the exponent, up to infinity.
        Half(sign | (((e as u32) << 10) + round_shift(man, 13)) as u16)
    }

    /// The exact value as an `f32`.
    pub fn to_f32(self) -> f32 {
        let h = u32::from(self.0);
        let sign = (h & 0x8000) << 16;
        let exp = (h >> 10) & 0x1f;
        let man = h & 0x03ff;
        let bits = match exp {
            0 => {
                // Zero or subnormal: man * 2^-24, exact in f32.
                let v = man as f32 * f32::from_bits(0x3380_0000);
                return if sign != 0 { -v } else { v };
            }
            0x1f => sign | 0x7f80_0000 | (man << 13),
            _ => sign | ((exp + 112) << 23) | (man << 13),
        };
        f32::from_bits(bits)
    }
}

/// `m >> s`, rounded to nearest with ties to even (`s >= 1`).
fn round_shift(m: u32, s: u32) -> u32 {
    let q = m >> s;
    let r = m & ((1 << s) - 1);
    let half = 1 << (s - 1);
    if r > half || (r == half && q & 1 == 1) {
        q + 1
    } else {
        q
    }
}

impl From<Half> for f32 {
    fn from(h: Half) -> f32 {
        h.to_f32()
    }
}

impl From<Half> for f64 {
    fn from(h: Half) -> f64 {
        f64::from(h.to_f32())
    }
}

impl From<f32> for Half {
    fn from(x: f32) -> Half {
        Half::from_f32(x)
    }
}

impl fmt::Debug for Half {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_f32(), f)
    }
}

impl fmt::Display for Half {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.to_f32(), f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: Element>() {
        assert_eq!(
            std::mem::size_of::<T>(),
            T::DTYPE.size_bytes(),
            "{}",
            T::DTYPE
        );
    }

    #[test]
    fn element_sizes_match_the_c_types() {
        check::<bool>();
        check::<i8>();
        check::<i16>();
        check::<i32>();
        check::<i64>();
        check::<u8>();
        check::<u16>();
        check::<u32>();
        check::<u64>();
        check::<Half>();
        check::<f32>();
        check::<f64>();
        assert_eq!(std::mem::align_of::<Half>(), std::mem::align_of::<u16>());
    }

    #[test]
    fn dtype_names() {
        assert_eq!(f32::DTYPE.name(), "f32");
        assert_eq!(Half::DTYPE.to_string(), "f16");
        assert_eq!(bool::DTYPE.name(), "bool");
        assert_eq!(u64::DTYPE, Dtype::U64);
    }

    #[test]
    fn half_known_values() {
        let cases: [(f32, u16); 12] = [
            (0.0, 0x0000),
            (-0.0, 0x8000),
            (1.0, 0x3c00),
            (-2.0, 0xc000),
            (0.5, 0x3800),
            (0.1, 0x2e66),
            (65504.0, 0x7bff),
            (65519.0, 0x7bff),
            (65520.0, 0x7c00),
            (1e9, 0x7c00),
            (f32::from_bits(0x3380_0000), 0x0001), // 2^-24, the smallest subnormal
            (6.103_515_6e-5, 0x0400),              // 2^-14, the smallest normal
        ];
        for (x, bits) in cases {
            assert_eq!(Half::from_f32(x).to_bits(), bits, "{x}");
        }
        assert_eq!(Half::from_f32(f32::NEG_INFINITY).to_bits(), 0xfc00);
        assert!(Half::from_f32(f32::NAN).is_nan());
        assert!(Half::from_bits(0x7c01).to_f32().is_nan());
        assert_eq!(Half::from_f32(1e-10).to_bits(), 0);
        // Ties go to even: 1 + 2^-11 lies between 1 and 1 + 2^-10.
        assert_eq!(Half::from_f32(1.0 + 2f32.powi(-11)).to_bits(), 0x3c00);
        assert_eq!(Half::from_f32(1.0 + 3.0 * 2f32.powi(-11)).to_bits(), 0x3c02);
        // 2^-25 is half the smallest subnormal: a tie, to even (zero).
        assert_eq!(Half::from_f32(2f32.powi(-25)).to_bits(), 0);
        assert_eq!(Half::from_f32(1.5 * 2f32.powi(-25)).to_bits(), 1);
    }

    #[test]
    fn half_round_trips_every_value() {
        for bits in 0..=u16::MAX {
            let h = Half::from_bits(bits);
            if h.is_nan() {
                assert!(h.to_f32().is_nan());
                assert!(Half::from_f32(h.to_f32()).is_nan());
            } else {
                assert_eq!(Half::from_f32(h.to_f32()).to_bits(), bits, "{bits:#06x}");
            }
        }
    }

    #[test]
    fn half_rounds_to_nearest() {
        // Every f32 between two neighbouring halves goes to the nearer one.
        for bits in (0x0001u16..0x7bff).step_by(97) {
            let lo = Half::from_bits(bits).to_f32();
            let hi = Half::from_bits(bits + 1).to_f32();
            let mid = (lo + hi) / 2.0;
            let below = f32::from_bits(mid.to_bits() - 1);
            let above = f32::from_bits(mid.to_bits() + 1);
            assert_eq!(Half::from_f32(below).to_bits(), bits);
            assert_eq!(Half::from_f32(above).to_bits(), bits + 1);
        }
    }
}
