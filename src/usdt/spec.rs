//! USDT specs: how the BPF side (`usdt.bpf.h`) finds each argument of a
//! probe, and the bytes written for it into the `__bpf_usdt_specs` map.
//!
//! Two layouts of `struct __bpf_usdt_spec` exist in the wild, and the one
//! to write is the one the BPF object was compiled with, recognised by the
//! map's value size:
//! - [`Layout::Sib`] (304 bytes, libbpf 1.8's `usdt.bpf.h`): 24-byte
//!   argument records whose second word holds the argument kind (bits
//!   0-7), the index register's `pt_regs` offset (bits 16-27) and the scale
//!   shift (bits 28-31) of scale-index-base operands; `reg_off` at 14,
//!   `arg_signed` at 16, `arg_bitshift` at 17; cookie at 288, count at 296;
//! - [`Layout::Plain`] (208 bytes, the `usdt.bpf.h` of libbpf releases
//!   before scale-index-base support, e.g. Debian's 1.1): 16-byte records
//!   with a 4-byte kind at 8, `reg_off` at 12, `arg_signed` at 14,
//!   `arg_bitshift` at 15; cookie at 192, count at 200.

/// Most arguments a USDT spec holds (`BPF_USDT_MAX_ARG_CNT`).
pub const MAX_ARGS: usize = 12;

/// Where an argument's value is (`enum __bpf_usdt_arg_type`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgKind {
    /// The value is `val_off` itself.
    Const = 0,
    /// The value is in the register at `reg_off` in `struct pt_regs`.
    Reg = 1,
    /// The value is in memory at register + `val_off`.
    RegDeref = 2,
    /// The value is in memory at base register + (index register << scale) + `val_off`.
    Sib = 3,
}

/// One argument of a spec (`struct __bpf_usdt_arg_spec`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArgSpec {
    pub kind: ArgKind,
    /// Constant value, or memory displacement (two's complement).
    pub val_off: u64,
    /// Offset in `struct pt_regs` of the (base) register.
    pub reg_off: i16,
    /// Offset in `struct pt_regs` of the index register (SIB only).
    pub idx_reg_off: u16,
    /// log2 of the index scale (SIB only).
    pub scale_shift: u8,
    /// The argument is signed (negative size in the note).
    pub signed: bool,
    /// 64 minus the argument's size in bits.
    pub bitshift: u8,
}

/// The arguments of one probe site and the attachment's USDT cookie.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Spec {
    pub args: Vec<ArgSpec>,
    pub cookie: u64,
}

/// Which `struct __bpf_usdt_spec` the BPF object was built with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// 16-byte argument records, no scale-index-base operands (208 bytes).
    Plain,
    /// 24-byte argument records with scale-index-base fields (304 bytes).
    Sib,
}

impl Layout {
    /// Bytes of one `struct __bpf_usdt_spec`.
    pub const fn spec_size(self) -> usize {
        match self {
            Layout::Plain => 208,
            Layout::Sib => 304,
        }
    }

    const fn arg_size(self) -> usize {
        match self {
            Layout::Plain => 16,
            Layout::Sib => 24,
        }
    }

    /// The layout a specs map with values of `value_size` bytes expects:
    /// the older one only for its exact size, libbpf 1.8's otherwise.
    pub fn for_value_size(value_size: u32) -> Layout {
        if value_size as usize == Layout::Plain.spec_size() {
            Layout::Plain
        } else {
            Layout::Sib
        }
    }
}

impl Spec {
    /// The map value for this spec: `layout`'s image, zero-padded or cut to
    /// `value_size` bytes (the kernel copies exactly the map's value size).
    pub fn encode(&self, layout: Layout, value_size: usize) -> Vec<u8> {
        let mut out = vec![0u8; layout.spec_size().max(value_size)];
        let asz = layout.arg_size();
        for (i, a) in self.args.iter().take(MAX_ARGS).enumerate() {
            let r = &mut out[i * asz..(i + 1) * asz];
            r[0..8].copy_from_slice(&a.val_off.to_le_bytes());
            match layout {
                Layout::Plain => {
                    r[8..12].copy_from_slice(&(a.kind as u32).to_le_bytes());
                    r[12..14].copy_from_slice(&a.reg_off.to_le_bytes());
                    r[14] = u8::from(a.signed);
                    r[15] = a.bitshift;
                }
                Layout::Sib => {
                    let word = (a.kind as u32)
                        | (u32::from(a.idx_reg_off & 0xfff) << 16)
                        | (u32::from(a.scale_shift & 0xf) << 28);
                    r[8..12].copy_from_slice(&word.to_le_bytes());
                    r[14..16].copy_from_slice(&a.reg_off.to_le_bytes());
                    r[16] = u8::from(a.signed);
                    r[17] = a.bitshift;
                }
            }
        }
        let tail = MAX_ARGS * asz;
        out[tail..tail + 8].copy_from_slice(&self.cookie.to_le_bytes());
        out[tail + 8..tail + 10].copy_from_slice(&(self.args.len().min(MAX_ARGS) as i16).to_le_bytes());
        out.truncate(value_size);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Spec {
        Spec {
            args: vec![
                ArgSpec { kind: ArgKind::Sib, val_off: (-96i64) as u64, reg_off: 0x20, idx_reg_off: 0x50, scale_shift: 3, signed: true, bitshift: 56 },
                ArgSpec { kind: ArgKind::Reg, val_off: 0, reg_off: 0x70, idx_reg_off: 0, scale_shift: 0, signed: false, bitshift: 0 },
            ],
            cookie: 0x1122_3344_5566_7788,
        }
    }

    #[test]
    fn sib_layout_matches_the_c_bitfields() {
        // Bytes as gcc and clang (x86-64 and BPF targets) lay out libbpf
        // 1.8's struct with kind 3, idx 0x50, scale 3, reg_off 0x20.
        let b = sample().encode(Layout::Sib, 304);
        assert_eq!(b.len(), 304);
        assert_eq!(&b[0..8], &(-96i64).to_le_bytes());
        assert_eq!(&b[8..18], &[3, 0, 0x50, 0x30, 0, 0, 0x20, 0, 1, 56]);
        assert_eq!(&b[24 + 8..24 + 18], &[1, 0, 0, 0, 0, 0, 0x70, 0, 0, 0]);
        assert_eq!(&b[288..296], &0x1122_3344_5566_7788u64.to_le_bytes());
        assert_eq!(&b[296..298], &[2, 0]);
        assert!(b[298..].iter().all(|&x| x == 0));
    }

    #[test]
    fn plain_layout() {
        let b = sample().encode(Layout::Plain, 208);
        assert_eq!(b.len(), 208);
        assert_eq!(&b[8..16], &[3, 0, 0, 0, 0x20, 0, 1, 56]);
        assert_eq!(&b[16 + 8..16 + 16], &[1, 0, 0, 0, 0x70, 0, 0, 0]);
        assert_eq!(&b[192..200], &0x1122_3344_5566_7788u64.to_le_bytes());
        assert_eq!(&b[200..202], &[2, 0]);
    }

    #[test]
    fn value_size_decides() {
        assert_eq!(Layout::for_value_size(208), Layout::Plain);
        assert_eq!(Layout::for_value_size(304), Layout::Sib);
        assert_eq!(Layout::for_value_size(4096), Layout::Sib);
        // Larger maps get zero padding, smaller ones a prefix.
        let b = sample().encode(Layout::Sib, 400);
        assert_eq!(b.len(), 400);
        assert!(b[304..].iter().all(|&x| x == 0));
        assert_eq!(sample().encode(Layout::Sib, 8).len(), 8);
    }
}
