#!/usr/bin/env python3
"""qemu-vexpress-a9 test bed for rtt-mempool (python3 standard library only).

Builds an unchanged RT-Thread qemu-vexpress-a9 BSP (copied from $RTT_ROOT into
target/qemu-vexpress-a9/bsp, never writing into RTT_ROOT) with this repository
added as an RT-Thread package, the project's C test suite (c_tests/tests/*.c),
memp_sample.c and optional extra tests; boots it on qemu-system-arm without a
person at the keyboard and with a time bound; runs `mempool_sample` and checks
its output line for line; runs every utest test case in the image
(`utest_run`); proves from the map file and the symbols that every rt_mp_*
symbol comes from the Rust library. The last line printed is
`N passed, N failed`; the exit status is non-zero on any failure, crash or
time-out.

The release is read from $RTT_ROOT/include/rtdef.h (RT_VERSION_MAJOR/MINOR/PATCH on 5.x,
RT_VERSION/RT_SUBVERSION/RT_REVISION on 4.x); 4.1, 5.0, 5.1, 5.2 and 5.3 trees are known.
--smp / --up build the BSP copy for two CPUs / one CPU whatever the BSP ships (4.1's ships
SMP on); every configuration change is evaluated with the tree's own Kconfig (kconfiglib),
so that what it selects or drops follows, as menuconfig would. When the BSP's rtconfig.h is
behind its own .config (5.2.0's lacks RT_PAGE_AFFINITY_BLOCK_SIZE), the copy's rtconfig.h
is regenerated from the tree's Kconfig and the BSP's .config first, and the bed says so.
RT-Thread's own utest cases of the release run too: core.mempool where the tree has it
(src/utest/mempool_tc.c), and its signal test (core.signal, or testcases.kernel.signal_tc
before 5.3), which takes its siginfo from a memory pool.
A summary of the run is written to $QEMU_TEST_OUT/result.json (read by qemu_matrix.py).

Environment:
  RTT_ROOT      RT-Thread 4.1 or 5.x source tree (required, read only)
  EXTRA_TESTS   directory of extra utest-style C files added to the image
  EXTRA_CONFIG  extra rtconfig.h defines, e.g. "RT_USING_SIGNALS RT_SIG_INFO_MAX=32";
                "!NAME" removes a define (e.g. "!RT_USING_SMP")
  QEMU_TIMEOUT  time bound for the whole qemu session in seconds (default 300)
  QEMU_TEST_OUT build folder (default target/<board>)
  QEMU_TEST_BSP the board, as --bsp (default qemu-vexpress-a9; scripts/boards/)
  QEMU_TEST_RTT_WRITABLE=1  let RT_USING_RUST through: RT-Thread 5.3's components/rust builds
                inside RTT_ROOT, so only with a copy of the tree (else the bed stops)

--rust-peer adds a second Rust staticlib of the bed (bsp/bed/rust_peer, built as RT-Thread's
own Rust component builds its crate) and its test case components.mempool.rust_peer, and
checks with scripts/check_rust_peer.py that both archives link without a symbol defined twice.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# the bed's own C sources (tests, sample, bed helpers): the same for every board
BED_SRC = os.path.join(REPO, 'bsp', 'bed')


# The boards the bed knows: one module per board in scripts/boards/ (its docstring says what
# an entry holds). The bed applies a board's edits to its *copy* of the BSP, never to RTT_ROOT.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # no __pycache__ in the repository
import boards  # noqa: E402

BSPS = boards.load()
DEFAULT_BSP = 'qemu-vexpress-a9'


def select_bsp(name):
    """Point the module's globals at board `name` (its entry, build folder, BSP copy)."""
    global CUR, BSP_NAME, OUT, BSP, PROMPT
    if name not in BSPS:
        die('unknown BSP %r; the bed knows: %s' % (name, ', '.join(sorted(BSPS))))
    CUR = BSPS[name]
    BSP_NAME = name
    # QEMU_TEST_OUT: another build folder, so that several configurations (e.g. SMP) keep
    # their own copy of the BSP and stay incremental.
    OUT = os.path.join(REPO, os.environ.get('QEMU_TEST_OUT') or os.path.join('target', name))
    BSP = os.path.join(OUT, 'bsp')
    PROMPT = CUR['prompt']


CUR = BSP_NAME = OUT = BSP = PROMPT = None
SAMPLE_IDLE = 10.0   # the sample is over when the console stays silent this long
UTEST_IDLE = 120.0   # a test case that prints nothing for this long is hung

# Output that means the target crashed: RT_ASSERT, CPU exception dumps of
# libcpu/arm/cortex-a, a Rust panic reported by the library, a kernel panic.
CRASH_PATTERNS = [
    re.compile(r'assertion failed at function'),
    re.compile(r'Execption:|Exception:'),
    re.compile(r'^(undefined instruction|software interrupt|prefetch abort|data abort|reserved trap)', re.M),
    re.compile(r'panicked at|rtt-mempool panic', re.I),
    re.compile(r'kernel panic', re.I),
    # libcpu/arm/cortex-m*'s hard fault report
    re.compile(r'hard fault on (thread|handler)'),
]
ANSI = re.compile(r'\x1b\[[0-9;]*[A-Za-z]')


def log(msg):
    print('[qemu-test] ' + msg, flush=True)


def die(msg, code=2):
    print('[qemu-test] ERROR: ' + msg, file=sys.stderr, flush=True)
    sys.exit(code)


select_bsp(os.environ.get('QEMU_TEST_BSP') or DEFAULT_BSP)


# --------------------------------------------------------------------------
# prerequisites
# --------------------------------------------------------------------------
def check_prerequisites(need_cargo):
    missing = []
    rtt_root = os.environ.get('RTT_ROOT', '')
    if not rtt_root:
        missing.append('RTT_ROOT is not set (export RTT_ROOT=/path/to/rt-thread, an RT-Thread 4.1 or 5.x tree)')
    else:
        rtt_root = os.path.abspath(rtt_root)
        # a board port of this repository needs the tree's kernel and libcpu, not a BSP of it
        rels = ('tools/building.py', 'src/mempool.c', 'include/rtthread.h')
        if CUR['source'] == 'rtt':
            rels += ('bsp/%s/SConstruct' % BSP_NAME,)
        for rel in rels:
            if not os.path.isfile(os.path.join(rtt_root, rel)):
                missing.append('RTT_ROOT=%s has no %s (is it an RT-Thread 4.1 or 5.x tree?)' % (rtt_root, rel))
                break
    tools = [(t, 'Debian package ' + d) for t, d in CUR['tools']]
    tools.append(('scons', 'Debian package scons'))
    if need_cargo:
        tools.append(('cargo', 'the Rust toolchain (rustup)'))
    for tool, hint in tools:
        if shutil.which(tool) is None:
            missing.append('%s not found in PATH (%s)' % (tool, hint))
    if missing:
        print('[qemu-test] ERROR: the qemu test bed cannot run; missing:', file=sys.stderr)
        for m in missing:
            print('[qemu-test]   - ' + m, file=sys.stderr)
        sys.exit(2)
    return rtt_root


# --------------------------------------------------------------------------
# BSP preparation
# --------------------------------------------------------------------------
def write_if_changed(path, text):
    """Write text to path only when it differs, so scons stays incremental."""
    try:
        with open(path, 'r', encoding='utf-8') as f:
            if f.read() == text:
                return
    except OSError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w', encoding='utf-8') as f:
        f.write(text)


def copy_tree_sync(src, dst, skip=()):
    """Copy src into dst, skipping files whose content is unchanged (and the files named,
    relative to src, in skip)."""
    for root, dirs, files in os.walk(src):
        rel = os.path.relpath(root, src)
        droot = os.path.join(dst, rel) if rel != '.' else dst
        os.makedirs(droot, exist_ok=True)
        for name in files:
            s = os.path.join(root, name)
            d = os.path.join(droot, name)
            if os.path.normpath(os.path.join(rel, name)) in skip:
                continue
            if os.path.isfile(d) and os.path.getsize(d) == os.path.getsize(s):
                with open(s, 'rb') as a, open(d, 'rb') as b:
                    if a.read() == b.read():
                        continue
            shutil.copy2(s, d)


def parse_config_items(text):
    """'A B=3 C="x y" !D' -> [('A', ''), ('B', '3'), ('C', '"x y"'), ('D', None)]; a bare
    name becomes a plain #define, !NAME removes the define (value None)."""
    items = []
    for tok in re.findall(r'[^\s"=]+(?:=(?:"[^"]*"|\S+))?', text or ''):
        if '=' in tok:
            name, value = tok.split('=', 1)
        else:
            name, value = tok, ''
        if name.startswith('!'):
            name, value = name[1:], None
        if not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', name):
            die('EXTRA_CONFIG: "%s" is not a valid macro name' % name)
        items.append((name, value))
    return items


def patch_rtconfig(text, defines, undefines=()):
    """Set (or replace) #define lines in rtconfig.h text, before its final #endif."""
    lines = text.split('\n')
    out = []
    wanted = dict(defines)
    for line in lines:
        m = re.match(r'^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\b', line)
        if m and (m.group(1) in wanted or m.group(1) in undefines):
            continue  # re-added below with our value
        out.append(line)
    # insert before the last #endif (the include guard)
    idx = max(i for i, l in enumerate(out) if l.strip().startswith('#endif'))
    block = ['', '/* added by rtt-mempool scripts/qemu_test.py */']
    for name, value in defines:
        block.append(('#define %s %s' % (name, value)).rstrip())
    block.append('')
    return '\n'.join(out[:idx] + block + out[idx:])


# --------------------------------------------------------------------------
# release and configuration
# --------------------------------------------------------------------------
def detect_release(rtt_root):
    """(major, minor, patch) from include/rtdef.h's version macros: RT_VERSION_MAJOR/MINOR/
    PATCH on 5.x, RT_VERSION/RT_SUBVERSION/RT_REVISION on 4.x. (The BSP's RT_VER_NUM is not
    used: 5.3's still says 0x50201.)"""
    path = os.path.join(rtt_root, 'include', 'rtdef.h')
    with open(path, 'r', encoding='utf-8', errors='replace') as f:
        text = f.read()

    def macro(name):
        m = re.search(r'^\s*#\s*define\s+%s\s+(\d+)' % name, text, re.M)
        return int(m.group(1)) if m else None

    for names in (('RT_VERSION_MAJOR', 'RT_VERSION_MINOR', 'RT_VERSION_PATCH'),
                  ('RT_VERSION', 'RT_SUBVERSION', 'RT_REVISION')):
        v = [macro(n) for n in names]
        if None not in v:
            return tuple(v)
    die('%s: no RT_VERSION_MAJOR/MINOR/PATCH or RT_VERSION/RT_SUBVERSION/RT_REVISION' % path)


def release_name(version):
    """'4.1.1', '5.2.0', '5.3' (a 5.3 tree is named as the project names it)."""
    if version[:2] == (5, 3) and version[2] == 0:
        return '5.3'
    return '%d.%d.%d' % version


def header_symbols(text):
    return dict(re.findall(r'^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)[ \t]*(.*?)\s*$', text, re.M))


class KconfigTree:
    """The tree's Kconfig, read as menuconfig reads it from the BSP folder (srctree = the
    tree's own BSP folder, so its relative RTT_DIR ../.. is the tree; nothing is written
    there), with the BSP's .config loaded."""

    def __init__(self, rtt_root):
        import kconfiglib  # pip kconfiglib or Debian python3-kconfiglib
        self.kconfiglib = kconfiglib
        bsp = board_source(rtt_root)
        self.dotconfig = os.path.join(bsp, '.config')
        saved = {k: os.environ.get(k) for k in ('srctree', 'RTT_ROOT', 'RTT_DIR', 'BSP_DIR',
                                                  'BSP_ROOT', 'PKGS_DIR', 'KCONFIG_CONFIG')}
        empty = os.path.join(OUT, 'kconfig-no-packages')
        os.makedirs(empty, exist_ok=True)
        write_if_changed(os.path.join(empty, 'Kconfig'), '# no online packages in the test bed\n')
        os.environ.update({'srctree': bsp, 'RTT_ROOT': rtt_root, 'RTT_DIR': rtt_root,
                           'BSP_DIR': bsp, 'BSP_ROOT': bsp, 'PKGS_DIR': empty,
                           'KCONFIG_CONFIG': self.dotconfig})
        try:
            self.kc = kconfiglib.Kconfig(os.path.join(bsp, 'Kconfig'), warn=False)
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.reset()

    def reset(self):
        self.kc.load_config(self.dotconfig, replace=True)

    def values(self):
        """{NAME: value as rtconfig.h writes it} of every symbol that is set."""
        k = self.kconfiglib
        out = {}
        for sym in self.kc.unique_defined_syms:
            if not sym.config_string or sym.config_string.startswith('#'):
                continue
            v = sym.str_value
            if sym.orig_type in (k.BOOL, k.TRISTATE):
                if v == 'n':
                    continue
                out[sym.name] = ''
            elif sym.orig_type == k.STRING:
                out[sym.name] = '"%s"' % k.escape(v)
            elif sym.orig_type == k.HEX and not v.lower().startswith('0x'):
                out[sym.name] = '0x' + v
            else:
                out[sym.name] = v
        return out

    def header(self):
        """rtconfig.h as RT-Thread's menuconfig writes it (no CONFIG_ prefix)."""
        lines = ['#ifndef RT_CONFIG_H__', '#define RT_CONFIG_H__', '',
                 '/* regenerated by rtt-mempool scripts/qemu_test.py with kconfiglib from the '
                 "tree's Kconfig and the BSP's .config */", '']
        for name, value in self.values().items():
            lines.append(('#define %s %s' % (name, value)).rstrip())
        lines += ['', '#endif', '']
        return '\n'.join(lines)

    def apply(self, items):
        """Set items [(name, value or None)] on top of the .config; returns (symbols now set
        {name: value}, the names Kconfig does not know or refused)."""
        k = self.kconfiglib
        plain = []
        # twice: a symbol may become visible only once another one is set
        for _ in range(2):
            plain = []
            for name, value in items:
                sym = self.kc.syms.get(name)
                if sym is None or not sym.nodes:
                    plain.append(name)
                    continue
                if value is None:
                    want = 'n'
                elif sym.orig_type in (k.BOOL, k.TRISTATE):
                    want = 'y' if value == '' else value
                elif sym.orig_type == k.STRING:
                    want = value[1:-1] if value.startswith('"') and value.endswith('"') else value
                else:
                    want = value
                sym.set_value(want)
                if sym.str_value != want and not (value is None and sym.str_value == ''):
                    plain.append(name)
        return self.values(), plain


def bed_config(rtt_root, version, args):
    """The defines the bed adds to the BSP ([(name, value or None)], in order)."""
    items = [
        ('RT_USING_MEMPOOL', ''),
        ('RT_USING_UTEST', ''),
        ('UTEST_THR_STACK_SIZE', '4096'),
        ('UTEST_THR_PRIORITY', '20'),
        ('RT_UTEST_MAX_OPTIONS', '64'),
        ('RT_USING_UTESTCASES', ''),
    ]
    # RT-Thread's own test cases of this release: its mempool test where it has one (5.3:
    # core.mempool), and its signal test, whose siginfo comes from rt_mp_create/rt_mp_alloc
    # (5.3: core.signal in src/utest; before: testcases.kernel.signal_tc in examples/utest).
    if os.path.isfile(os.path.join(rtt_root, 'src', 'utest', 'mempool_tc.c')):
        items.append(('RT_UTEST_MEMPOOL', ''))
    if os.path.isfile(os.path.join(rtt_root, 'src', 'utest', 'signal_tc.c')):
        items += [('RT_USING_SIGNALS', ''), ('RT_UTEST_SIGNAL', '')]
    elif os.path.isfile(os.path.join(rtt_root, 'examples', 'utest', 'testcases', 'kernel',
                                     'signal_tc.c')):
        items += [('RT_USING_SIGNALS', ''), ('UTEST_SIGNAL_TC', '')]
    if args.smp:
        items += [('RT_USING_SMP', ''), ('RT_CPUS_NR', '2')]
    elif args.up:
        items += [('RT_USING_SMP', None)]
    if args.kernel_mempool:
        items.append(('PKG_USING_RTT_MEMPOOL', None))
    else:
        items.append(('PKG_USING_RTT_MEMPOOL', ''))
    # what the board needs in the bed (e.g. a console for a BSP whose start-up sets none)
    items += [(n, v) for n, v in CUR['config']]
    extra = parse_config_items(os.environ.get('EXTRA_CONFIG', ''))
    merged = []
    for name, value in items + extra:
        merged = [(n, v) for n, v in merged if n != name] + [(name, value)]
    return merged, extra


def apply_bsp_edits(src_bsp):
    """{file: edited text} of the board's edits, applied to the tree's files in memory."""
    edited = {}
    for rel, pattern, repl, why in CUR['edits']:
        rel = os.path.normpath(rel)
        if rel not in edited:
            with open(os.path.join(src_bsp, rel), 'r', encoding='utf-8') as f:
                edited[rel] = f.read()
        new, n = re.subn(pattern, repl, edited[rel], flags=re.M)
        if n == 0:
            die('%s: the bed\'s edit %r of %s no longer applies (the tree changed?)'
                % (BSP_NAME, pattern, rel))
        edited[rel] = new
        log('edit of the copy\'s %s: %s' % (rel, why))
    return edited


def link_scripts(folder):
    """{path: contents} of the link scripts at the top of a BSP folder (*.ld, *.lds)."""
    found = {}
    if os.path.isdir(folder):
        for name in sorted(os.listdir(folder)):
            if name.endswith(('.ld', '.lds')):
                with open(os.path.join(folder, name), 'rb') as f:
                    found[name] = f.read()
    return found


def board_source(rtt_root):
    """The BSP folder the bed copies: RT-Thread's own ($RTT_ROOT/bsp/<name>) or a board port
    of this repository (bsp/<name>)."""
    if CUR['source'] == 'rtt':
        return os.path.join(rtt_root, 'bsp', BSP_NAME)
    return os.path.join(REPO, CUR['source'])


def current_header(cfg, tree, rtt_root):
    """The BSP's rtconfig.h text as menuconfig would leave it: made from the tree's Kconfig and
    the BSP's .config when the BSP has none (a board port), or regenerated when the stock
    header is behind its own .config; else the stock text. Says which."""
    base = tree.values()
    stock = header_symbols(cfg)
    stock.pop('RT_CONFIG_H__', None)
    behind = sorted(set(base) - set(stock))
    # symbols of the stock header that the tree's Kconfig does not define at all (renamed
    # or removed since the header was written: 5.3's qemu-virt64-riscv has
    # RT_USING_CPUTIME where its Kconfig now has RT_USING_CLOCK_TIME)
    unknown = sorted(n for n in set(stock) - set(base) if tree.kc.syms.get(n) is None
                     or not tree.kc.syms[n].nodes)
    if not cfg:
        cfg = tree.header()
        log('rtconfig.h of the board port made from %s/Kconfig and its .config with '
            'kconfiglib, as menuconfig would' % rtt_root)
    elif behind and set(stock) - set(unknown) <= set(base):
        # The stock header misses what its own .config gives (and has nothing the .config
        # lacks): it was not regenerated after the .config changed. Do what menuconfig does.
        cfg = tree.header()
        log('regenerated the copy\'s rtconfig.h from %s/Kconfig and the BSP\'s .config with '
            'kconfiglib, as menuconfig would: the stock rtconfig.h lacks %s%s'
            % (rtt_root, ', '.join(behind),
               ('; it has %s, unknown to the Kconfig' % ', '.join(unknown)) if unknown else ''))
    return cfg


def prepare_bsp(rtt_root, args):
    src_bsp = board_source(rtt_root)
    if not os.path.isdir(src_bsp):
        die('%s has no BSP %s (RT-Thread %s trees without it cannot run this board)'
            % (rtt_root, BSP_NAME, release_name(args.version)))
    if args.clean and os.path.isdir(BSP):
        log('removing %s' % BSP)
        shutil.rmtree(BSP)
    log('copying %s -> %s' % (src_bsp, BSP))
    scripts_before = link_scripts(BSP)
    edited = apply_bsp_edits(src_bsp)
    copy_tree_sync(src_bsp, BSP, skip=set(edited))
    for rel, text in edited.items():
        write_if_changed(os.path.join(BSP, rel), text)

    # --- rtconfig.h -------------------------------------------------------
    # a board port of the project's own has a .config and no rtconfig.h: the header is made
    # from the tree's Kconfig below, as menuconfig would
    cfg = ''
    if os.path.isfile(os.path.join(src_bsp, 'rtconfig.h')):
        with open(os.path.join(src_bsp, 'rtconfig.h'), 'r', encoding='utf-8') as f:
            cfg = f.read()
    items, extra = bed_config(rtt_root, args.version, args)
    try:
        tree = KconfigTree(rtt_root)
    except ImportError:
        tree = None
        log('kconfiglib not found (pip install kconfiglib, or Debian python3-kconfiglib): '
            'the configuration is patched without the Kconfig dependencies')
    undefines = [n for n, v in items if v is None]
    defines = [(n, v) for n, v in items if v is not None]
    if tree is not None:
        base = tree.values()
        cfg = current_header(cfg, tree, rtt_root)
        new, plain = tree.apply(items)
        # test cases the Kconfig turns on by default with RT_USING_UTESTCASES (4.1's memheap,
        # small-mem, utest self test...) stay off: the bed runs only the ones it asks for
        asked = set(n for n, _ in items)
        unasked = [n for n in new if n not in base and n not in asked
                   and re.match(r'^(UTEST_\w+_TC|RT_UTEST_\w+)$', n)]
        if unasked:
            items = items + [(n, None) for n in unasked]
            undefines = undefines + unasked
            new, plain = tree.apply(items)
        # what the change sets (also what it selects), then what it drops, by Kconfig's rules
        wanted = dict(defines)
        changed = [(n, v) for n, v in new.items() if base.get(n) != v and n not in wanted]
        dropped = [n for n in base if n not in new and n not in undefines]
        if changed or dropped:
            log('Kconfig of the tree: the configuration also %s' % '; '.join(
                x for x in ('sets ' + ' '.join(n + ('=' + v if v else '') for n, v in changed)
                            if changed else '',
                            'drops ' + ' '.join(dropped) if dropped else '') if x))
        defines = [(n, new.get(n, v) if n not in plain else v) for n, v in defines] + changed
        undefines = undefines + dropped
    write_if_changed(os.path.join(BSP, 'rtconfig.h'), patch_rtconfig(cfg, defines, undefines))
    # the board's own step, once the copy has its final rtconfig.h (a link script preprocessed
    # from libcpu's template, as qemu-virt64-aarch64's, depends on the configuration)
    if CUR['prepare']:
        CUR['prepare'](BSP, rtt_root, log)
    if link_scripts(BSP) != scripts_before and os.path.isfile(os.path.join(BSP, 'rtthread.elf')):
        # scons does not know that the image depends on the link script (-T in LINKFLAGS)
        os.remove(os.path.join(BSP, 'rtthread.elf'))
        log('a link script of the copy changed: the image is linked again')
    if extra:
        log('EXTRA_CONFIG: ' + ' '.join(('!' + n) if v is None else n + ('=' + v if v else '')
                                        for n, v in extra))
    final = header_symbols(patch_rtconfig(cfg, defines, undefines))
    # RT-Thread's own Rust component (5.3: components/rust, RT_USING_RUST) builds its crate in
    # the tree: its core/SConscript runs cargo with CARGO_TARGET_DIR=<tree>/components/build/
    # rust, and cargo writes components/rust/core/Cargo.lock. The bed never writes into RTT_ROOT.
    rust_core = os.path.join(rtt_root, 'components', 'rust', 'core', 'SConscript')
    if 'RT_USING_RUST' in final and os.path.isfile(rust_core) \
            and os.environ.get('QEMU_TEST_RTT_WRITABLE') != '1':
        die("RT_USING_RUST: RT-Thread's components/rust/core/SConscript builds its crate inside "
            "RTT_ROOT (cargo's target folder %s, and components/rust/core/Cargo.lock), and the "
            "bed never writes there. To try that component, point RTT_ROOT at a copy of the tree "
            "and set QEMU_TEST_RTT_WRITABLE=1 (on 5.3 it does not build on stable Rust: README, "
            "\"Beside RT-Thread's Rust component\"); --rust-peer links the bed's own second Rust "
            "staticlib instead." % os.path.join(rtt_root, 'components', 'build', 'rust'))
    smp = 'RT_USING_SMP' in final
    args.cpus_nr = int(final.get('RT_CPUS_NR', '2')) if smp else 1
    log('configuration: RT-Thread %s, %s%s' % (
        release_name(args.version), 'SMP (RT_USING_SMP, 2 CPUs)' if smp else 'single core',
        ", the kernel's own C mempool" if args.kernel_mempool else ', rtt-mempool'))
    args.is_smp = smp


    # --- packages/rtt-mempool: this repository as an RT-Thread package ----
    pkg_root = os.path.join(BSP, 'packages')
    pkg_dir = os.path.join(pkg_root, 'rtt-mempool')
    if args.kernel_mempool:
        if os.path.isdir(pkg_dir):
            shutil.rmtree(pkg_dir)
    else:
        write_if_changed(os.path.join(pkg_root, 'SConscript'), PACKAGES_SCONSCRIPT)
        write_if_changed(os.path.join(pkg_dir, 'SConscript'),
                         PACKAGE_STUB % {'repo': REPO})

    # --- the test bed's own sources (C tests, sample, extra tests) --------
    write_if_changed(os.path.join(BSP, 'rtt_mempool_bed', 'SConscript'),
                     BED_STUB % {'bed': BED_SRC})

    # zeroed SD card image (the BSP mounts it; a blank card is fine), on boards with a card
    sd = os.path.join(OUT, 'sd.bin')
    if CUR['sd_image'] and (not os.path.isfile(sd) or os.path.getsize(sd) != 64 * 1024 * 1024):
        with open(sd, 'wb') as f:
            f.truncate(64 * 1024 * 1024)


PACKAGES_SCONSCRIPT = '''\
# generated by rtt-mempool scripts/qemu_test.py: build every package folder
import os
from building import *

cwd = GetCurrentDir()
objs = []
for d in sorted(os.listdir(cwd)):
    if os.path.isfile(os.path.join(cwd, d, 'SConscript')):
        objs = objs + SConscript(os.path.join(d, 'SConscript'))
Return('objs')
'''

PACKAGE_STUB = '''\
# generated by rtt-mempool scripts/qemu_test.py: the package lives in its repository
import os
from building import *

objs = SConscript(os.path.join(%(repo)r, 'SConscript'),
                  variant_dir=os.path.join(Dir('#').abspath, 'build', 'packages', 'rtt-mempool'),
                  duplicate=0)
Return('objs')
'''

BED_STUB = '''\
# generated by rtt-mempool scripts/qemu_test.py: C tests, sample and extra tests
import os
from building import *

objs = SConscript(os.path.join(%(bed)r, 'SConscript'),
                  variant_dir=os.path.join(Dir('#').abspath, 'build', 'rtt_mempool_bed'),
                  duplicate=0)
Return('objs')
'''


# --------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------
def sample_file():
    """memp_sample.c, or memp_sample_64.c (larger stacks) on a 64-bit board."""
    return 'memp_sample_64.c' if CUR['word_bits'] == 64 else 'memp_sample.c'


def expected_file(release):
    """memp_sample's expected output: on the default board memp_sample.<release>.expected
    where a release prints differently from 5.3, else memp_sample.expected; on another board
    memp_sample.<board>[.<release>].expected, captured from the kernel's own C mempool there,
    or the file its entry names (sample_expected)."""
    d = os.path.join(REPO, 'c_tests', 'sample')
    if BSP_NAME == DEFAULT_BSP:
        names = ['memp_sample.%s.expected' % release, 'memp_sample.expected']
    elif CUR['sample_expected']:
        # a board whose output is known to be the default board's (the entry says which file)
        base = CUR['sample_expected']
        names = [base.replace('.expected', '.%s.expected' % release), base]
    else:
        names = ['memp_sample.%s.%s.expected' % (BSP_NAME, release),
                 'memp_sample.%s.expected' % BSP_NAME]
    for n in names:
        if os.path.isfile(os.path.join(d, n)):
            return os.path.join(d, n)
    return os.path.join(d, names[-1])


def build(rtt_root, args):
    env = dict(os.environ)
    env['RTT_ROOT'] = rtt_root
    env['PYTHONDONTWRITEBYTECODE'] = '1'  # never write __pycache__ into RTT_ROOT/tools
    extra_tests = os.environ.get('EXTRA_TESTS', '')
    if extra_tests:
        extra_tests = os.path.abspath(extra_tests)
        if not os.path.isdir(extra_tests):
            die('EXTRA_TESTS=%s is not a directory' % extra_tests)
        env['RTT_MEMPOOL_EXTRA_TESTS'] = extra_tests
        log('EXTRA_TESTS: %s' % extra_tests)
    else:
        env.pop('RTT_MEMPOOL_EXTRA_TESTS', None)
    env['RTT_MEMPOOL_SAMPLE'] = '0' if args.no_sample else '1'
    # --rust-peer: bsp/bed/SConscript adds bsp/bed/rust_peer (a second Rust staticlib)
    env['RTT_MEMPOOL_RUST_PEER'] = '1' if args.rust_peer else '0'
    env['RTT_MEMPOOL_SAMPLE_FILE'] = sample_file()
    # The suite always goes in. With --kernel-mempool the library's header is not on the
    # include path, so RTT_MEMPOOL_HARDENED is undefined and only the behaviour test cases
    # are compiled: the same expectations, checked against the kernel's own C mempool.
    env['RTT_MEMPOOL_TESTS'] = '1'
    cmd = ['scons', '-j%d' % args.jobs]
    log('building: (cd %s && RTT_ROOT=%s %s)' % (os.path.relpath(BSP, REPO), rtt_root, ' '.join(cmd)))
    t0 = time.time()
    logf_path = os.path.join(OUT, 'build.log')
    with open(logf_path, 'w') as logf:
        p = subprocess.Popen(cmd, cwd=BSP, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
        tail = []
        for raw in p.stdout:
            line = raw.decode('utf-8', 'replace')
            logf.write(line)
            if args.verbose:
                sys.stdout.write(line)
            tail.append(line)
            tail = tail[-60:]
        rc = p.wait()
    dt = time.time() - t0
    if rc != 0:
        sys.stdout.write(''.join(tail))
        log('build FAILED after %.1f s (full log: %s)' % (dt, os.path.relpath(logf_path, REPO)))
        return False, dt
    missing = [n for n in ('rtthread.elf', 'rtthread.bin', 'rtthread.map')
               if not os.path.isfile(os.path.join(BSP, n))]
    if missing:
        # RT-Thread's building.py prints some of its errors and exits 0
        sys.stdout.write(''.join(tail))
        log('build FAILED after %.1f s: scons made no %s (full log: %s)'
            % (dt, ', '.join(missing), os.path.relpath(logf_path, REPO)))
        return False, dt
    for name in ('rtthread.elf', 'rtthread.bin', 'rtthread.map'):
        shutil.copy2(os.path.join(BSP, name), os.path.join(OUT, name))
    log('build OK in %.1f s -> %s' % (dt, os.path.relpath(os.path.join(OUT, 'rtthread.elf'), REPO)))
    return True, dt


def built_rust_target():
    """The Rust target the package's SConscript chose (scripts/rust_target.py): from the build
    log when cargo ran in this build, else from the map file (the linked librtt_mempool.a
    lies in cargo's folder of that target); None when neither says."""
    for name, pattern in (('build.log', r'rtt-mempool: cargo build for (\S+)'),
                          ('rtthread.map', r'cargo/([^/\s]+)/release/librtt_mempool\.a')):
        try:
            with open(os.path.join(OUT, name), 'r', encoding='utf-8', errors='replace') as f:
                m = re.findall(pattern, f.read())
        except OSError:
            continue
        if m:
            return m[-1]
    return None


_INPUT_FULL = re.compile(r'^ (\S+)\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$')
_INPUT_NAME = re.compile(r'^ (\S+)\s*$')
_INPUT_REST = re.compile(r'^\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$')


def map_input_sections(map_path):
    """[(input section, address, size, file)] of the memory map (kept sections only)."""
    with open(map_path, 'r', encoding='utf-8', errors='replace') as f:
        text = f.read()
    body = text.split('Linker script and memory map', 1)[-1]
    found = []
    pending = None
    for line in body.splitlines():
        m = _INPUT_FULL.match(line)
        if m and not m.group(4).startswith('0x'):
            found.append((m.group(1), int(m.group(2), 16), int(m.group(3), 16), m.group(4).strip()))
            pending = None
            continue
        m = _INPUT_NAME.match(line)
        if m and line.startswith(' ') and not line.startswith('  '):
            pending = m.group(1)
            continue
        m = _INPUT_REST.match(line)
        if m and pending:
            found.append((pending, int(m.group(1), 16), int(m.group(2), 16), m.group(3).strip()))
        pending = None
    return found



def library_size(origin=re.compile(r'librtt_mempool\.a')):
    """(flash, RAM) bytes the linked image takes from librtt_mempool.a (or the input files
    `origin` matches), from the map file: its input sections of .text/.rodata and the msh
    tables (flash), .data (both) and .bss (RAM)."""
    flash = ram = 0
    for name, _addr, size, obj in map_input_sections(os.path.join(OUT, 'rtthread.map')):
        if not origin.search(obj):
            continue
        if name.startswith(('.text', '.rodata', '.srodata', '.init_array', '.ARM.ex')) \
                or name.startswith(('FSymTab', '.FSymTab', 'VSymTab')):
            flash += size
        elif name.startswith(('.data', '.sdata')):
            flash += size
            ram += size
        elif name.startswith(('.bss', '.sbss', 'COMMON')):
            ram += size
    return flash, ram


# --------------------------------------------------------------------------
# qemu session
# --------------------------------------------------------------------------
class Qemu:
    def __init__(self, timeout, image_dir=None, smp=2, extra_args=()):
        """Boots image_dir/rtthread.bin with image_dir/sd.bin as SD card (scripts/qemu_bench.py
        passes its own folder, one CPU and -icount) on the selected board."""
        image_dir = image_dir or OUT
        self.buf = ''
        self.lock = threading.Lock()
        self.deadline = time.time() + timeout
        self.timed_out = False
        cmd = CUR['qemu'](image_dir, smp) + list(extra_args)
        self.cmdline = ' '.join(cmd)
        env = dict(os.environ)
        env.setdefault('QEMU_AUDIO_DRV', 'none')  # the board's sound device needs no host audio
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, env=env)
        self.t = threading.Thread(target=self._reader, daemon=True)
        self.t.start()

    def _reader(self):
        while True:
            data = self.p.stdout.read1(4096)
            if not data:
                break
            with self.lock:
                self.buf += data.decode('utf-8', 'replace')

    def text(self):
        with self.lock:
            return self.buf

    def wait_for(self, pred, start=0, idle=None):
        """Wait until pred(text[start:]) holds; False on time-out, exit, or (with
        idle) when no output arrived for `idle` seconds."""
        n_last, t_last = -1, time.time()
        while True:
            t = self.text()[start:]
            if pred(t):
                return True
            if len(t) != n_last:
                n_last, t_last = len(t), time.time()
            elif idle is not None and time.time() - t_last > idle:
                return False
            if time.time() > self.deadline:
                self.timed_out = True
                return False
            if self.p.poll() is not None:
                time.sleep(0.2)
                return pred(self.text()[start:])
            time.sleep(0.05)

    def wait_quiet(self, start, seconds):
        """Wait until no new output arrived for `seconds`."""
        last = len(self.text())
        t_last = time.time()
        while time.time() - t_last < seconds:
            if time.time() > self.deadline:
                self.timed_out = True
                return False
            time.sleep(0.1)
            n = len(self.text())
            if n != last:
                last, t_last = n, time.time()
        return True

    def command(self, line, quiet=0.3):
        """Sends a msh command and waits for its output: until the shell's prompt follows the
        echoed command (on a loaded host the answer can take longer than any fixed pause;
        seen: an empty `list mempool` after 0.5 s on the 4-CPU AArch64 image), then until
        `quiet` seconds pass without output. Returns where the output starts."""
        start = len(self.text())
        self.send(line)
        self.wait_for(lambda t: line in t and PROMPT in t.split(line, 1)[1], start)
        self.wait_quiet(start, quiet)
        return start

    def send(self, line):
        # one Enter (msh takes \r and \n each as one): a second one would print a prompt
        # while the command's threads still print, and before 5.1 rt_kprintf's shared buffer
        # mixes the two lines
        self.p.stdin.write((line + '\r').encode())
        self.p.stdin.flush()

    def close(self):
        if self.p.poll() is None:
            self.p.terminate()
            try:
                self.p.wait(5)
            except subprocess.TimeoutExpired:
                self.p.kill()
                self.p.wait()


def crash_in(text):
    for pat in CRASH_PATTERNS:
        m = pat.search(text)
        if m:
            return text[max(0, m.start() - 200): m.end() + 800]
    return None


def clean_lines(text, command):
    """Console text -> lines without \\r, ANSI codes, prompts and the echoed command."""
    text = ANSI.sub('', text).replace('\r', '')
    out = []
    for line in text.split('\n'):
        line = line.replace(PROMPT, '')
        if line.strip() == command:
            continue
        if line.strip() == '':
            continue
        out.append(line.rstrip())
    return out


def run_sample(q, expected_lines, command='mempool_sample'):
    start = len(q.text())
    q.send(command)
    last = expected_lines[-1] if expected_lines else ''
    q.wait_for(lambda t: bool(last and last in t) or crash_in(t) is not None, start,
               idle=SAMPLE_IDLE)
    q.wait_quiet(start, 1.0)
    raw = q.text()[start:]
    got = clean_lines(raw, command)
    return got, raw


UTEST_DONE = re.compile(r'\[==========\] \[ utest    \] finished')
TC_RESULT = re.compile(r'\[  (PASSED|FAILED)  \] \[ result   \] testcase (?:init |cleanup )?\((.+?)\)')
TC_STARTED = re.compile(r'\[----------\] \[ testcase \] \((.+?)\) started')
TC_RAN = re.compile(r'\[==========\] \[ utest    \] (\d+) tests from (\d+) testcase ran')


def run_utest(q, command='utest_run'):
    start = len(q.text())
    q.send(command)
    q.wait_for(lambda t: UTEST_DONE.search(t) is not None or crash_in(t) is not None, start,
               idle=UTEST_IDLE)
    q.wait_quiet(start, 0.5)
    raw = ANSI.sub('', q.text()[start:]).replace('\r', '')
    results = {}
    order = []
    for m in TC_RESULT.finditer(raw):
        status, name = m.group(1), m.group(2)
        if name not in results:
            order.append(name)
        if status == 'FAILED' or name not in results:
            results[name] = status
    # a test case that started but never reported (crash, hang) counts as failed
    for m in TC_STARTED.finditer(raw):
        if m.group(1) not in results:
            order.append(m.group(1))
            results[m.group(1)] = 'FAILED'
    ran = TC_RAN.search(raw)
    return [(n, results[n]) for n in order], raw, (int(ran.group(2)) if ran else None), \
        UTEST_DONE.search(raw) is not None


# --------------------------------------------------------------------------
# symbol check
# --------------------------------------------------------------------------
def symbol_check():
    """Every rt_mp_* symbol is defined in the ELF, once, taken from the Rust archive
    (per the map file), and no kernel mempool object is linked. (ok, message)."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.dont_write_bytecode = True
    import check_link
    try:
        ok, msgs = check_link.check(os.path.join(OUT, 'rtthread.elf'),
                                    os.path.join(OUT, 'rtthread.map'), require_all=True,
                                    nm=CUR['prefix'] + 'nm')
    except (OSError, RuntimeError) as e:
        return False, str(e)
    return ok, '; '.join(msgs)


def rust_peer_checks(result):
    """--rust-peer: the second Rust staticlib's target (RT-Thread's mapping where the tree has
    it) is the package's, and the two archives are linked without a symbol defined twice
    (scripts/check_rust_peer.py prints what each brought and where the run-time helpers came
    from)."""
    try:
        with open(os.path.join(OUT, 'build.log'), 'r', encoding='utf-8', errors='replace') as f:
            m = re.findall(r'^rust_peer: cargo build for (\S+) \(.*? from (.*)\)$', f.read(), re.M)
    except OSError:
        m = []
    ours = built_rust_target()
    if m and ours:
        result('rust peer target', m[-1][0] == ours,
               'the peer was built for %s (%s), the package for %s' % (m[-1][0], m[-1][1], ours))
    import check_rust_peer
    try:
        ok, lines = check_rust_peer.check(os.path.join(OUT, 'rtthread.elf'),
                                          os.path.join(OUT, 'rtthread.map'),
                                          nm=CUR['prefix'] + 'nm')
    except (OSError, RuntimeError) as e:
        ok, lines = False, [str(e)]
    for line in lines:
        print('rust-peer: ' + line, flush=True)
    result('rust peer link', ok, 'both Rust staticlibs in the image, no symbol defined by both'
           if ok else '; '.join(l for l in lines if l.startswith('error')))


# --------------------------------------------------------------------------
def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--bsp', default=os.environ.get('QEMU_TEST_BSP') or DEFAULT_BSP,
                    choices=sorted(BSPS),
                    help='the board (default %s; also QEMU_TEST_BSP)' % DEFAULT_BSP)
    ap.add_argument('--demo', action='store_true', help='only run memp_sample and show its output')
    ap.add_argument('--kernel-mempool', action='store_true',
                    help="baseline: build without the package, with the kernel's src/mempool.c; "
                         "runs memp_sample and the behaviour test cases (not those of the "
                         "library's misuse checks) against it")
    cpus = ap.add_mutually_exclusive_group()
    cpus.add_argument('--smp', action='store_true',
                      help='build the BSP copy for SMP (RT_USING_SMP, RT_CPUS_NR 2)')
    cpus.add_argument('--up', action='store_true',
                      help='build the BSP copy for one CPU (RT_USING_SMP off, also where the '
                           'BSP ships it on, as 4.1 does)')
    ap.add_argument('--rust-peer', action='store_true',
                    help='also link a second Rust staticlib (bsp/bed/rust_peer: its own panic '
                         'handler, core and compiler_builtins), as RT-Thread\'s own Rust '
                         'component would be, and run its test case components.mempool.rust_peer')
    ap.add_argument('--no-build', action='store_true', help='boot the image already built')
    ap.add_argument('--clean', action='store_true', help='start from a fresh copy of the BSP')
    ap.add_argument('--no-sample', action='store_true', help=argparse.SUPPRESS)
    ap.add_argument('--jobs', '-j', type=int, default=2)
    ap.add_argument('--timeout', type=float, default=float(os.environ.get('QEMU_TIMEOUT', '300')),
                    help='time bound of the qemu session in seconds (default 300)')
    ap.add_argument('--verbose', '-v', action='store_true', help='show build output and the console')
    args = ap.parse_args()
    select_bsp(args.bsp)
    log('board: %s (Rust target %s)' % (BSP_NAME, CUR['rust_target']))

    rtt_root = check_prerequisites(need_cargo=not args.kernel_mempool)
    args.version = detect_release(rtt_root)
    args.is_smp = None
    release = release_name(args.version)
    log('RT-Thread %s (%s/include/rtdef.h)' % (release, rtt_root))
    os.makedirs(OUT, exist_ok=True)
    passed, failed = [], []
    results = []
    summary_path = os.path.join(OUT, 'result.json')
    if os.path.exists(summary_path):
        os.remove(summary_path)

    def result(name, ok, detail=''):
        (passed if ok else failed).append(name)
        results.append([name, bool(ok)])
        log('%s %s%s' % ('PASS' if ok else 'FAIL', name, (': ' + detail) if detail else ''))

    def finish():
        with open(summary_path, 'w', encoding='utf-8') as f:
            json.dump({'release': release, 'rtt_root': rtt_root, 'smp': args.is_smp,
                       'kernel_mempool': args.kernel_mempool, 'results': results,
                       'rust_peer': args.rust_peer,
                       'bsp': BSP_NAME, 'rust_target': built_rust_target() or CUR['rust_target'],
                       'lib_size': getattr(args, 'lib_size', None),
                       'kernel_mempool_size': getattr(args, 'kernel_mempool_size', None),
                       'passed': len(passed), 'failed': len(failed)}, f, indent=1)
        print('%d passed, %d failed' % (len(passed), len(failed)), flush=True)
        sys.exit(0 if not failed else 1)

    t_build = 0.0
    if not args.no_build:
        prepare_bsp(rtt_root, args)
        ok, t_build = build(rtt_root, args)
        if not ok:
            result('build', False)
            finish()
    elif not os.path.isfile(os.path.join(OUT, 'rtthread.bin')):
        die('--no-build: %s does not exist yet' % os.path.join(OUT, 'rtthread.bin'))
    else:
        # --no-build: the image's configuration from the copy's rtconfig.h, so that an SMP
        # image boots with its CPUs (and runs the SMP paths) as after a build
        try:
            with open(os.path.join(BSP, 'rtconfig.h'), 'r', encoding='utf-8') as f:
                built = header_symbols(f.read())
            args.is_smp = 'RT_USING_SMP' in built
            args.cpus_nr = int(built.get('RT_CPUS_NR', '2')) if args.is_smp else 1
        except (OSError, ValueError):
            pass

    # memp_sample's output as the release's own C mempool prints it: a release whose output
    # differs from 5.3's has its own capture, memp_sample.<release>.expected
    expected_path = expected_file(release)
    args.expected_name = os.path.relpath(expected_path, REPO)
    expected = []
    if os.path.isfile(expected_path):
        with open(expected_path, 'r', encoding='utf-8') as f:
            expected = [l.rstrip('\r\n') for l in f.read().split('\n')]
    else:
        log('%s does not exist yet: capture it from the kernel\'s own C mempool on this board '
            '(--kernel-mempool writes %s)' % (args.expected_name,
                                              os.path.relpath(os.path.join(OUT, 'memp_sample.out'), REPO)))
    while expected and expected[-1] == '':
        expected.pop()

    # the symbol check needs only the linked image; it is one test
    if args.kernel_mempool:
        log('symbol check skipped (--kernel-mempool)')
        try:
            args.kernel_mempool_size = library_size(re.compile(r'(^|/)src/mempool\.o$'))
            log("size: the kernel's src/mempool.c in the image: %d bytes flash (code, "
                "read-only data), %d bytes RAM" % args.kernel_mempool_size)
        except OSError:
            args.kernel_mempool_size = None
    elif not args.demo:
        ok, msg = symbol_check()
        result('symbols', ok, msg)
        got_target = built_rust_target()
        if got_target is not None:
            result('rust target', got_target == CUR['rust_target'],
                   'scripts/rust_target.py chose %s for the BSP (the bed\'s table says %s)'
                   % (got_target, CUR['rust_target']))
        if args.rust_peer:
            rust_peer_checks(result)
        try:
            args.lib_size = library_size()
            log('size: the library in the image: %d bytes flash (code, read-only data), '
                '%d bytes RAM' % args.lib_size)
        except OSError:
            args.lib_size = None

    timing = {'build': t_build}
    try:
        run_qemu(args, expected, result, timing)
    except Exception:  # a bug of this script must not look like a pass
        import traceback
        traceback.print_exc()
        result('qemu session', False, 'internal error of qemu_test.py')
    log('timings: ' + ', '.join('%s %.1f s' % kv for kv in timing.items()))
    finish()


def run_qemu(args, expected, result, timing):
    # an SMP image gets as many CPUs as it is built for (RT_CPUS_NR; 2 with --smp), a
    # single-core one the board's count (qemu-vexpress-a9 has always booted with two, a
    # single-core image parks the second). boards.load() gives every board a count, so that
    # must not decide for an SMP image: it did, and qemu-virt64-riscv's SMP image ran on one
    # hart, its second never started.
    q = Qemu(args.timeout, smp=getattr(args, 'cpus_nr', 2) if args.is_smp else CUR['cpus'])
    log('booting: ' + q.cmdline)
    t0 = time.time()
    console_log = os.path.join(OUT, 'console.log')
    try:
        if not q.wait_for(lambda t: PROMPT in t):
            result('boot', False, 'no "%s" prompt (%s)' % (
                PROMPT, 'time-out' if q.timed_out else 'qemu exited'))
            sys.stdout.write(q.text()[-3000:] + '\n')
            return
        timing['boot'] = time.time() - t0
        log('booted to "%s" in %.1f s' % (PROMPT, timing['boot']))
        q.wait_quiet(0, 0.3)

        # ---- memp_sample -------------------------------------------------
        t1 = time.time()
        # On SMP the shell prints its prompt on one CPU while the sample's threads print on
        # the other, and RT-Thread 4.1/5.0's rt_kprintf shares one buffer: lines then mix
        # (about one run in three, with the kernel's own pool too). There the unchanged sample
        # is started through `bed_sample` (bsp/bed/bed_pinned.c), which returns
        # only once the sample's threads are done, so the prompt comes after its output.
        got, raw = run_sample(q, expected, 'bed_sample' if args.is_smp else 'mempool_sample')
        timing['memp_sample'] = time.time() - t1
        crash = crash_in(raw)
        # the output as printed, for a release's own capture (memp_sample.<release>.expected)
        with open(os.path.join(OUT, 'memp_sample.out'), 'w', encoding='utf-8') as f:
            f.write(''.join(line + '\n' for line in got))
        if args.demo:
            print('---- msh /> mempool_sample ----')
            for line in got:
                print(line)
            print('---- end of mempool_sample output ----')
        if crash:
            result('memp_sample', False, 'crash:\n' + crash)
        elif got == expected:
            result('memp_sample', True, '%d lines identical to %s' % (len(got), args.expected_name))
        else:
            diff = []
            for i in range(max(len(got), len(expected))):
                g = got[i] if i < len(got) else '<missing>'
                e = expected[i] if i < len(expected) else '<missing>'
                if g != e:
                    diff.append('line %d: expected %r, got %r' % (i + 1, e, g))
                if len(diff) >= 5:
                    break
            result('memp_sample', False, '%s%s' % ('time-out; ' if q.timed_out else '',
                                                    '; '.join(diff)))
        if args.demo or q.timed_out or crash:
            return
        if got != expected:
            # a sample left blocked threads behind; let them settle before utest
            q.wait_quiet(len(q.text()), 1.0)

        # ---- list mempool: the sample's pool, seen by the kernel's own msh command ----
        start = q.command('list mempool')
        listing = clean_lines(q.text()[start:], 'list mempool')
        row = [line.split() for line in listing if line.split()[:1] == ['mp1']]
        # RT-Thread prints name, block size, total, free, waiters: "mp1 0080  0048  0048 0";
        # 4096 bytes of 80-byte blocks with a pointer-sized header each: 48 (32-bit), 46 (64-bit)
        nb = 4096 // (80 + CUR['word_bits'] // 8)
        ok = bool(row) and [int(v) for v in row[0][1:5]] == [80, nb, nb, 0]
        result('list mempool', ok, 'mp1: block 80, total %d, free %d, no waiter' % (nb, nb) if ok
               else 'unexpected listing: %r' % listing)

        # ---- mp_check, the package's msh command, on the same pool ----------
        if not args.kernel_mempool:
            start = q.command('mp_check mp1')
            report = clean_lines(q.text()[start:], 'mp_check mp1')
            row = [line.split() for line in report if line.split()[:1] == ['mp1']]
            # name, block, total, free, freed blocks on the list, waiters, verdict
            ok = bool(row) and row[0][1:] == ['80', str(nb), str(nb), str(nb), '0', 'ok']
            result('mp_check', ok, 'mp1: %d of %d free, all on a consistent free list' % (nb, nb)
                   if ok else 'unexpected report: %r' % report)

        # ---- utest ---------------------------------------------------------
        t2 = time.time()
        # 4.1 SMP binds a thread to a CPU only before it starts: utest runs in such a thread
        pinned = args.is_smp and args.version < (5, 0, 0)
        cases, raw, ran, done = run_utest(q, 'bed_utest_pinned' if pinned else 'utest_run')
        timing['utest'] = time.time() - t2
        crash = crash_in(raw)
        n_fail = 0
        for name, status in cases:
            result('utest ' + name, status == 'PASSED')
            n_fail += status != 'PASSED'
        if crash:
            result('utest_run', False, 'crash after %d test case(s):\n%s' % (len(cases), crash))
        elif not done:
            result('utest_run', False, '%s before utest finished (after %d test case(s))' % (
                'time-out' if q.timed_out else ('qemu exited' if q.p.poll() is not None
                                                else 'no output for %d s' % UTEST_IDLE),
                len(cases)))
        elif ran is not None and ran != len(cases):
            result('utest_run', False, 'utest reports %d test cases, parsed %d' % (ran, len(cases)))
        if args.rust_peer and not any(n == 'components.mempool.rust_peer' for n, _ in cases):
            result('utest components.mempool.rust_peer', False, 'the test case is not in the image')
        log('utest: %d test case(s) in %.1f s' % (len(cases), timing['utest']))
        if (n_fail or crash or not done) and not args.verbose:
            sys.stdout.write('---- console (utest, last 6000 characters) ----\n')
            sys.stdout.write(ANSI.sub('', raw[-6000:]).replace('\r', '') + '\n')
    finally:
        q.close()
        with open(console_log, 'w', encoding='utf-8') as f:
            f.write(q.text())
        if args.verbose:
            sys.stdout.write(q.text() + '\n')
        log('console log: %s' % os.path.relpath(console_log, REPO))
        timing['qemu total'] = time.time() - t0


if __name__ == '__main__':
    main()
