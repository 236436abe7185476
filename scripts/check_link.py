#!/usr/bin/env python3
"""Prove from a linked RT-Thread image which memory pool it contains.

    check_link.py ELF MAP [--require-all] [--nm arm-none-eabi-nm]

Checks, from the linker map file (input sections and the archive members they
came from) and the ELF's symbol table (nm):
  - no kernel mempool object (mempool.o) is part of the link;
  - every rt_mp_* symbol present in the image is defined once and comes from
    the Rust archive librtt_mempool.a;
  - with --require-all: all eight rt_mp_* symbols are present.
Exit status 0 when all hold; 1 with one message per problem otherwise.
Used as a post-link step by the package's SConscript and by scripts/qemu_test.py.
"""

import argparse
import os
import re
import subprocess
import sys

MP_SYMBOLS = ['rt_mp_init', 'rt_mp_detach', 'rt_mp_create', 'rt_mp_delete',
              'rt_mp_alloc', 'rt_mp_free', 'rt_mp_alloc_sethook', 'rt_mp_free_sethook']
RUST_ARCHIVE = 'librtt_mempool.a'
_KERNEL_OBJ = re.compile(r'(^|[/\\(\s])mempool\.(o|obj)\b')
_SECTION = re.compile(r'^ (\S+)(?:\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+(\S.*))?$')
_ORIGIN = re.compile(r'^\s+0x[0-9a-f]+\s+0x[0-9a-f]+\s+(\S.*)$')
_SYMBOL = re.compile(r'^\s+0x[0-9a-f]+\s+([A-Za-z_][A-Za-z0-9_]*)\s*$')


def symbol_origins(map_text):
    """{symbol: input file} from the map's memory map (kept sections only)."""
    body = map_text.split('Linker script and memory map', 1)[-1]
    origins = {}
    current = None
    for line in body.splitlines():
        m = _SECTION.match(line)
        if m and not line.startswith('  '):
            current = m.group(2).strip() if m.group(2) else None
            continue
        m = _ORIGIN.match(line)
        if m and not _SYMBOL.match(line):
            current = m.group(1).strip()
            continue
        m = _SYMBOL.match(line)
        if m and current:
            origins.setdefault(m.group(1), current)
    return origins


def archive_sections(map_text, archive):
    """Names of the input sections the map file says came from `archive`."""
    body = map_text.split('Linker script and memory map', 1)[-1]
    names = []
    pending = None
    for line in body.splitlines():
        m = _SECTION.match(line)
        if m and not line.startswith('  '):
            if m.group(2) and archive + '(' in m.group(2):
                names.append(m.group(1))
            pending = None if m.group(2) else m.group(1)
            continue
        m = _ORIGIN.match(line)
        if m and pending and archive + '(' in m.group(1):
            names.append(pending)
        pending = None
    return names


def kernel_mempool_objects(map_text):
    body = map_text.split('Linker script and memory map', 1)[-1]
    found = []
    for line in body.splitlines():
        if _KERNEL_OBJ.search(line):
            found.append(line.strip())
    return found


def nm_symbols(elf, nm='arm-none-eabi-nm'):
    out = subprocess.run([nm, elf], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         universal_newlines=True)
    if out.returncode != 0:
        raise RuntimeError('%s failed: %s' % (nm, out.stdout.strip()))
    defined = {}
    for line in out.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3:
            defined.setdefault(parts[2], []).append(parts[1])
    return defined


def check(elf, mapfile, require_all=False, nm='arm-none-eabi-nm'):
    """Returns (ok, [messages])."""
    problems = []
    with open(mapfile, 'r', encoding='utf-8', errors='replace') as f:
        mtext = f.read()
    for line in kernel_mempool_objects(mtext)[:3]:
        problems.append("the kernel's mempool object is linked: %s" % line)
    defined = nm_symbols(elf, nm)
    origins = symbol_origins(mtext)
    present = 0
    for s in MP_SYMBOLS:
        kinds = [k for k in defined.get(s, []) if k not in 'Uuw']
        if not kinds:
            if require_all:
                problems.append('%s is not defined in %s' % (s, os.path.basename(elf)))
            continue
        present += 1
        if len(kinds) > 1:
            problems.append('%s is defined %d times' % (s, len(kinds)))
        origin = origins.get(s)
        if origin is None:
            problems.append('%s: the map file names no input file for it' % s)
        elif RUST_ARCHIVE + '(' not in origin:
            problems.append('%s comes from %s, not from %s' % (s, origin, RUST_ARCHIVE))
    # The library has no panic path: nothing of Rust's panic or formatting machinery may
    # come from its archive into the image (the BSP's flags and configuration included).
    sections = archive_sections(mtext, RUST_ARCHIVE)
    for name in sections:
        if re.search(r'panic|fmt', name):
            problems.append('%s from %s: the library pulled a panic/formatting path'
                            % (name, RUST_ARCHIVE))
    if not sections:
        problems.append('the map file shows no section from %s' % RUST_ARCHIVE)
    if problems:
        return False, problems
    return True, ['%d of %d rt_mp_* symbols in the image, each defined once by %s; '
                  'no kernel mempool object linked; no panic or formatting code from the '
                  'library' % (present, len(MP_SYMBOLS), RUST_ARCHIVE)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('elf')
    ap.add_argument('map')
    ap.add_argument('--require-all', action='store_true')
    ap.add_argument('--nm', default='arm-none-eabi-nm')
    a = ap.parse_args()
    try:
        ok, msgs = check(a.elf, a.map, a.require_all, a.nm)
    except (OSError, RuntimeError) as e:
        print('rtt-mempool: link check: error: %s' % e)
        return 1
    for m in msgs:
        print('rtt-mempool: link check: %s%s' % ('' if ok else 'error: ', m))
    if not ok:
        print('rtt-mempool: link check: error: the image does not use the Rust memory pool '
              '(both implementations, or the kernel\'s, are linked).')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
