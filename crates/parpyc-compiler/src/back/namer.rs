//! Hands out C identifiers: taken from the Python source where possible, unique within their
//! scope, never a C/C++/CUDA reserved word or a name the CUDA headers define.

use std::collections::HashSet;

pub struct Namer {
    used: HashSet<String>,
    reserved: &'static [&'static str],
}

impl Namer {
    pub fn new(reserved: &'static [&'static str]) -> Namer {
        Namer {
            used: HashSet::new(),
            reserved,
        }
    }

    /// Marks `name` as taken without handing it out (a name fixed by the ABI).
    pub fn reserve(&mut self, name: &str) {
        self.used.insert(name.to_string());
    }

    /// Whether `name` is a valid identifier not yet taken.
    pub fn is_free(&self, name: &str) -> bool {
        !self.used.contains(name)
            && !self.reserved.contains(&name)
            && !name.is_empty()
            && !name.starts_with(|c: char| c.is_ascii_digit() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    }

    /// A fresh identifier close to `hint`.
    pub fn name(&mut self, hint: &str) -> String {
        let mut base: String = hint
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if base.is_empty() || base.starts_with(|c: char| c.is_ascii_digit()) {
            base.insert(0, 'v');
        }
        // Identifiers with a double underscore or `_` + capital are the implementation's.
        if base.starts_with('_') || base.contains("__") || base.starts_with("parpyc") {
            base = format!("v{base}").replace("__", "_");
        }
        let taken =
            |n: &str, used: &HashSet<String>| used.contains(n) || self.reserved.contains(&n);
        let mut candidate = base.clone();
        if taken(&candidate, &self.used) {
            let mut i = 1;
            loop {
                candidate = format!("{base}_{i}");
                if !taken(&candidate, &self.used) {
                    break;
                }
                i += 1;
            }
        }
        self.used.insert(candidate.clone());
        candidate
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn avoids_reserved_and_duplicates() {
        let mut n = Namer::new(&["half", "float2"]);
        assert_eq!(n.name("half"), "half_1");
        assert_eq!(n.name("x"), "x");
        assert_eq!(n.name("x"), "x_1");
        assert_eq!(n.name("__y"), "v_y");
        assert_eq!(n.name("1a"), "v1a");
    }
}
