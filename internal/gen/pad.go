package gen

import (
	"fmt"
	"strings"
)

// pad returns ordinary Rust of exactly n bytes (none when n <= 0) for
// file k: whole items (structs and their impls, enums with matches, traits,
// iterators, generic functions, constant tables, test modules, doc and
// block comments) chosen and filled in from a hash of k and the item's
// index, so that files differ from each other, followed by plain line
// comments that take up the bytes no whole item fits into. None of it
// names a jemalloc crate. The output is the same for the same k and n.
func pad(k, n int) string {
	if n <= 0 {
		return ""
	}
	var b strings.Builder
	b.Grow(n)
	for j := 0; ; j++ {
		h := mix(uint64(k)<<20 | uint64(j))
		item := padItem(k, j, h)
		if b.Len()+len(item) > n {
			break
		}
		b.WriteString(item)
	}
	fill(&b, n-b.Len(), mix(uint64(k)^0x9e3779b97f4a7c15))
	return b.String()
}

// mix is SplitMix64's finaliser: a cheap, deterministic spread of bits.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

var words = []string{
	"the", "buffer", "is", "flushed", "when", "a", "batch", "closes", "and", "each",
	"entry", "keeps", "its", "offset", "so", "readers", "can", "resume", "after", "restart",
	"we", "retry", "twice", "before", "giving", "up", "on", "slow", "peers", "which",
	"rarely", "happens", "in", "practice", "but", "tests", "cover", "it", "anyway", "note",
	"that", "keys", "are", "sorted", "by", "length", "first", "then", "bytes", "cache",
	"lines", "stay", "warm", "because", "hot", "paths", "touch", "few", "fields", "only",
	"index", "shard", "lease", "quota", "window", "cursor", "checkpoint", "snapshot", "ledger", "queue",
}

// sentence returns m words chosen by h, starting with a capital letter
// and ending with a full stop.
func sentence(h uint64, m int) string {
	parts := make([]string, m)
	for i := range m {
		h = mix(h + uint64(i))
		parts[i] = words[h%uint64(len(words))]
	}
	s := strings.Join(parts, " ")
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

var fieldTypes = []string{"u64", "u32", "i64", "usize", "bool", "String", "Vec<u8>", "Option<u32>", "f64"}
var fieldNames = []string{"id", "len", "count", "offset", "limit", "label", "payload", "retries", "weight", "ready"}

// padItem returns item j of file k, one of ten shapes chosen by h.
func padItem(k, j int, h uint64) string {
	var b strings.Builder
	a, c := int(h>>8%97), int(h>>16%13)+2
	switch h % 10 {
	case 0: // a struct with an impl
		nf := int(h>>24%4) + 2
		fmt.Fprintf(&b, "/// %s\n#[derive(Debug, Clone, PartialEq)]\npub struct Entry%d_%d {\n", sentence(h, 8), k, j)
		for f := range nf {
			fmt.Fprintf(&b, "    pub %s: %s,\n", fieldNames[(f+a)%len(fieldNames)], fieldTypes[(f*3+c)%len(fieldTypes)])
		}
		fmt.Fprintf(&b, "}\n\nimpl Entry%d_%d {\n    /// %s\n    pub fn weight(&self, scale: u64) -> u64 {\n", k, j, sentence(h+1, 6))
		fmt.Fprintf(&b, "        let base = %d_u64.wrapping_mul(scale);\n        if base > %d {\n            base / %d\n        } else {\n            base + %d\n        }\n    }\n}\n\n", a+1, a*100, c, a)
	case 1: // an enum with a match
		fmt.Fprintf(&b, "/// %s\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum State%d_%d {\n", sentence(h, 7), k, j)
		names := []string{"Idle", "Running", "Draining", "Stopped", "Failed", "Paused"}
		m := c%4 + 3
		for v := range m {
			fmt.Fprintf(&b, "    %s,\n", names[(v+a)%len(names)])
		}
		fmt.Fprintf(&b, "}\n\nimpl State%d_%d {\n    pub fn code(self) -> u8 {\n        match self {\n", k, j)
		for v := range m {
			fmt.Fprintf(&b, "            Self::%s => %d,\n", names[(v+a)%len(names)], v*c+1)
		}
		b.WriteString("        }\n    }\n}\n\n")
	case 2: // a trait and an implementation
		fmt.Fprintf(&b, "/// %s\npub trait Score%d_%d {\n    fn score(&self) -> i64;\n\n    fn above(&self, limit: i64) -> bool {\n        self.score() > limit\n    }\n}\n\n", sentence(h, 9), k, j)
		fmt.Fprintf(&b, "impl Score%d_%d for [i64] {\n    fn score(&self) -> i64 {\n        // %s\n        self.iter().copied().filter(|v| v %% %d != 0).sum::<i64>() - %d\n    }\n}\n\n", k, j, sentence(h+2, 10), c, a)
	case 3: // an iterator chain
		fmt.Fprintf(&b, "/// %s\n///\n/// %s\npub fn totals_%d_%d(items: &[(String, u64)]) -> HashMap<String, u64> {\n", sentence(h, 8), sentence(h+3, 12), k, j)
		fmt.Fprintf(&b, "    let mut out = HashMap::with_capacity(items.len());\n    for (name, n) in items.iter().filter(|(s, _)| !s.is_empty()) {\n        *out.entry(name.to_lowercase()).or_insert(0) += n * %d;\n    }\n    out.retain(|_, v| *v >= %d);\n    out\n}\n\n", c, a)
	case 4: // parsing with ? and early returns
		fmt.Fprintf(&b, "/// Parses a `key=value` line; %s\npub fn parse_%d_%d(line: &str) -> Result<(String, i32), String> {\n", strings.ToLower(sentence(h, 7)), k, j)
		fmt.Fprintf(&b, "    let line = line.trim();\n    if line.is_empty() || line.starts_with('#') {\n        return Err(format!(\"empty line at {}\", %d));\n    }\n", a)
		fmt.Fprintf(&b, "    let (key, value) = line.split_once('=').ok_or_else(|| \"missing '='\".to_string())?;\n    let n: i32 = value.trim().parse().map_err(|e| format!(\"{key}: {e}\"))?;\n    if n < -%d || n > %d {\n        return Err(format!(\"{key}: {n} out of range\"));\n    }\n    Ok((key.trim().to_string(), n))\n}\n\n", a, a*1000+c)
	case 5: // a constant table and a lookup
		fmt.Fprintf(&b, "const TABLE_%d_%d: [u32; %d] = [", k, j, c)
		for i := range c {
			if i > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "%d", (i+1)*(a+3))
		}
		fmt.Fprintf(&b, "];\n\n/// %s\npub fn lookup_%d_%d(x: u32) -> Option<usize> {\n    TABLE_%d_%d.binary_search(&x).ok()\n}\n\n", sentence(h, 9), k, j, k, j)
	case 6: // a test module
		fmt.Fprintf(&b, "#[cfg(test)]\nmod tests_%d_%d {\n    #[test]\n    fn adds_up() {\n        let v: Vec<u64> = (0..%d).collect();\n", k, j, c)
		fmt.Fprintf(&b, "        // %s\n        assert_eq!(v.iter().sum::<u64>(), %d);\n        assert!(v.windows(2).all(|w| w[0] < w[1]));\n    }\n}\n\n", sentence(h, 11), c*(c-1)/2)
	case 7: // a block comment and string formatting
		fmt.Fprintf(&b, "/*\n * %s\n * %s\n * %s\n */\npub fn render_%d_%d(name: &str, parts: &[&str]) -> String {\n", sentence(h, 10), sentence(h+4, 9), sentence(h+5, 11), k, j)
		fmt.Fprintf(&b, "    let mut s = String::with_capacity(%d);\n    s.push_str(name);\n    for (i, p) in parts.iter().enumerate().take(%d) {\n        if i > 0 {\n            s.push_str(\", \");\n        }\n        s += &format!(\"{i}:{p:>%d}\");\n    }\n    s\n}\n\n", a+16, c, c%8+1)
	case 8: // a generic function with a where clause
		name, op := "largest", ">="
		if a%2 == 1 {
			name, op = "smallest", "<="
		}
		fmt.Fprintf(&b, "/// %s\npub fn %s_%d_%d<T, I>(items: I) -> Option<T>\nwhere\n    T: PartialOrd + Copy + fmt::Debug,\n    I: IntoIterator<Item = T>,\n{\n", sentence(h, 8), name, k, j)
		fmt.Fprintf(&b, "    let mut best: Option<T> = None;\n    for x in items.into_iter().skip(%d) {\n        best = match best {\n            Some(b) if b %s x => Some(b),\n            _ => Some(x),\n        };\n    }\n    best\n}\n\n", c%3, op)
	default: // an iterator type
		fmt.Fprintf(&b, "/// %s\npub struct Steps%d_%d {\n    next: u64,\n    left: usize,\n}\n\n", sentence(h, 6), k, j)
		fmt.Fprintf(&b, "impl Iterator for Steps%d_%d {\n    type Item = u64;\n\n    fn next(&mut self) -> Option<u64> {\n        if self.left == 0 {\n            return None;\n        }\n        self.left -= 1;\n        let cur = self.next;\n        self.next = cur.wrapping_mul(%d).wrapping_add(%d);\n        Some(cur)\n    }\n}\n\n", k, j, c+1, a)
	}
	return b.String()
}

// fill writes exactly n bytes of line comments (or, below four bytes,
// newlines) to b.
func fill(b *strings.Builder, n int, h uint64) {
	for n > 0 {
		if n < 4 {
			b.WriteString(strings.Repeat("\n", n))
			return
		}
		h = mix(h)
		line := "// " + sentence(h, 12)
		if len(line) > 78 {
			line = strings.TrimRight(line[:78], " ")
		}
		if len(line)+1 > n || n-len(line)-1 < 4 {
			line = strings.TrimRight(line[:min(len(line), n-1)], " ")
			line += strings.Repeat(".", n-1-len(line))
		}
		b.WriteString(line)
		b.WriteByte('\n')
		n -= len(line) + 1
	}
}
