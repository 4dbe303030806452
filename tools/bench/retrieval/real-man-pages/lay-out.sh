#!/usr/bin/env bash
# Lays out the third retrieval measurement corpus: 26 real man pages of widely installed tools,
# rendered by man-db into plain text, one DIR/<page>.txt per page. The rendered text is other
# people's work and is not committed; this script makes it again.
#
#   tools/bench/retrieval/real-man-pages/lay-out.sh /tmp/real-man
#
# Rendering: MANWIDTH=80 man -P cat <page> | col -bx (man-db 2.11.2, groff 1.22.4, Debian 12.11),
# with MAN_KEEP_FORMATTING unset and LANG=C.UTF-8 so the output is plain ASCII-ish text.
# The questions in questions.jsonl were written against these Debian 12 package versions:
#   curl 7.88.1-10+deb12u14        rsync 3.5.0+ds1-0+deb12u1     findutils 4.9.0-4 (find, xargs)
#   sed 4.9-1                      tar 1.34+dfsg-1.2+deb12u1     gzip 1.12-1
#   openssh-client 1:9.2p1-2+deb12u6 (ssh, scp)                  make 4.3-4.1
#   git-man 1:2.39.5-0+deb12u3 (git-commit)                      grep 3.8-5
#   coreutils 9.1-1 (sort, date, cp, ls, chmod, du, tail, timeout, env)
#   wget 1.21.3-1+deb12u1          less 590-2.1~deb12u2          xz-utils 5.4.1-1
#   nginx 1.22.1-9+deb12u11        diffutils 1:3.8-4
# Other versions render other text; `--check` (after the DIR) verifies that every reference
# snippet of questions.jsonl is still found, whitespace-collapsed, in its page.
set -euo pipefail

pages=(curl rsync find sed tar gzip ssh scp make git-commit grep xargs sort date cp ls chmod wget less du tail timeout xz nginx env diff)

if [[ $# -lt 1 ]]; then
  echo "usage: $0 DIR [--check]   (DIR is outside the repository, e.g. /tmp/real-man)" >&2
  exit 2
fi
dir=$1
mkdir -p "$dir"
for page in "${pages[@]}"; do
  if ! man -w "$page" >/dev/null 2>&1; then
    echo "$0: no man page for '$page' on this machine; install its Debian package (listed above)" >&2
    exit 2
  fi
  LANG=C.UTF-8 MANWIDTH=80 MAN_KEEP_FORMATTING= man -P cat "$page" 2>/dev/null | col -bx >"$dir/$page.txt"
done
echo "laid out ${#pages[@]} pages in $dir"

if [[ "${2:-}" == "--check" ]]; then
  here=$(dirname "$0")
  node -e '
    const fs = require("node:fs");
    const [dir, file] = process.argv.slice(1);
    const collapse = (text) => text.replace(/\s+/g, " ").trim().toLowerCase();
    let missing = 0;
    for (const line of fs.readFileSync(file, "utf8").split("\n").filter((l) => l.trim())) {
      const example = JSON.parse(line);
      const page = (example.tags ?? []).find((tag) => tag.startsWith("page:"))?.slice(5);
      if (!page || !example.tags.includes("answerable")) continue;
      const text = collapse(fs.readFileSync(`${dir}/${page}.txt`, "utf8"));
      for (const reference of example.reference_contexts ?? [])
        if (!text.includes(collapse(reference))) { missing += 1; console.error(`${example.id}: not in ${page}: ${reference}`); }
    }
    if (missing > 0) process.exit(1);
    console.log("every reference snippet is in its page");
  ' "$dir" "$here/questions.jsonl"
fi
