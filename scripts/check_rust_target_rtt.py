#!/usr/bin/env python3
"""rtt-mempool's CPU-to-Rust-target mapping (scripts/rust_target.py) against RT-Thread's own
(components/rust/tools/build_support.py, detect_rust_target, in RT-Thread 5.3 and later).

    RTT_ROOT=/path/to/rt-thread python3 scripts/check_rust_target_rtt.py [-v]

RT-Thread's function is imported from $RTT_ROOT (nothing of it is copied here; no bytecode is
written there) and called the way its components/rust/core/SConscript calls it: with the
BSP's rtconfig module and `has(symbol)` over the BSP's Kconfig symbols. Compared on

  - every BSP of the tree (its rtconfig.py, run on a copy in a temporary folder because some
    write files beside themselves, and the Kconfig symbols of its rtconfig.h);
  - every CPU of the tree's libcpu Kconfig (ARCH_ARM_CORTEX_*, ARCH_ARM_ARM*, ARCH_ARMV8,
    ARCH_RISCV32/64, with what each one selects), once per float ABI the cross compiler
    accepts for it (-mfloat-abi=soft/softfp/hard; RISC-V: every -march/-mabi pair of a set of
    ISAs that the compiler accepts).

A CPU counts as known to RT-Thread when its Kconfig symbols alone (no ARCH string, no flags)
give a target, and as known to rtt-mempool when rust_target.py gives one. For every row both
know, the two targets must be the same; where they differ, the row fails unless RT-Thread's
target does not fit the BSP's flags while rtt-mempool's does: its float ABI is not the one the
C code is compiled with (the linker refuses the mix: "uses VFP register arguments, ... does
not"; RISC-V: "can't link soft-float modules with double-float modules"), or it needs ISA
extensions the BSP's -march does not have. Those rows are reported as such, with the reason.
rtt-mempool's target must fit the flags on every row. The targets' float ABI and features come
from rustc itself (`--print target-spec-json`).

Prints one line per row, then `N passed, N failed`; SKIPPED without RTT_ROOT or on a tree
without components/rust. Run by `make test` when RTT_ROOT is set.
"""
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import types

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True
import rust_target  # noqa: E402


def load_rtt_support(rtt):
    path = os.path.join(rtt, 'components', 'rust', 'tools', 'build_support.py')
    if not os.path.isfile(path):
        return None
    spec = importlib.util.spec_from_file_location('rtt_rust_build_support', path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# ---- the tree's Kconfig: which symbols a CPU's symbol selects ------------------------------
def kconfig_selects(rtt):
    """{symbol: [symbols it selects]} from every Kconfig file under libcpu."""
    selects = {}
    files = sorted(glob.glob(os.path.join(rtt, 'libcpu', '**', 'Kconfig'), recursive=True))
    for path in files:
        current = None
        with open(path, encoding='utf-8', errors='replace') as f:
            for line in f:
                m = re.match(r'^\s*(?:menu)?config\s+(\w+)', line)
                if m:
                    current = m.group(1)
                    selects.setdefault(current, [])
                    continue
                m = re.match(r'^\s*select\s+(\w+)', line)
                if m and current:
                    selects[current].append(m.group(1))
                elif re.match(r'^\s*(choice|endchoice|menu|endmenu|if|endif|source|rsource)\b', line):
                    current = None
    return selects


def closure(sym, selects):
    seen, todo = set(), [sym]
    while todo:
        s = todo.pop()
        if s not in seen:
            seen.add(s)
            todo.extend(selects.get(s, []))
    return seen


# ---- what rustc says about a target ---------------------------------------------------------
_SPECS = {}


def target_spec(triple):
    if triple not in _SPECS:
        env = dict(os.environ, RUSTC_BOOTSTRAP='1')  # -Z unstable-options: read the spec only
        try:
            out = subprocess.run(['rustc', '-Z', 'unstable-options', '--print', 'target-spec-json',
                                  '--target', triple], stdout=subprocess.PIPE,
                                 stderr=subprocess.DEVNULL, universal_newlines=True, env=env)
            _SPECS[triple] = json.loads(out.stdout) if out.returncode == 0 else None
        except (OSError, ValueError):
            _SPECS[triple] = None
    return _SPECS[triple]


def riscv_flags(flags):
    march = re.findall(r'-march=(rv(?:32|64)[a-z0-9_]*)', flags)
    mabi = re.findall(r'-mabi=(\w+)', flags)
    if not march:
        return None, None
    ext = march[-1][4:].split('_')[0].replace('g', 'imafd')
    return set(ext), (mabi[-1] if mabi else None)


def misfit(triple, flags):
    """Why `triple` does not fit C code compiled with `flags` (None when it fits)."""
    spec = target_spec(triple)
    if spec is None:
        return None  # rustc cannot tell; not judged
    if triple.startswith(('arm', 'thumb')):
        hard_c = (re.findall(r'-mfloat-abi=(\w+)', flags) or ['soft'])[-1] == 'hard'
        hard_t = spec.get('llvm-floatabi') == 'hard' or spec.get('abi', '').endswith('hf')
        if hard_c != hard_t:
            return 'float ABI: the C code is %s, %s is %s' % (
                'hard-float' if hard_c else 'soft-float', triple,
                'hard-float' if hard_t else 'soft-float')
        return None
    if triple.startswith('riscv'):
        ext, abi = riscv_flags(flags)
        if ext is None:
            return None
        t_abi = spec.get('llvm-abiname') or ('lp64' if triple.startswith('riscv64') else 'ilp32')
        if abi and abi != t_abi:
            return 'float ABI: the C code is %s, %s is %s' % (abi, triple, t_abi)
        need = set(re.findall(r'\+([a-z])(?:,|$)', spec.get('features', '') + ','))
        missing = sorted(need - ext)
        if missing:
            return '%s uses extension(s) %s that -march lacks' % (triple, ','.join(missing))
    return None


# ---- the cross compilers: which flag sets exist ---------------------------------------------
_CC_OK = {}


def cc_accepts(cc, flags):
    """Whether `cc` compiles with `flags`; None when `cc` is not installed."""
    key = (cc, flags)
    if key not in _CC_OK:
        if shutil.which(cc) is None:
            _CC_OK[key] = None
        else:
            p = subprocess.run([cc] + flags.split() + ['-x', 'c', '-c', '-o', os.devnull,
                                                       os.devnull],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _CC_OK[key] = p.returncode == 0
    return _CC_OK[key]


def cfg(arch, cpu, cflags):
    return types.SimpleNamespace(ARCH=arch, CPU=cpu, CFLAGS=cflags, DEVICE='')


def cpu_rows(rtt, support):
    """(label, has-set, rtconfig) for every CPU symbol of the tree's libcpu Kconfig."""
    selects = kconfig_selects(rtt)
    rows = []
    for sym in sorted(selects):
        if re.match(r'^ARCH_ARM_(CORTEX_[AMR]\d+\w*|CORTEX_A|ARM\d+)$', sym):
            cpu = sym[len('ARCH_ARM_'):].lower().replace('_', '-')
            has = closure(sym, selects)
            if cpu == 'cortex-a':
                base, fpu = '-march=armv7-a', '-mfpu=vfpv3-d16'
            else:
                base, fpu = '-mcpu=' + cpu, '-mfpu=auto'
                if cc_accepts('arm-none-eabi-gcc', base) is False:
                    base = ''
            for abi in ('soft', 'softfp', 'hard'):
                flags = (base + ('' if abi == 'soft' else ' %s -mfloat-abi=%s' % (fpu, abi))).strip()
                # without the cross compiler nothing says which float ABIs the CPU has
                if abi != 'soft' and not cc_accepts('arm-none-eabi-gcc', flags):
                    continue
                rows.append(('%s (%s) %s' % (cpu, sym, flags or '(no flags)'), sym, has,
                             cfg('arm', cpu, flags)))
        elif sym == 'ARCH_ARMV8':
            rows.append(('armv8 (ARCH_ARMV8) -march=armv8-a', sym, closure(sym, selects),
                         cfg('aarch64', 'cortex-a', '-march=armv8-a')))
        elif sym in ('ARCH_RISCV32', 'ARCH_RISCV64'):
            bits = sym[-2:]
            abis = ['ilp32', 'ilp32f', 'ilp32d'] if bits == '32' else ['lp64', 'lp64f', 'lp64d']
            for isa in ('i', 'im', 'imc', 'imac', 'imafc', 'imafdc', 'gc'):
                for abi in abis:
                    flags = '-march=rv%s%s -mabi=%s' % (bits, isa, abi)
                    # without the cross compiler nothing says which pairs exist: not compared
                    if not cc_accepts('riscv64-unknown-elf-gcc', flags):
                        continue
                    rows.append(('rv%s %s' % (bits, flags), sym, closure(sym, selects),
                                 cfg('risc-v', '', flags)))
    return rows


def bsp_rows(rtt):
    """(label, None, has-set, rtconfig) for every BSP of the tree."""
    rows = []
    for bsp in sorted(glob.glob(os.path.join(rtt, 'bsp', '*'))):
        rc_py, rc_h = os.path.join(bsp, 'rtconfig.py'), os.path.join(bsp, 'rtconfig.h')
        if not (os.path.isfile(rc_py) and os.path.isfile(rc_h)):
            continue
        with tempfile.TemporaryDirectory() as tmp:
            # a copy: qemu-vexpress-a9's rtconfig.py writes drivers/automac.h beside itself
            os.makedirs(os.path.join(tmp, 'drivers'))
            shutil.copy(rc_py, tmp)
            ns = {'__file__': os.path.join(tmp, 'rtconfig.py'), '__name__': 'rtconfig'}
            cwd = os.getcwd()
            try:
                os.chdir(tmp)
                with open(rc_py, encoding='utf-8') as f:
                    exec(compile(f.read(), ns['__file__'], 'exec'), ns)
            except Exception as e:  # a BSP whose rtconfig.py needs what is not here
                print('note:   %s: rtconfig.py not usable here (%s)' % (os.path.basename(bsp), e))
                continue
            finally:
                os.chdir(cwd)
        with open(rc_h, encoding='utf-8', errors='replace') as f:
            has = set(re.findall(r'^\s*#\s*define\s+(\w+)', f.read(), re.M))
        rc = types.SimpleNamespace(**{k: v for k, v in ns.items() if k.isupper()})
        rows.append(('bsp/%s (ARCH=%s CPU=%s)' % (os.path.basename(bsp), rc.ARCH, rc.CPU),
                     None, has, rc))
    return rows


def main():
    verbose = '-v' in sys.argv[1:]
    rtt = os.environ.get('RTT_ROOT', '')
    if not rtt:
        print('SKIPPED: Rust target mapping against RT-Thread\'s (set RTT_ROOT to a 5.3+ tree)')
        print('0 passed, 0 failed')
        return 0
    rtt = os.path.abspath(rtt)
    support = load_rtt_support(rtt)
    if support is None:
        print('SKIPPED: Rust target mapping against RT-Thread\'s: %s has no '
              'components/rust/tools/build_support.py (RT-Thread 5.3 and later)' % rtt)
        print('0 passed, 0 failed')
        return 0
    passed = failed = 0
    table = []
    for label, sym, has, rc in bsp_rows(rtt) + cpu_rows(rtt, support):
        def rtt_pick(h, r):
            return support.detect_rust_target(lambda s: s in h, r)
        if sym is not None and rtt_pick(has, cfg('', '', '')) is None:
            if verbose:
                print('-       %s: not known to RT-Thread\'s mapping (its Kconfig symbols give '
                      'no target; from the ARCH string and flags it falls back to %s)'
                      % (label, rtt_pick(has, rc)))
            continue
        try:
            ours = rust_target.rust_target(rc)
        except ValueError:
            if verbose:
                print('-       %s: rtt-mempool\'s mapping has no target for it' % label)
            continue
        theirs = rtt_pick(has, rc)
        if theirs is None:
            continue
        flags = ' '.join(str(getattr(rc, n, '') or '') for n in ('DEVICE', 'CFLAGS'))
        our_misfit = misfit(ours, flags)
        if our_misfit:
            verdict, ok = 'FAILED (rtt-mempool\'s target does not fit: %s)' % our_misfit, False
        elif ours == theirs:
            verdict, ok = 'agree', True
        else:
            why = misfit(theirs, flags)
            if why:
                verdict, ok = 'differ: RT-Thread\'s target does not fit (%s)' % why, True
            else:
                verdict, ok = 'FAILED: the two mappings disagree', False
        passed += ok
        failed += not ok
        table.append((label, ours, theirs, verdict))
        print('%s %s: rtt-mempool %s, RT-Thread %s -- %s'
              % ('ok:    ' if ok else 'FAILED:', label, ours, theirs, verdict))
    print('%d passed, %d failed' % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
