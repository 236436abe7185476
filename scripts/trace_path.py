#!/usr/bin/env python3
"""Where the instructions of one measured path go, function by function.

`make bench` says how many instructions a path takes; this says which functions they are
spent in. It boots an image `make bench` built (target/qemu-bench/<board>/<variant>/) under
qemu with its gdb stub, lets `mp_bench` run up to the measured loop of one implementation,
then single-steps one occurrence of the path and counts the executed instructions per
function (symbols from the image's own symbol table):

  pair     one alloc+free iteration of the pair loop (the second one stepped, so the loop
           is warm), from the call of alloc to the next call of alloc
  handoff  from the main thread's call of free (the third free of a hand-off pool block) to
           the point where the woken waiter's alloc has returned into waiter_entry (the
           wake-up, the context switch and the waiter's retry included)
  init     one rt_mp_init of the 8-block pool (mp_init_8x16B), call to return

qemu's gdb stub steps with interrupts and timers masked, so no tick lands in a trace.
Arm boards only (A32 and Thumb-2: the arguments are read from r0-r2). `make bench-trace`.

  python3 scripts/trace_path.py --bsp qemu-vexpress-a9 --variant rust-s-release --path pair --impl rust
"""
import argparse
import bisect
import collections
import os
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu_test as qt  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# What each path's gdb script does once stopped in the right place. The functions' names
# are the bench's own (bench/mp_bench.c) and the implementation's, taken from its table.
GDB_SCRIPT = r'''
import gdb
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("target remote :%(port)d")
IMPL = %(impl)r
PATH = %(path)r
ALLOC = %(alloc)r
FREE = %(free)r
INIT = %(init)r
WAITER_LO, WAITER_HI = %(waiter)r
out = open(%(out)r, "w")

def pc():
    return int(gdb.parse_and_eval("$pc")) & 0xffffffff

def step(limit, stop):
    seen = []
    for _ in range(limit):
        gdb.execute("stepi", to_string=True)
        p = pc()
        seen.append(p)
        if stop(p, seen):
            return seen, True
    return seen, False

if PATH == "pair":
    # pair_loop(impl, mp, n): the measured call has n == 10000
    gdb.execute("break pair_loop if $r2 == 10000 && $_streq(*(char **)$r0, \"%%s\")" %% IMPL)
    gdb.execute("continue")
    gdb.execute("delete")
    gdb.execute("break *%%d" %% ALLOC)
    gdb.execute("continue")          # the first call of alloc in the loop
    gdb.execute("delete")
    # the first iteration stepped and dropped, the second one kept
    _, ok1 = step(5000, lambda p, s: p == ALLOC)
    second, ok2 = step(5000, lambda p, s: p == ALLOC)
    trace = [ALLOC] + second[:-1]
    ok = ok1 and ok2
elif PATH == "handoff":
    # the 3rd free of a block of the hand-off pool (the main thread's, the waiter's, then the
    # main thread's again: the loop is warm); the header names the pool, the name comes first
    gdb.execute("break *%%d if $_streq((char *)*(unsigned *)($r0 - 4), \"mpb_hand\")" %% FREE)
    for _ in range(3):
        gdb.execute("continue")
    gdb.execute("delete")
    seen, ok = step(4000, lambda p, s: WAITER_LO <= p < WAITER_HI)
    trace = [FREE] + seen[:-1]
elif PATH == "init":
    gdb.execute("break *%%d if $_streq((char *)$r1, \"mpb_sml\")" %% INIT)
    for _ in range(3):
        gdb.execute("continue")
    gdb.execute("delete")
    ret = int(gdb.parse_and_eval("$lr")) & 0xfffffffe
    seen, ok = step(20000, lambda p, s: (p & 0xfffffffe) == ret)
    trace = [INIT] + seen[:-1]
out.write("ok %%d\n" %% (1 if ok else 0))
for p in trace:
    out.write("%%x\n" %% p)
out.close()
gdb.execute("kill")
'''


def symbols(elf, prefix):
    """Sorted (address, size, name) of the image's functions (Thumb bit cleared)."""
    out = subprocess.run([prefix + 'nm', '-S', '-n', '--defined-only', elf],
                         capture_output=True, text=True, check=True).stdout
    syms = []
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[2] in 'tTwW':
            syms.append((int(parts[0], 16) & ~1, int(parts[1], 16), parts[3]))
    syms.sort()
    return syms


def lookup(syms, name):
    for a, s, n in syms:
        if n == name:
            return a, s
    raise SystemExit('trace: no symbol %s in the image' % name)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--bsp', default='qemu-vexpress-a9')
    ap.add_argument('--variant', default='rust-s-release',
                    help='folder under target/qemu-bench/<bsp>/')
    ap.add_argument('--path', choices=('pair', 'handoff', 'init'), default='pair')
    ap.add_argument('--impl', default='rust', help='rust, c-O0, c-O2 or c-Os')
    ap.add_argument('--timeout', type=float, default=300)
    args = ap.parse_args()

    qt.select_bsp(args.bsp)
    vdir = os.path.join(REPO, 'target', 'qemu-bench', args.bsp, args.variant)
    elf = os.path.join(vdir, 'rtthread.elf')
    if not os.path.isfile(elf):
        raise SystemExit('trace: %s not built (run `make bench BSP=%s` first)' % (elf, args.bsp))
    prefix = qt.CUR['prefix']
    syms = symbols(elf, prefix)
    fn = 'rt_mp_%s' if args.impl == 'rust' else 'ref_' + args.impl.replace('c-', '').lower() + '_rt_mp_%s'
    alloc, _ = lookup(syms, fn % 'alloc')
    free, _ = lookup(syms, fn % 'free')
    init, _ = lookup(syms, fn % 'init')
    wlo, wsize = lookup(syms, 'waiter_entry')

    port = free_port()
    fd, result = tempfile.mkstemp(prefix='trace-', suffix='.txt')
    os.close(fd)
    script = os.path.join(vdir, 'trace.gdb.py')
    with open(script, 'w') as f:
        f.write(GDB_SCRIPT % {'port': port, 'impl': args.impl, 'path': args.path,
                              'alloc': alloc, 'free': free, 'init': init,
                              'waiter': (wlo, wlo + wsize), 'out': result})
    q = qt.Qemu(args.timeout, image_dir=vdir, smp=1,
                extra_args=['-icount', 'shift=0', '-gdb', 'tcp::%d' % port])
    try:
        if not q.wait_for(lambda t: qt.PROMPT in t):
            raise SystemExit('trace: no prompt:\n' + q.text()[-2000:])
        q.wait_quiet(0, 0.3)
        gdb = subprocess.Popen(['gdb-multiarch', '-q', '-nx', '-batch', elf, '-x', script],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        # gdb stops the guest when it attaches and sets its breakpoints before it continues;
        # the command typed meanwhile waits in the UART
        time.sleep(2)
        q.send('mp_bench')
        gout, _ = gdb.communicate(timeout=args.timeout)
    finally:
        q.close()
    with open(result) as f:
        lines = f.read().split()
    os.unlink(result)
    if not lines or lines[0] != 'ok':
        raise SystemExit('trace: gdb gave no trace:\n' + gout[-3000:])
    ok = lines[1] == '1'
    pcs = [int(x, 16) for x in lines[2:]]
    addrs = [a for a, _, _ in syms]
    per = collections.Counter()
    order = []
    for p in pcs:
        i = bisect.bisect_right(addrs, p & ~1) - 1
        name = syms[i][2] if i >= 0 and p < syms[i][0] + max(syms[i][1], 1) else '?%x' % p
        per[name] += 1
        if not order or order[-1][0] != name:
            order.append([name, 0])
        order[-1][1] += 1
    print('trace: %s %s %s on %s: %d instructions%s' % (
        args.bsp, args.variant, args.path, args.impl, len(pcs),
        '' if ok else ' (stopped at the step limit: incomplete)'))
    for name, n in per.most_common():
        print('  %6d  %s' % (n, name))
    print('  sequence: ' + ' > '.join('%s:%d' % (n, c) for n, c in order))
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
