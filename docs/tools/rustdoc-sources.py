#!/usr/bin/env python3
"""Extract the Rust sources that rustdoc renders under html/src into plain
.rs files, for TestItemsMatchWholeCorpus (JEMFIX_RUST_CORPUS).

Usage: rustdoc-sources.py HTML_SRC_DIR OUT_DIR
  HTML_SRC_DIR: e.g. ~/.rustup/toolchains/stable-*/share/doc/rust/html/src
"""
import glob
import html
import os
import re
import sys

src_dir, out_dir = sys.argv[1], sys.argv[2]
os.makedirs(out_dir, exist_ok=True)
count = size = 0
for page in glob.glob(os.path.join(src_dir, "**", "*.rs.html"), recursive=True):
    with open(page, encoding="utf-8") as f:
        text = f.read()
    m = re.search(r'<pre class="rust"><code>(.*?)</code></pre>', text, re.S)
    if not m:
        continue
    body = re.sub(r"<a href=#\d+ id=\d+ data-nosnippet>\d+</a>", "", m.group(1))
    body = html.unescape(re.sub(r"<[^>]+>", "", body))
    name = os.path.relpath(page, src_dir).replace(os.sep, "__")[: -len(".html")]
    with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
        f.write(body)
    count += 1
    size += len(body)
print(f"{count} files, {size} bytes")
