#!/usr/bin/env python3
"""Lists C++ functions longer than a limit (default 80 lines), longest first.

Usage: tools/function_lengths.py [--limit N] [--check] [paths...]   (default: core sdk plugins support bench tests)

--check exits 1 when any function is over the limit (ctest code_function_lengths_test).

The tree's style puts a function's opening brace on its own line, indented as
its signature, and the closing brace at the same indentation: a definition is
a signature line (not ending in ';' or ',') followed by that brace, and its
length runs from the signature to the matching closing brace. Lambdas and
blocks inside a function count towards it. A reading aid for keeping
functions short, not a parser.
"""
import argparse
import os
import re
import sys

SOURCE = (".cpp", ".h", ".cc", ".hpp")
CONTROL = re.compile(r"^\s*(if|for|while|switch|catch|else|do|try|namespace|class|struct|union|enum)\b")


def functions(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        lines = f.read().split("\n")
    for i in range(len(lines) - 1):
        sig, brace = lines[i], lines[i + 1]
        indent = sig[: len(sig) - len(sig.lstrip())]
        if brace != indent + "{" or not sig.strip() or sig.rstrip().endswith((";", ",", "{", "}")):
            continue
        if CONTROL.match(sig) or "=" in sig.split("(")[0] or "(" not in sig and not sig.strip().startswith(":"):
            # a signature continued from the line before ends with ')' too; walk back to its start
            if not (sig.rstrip().endswith((")", "const", "override", "noexcept")) or sig.lstrip().startswith(":")):
                continue
        start = i
        while start > 0 and not lines[start].strip().startswith(("//",)) and "(" not in lines[start]:
            start -= 1
        while start > 0 and lines[start - 1].strip() and lines[start].startswith(indent + "\t") or (
            start > 0 and lines[start].lstrip().startswith(":")
        ):
            start -= 1
        name_line = lines[start].strip()
        if CONTROL.match(name_line):
            continue
        for j in range(i + 2, len(lines)):
            if lines[j] == indent + "}" or lines[j] == indent + "};":
                m = re.search(r"([A-Za-z_~][\w:~]*(?:operator\S*)?)\s*\(", name_line)
                yield (j - start + 1, path, start + 1, m.group(1) if m else name_line[:60])
                break


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--limit", type=int, default=80)
    ap.add_argument("--check", action="store_true", help="exit 1 when a function is over the limit")
    ap.add_argument("paths", nargs="*", default=["core", "sdk", "plugins", "support", "bench", "tests"])
    args = ap.parse_args()
    found = []
    for root in args.paths:
        for dirpath, _, files in os.walk(root):
            for name in files:
                if name.endswith(SOURCE):
                    found.extend(functions(os.path.join(dirpath, name)))
    long = sorted((f for f in found if f[0] > args.limit), reverse=True)
    for length, path, line, name in long:
        print(f"{length:5d}  {path}:{line}  {name}")
    print(f"{len(long)} functions over {args.limit} lines", file=sys.stderr)
    if args.check and long:
        print("split them into named steps (the tree keeps every function within the limit)", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
