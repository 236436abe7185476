#!/usr/bin/env python3
"""`make qemu-matrix`: the qemu bed (scripts/qemu_test.py) for every board in BSPS (default:
every board in scripts/boards/) x every RT-Thread tree in RTT_ROOTS (default: $RTT_ROOT) x
{single core, SMP where the board is run in SMP, kernel-mempool}, one build at a time, each
in its own build folder (target/qemu-matrix/<board>-<release>-<config>, passed as
QEMU_TEST_OUT) so that reruns are incremental. Ends with one table (board x release x
configuration: Rust target, memp_sample, `list mempool`, utest cases passed/total, symbol
check, the library's flash and RAM in the image, or the kernel's mempool.o in a kernel-mempool
image) and the line `N passed, N failed` over every
check of every run; exits non-zero on any failure. A tree that has no copy of an RT-Thread
BSP gets a row saying so, counted as neither.

  up              rtt-mempool, one CPU (qemu_test.py --up; also where the BSP ships SMP on)
  smp             rtt-mempool, RT_USING_SMP with two CPUs (--smp)
  kernel-mempool  the release's own src/mempool.c, one CPU (--kernel-mempool --up): the
                  behaviour test cases and memp_sample against the kernel's C version
  rust-peer       rtt-mempool and a second Rust staticlib in one image, one CPU (--rust-peer
                  --up), on boards whose entry says rust_peer

Each run's output is in target/qemu-matrix/<board>-<release>-<config>/bed.log.
"""
import json
import os
import re
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import qemu_test  # noqa: E402  (release detection and the board table)


def configs(board):
    out = [('up', ['--up'])]
    if board['smp']:
        out.append(('smp', ['--smp']))
    out.append(('kernel-mempool', ['--kernel-mempool', '--up']))
    if board['rust_peer']:
        out.append(('rust-peer', ['--rust-peer', '--up']))
    return out


def cell(results, name):
    for n, ok in results:
        if n == name:
            return 'ok' if ok else 'FAIL'
    return '-'


STACK = re.compile(r'\[mempool stack\][^\n]*waiter used (\d+), freer used (\d+)')


def stack_figures(out):
    """(waiter, freer) bytes of components.mempool.stack in a run's console, or None."""
    try:
        with open(os.path.join(REPO, out, 'console.log'), 'rb') as f:
            m = STACK.search(f.read().decode('utf-8', 'replace'))
    except OSError:
        return None
    return (int(m.group(1)), int(m.group(2))) if m else None


def run_one(name, release, root, conf, flags, rows, stacks):
    """One bed run; appends its row, returns (passed, failed)."""
    out = os.path.join('target', 'qemu-matrix', '%s-%s-%s' % (name, release, conf))
    os.makedirs(os.path.join(REPO, out), exist_ok=True)
    env = dict(os.environ, RTT_ROOT=root, QEMU_TEST_OUT=out)
    cmd = [sys.executable, os.path.join(REPO, 'scripts', 'qemu_test.py'), '--bsp', name] + flags
    print('[qemu-matrix] %s, RT-Thread %s, %s: RTT_ROOT=%s QEMU_TEST_OUT=%s %s'
          % (name, release, conf, root, out, ' '.join(['scripts/qemu_test.py', '--bsp', name]
                                                      + flags)), flush=True)
    t0 = time.time()
    log_path = os.path.join(REPO, out, 'bed.log')
    with open(log_path, 'w') as logf:
        rc = subprocess.call(cmd, cwd=REPO, env=env, stdout=logf, stderr=subprocess.STDOUT)
    summary = None
    try:
        with open(os.path.join(REPO, out, 'result.json'), encoding='utf-8') as f:
            summary = json.load(f)
    except (OSError, ValueError):
        pass
    if summary is None:
        results, p, fl, target, size = [], 0, 1, '-', None
    else:
        results, p, fl = summary['results'], summary['passed'], summary['failed']
        target = summary.get('rust_target') or '-'
        size = summary.get('kernel_mempool_size' if conf == 'kernel-mempool' else 'lib_size')
        if rc != 0 and fl == 0:
            fl = 1
    stack = stack_figures(out)
    if stack:
        stacks[(name, release, conf)] = stack
    utest = [(n, ok) for n, ok in results if n.startswith('utest ')]
    ut = '%d/%d' % (sum(ok for _, ok in utest), len(utest)) if utest else '-'
    if any(n == 'utest_run' and not ok for n, ok in results):
        ut += ' (aborted)'
    build = cell(results, 'build')
    kernel = conf == 'kernel-mempool'
    rows.append([name, release, conf, 'n/a' if kernel else target,
                 'build FAIL' if build == 'FAIL' else cell(results, 'memp_sample'),
                 cell(results, 'list mempool'), ut,
                 'n/a' if kernel else cell(results, 'symbols'),
                 # kernel-mempool rows: the kernel's own src/mempool.o in that image
                 '%s%d B' % ('C ' if kernel else '', size[0]) if size else '-',
                 '%s%d B' % ('C ' if kernel else '', size[1]) if size else '-',
                 '%d/%d' % stack if stack else '-',
                 '%d/%d' % (p, p + fl)])
    print('[qemu-matrix]   %s in %.0f s: %d passed, %d failed (log %s)'
          % ('ok' if fl == 0 else 'FAILED', time.time() - t0, p, fl,
             os.path.relpath(log_path, REPO)), flush=True)
    for n, ok in results:
        if not ok:
            print('[qemu-matrix]     failed: %s' % n, flush=True)
    return p, fl


def main():
    roots = (os.environ.get('RTT_ROOTS') or os.environ.get('RTT_ROOT') or '').split()
    if not roots:
        print('[qemu-matrix] ERROR: set RTT_ROOTS="<tree> <tree> ..." (or RTT_ROOT)',
              file=sys.stderr)
        return 2
    names = (os.environ.get('BSPS') or '').split() or sorted(qemu_test.BSPS)
    unknown = [n for n in names if n not in qemu_test.BSPS]
    if unknown:
        print('[qemu-matrix] ERROR: unknown board(s) %s; the bed knows: %s'
              % (' '.join(unknown), ' '.join(sorted(qemu_test.BSPS))), file=sys.stderr)
        return 2
    rows = []
    stacks = {}
    passed = failed = 0
    for name in names:
        board = qemu_test.BSPS[name]
        for root in roots:
            root = os.path.abspath(root)
            try:
                release = qemu_test.release_name(qemu_test.detect_release(root))
            except (OSError, SystemExit):
                release = os.path.basename(root) + '?'
            if board['source'] == 'rtt' and not os.path.isdir(os.path.join(root, 'bsp', name)):
                print('[qemu-matrix] %s: RT-Thread %s (%s) has no bsp/%s: not run'
                      % (name, release, root, name), flush=True)
                rows.append([name, release, '-', '-', 'no such BSP in the tree', '-', '-', '-',
                             '-', '-', '-', '-'])
                continue
            for conf, flags in configs(board):
                p, fl = run_one(name, release, root, conf, flags, rows, stacks)
                passed += p
                failed += fl

    head = ['board', 'release', 'configuration', 'Rust target', 'sample', 'list mempool', 'utest',
            'symbols', 'pool flash', 'pool RAM', 'stack w/f', 'checks']
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    line = lambda r: '| ' + ' | '.join(c.ljust(w) for c, w in zip(r, widths)) + ' |'
    print(line(head))
    print('|' + '|'.join('-' * (w + 2) for w in widths) + '|')
    for r in rows:
        print(line(r))
    # The library's one-core stack beside the kernel's own pool's on the same board and release
    # (components.mempool.stack: a free waking a higher-priority waiter; issue #12's goal).
    for (name, release, conf), (waiter, freer) in sorted(stacks.items()):
        c = stacks.get((name, release, 'kernel-mempool'))
        if conf != 'up' or c is None:
            continue
        print('[qemu-matrix] stack[%s,%s,up]: waiter %d freer %d bytes, the C pool %d %d: %s'
              % (name, release, waiter, freer, c[0], c[1],
                 'no deeper' if waiter <= c[0] and freer <= c[1] else 'deeper by %d/%d'
                 % (waiter - c[0], freer - c[1])), flush=True)
    print('%d passed, %d failed' % (passed, failed), flush=True)
    return 0 if failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
