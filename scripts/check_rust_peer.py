#!/usr/bin/env python3
"""Two Rust staticlibs in one image: what each brought into the link, and that nothing is
defined twice (scripts/qemu_test.py --rust-peer; usable alone).

    check_rust_peer.py ELF MAP [--nm arm-none-eabi-nm]

From the linker map's "Archive member included to satisfy reference by file (symbol)" list:
the members GNU ld took from librtt_mempool.a and from librust_peer.a (the bed's second Rust
staticlib, standing in for RT-Thread's own Rust component), and for which symbol. From nm over
those members: the symbols both sets define (a strong one defined by both would be a
"multiple definition" error; weak ones the linker merges, and it then says which one it took).
From the ELF: the panic handlers in the image (Rust >= 1.8x names the #[panic_handler]
`__rustc::rust_begin_unwind`, the same name in every crate built by one rustc, and a staticlib
built without LTO exports it: two such archives in one link are a multiple definition) and
where the run-time helpers the two use (64-bit division, memcpy, memclr) came from.

Fails when the peer's exported functions are not in the image from librust_peer.a, when the
package's archive brings a panic handler, or when a symbol is defined strongly by members of
both archives. Prints `rust-peer: ...` lines; exit status 0 when all hold.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import check_link  # noqa: E402

PKG = 'librtt_mempool.a'
PEER = 'librust_peer.a'
PEER_FUNCS = ['rust_peer_udivmod', 'rust_peer_take', 'rust_peer_give']
HELPERS = ['__aeabi_uldivmod', '__udivmoddi4', '__aeabi_uidiv', '__aeabi_memcpy', 'memcpy',
           '__aeabi_memclr8', '__aeabi_memclr', 'memset', 'memcmp']
_MEMBER = re.compile(r'^(\S+\.a)\((.+?)\)\s*(.*)$')


def included_members(map_text):
    """[(archive path, member, referencing file, symbol)] from the map's archive list."""
    part = map_text.split('Archive member included to satisfy reference by file (symbol)', 1)
    if len(part) < 2:
        return []
    body = re.split(r'^(?:Discarded input sections|Allocating common symbols|'
                    r'Memory Configuration|Linker script and memory map)', part[1],
                    maxsplit=1, flags=re.M)[0]
    out = []
    pending = None
    for line in body.splitlines():
        m = _MEMBER.match(line)
        if m and not line.startswith(' '):
            pending = (m.group(1), m.group(2))
            rest = m.group(3).strip()
        elif pending and line.strip():
            rest = line.strip()
        else:
            continue
        if not rest:
            continue
        r = re.match(r'^(.*?)\s*\(([^()]*)\)$', rest)
        if r:
            out.append((pending[0], pending[1], r.group(1), r.group(2)))
            pending = None
    return out


def member_symbols(archive, nm):
    """{member: {symbol: binding}} of the archive's defined global and weak symbols ('G' or
    'W'; hidden ones too: they still take part in a static link). From readelf, because
    binutils' nm reports "no symbols" for Rust's objects that carry LLVM bitcode (core,
    compiler_builtins)."""
    readelf = re.sub(r'nm$', 'readelf', nm)
    p = subprocess.run([readelf, '-sW', archive], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, universal_newlines=True)
    syms = {}
    member = None
    for line in p.stdout.splitlines():
        m = re.match(r'^File: .*?\((.+)\)$', line)
        if m:
            member = m.group(1)
            continue
        parts = line.split()
        # Num: Value Size Type Bind Vis Ndx Name
        if member and len(parts) >= 8 and parts[0].endswith(':') and parts[6] != 'UND' \
                and parts[4] in ('GLOBAL', 'WEAK'):
            syms.setdefault(member, {})[parts[7]] = 'G' if parts[4] == 'GLOBAL' else 'W'
    return syms


def resolve(path, mapfile, elf):
    """An archive path of the map (relative to the BSP folder) as a file here, or None."""
    for base in ('', os.path.dirname(os.path.abspath(mapfile)),
                 os.path.join(os.path.dirname(os.path.abspath(mapfile)), 'bsp'),
                 os.path.join(os.path.dirname(os.path.abspath(elf)), 'bsp')):
        full = os.path.join(base, path) if base else path
        if os.path.isfile(full):
            return full
    return None


def short_file(path):
    """libfoo.a(compiler_builtins-...cgu.163.rcgu.o) -> libfoo.a(compiler_builtins cgu.163)."""
    m = re.match(r'^(.*?\.a)\((.*)\)$', path)
    if not m:
        return os.path.basename(path)
    member = m.group(2)
    c = re.match(r'^(compiler_builtins|rtt_mempool|rust_peer|core)-.*?(?:-cgu\.(\d+))?\.rcgu\.o$',
                 member)
    if c:
        member = c.group(1) + (' cgu.%s' % c.group(2) if c.group(2) else '')
    return '%s(%s)' % (os.path.basename(m.group(1)), member)


def cross_reference(map_text):
    """{symbol: [defining file, referencing files...]} from the map's Cross Reference Table
    (ld -cref): the first file named for a symbol is the one that defines it."""
    part = map_text.split('Cross Reference Table', 1)
    table = {}
    if len(part) < 2:
        return table
    current = None
    for line in part[1].splitlines():
        if not line.strip() or line.startswith('Symbol'):
            continue
        if not line.startswith(' '):
            bits = line.split(None, 1)
            current = bits[0]
            table[current] = [bits[1].strip()] if len(bits) > 1 else []
        elif current:
            table[current].append(line.strip())
    return table


def check(elf, mapfile, nm='arm-none-eabi-nm'):
    with open(mapfile, 'r', encoding='utf-8', errors='replace') as f:
        mtext = f.read()
    lines, problems = [], []
    members = included_members(mtext)
    archives = {}
    for arch, member, ref, sym in members:
        for name in (PKG, PEER):
            if os.path.basename(arch) == name:
                archives.setdefault(name, (arch, []))[1].append((member, ref, sym))
    if PEER not in archives:
        problems.append('no member of %s in the link' % PEER)
    if PKG not in archives:
        problems.append('no member of %s in the link' % PKG)
    defined = {}
    for name, (path, taken) in sorted(archives.items()):
        full = resolve(path, mapfile, elf)
        per_member = member_symbols(full, nm) if full else {}
        defined[name] = {}
        for member, ref, sym in taken:
            for s, t in per_member.get(member, {}).items():
                defined[name].setdefault(s, t)
        lines.append('%s: %d member(s) linked: %s' % (name, len(taken), '; '.join(
            '%s for %s' % (short_file('%s(%s)' % (name, m)), s) for m, _, s in taken)))
    # what each archive exports besides compiler_builtins (Rust's) and compiler-rt's C objects
    for name, (path, _) in sorted(archives.items()):
        full = resolve(path, mapfile, elf)
        own = {}
        for member, symbols in (member_symbols(full, nm) if full else {}).items():
            if member.startswith('compiler_builtins-') or re.match(r'^[0-9a-f]{16}-\w+\.o$', member) \
                    and not member.endswith('-glue.o'):
                continue
            own.update(symbols)
        plain = sorted(k for k in own if not k.startswith(('_R', '_ZN')))
        mangled = sorted(k for k in own if k.startswith(('_R', '_ZN')))
        if name == PKG and mangled:
            problems.append('%s exports %d Rust-mangled symbol(s) (%s...): built without LTO? '
                            'A second non-LTO Rust staticlib would then clash with it'
                            % (PKG, len(mangled), mangled[0]))
        handler = [k for k in mangled if 'rust_begin_unwind' in k]
        lines.append('%s exports outside compiler_builtins: %s%s' % (
            name, ', '.join(plain) or 'no C symbol',
            '; and %d Rust-mangled symbol(s)%s' % (
                len(mangled), (' (core\'s, and the panic handler %s)' % handler[0]) if handler
                else '') if mangled else '; no Rust-mangled symbol (no core, no panic handler)'))
    both = sorted(set(defined.get(PKG, {})) & set(defined.get(PEER, {})))
    strong = [s for s in both
              if defined[PKG][s] == 'G' and defined[PEER][s] == 'G']
    if strong:
        problems.append('defined strongly by members of both archives: %s' % ', '.join(strong))
    lines.append('symbols defined by the linked members of both archives: %s'
                 % (', '.join('%s (%s/%s)' % (s, defined[PKG][s], defined[PEER][s]) for s in both)
                    if both else 'none'))

    syms = check_link.nm_symbols(elf, nm)
    origins = check_link.symbol_origins(mtext)
    xref = cross_reference(mtext)
    for f in PEER_FUNCS:
        kinds = [k for k in syms.get(f, []) if k not in 'Uuw']
        if len(kinds) != 1 or PEER + '(' not in (origins.get(f) or ''):
            problems.append('%s: defined %d time(s), from %s' % (f, len(kinds), origins.get(f)))
    # the panic handlers the link defines (the cross reference table lists them even when
    # --gc-sections then drops an unused one)
    handlers = sorted(s for s in xref if 'rust_begin_unwind' in s)
    in_image = [s for s in syms if 'rust_begin_unwind' in s
                and any(k not in 'Uu' for k in syms[s])]
    lines.append('panic handlers defined in the link: %s' % ('; '.join(
        '%s by %s (%s)' % (h, short_file(xref[h][0]),
                           'in the image' if in_image else 'unused, dropped by --gc-sections')
        for h in handlers) if handlers else 'none'))
    if not any(PEER + '(' in xref[h][0] for h in handlers):
        problems.append("the link defines no panic handler from %s" % PEER)
    for h in handlers:
        if PKG + '(' in xref[h][0]:
            problems.append('%s is defined by %s' % (h, PKG))
    helpers = []
    for h in HELPERS:
        if h not in xref:
            continue
        users = [short_file(f) for f in xref[h][1:] if PKG + '(' in f or PEER + '(' in f]
        if users:
            helpers.append('%s defined by %s, used by %s' % (
                h, short_file(xref[h][0]), ', '.join(sorted(set(users)))))
    lines.append('run-time helpers the two use: %s' % '; '.join(helpers))
    return not problems, lines + ['error: ' + p for p in problems]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('elf')
    ap.add_argument('map')
    ap.add_argument('--nm', default='arm-none-eabi-nm')
    a = ap.parse_args()
    ok, lines = check(a.elf, a.map, a.nm)
    for line in lines:
        print('rust-peer: ' + line)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
