//! Maps of an object: BTF-defined maps of `.maps` (with inner-map templates
//! and `values` initialisers) and the global data maps of `.data*`,
//! `.rodata*`, `.bss*`, with their initial images.

use std::ffi::CString;
use std::os::fd::{AsRawFd, OwnedFd, RawFd};

use crate::error::{Error, Result};
use crate::sys::mmap::{page_size, Mapping};
use crate::uapi::bpf_enums::{map as mt, map_flags};

use super::reloc::DataKind;

/// `LIBBPF_PIN_BY_NAME`.
pub const PIN_BY_NAME: u32 = 1;
/// The default bpffs mount.
pub const BPF_FS_DEFAULT_PATH: &str = "/sys/fs/bpf";
/// Longest kernel object name, NUL included.
pub const BPF_OBJ_NAME_LEN: usize = 16;

/// The kernel-facing definition of a map.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MapDef {
    pub map_type: u32,
    pub key_size: u32,
    pub value_size: u32,
    pub max_entries: u32,
    pub map_flags: u32,
}

/// What a `values` slot of a prog array or map-in-map points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Map(usize),
    Prog(usize),
}

#[derive(Debug)]
pub struct Map {
    /// User-visible (and, for most maps, kernel) name.
    pub name: CString,
    /// ELF section name of a global data map (`.data`, `.rodata.str1.1`, ...).
    pub real_name: Option<CString>,
    /// Global data kind; None for BTF-defined maps.
    pub data: Option<DataKind>,
    pub sec_idx: usize,
    pub sec_offset: u64,
    /// Index of the map's variable in the `.maps` DATASEC.
    pub btf_var_idx: usize,
    /// Size of the map's variable in `.maps`.
    pub var_size: u64,
    /// Offset of the `values` member in the map's definition, if any.
    pub values_offset: Option<u32>,
    pub def: MapDef,
    pub numa_node: u32,
    pub map_extra: u64,
    pub ifindex: u32,
    /// Inner map template fd set by the application (not owned).
    pub inner_map_fd: Option<RawFd>,
    pub btf_key_type_id: u32,
    pub btf_value_type_id: u32,
    pub btf_vmlinux_value_type_id: u32,
    /// Initial image (global data), later the map's own memory.
    pub mmaped: Option<Mapping>,
    /// Inner map template of a map-in-map, until the outer map is created.
    pub inner: Option<Box<Map>>,
    /// `values` initialisers, by slot.
    pub init_slots: Vec<Option<Slot>>,
    pub pin_path: Option<CString>,
    pub pinned: bool,
    /// The fd came from `bpf_map__reuse_fd()` or a pinned map.
    pub reused: bool,
    pub autocreate: bool,
    pub autoattach: bool,
    pub fd: Option<OwnedFd>,
    /// Index of the only program allowed to use this map.
    pub excl_prog: Option<usize>,
}

impl Map {
    pub fn new(name: CString) -> Map {
        Map {
            name,
            real_name: None,
            data: None,
            sec_idx: 0,
            sec_offset: 0,
            btf_var_idx: 0,
            var_size: 0,
            values_offset: None,
            def: MapDef::default(),
            numa_node: 0,
            map_extra: 0,
            ifindex: 0,
            inner_map_fd: None,
            btf_key_type_id: 0,
            btf_value_type_id: 0,
            btf_vmlinux_value_type_id: 0,
            mmaped: None,
            inner: None,
            init_slots: Vec::new(),
            pin_path: None,
            pinned: false,
            reused: false,
            autocreate: true,
            autoattach: false,
            fd: None,
            excl_prog: None,
        }
    }

    pub fn name_str(&self) -> std::borrow::Cow<'_, str> {
        self.name.to_string_lossy()
    }

    pub fn is_internal(&self) -> bool {
        self.data.is_some()
    }

    pub fn is_map_in_map(&self) -> bool {
        is_map_in_map(self.def.map_type)
    }

    pub fn is_struct_ops(&self) -> bool {
        self.def.map_type == mt::STRUCT_OPS
    }

    pub fn is_ringbuf(&self) -> bool {
        matches!(self.def.map_type, mt::RINGBUF | mt::USER_RINGBUF)
    }

    /// Custom `.data.*`/`.rodata.*` maps show their section name to users.
    pub fn uses_real_name(&self) -> bool {
        match (&self.data, &self.real_name) {
            (Some(DataKind::Data), Some(r)) => r.as_bytes() != b".data",
            (Some(DataKind::Rodata), Some(r)) => r.as_bytes() != b".rodata",
            _ => false,
        }
    }

    /// The name applications see (`bpf_map__name`).
    pub fn user_name(&self) -> &CString {
        match &self.real_name {
            Some(r) if self.uses_real_name() => r,
            _ => &self.name,
        }
    }

    pub fn raw_fd(&self) -> Option<RawFd> {
        self.fd.as_ref().map(|f| f.as_raw_fd())
    }

    /// Size of the memory a map of this definition can be `mmap()`ed with
    /// (0: not mmap-able).
    pub fn mmap_size(&self) -> usize {
        mmap_size(&self.def)
    }

    /// `bpf_map__set_initial_value()`: `data` replaces the initial image.
    pub fn set_initial_value(&mut self, created: bool, data: &[u8]) -> Result<()> {
        if created {
            return Err(Error::BUSY);
        }
        if self.data == Some(DataKind::Kconfig) {
            return Err(Error::INVAL);
        }
        let size = self.def.value_size as usize;
        let Some(img) = self.mmaped.as_mut() else { return Err(Error::INVAL) };
        if data.len() != size || size > img.len() {
            return Err(Error::INVAL);
        }
        img.as_mut_slice()[..size].copy_from_slice(data);
        Ok(())
    }

    /// `bpf_map__set_value_size()` without the BTF part: resizes the
    /// initial image of a global data map, keeping its contents.
    pub fn set_value_size(&mut self, created: bool, size: u32) -> Result<()> {
        if created {
            return Err(Error::BUSY);
        }
        if let Some(img) = self.mmaped.as_ref() {
            if self.def.map_type != mt::ARRAY {
                return Err(Error::NOT_SUPPORTED);
            }
            let new_len = array_mmap_size(size, self.def.max_entries);
            if new_len != img.len() {
                let resized = img.resized(new_len).map_err(|e| {
                    crate::pr_warn!("map '{}': failed to resize memory-mapped region: {e}", self.user_name().to_string_lossy());
                    e
                })?;
                self.mmaped = Some(resized);
            }
        }
        self.def.value_size = size;
        Ok(())
    }

    /// `bpf_map__set_inner_map_fd()`.
    pub fn set_inner_map_fd(&mut self, fd: RawFd) -> Result<()> {
        if !self.is_map_in_map() {
            crate::pr_warn!("error: unsupported map type");
            return Err(Error::INVAL);
        }
        if self.inner_map_fd.is_some() {
            crate::pr_warn!("error: inner_map_fd already specified");
            return Err(Error::INVAL);
        }
        self.inner = None;
        self.inner_map_fd = Some(fd);
        Ok(())
    }

    /// `max_entries` as the kernel needs it for ring buffers: a power-of-2
    /// multiple of the page size (0 stays 0 so the kernel reports it).
    pub fn adjust_ringbuf_size(&mut self) {
        if self.is_ringbuf() {
            self.def.max_entries = adjust_ringbuf_size(self.def.max_entries);
        }
    }
}

pub fn is_map_in_map(map_type: u32) -> bool {
    map_type == mt::ARRAY_OF_MAPS || map_type == mt::HASH_OF_MAPS
}

/// mmap size of an array of `max_entries` values of `value_size`.
pub fn array_mmap_size(value_size: u32, max_entries: u32) -> usize {
    let page = page_size();
    let sz = (value_size as usize).div_ceil(8) * 8 * max_entries as usize;
    sz.div_ceil(page) * page
}

/// mmap size of a map definition (arrays and arenas can be mmap()ed).
pub fn mmap_size(def: &MapDef) -> usize {
    match def.map_type {
        mt::ARRAY => array_mmap_size(def.value_size, def.max_entries),
        mt::ARENA => page_size() * def.max_entries as usize,
        _ => 0,
    }
}

/// Rounds a ring buffer size up to a power-of-2 number of pages.
pub fn adjust_ringbuf_size(sz: u32) -> u32 {
    let page = page_size() as u64;
    let sz64 = sz as u64;
    if sz == 0 {
        return 0;
    }
    if sz64 % page == 0 && (sz64 / page).is_power_of_two() {
        return sz;
    }
    let mut mul = 1u64;
    while mul * page <= u32::MAX as u64 {
        if mul * page > sz64 {
            return (mul * page) as u32;
        }
        mul <<= 1;
    }
    sz
}

/// The kernel name of a global data map: as much of the object name as
/// fits before the section name (at least 7 characters are reserved for
/// it); custom `.data.*`/`.rodata.*` sections use their section name alone.
/// Characters the kernel refuses become `_`.
pub fn internal_map_name(obj_name: &[u8], real_name: &[u8]) -> Vec<u8> {
    let mut sfx_len = real_name.len().max(7);
    if sfx_len >= BPF_OBJ_NAME_LEN {
        sfx_len = BPF_OBJ_NAME_LEN - 1;
    }
    let custom = real_name.len() > 1 && real_name[1..].contains(&b'.');
    let pfx_len = if custom { 0 } else { (BPF_OBJ_NAME_LEN - sfx_len - 1).min(obj_name.len()) };
    let mut name: Vec<u8> = obj_name[..pfx_len].to_vec();
    name.extend_from_slice(&real_name[..sfx_len.min(real_name.len())]);
    name.truncate(BPF_OBJ_NAME_LEN - 1);
    for c in name.iter_mut() {
        if !c.is_ascii_alphanumeric() && *c != b'_' && *c != b'.' {
            *c = b'_';
        }
    }
    name
}

/// A global data map for ELF section `sec_idx` named `real_name`, with
/// `init` as its initial image (None: zeroes, for `.bss`).
pub fn new_internal_map(obj_name: &[u8], kind: DataKind, real_name: &[u8], sec_idx: usize, size: usize, init: Option<&[u8]>) -> Result<Map> {
    let name = CString::new(internal_map_name(obj_name, real_name)).map_err(|_| Error::FORMAT)?;
    let mut map = Map::new(name);
    map.real_name = Some(CString::new(real_name).map_err(|_| Error::FORMAT)?);
    map.data = Some(kind);
    map.sec_idx = sec_idx;
    map.def = MapDef {
        map_type: mt::ARRAY,
        key_size: 4,
        value_size: u32::try_from(size).map_err(|_| Error::TOO_BIG)?,
        max_entries: 1,
        map_flags: if matches!(kind, DataKind::Rodata | DataKind::Kconfig) { map_flags::RDONLY_PROG } else { 0 },
    };
    let mut image = Mapping::anonymous(map.mmap_size()).map_err(|e| {
        crate::pr_warn!("failed to alloc map '{}' content buffer: {e}", map.name_str());
        e
    })?;
    if let Some(init) = init {
        image.as_mut_slice()[..init.len()].copy_from_slice(init);
    }
    map.mmaped = Some(image);
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: Vec<u8>) -> String {
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn internal_names_follow_libbpf() {
        assert_eq!(s(internal_map_name(b"my_object_name", b".rodata")), "my_objec.rodata");
        assert_eq!(s(internal_map_name(b"my_object_name", b".bss")), "my_objec.bss");
        assert_eq!(s(internal_map_name(b"my_object_name", b".kconfig")), "my_obje.kconfig");
        assert_eq!(s(internal_map_name(b"obj", b".data")), "obj.data");
        assert_eq!(s(internal_map_name(b"my_object_name", b".rodata.abracadabra")), ".rodata.abracad");
        assert_eq!(s(internal_map_name(b"x-y", b".data")), "x_y.data");
        assert_eq!(s(internal_map_name(b"obj", b".rodata.str1.1")), ".rodata.str1.1");
    }

    #[test]
    fn ringbuf_sizes() {
        let p = page_size() as u32;
        assert_eq!(adjust_ringbuf_size(0), 0);
        assert_eq!(adjust_ringbuf_size(p), p);
        assert_eq!(adjust_ringbuf_size(p + 1), 2 * p);
        assert_eq!(adjust_ringbuf_size(3 * p), 4 * p);
        assert_eq!(adjust_ringbuf_size(100), p);
    }

    #[test]
    fn internal_map_image() {
        let m = new_internal_map(b"obj", DataKind::Rodata, b".rodata", 4, 12, Some(b"hello world!")).unwrap();
        assert_eq!(m.def, MapDef { map_type: mt::ARRAY, key_size: 4, value_size: 12, max_entries: 1, map_flags: map_flags::RDONLY_PROG });
        assert_eq!(&m.mmaped.as_ref().unwrap().as_slice()[..12], b"hello world!");
        assert_eq!(m.mmap_size(), page_size());
        assert!(!m.uses_real_name());
        let m = new_internal_map(b"obj", DataKind::Data, b".data.custom", 5, 4, None).unwrap();
        assert!(m.uses_real_name());
        assert_eq!(m.user_name().as_bytes(), b".data.custom");
    }
}

impl Map {
    /// libbpf's checks before an element operation on a created map: the
    /// key size, and the value size (rounded up to 8 bytes times the
    /// possible CPUs for per-CPU maps, unless `BPF_F_CPU`/`BPF_F_ALL_CPUS`
    /// ask for one CPU's value). Returns the map fd.
    pub fn check_elem_op(&self, created: bool, key_sz: usize, value_sz: Option<usize>, flags: u64) -> Result<RawFd> {
        use crate::uapi::bpf_enums::elem_flags::{F_ALL_CPUS, F_CPU};
        let name = self.name_str();
        if !created {
            return Err(Error::NOENT);
        }
        if self.def.key_size as usize != key_sz {
            crate::pr_warn!("map '{name}': unexpected key size {key_sz} provided, expected {}", self.def.key_size);
            return Err(Error::INVAL);
        }
        let Some(fd) = self.raw_fd() else {
            crate::pr_warn!("map '{name}': can't use BPF map without FD (was it created?)");
            return Err(Error::INVAL);
        };
        let Some(value_sz) = value_sz else { return Ok(fd) };
        let vs = self.def.value_size;
        if matches!(self.def.map_type, mt::PERCPU_ARRAY | mt::PERCPU_HASH | mt::LRU_PERCPU_HASH | mt::PERCPU_CGROUP_STORAGE) {
            if flags & (F_CPU | F_ALL_CPUS) != 0 {
                if flags & F_CPU != 0 && flags & F_ALL_CPUS != 0 {
                    crate::pr_warn!("map '{name}': BPF_F_CPU and BPF_F_ALL_CPUS are mutually exclusive");
                    return Err(Error::INVAL);
                }
                if vs as usize != value_sz {
                    crate::pr_warn!(
                        "map '{name}': unexpected value size {value_sz} provided for either BPF_F_CPU or BPF_F_ALL_CPUS, expected {vs}"
                    );
                    return Err(Error::INVAL);
                }
                return Ok(fd);
            }
            let ncpu = crate::cpus::num_possible()?;
            let elem = (vs as usize).div_ceil(8) * 8;
            if value_sz != ncpu * elem {
                crate::pr_warn!(
                    "map '{name}': unexpected value size {value_sz} provided for per-CPU map, expected {ncpu} * {elem} = {}",
                    ncpu * elem
                );
                return Err(Error::INVAL);
            }
        } else if vs as usize != value_sz {
            crate::pr_warn!("map '{name}': unexpected value size {value_sz} provided, expected {vs}");
            return Err(Error::INVAL);
        }
        Ok(fd)
    }
}

impl super::Object {
    /// `bpf_map__set_value_size()`: also resizes a global data map's image
    /// and the array ending its BTF DATASEC (if that fails, the map loses
    /// its BTF key/value types).
    pub fn set_map_value_size(&mut self, idx: usize, size: u32) -> Result<()> {
        let created = self.map_is_created(idx);
        let had_image = self.maps[idx].mmaped.is_some();
        self.maps[idx].set_value_size(created, size)?;
        if had_image {
            if let Err(e) = super::btf_info::resize_datasec(self, idx, size) {
                if e != Error::NOENT {
                    let m = &mut self.maps[idx];
                    crate::pr_warn!(
                        "map '{}': failed to adjust resized BTF, clearing BTF key/value info: {e}",
                        m.user_name().to_string_lossy()
                    );
                    m.btf_value_type_id = 0;
                    m.btf_key_type_id = 0;
                }
            }
        }
        Ok(())
    }
}
