//! Unit tests of the BTF-to-C printer on hand-built BTF.
