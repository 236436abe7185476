#!/usr/bin/env python3
"""Code size of the library against the kernel's own src/mempool.c, like for like and without
a board image (python3 standard library only; needs RTT_ROOT).

For a configuration taken from an RT-Thread BSP of the tree (its rtconfig.h, plus
RT_USING_MEMPOOL and PKG_USING_RTT_MEMPOOL, so RT_USING_DEBUG, hooks and the rest as the BSP
ships them) and a CPU:

  - the library: the release staticlib for the Rust target (opt-level "s", LTO), built
    twice: as the package builds it, and with RTT_MEMPOOL_OMIT_MP_CHECK (the API alone);
  - the C version: $RTT_ROOT/src/mempool.c compiled with the same headers and the BSP's
    machine flags at -Os (-ffunction-sections, as BSPs build it);

and prints `.text` + `.rodata` of both, one `bench: size_...[<config>,<cpu>] c= rust= ratio=`
line each, and the library's bytes per function (its C glue included).

  scripts/size_compare.py                     thumbv7m (Thumb-2), lm3s8962's configuration
  scripts/size_compare.py --cpu armv7a        armv7a (A32), qemu-vexpress-a9's configuration

Output folders: target/size/<cpu>-<bsp>/ (the configuration, the objects, cargo's target).
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_test as qt  # noqa: E402  (patch_rtconfig)

REPO = qt.REPO
# cpu -> (Rust target, the BSP whose configuration is used, its machine flags, label, libcpu)
CPUS = {
    'thumbv7m': ('thumbv7m-none-eabi', 'lm3s8962', ['-mcpu=cortex-m3', '-mthumb'], 'Thumb-2',
                 'libcpu/arm/cortex-m3'),
    'armv7a': ('armv7a-none-eabi', 'qemu-vexpress-a9',
               ['-march=armv7-a', '-mtune=cortex-a7', '-msoft-float', '-funwind-tables'],
               'A32', 'libcpu/arm/cortex-a'),
}
PREFIX = 'arm-none-eabi-'


def run(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       universal_newlines=True, **kw)
    if p.returncode != 0:
        sys.stdout.write(p.stdout)
        raise SystemExit('[size] failed: %s' % ' '.join(cmd))
    return p.stdout


def sections(obj):
    """[(section, size)] of an object (size -A)."""
    out = []
    for line in run([PREFIX + 'size', '-A', obj]).splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            out.append((parts[0], int(parts[1])))
    return out


def text_rodata(objs):
    return sum(sz for o in objs for n, sz in sections(o)
               if n == '.text' or n.startswith(('.text.', '.rodata')))


def per_function(objs):
    """[(size, name)] of the functions (FUNC symbols) of the objects."""
    out = []
    for o in objs:
        for line in run([PREFIX + 'readelf', '-sW', o]).splitlines():
            f = line.split()
            if len(f) >= 8 and f[3] == 'FUNC' and f[6] != 'UND' and int(f[2]) > 0:
                out.append((int(f[2]), f[7]))
    return sorted(out, reverse=True)


def includes(cfg_dir, rtt_root, libcpu):
    return ['-I' + cfg_dir, '-I' + os.path.join(rtt_root, 'include'),
            '-I' + os.path.join(rtt_root, 'components', 'finsh'),
            '-I' + os.path.join(rtt_root, 'components', 'legacy'),
            '-I' + os.path.join(rtt_root, 'components', 'drivers', 'include'),
            '-I' + os.path.join(rtt_root, libcpu)]


def library(target, cfg_dir, rtt_root, cargo_dir, cflags, libcpu):
    env = dict(os.environ)
    env.update({'RTT_MEMPOOL_CFLAGS': ' '.join(includes(cfg_dir, rtt_root, libcpu)), 'CARGO_TARGET_DIR': cargo_dir,
                'RTT_ROOT': rtt_root,
                'CFLAGS_' + target.replace('-', '_'): ' '.join(cflags)})
    env.pop('CARGO_PROFILE_RELEASE_OPT_LEVEL', None)
    run(['cargo', 'rustc', '-p', 'rtt-mempool', '--lib', '--release', '--target', target,
         '--crate-type', 'staticlib', '--quiet'], cwd=REPO, env=env)
    lib = os.path.join(cargo_dir, target, 'release', 'librtt_mempool.a')
    work = tempfile.mkdtemp(prefix='size-')
    run([PREFIX + 'ar', 'x', os.path.abspath(lib)], cwd=work)
    objs = [os.path.join(work, f) for f in sorted(os.listdir(work))
            if f.startswith('rtt_mempool-') or f.endswith('glue.o')]
    kept = os.path.join(cfg_dir, 'objects')
    os.makedirs(kept, exist_ok=True)
    for o in objs:
        shutil.copy2(o, kept)
    return [os.path.join(kept, os.path.basename(o)) for o in objs]


def undefined(objs):
    """Undefined symbols of the objects that the kernel does not provide (rt_*): what the
    library would pull from compiler_builtins or the C library (memcpy, strlen, ...)."""
    out = set()
    for o in objs:
        for line in run([PREFIX + 'readelf', '-sW', o]).splitlines():
            f = line.split()
            if len(f) >= 8 and f[6] == 'UND' and f[7] and not f[7].startswith(('rt_', 'rtt_')):
                out.add(f[7])
    return sorted(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--cpu', choices=sorted(CPUS), default='thumbv7m')
    ap.add_argument('--bsp', help="the tree's BSP whose rtconfig.h is used")
    args = ap.parse_args()
    rtt_root = os.environ.get('RTT_ROOT')
    if not rtt_root:
        raise SystemExit('[size] RTT_ROOT is not set (an RT-Thread 5.x tree)')
    target, bsp, cflags, isa, libcpu = CPUS[args.cpu]
    bsp = args.bsp or bsp
    with open(os.path.join(rtt_root, 'bsp', bsp, 'rtconfig.h'), encoding='utf-8') as f:
        stock = f.read()
    base = os.path.join(REPO, 'target', 'size', '%s-%s' % (args.cpu, bsp))
    figures = {}
    for name, extra in (('api', [('RTT_MEMPOOL_OMIT_MP_CHECK', '')]), ('with_mp_check', [])):
        cfg_dir = os.path.join(base, name)
        os.makedirs(cfg_dir, exist_ok=True)
        qt.write_if_changed(os.path.join(cfg_dir, 'rtconfig.h'), qt.patch_rtconfig(
            stock, [('RT_USING_MEMPOOL', ''), ('PKG_USING_RTT_MEMPOOL', '')] + extra))
        objs = library(target, cfg_dir, rtt_root, os.path.join(base, 'cargo-' + name), cflags,
                       libcpu)
        figures[name] = (text_rodata(objs), per_function(objs), objs)
    c_obj = os.path.join(base, 'mempool_os.o')
    run([PREFIX + 'gcc'] + cflags + ['-Os', '-ffunction-sections', '-fdata-sections',
                                     '-std=gnu99']
        + includes(os.path.join(base, 'api'), rtt_root, libcpu)
        + ['-c', os.path.join(rtt_root, 'src', 'mempool.c'), '-o', c_obj])
    c_size = text_rodata([c_obj])
    label = '%s,%s' % (bsp, isa)
    for name in ('api', 'with_mp_check'):
        rust = figures[name][0]
        print('bench: size_%s[%s,C-Os.Rust-s.%s] c=%d rust=%d ratio=%.2f'
              % (name, bsp, isa, c_size, rust, rust / c_size))
    print('size: %s C mempool.o at -Os per function: %s' % (label, ', '.join(
        '%s %d' % (n, s) for s, n in per_function([c_obj]))))
    print('size: %s C sections: %s' % (label, ', '.join(
        '%s %d' % kv for kv in sections(c_obj) if kv[1] and not kv[0].startswith(
            ('.comment', '.ARM.attributes', '.debug')))))
    for name in ('api', 'with_mp_check'):
        print('size: %s library (%s) per function: %s' % (label, name, ', '.join(
            '%s %d' % (n, s) for s, n in figures[name][1])))
        print('size: %s library (%s) needs besides the kernel: %s' % (
            label, name, ', '.join(undefined(figures[name][2])) or 'nothing'))
        print('size: %s library (%s) sections: %s' % (label, name, ', '.join(
            '%s %d' % kv for o in figures[name][2] for kv in sections(o)
            if kv[1] and kv[0].startswith(('.text', '.rodata')))))


if __name__ == '__main__':
    main()
