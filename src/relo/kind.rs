//! CO-RE relocation kinds (`enum bpf_core_relo_kind`) and the `.BTF.ext`
//! relocation record (`struct bpf_core_relo`).

pub const FIELD_BYTE_OFFSET: u32 = 0;
pub const FIELD_BYTE_SIZE: u32 = 1;
pub const FIELD_EXISTS: u32 = 2;
pub const FIELD_SIGNED: u32 = 3;
pub const FIELD_LSHIFT_U64: u32 = 4;
pub const FIELD_RSHIFT_U64: u32 = 5;
pub const TYPE_ID_LOCAL: u32 = 6;
pub const TYPE_ID_TARGET: u32 = 7;
pub const TYPE_EXISTS: u32 = 8;
pub const TYPE_SIZE: u32 = 9;
pub const ENUMVAL_EXISTS: u32 = 10;
pub const ENUMVAL_VALUE: u32 = 11;
pub const TYPE_MATCHES: u32 = 12;

/// One CO-RE relocation record as clang writes it into `.BTF.ext`:
/// the instruction's byte offset in its section, the local root type, the
/// access string (offset into the local BTF's strings) and the kind.
pub type CoreRelo = crate::uapi::btf::bpf_core_relo;

/// The name libbpf's logs use for a kind.
pub fn kind_str(kind: u32) -> &'static str {
    match kind {
        FIELD_BYTE_OFFSET => "byte_off",
        FIELD_BYTE_SIZE => "byte_sz",
        FIELD_EXISTS => "field_exists",
        FIELD_SIGNED => "signed",
        FIELD_LSHIFT_U64 => "lshift_u64",
        FIELD_RSHIFT_U64 => "rshift_u64",
        TYPE_ID_LOCAL => "local_type_id",
        TYPE_ID_TARGET => "target_type_id",
        TYPE_EXISTS => "type_exists",
        TYPE_MATCHES => "type_matches",
        TYPE_SIZE => "type_size",
        ENUMVAL_EXISTS => "enumval_exists",
        ENUMVAL_VALUE => "enumval_value",
        _ => "unknown",
    }
}

/// Kinds that describe a field reached through an access string.
pub fn is_field_based(kind: u32) -> bool {
    kind <= FIELD_RSHIFT_U64
}

/// Kinds about a whole type (access string "0").
pub fn is_type_based(kind: u32) -> bool {
    matches!(kind, TYPE_ID_LOCAL | TYPE_ID_TARGET | TYPE_EXISTS | TYPE_MATCHES | TYPE_SIZE)
}

/// Kinds about one enumerator (access string = its index).
pub fn is_enumval_based(kind: u32) -> bool {
    matches!(kind, ENUMVAL_EXISTS | ENUMVAL_VALUE)
}
