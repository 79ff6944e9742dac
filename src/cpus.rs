//! CPU sets from sysfs (`/sys/devices/system/cpu/{possible,online}`).

use once_cell::sync::OnceCell;

use crate::error::{Error, Result};

/// Parses a CPU list such as `0-3,5,7-8` into a membership vector indexed by CPU.
pub fn parse_cpu_list(text: &str) -> Result<Vec<bool>> {
    let mut cpus = Vec::new();
    for part in text.trim().split(',').filter(|p| !p.is_empty()) {
        let (lo, hi) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse::<usize>(), b.trim().parse::<usize>()),
            None => (part.trim().parse::<usize>(), part.trim().parse::<usize>()),
        };
        let (lo, hi) = (lo.map_err(|_| Error::INVAL)?, hi.map_err(|_| Error::INVAL)?);
        if lo > hi || hi >= 1 << 16 {
            crate::pr_warn!("invalid CPU range [{lo}, {hi}] in {text:?}");
            return Err(Error::INVAL);
        }
        if cpus.len() <= hi {
            cpus.resize(hi + 1, false);
        }
        cpus[lo..=hi].iter_mut().for_each(|c| *c = true);
    }
    if cpus.is_empty() {
        return Err(Error::INVAL);
    }
    Ok(cpus)
}

/// Reads and parses a sysfs CPU list file.
pub fn read_cpu_list(path: &str) -> Result<Vec<bool>> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        crate::pr_warn!("failed to open {path}: {e}");
        Error::from(e)
    })?;
    parse_cpu_list(&text)
}

/// Number of possible CPUs (the highest possible CPU + 1), read once per process.
pub fn num_possible() -> Result<usize> {
    static POSSIBLE: OnceCell<usize> = OnceCell::new();
    POSSIBLE.get_or_try_init(|| read_cpu_list("/sys/devices/system/cpu/possible").map(|v| v.len())).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists() {
        assert_eq!(parse_cpu_list("0-3\n").unwrap(), vec![true; 4]);
        assert_eq!(parse_cpu_list("0,2").unwrap(), vec![true, false, true]);
        assert_eq!(parse_cpu_list("1-2,5").unwrap(), vec![false, true, true, false, false, true]);
        assert!(parse_cpu_list("3-1").is_err());
        assert!(parse_cpu_list("x").is_err());
        assert!(parse_cpu_list("").is_err());
    }

    #[test]
    fn possible_is_positive() {
        assert!(num_possible().unwrap() >= 1);
    }
}
