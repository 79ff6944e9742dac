#!/usr/bin/env python3
"""ABI checks generated from ../shared/abi/ (the libbpf 1.8 contract).

Generates C sources that, compiled against include/, fail to compile on any
mismatch:
  prototypes.c  every function of functions.tsv redeclared after our headers
  layouts.c     sizeof and offsetof (and member size) of every public struct
  enums.c       every enumerator's value
  macros.c      every macro of macros.txt is defined
  typedefs.c    every callback typedef has the contracted type
and compares the dynamic symbol table of the library with symbols.tsv.

usage: abi-check.py gen OUTDIR | symbols LIBRARY
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ABI = os.environ.get("OXBPF_ABI_DIR", os.path.join(HERE, "..", "..", "shared", "abi"))

INCLUDES = """#include <stddef.h>
#include <stdarg.h>
#include <linux/perf_event.h>
#include <bpf/libbpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf_legacy.h>
#include <bpf/libbpf_common.h>
#include <bpf/libbpf_version.h>
"""

CXX_ASSERT = """#ifdef __cplusplus
#define ABI_ASSERT(cond, msg) static_assert(cond, msg)
#else
#define ABI_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
"""


def rows(name):
    with open(os.path.join(ABI, name)) as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line.split("\t")


def gen_prototypes():
    exported = {r[0] for r in rows("symbols.tsv")}
    out = [INCLUDES]
    for r in rows("functions.tsv"):
        name, _hdr, ret, params = r[0], r[1], r[2], r[3]
        plist = params.replace("; ", ", ") if params else "void"
        storage = "extern" if name in exported else "static inline"
        sep = "" if ret.endswith("*") else " "
        out.append(f"{storage} {ret}{sep}{name}({plist});")
    # Each exported function must also be callable (address taken).
    out.append("void *abi_all_functions[] = {")
    for r in rows("functions.tsv"):
        if r[0] in exported:
            out.append(f"\t(void *){r[0]},")
    out.append("};")
    return "\n".join(out) + "\n"


def gen_layouts():
    out = [INCLUDES, CXX_ASSERT]
    for r in rows("layouts.tsv"):
        struct, member, off, size = r[0], r[1], r[2], r[3]
        t = f"struct {struct}"
        if member == "(sizeof)":
            out.append(f'ABI_ASSERT(sizeof({t}) == {size}, "sizeof({t}) == {size}");')
            continue
        out.append(f'ABI_ASSERT(offsetof({t}, {member}) == {off}, "offsetof({t}, {member}) == {off}");')
        out.append(f'ABI_ASSERT(sizeof(((({t} *)0)->{member})) == {size}, "sizeof({t}.{member}) == {size}");')
    return "\n".join(out) + "\n"


def gen_enums():
    out = [INCLUDES, CXX_ASSERT]
    for r in rows("enums.tsv"):
        enum, name, value = r[0], r[1], r[2]
        out.append(f'ABI_ASSERT((long long){name} == {value}LL, "{name} == {value}");')
        if not name.startswith("__"):
            # the enumerator belongs to the named enum type
            out.append(f"enum {enum} abi_enum_{name} = {name};")
    return "\n".join(out) + "\n"


def gen_macros():
    out = [INCLUDES]
    with open(os.path.join(ABI, "macros.txt")) as f:
        for name in (l.strip() for l in f):
            if name and not name.startswith("#"):
                out.append(f'#ifndef {name}\n#error "macro {name} is not defined"\n#endif')
    return "\n".join(out) + "\n"


def gen_typedefs():
    out = [INCLUDES, CXX_ASSERT, "#ifndef __cplusplus"]
    for r in rows("typedefs.tsv"):
        # The table spells va_list as the type it decays to in a parameter list.
        name, underlying = r[0], r[1].replace("struct __va_list_tag *", "va_list")
        out.append(
            f'ABI_ASSERT(__builtin_types_compatible_p({name}, {underlying}), "typedef {name}");'
        )
    out.append("#endif")
    return "\n".join(out) + "\n"


def gen(outdir):
    os.makedirs(outdir, exist_ok=True)
    for name, fn in [
        ("prototypes.c", gen_prototypes),
        ("layouts.c", gen_layouts),
        ("enums.c", gen_enums),
        ("macros.c", gen_macros),
        ("typedefs.c", gen_typedefs),
    ]:
        with open(os.path.join(outdir, name), "w") as f:
            f.write(fn())


def check_symbols(lib):
    want = {(r[0], r[1]) for r in rows("symbols.tsv")}
    nodes = {v for _, v in want}
    out = subprocess.run(["readelf", "--dyn-syms", "-W", lib], check=True, capture_output=True, text=True).stdout
    have, extra_objs, node_syms = set(), [], set()
    for line in out.splitlines():
        f = line.split()
        if len(f) < 8 or f[0] == "Num:" or not f[0].endswith(":") or f[6] == "UND":
            continue
        typ, name = f[3], f[7]
        sym, _, ver = name.replace("@@", "@").partition("@")
        if typ == "FUNC":
            have.add((sym, ver))
        elif typ == "OBJECT" and f[6] == "ABS" and sym in nodes and ver in ("", sym):
            node_syms.add(sym)
        else:
            extra_objs.append(name)
    missing = sorted(want - have)
    extra = sorted(have - want)
    ok = True
    for sym, ver in missing:
        print(f"missing: {sym}@@{ver}")
        ok = False
    for sym, ver in extra:
        print(f"unexpected: {sym}@{ver}")
        ok = False
    for name in extra_objs:
        print(f"unexpected non-function symbol: {name}")
        ok = False
    for n in sorted(nodes - node_syms):
        print(f"missing version node symbol: {n}")
        ok = False
    dyn = subprocess.run(["readelf", "-d", lib], check=True, capture_output=True, text=True).stdout
    if "Library soname: [libbpf.so.1]" not in dyn:
        print("SONAME is not libbpf.so.1")
        ok = False
    for bad in ("libelf", "libz"):
        if bad in dyn:
            print(f"depends on {bad}")
            ok = False
    print(f"{len(have & want)} of {len(want)} functions with their versions, {len(node_syms)} version nodes")
    return ok


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "gen":
        gen(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "symbols":
        sys.exit(0 if check_symbols(sys.argv[2]) else 1)
    else:
        print(__doc__)
        sys.exit(2)
