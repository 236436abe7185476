#!/usr/bin/env python3
"""Checks of rtt-mempool as an RT-Thread package (run by `make test` as the `versions` stage).

1. Versions agree: Cargo.toml's package version, package.json's `version` and its newest
   released `site` entry, the newest released section of CHANGELOG.md, and the version
   choices of the Kconfig.
2. package.json has the fields of RT-Thread's package index and agrees with Cargo.toml
   (license, repository) and the Kconfig (enable option, category folder).
3. Every function exported by src/api.rs has an example in C in its docs, in the Rust
   source and in the generated include/rtt_mempool.h.
4. The Kconfig parses with kconfiglib when sourced the way RT-Thread's "RT-Thread online
   packages" menu sources a package (a stub kernel Kconfig defines RT_USING_MEMPOOL), its
   defaults are the documented ones, and PKG_USING_RTT_MEMPOOL forces RT_USING_MEMPOOL on.
   With RTT_ROOT set, the same again under the real qemu-vexpress-a9 BSP's Kconfig.
   kconfiglib is installed with pip into target/python-deps when missing; if that fails
   this part prints SKIPPED.

Only the Python standard library is needed (plus kconfiglib for part 4). Prints one line per
check and exits non-zero when any fails.

Usage: python3 scripts/check_package.py [--root DIR]
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

PKG_NAME = 'rtt-mempool'
ENABLE = 'PKG_USING_RTT_MEMPOOL'
# The fields RT-Thread's package index gives every package.json, and their types.
INDEX_FIELDS = {
    'name': str, 'description': str, 'description_zh': str, 'enable': str, 'keywords': list,
    'category': str, 'author': dict, 'license': str, 'repository': str, 'icon': str,
    'homepage': str, 'doc': str, 'site': list,
}
# The index's top-level folders (menus of "RT-Thread online packages").
INDEX_CATEGORIES = {'iot', 'peripherals', 'system', 'misc', 'language', 'multimedia', 'tools',
                    'ai', 'security', 'embedded_ai', 'arduino', 'rust'}


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def ok(self, cond, what, detail=''):
        if cond:
            self.passed += 1
            print('ok:     ' + what)
        else:
            self.failed += 1
            print('FAILED: ' + what + ((' -- ' + detail) if detail else ''))
        return cond


def read(root, name):
    with open(os.path.join(root, name), encoding='utf-8') as f:
        return f.read()


# --------------------------------------------------------------------------
# versions
# --------------------------------------------------------------------------
def cargo_package(root):
    """[package] table of Cargo.toml (tomllib when available, else a small parser)."""
    text = read(root, 'Cargo.toml')
    try:
        import tomllib
        return tomllib.loads(text).get('package', {})
    except ImportError:
        pass
    table, section = {}, None
    for line in text.splitlines():
        line = line.split('#', 1)[0].strip()
        m = re.match(r'^\[([^\]]+)\]$', line)
        if m:
            section = m.group(1).strip()
            continue
        m = re.match(r'^([A-Za-z0-9_-]+)\s*=\s*"([^"]*)"$', line)
        if section == 'package' and m:
            table[m.group(1)] = m.group(2)
    return table


def changelog_releases(text):
    """(version, date) of each `## [x.y.z] - date` section, newest first; Unreleased skipped."""
    found = []
    for m in re.finditer(r'^##\s+\[?([^\]\s]+)\]?\s*(?:-\s*(\S+))?\s*$', text, re.M):
        if m.group(1).lower() != 'unreleased':
            found.append((m.group(1), m.group(2)))
    return found


def semver_key(v):
    m = re.match(r'^v?(\d+)\.(\d+)\.(\d+)', v)
    return tuple(int(x) for x in m.groups()) if m else None


def check_versions(c, root, pkg, cargo):
    version = cargo.get('version', '')
    c.ok(semver_key(version) is not None, 'Cargo.toml has a version x.y.z (%r)' % version)

    c.ok(pkg.get('version') == version,
         'package.json version equals Cargo.toml version (%s)' % version,
         'package.json has %r' % pkg.get('version'))

    released = [s.get('version', '') for s in pkg.get('site', []) if s.get('version') != 'latest']
    newest = max(released, key=lambda v: semver_key(v) or (-1,), default=None)
    c.ok(newest == 'v' + version,
         'newest package.json site entry is v%s' % version, 'found %r' % newest)
    for s in pkg.get('site', []):
        v = s.get('version', '')
        if v == 'latest':
            continue
        c.ok(semver_key(v) is not None and v.startswith('v'),
             'site version %r is of the form vX.Y.Z' % v)
        c.ok(v in s.get('URL', '') and v.lstrip('v') in s.get('filename', ''),
             'site entry %s: URL and filename name that version' % v,
             'URL %r, filename %r' % (s.get('URL'), s.get('filename')))

    try:
        log = read(root, 'CHANGELOG.md')
    except OSError:
        c.ok(False, 'CHANGELOG.md exists')
        return
    releases = changelog_releases(log)
    top = releases[0] if releases else (None, None)
    c.ok(top[0] == version, 'top released entry of CHANGELOG.md is %s' % version,
         'found %r' % (top[0],))
    c.ok(bool(top[1] and re.match(r'^\d{4}-\d{2}-\d{2}$', top[1])),
         'top CHANGELOG.md entry has a date YYYY-MM-DD', 'found %r' % (top[1],))
    keys = [semver_key(v) for v, _ in releases]
    c.ok(None not in keys and keys == sorted(keys, reverse=True) and len(set(keys)) == len(keys),
         'CHANGELOG.md releases are distinct and newest first')
    c.ok(re.search(r'^\[%s\]:\s*\S+' % re.escape(version), log, re.M) is not None,
         'CHANGELOG.md has a link for [%s]' % version)
    for v in released:
        c.ok(v.lstrip('v') in [r for r, _ in releases],
             'package.json site version %s has a CHANGELOG.md entry' % v)


# --------------------------------------------------------------------------
# package.json
# --------------------------------------------------------------------------
def check_package_json(c, root, pkg, cargo, kconfig_text):
    for field, kind in INDEX_FIELDS.items():
        c.ok(isinstance(pkg.get(field), kind) and bool(pkg.get(field)),
             'package.json has %s (%s)' % (field, kind.__name__))
    c.ok(pkg.get('name') == PKG_NAME, 'package.json name is %s' % PKG_NAME)
    c.ok(pkg.get('enable') == ENABLE, 'package.json enable is %s' % ENABLE)
    c.ok(re.search(r'^\s*menuconfig\s+%s\s*$' % pkg.get('enable', '?'), kconfig_text, re.M)
         is not None, 'the Kconfig defines the enable option as a menuconfig')
    c.ok(re.search(r'[\u4e00-\u9fff]', pkg.get('description_zh', '')) is not None,
         'package.json description_zh is Chinese')
    c.ok(pkg.get('category') in INDEX_CATEGORIES,
         'package.json category is one of the index folders (%s)' % pkg.get('category'))
    m = re.search(r'default\s+"/packages/([^/"]+)/([^"]+)"', kconfig_text)
    c.ok(m is not None and m.group(1) == pkg.get('category') and m.group(2) == PKG_NAME,
         'Kconfig PKG_RTT_MEMPOOL_PATH is /packages/<category>/<name>',
         'found %r' % (m.group(0) if m else None))
    author = pkg.get('author', {})
    c.ok(all(isinstance(author.get(k), str) for k in ('name', 'email', 'github')),
         'package.json author has name, email, github')
    c.ok(pkg.get('license') == 'Apache-2.0' == cargo.get('license'),
         'license is Apache-2.0 in package.json and Cargo.toml')
    c.ok(pkg.get('repository') == cargo.get('repository'),
         'package.json repository equals Cargo.toml repository')
    c.ok(all(isinstance(k, str) and k for k in pkg.get('keywords', [])),
         'package.json keywords are strings')
    latest = [s for s in pkg.get('site', []) if s.get('version') == 'latest']
    c.ok(len(latest) == 1 and latest[0].get('URL', '').endswith('.git')
         and bool(latest[0].get('VER_SHA')),
         'package.json has one "latest" site entry: a git URL with VER_SHA (branch)')
    for s in pkg.get('site', []):
        c.ok(all(s.get(k) for k in ('version', 'URL', 'filename')),
             'site entry %r has version, URL, filename' % s.get('version'))
    # RT-Thread's tools/package.py BuildPackage() would build from a package.json whose
    # type is rt-thread-component; ours only describes the package for the index.
    c.ok(pkg.get('type') != 'rt-thread-component',
         'package.json is not a BuildPackage component description (SConscript builds it)')


# --------------------------------------------------------------------------
# C examples in the docs of every export
# --------------------------------------------------------------------------
EXPORT_RE = re.compile(r'^\s*pub\s+(?:unsafe\s+)?extern\s+"C"\s+fn\s+(\w+)')


def rust_exports_with_docs(text):
    """{function: doc text} for every `#[no_mangle] pub ... extern "C" fn` in `text`."""
    lines = text.splitlines()
    found = {}
    for i, line in enumerate(lines):
        m = EXPORT_RE.match(line)
        if not m:
            continue
        j, attrs, docs = i - 1, [], []
        while j >= 0 and lines[j].strip().startswith('#['):
            attrs.append(lines[j].strip())
            j -= 1
        while j >= 0 and lines[j].strip().startswith('///'):
            docs.insert(0, lines[j].strip()[3:])
            j -= 1
        if any('no_mangle' in a for a in attrs):
            found[m.group(1)] = '\n'.join(docs)
    return found


def header_functions_with_docs(text):
    """{function: preceding comment} for every prototype in the cbindgen header."""
    found = {}
    for m in re.finditer(r'/\*((?:(?!\*/).)*)\*/\s*\n([^\n/#][^\n;]*?\b(\w+)\s*\([^;]*\);)',
                         text, re.S):
        found[m.group(3)] = m.group(1)
    return found


def check_c_examples(c, root):
    exports = {}
    for source in ('api.rs', 'diag.rs'):
        exports.update(rust_exports_with_docs(read(root, os.path.join('src', source))))
    c.ok(len(exports) >= 7, 'src/api.rs and src/diag.rs export the rt_mp_* API and mp_check '
         '(%d functions found)' % len(exports))
    for name, doc in sorted(exports.items()):
        c.ok(re.search(r'^\s*```c\s*$', doc, re.M) is not None,
             'src/: %s has an example in C in its docs' % name)
    # The hook setters are C (src/glue.c), documented there with an example each.
    glue = read(root, os.path.join('src', 'glue.c'))
    for name in ('rt_mp_alloc_sethook', 'rt_mp_free_sethook'):
        m = re.search(r'/\*((?:(?!\*/).)*)\*/\s*\nvoid ' + name + r'\(', glue, re.S)
        c.ok(m is not None and 'Example:' in m.group(1) and 'Safety:' in m.group(1),
             'src/glue.c: %s is documented with its contract and an example' % name)
    try:
        header = read(root, os.path.join('include', 'rtt_mempool.h'))
    except OSError:
        c.ok(False, 'include/rtt_mempool.h exists')
        return
    documented = header_functions_with_docs(header)
    for name in sorted(exports):
        c.ok('```c' in documented.get(name, ''),
             'include/rtt_mempool.h: %s is declared with its C example' % name)


# --------------------------------------------------------------------------
# Kconfig
# --------------------------------------------------------------------------
def import_kconfiglib(root):
    """kconfiglib from the running Python or from target/python-deps; when it is in neither,
    installs it there with pip (--target: the user's Python environment is left alone, and
    Debian's externally-managed system Python accepts it)."""
    deps = os.path.join(root, 'target', 'python-deps')
    if os.path.isdir(deps):
        sys.path.insert(0, deps)
    try:
        import kconfiglib
        return kconfiglib
    except ImportError:
        pass
    print('kconfiglib is missing: installing it with pip into %s' % deps)
    try:
        subprocess.run([sys.executable, '-m', 'pip', 'install', '--quiet',
                        '--disable-pip-version-check', '--target', deps, 'kconfiglib'],
                       check=True, timeout=300)
    except (OSError, subprocess.SubprocessError) as e:
        print('pip install kconfiglib failed: %s' % e)
        return None
    import importlib
    importlib.invalidate_caches()
    if deps not in sys.path:
        sys.path.insert(0, deps)
    try:
        import kconfiglib
        return kconfiglib
    except ImportError:
        return None


# A stand-in for the kernel's Kconfig: only the symbols the package refers to.
STUB_KERNEL = '''mainmenu "rtt-mempool package check"

menu "RT-Thread Kernel"
menu "Memory Management"
    config RT_USING_MEMPOOL
        bool "memory pool (stub of the kernel option)"
        default y
endmenu
endmenu

osource "$PKGS_DIR/Kconfig"
'''


def make_packages_dir(tmp, root, pkg):
    """Lays out PKGS_DIR as RT-Thread's env does: $PKGS_DIR/Kconfig sources the index's
    packages/Kconfig ("RT-Thread online packages"), which sources the category's Kconfig,
    which sources each package's Kconfig from packages/<category>/<name>/Kconfig."""
    category = pkg.get('category', 'system')
    pkgs = os.path.join(tmp, 'pkgs')
    pkg_dir = os.path.join(pkgs, 'packages', category, PKG_NAME)
    os.makedirs(pkg_dir)
    shutil.copy(os.path.join(root, 'Kconfig'), os.path.join(pkg_dir, 'Kconfig'))
    with open(os.path.join(pkgs, 'Kconfig'), 'w') as f:
        f.write('source "$PKGS_DIR/packages/Kconfig"\n')
    with open(os.path.join(pkgs, 'packages', 'Kconfig'), 'w') as f:
        f.write('menu "RT-Thread online packages"\n'
                'source "$PKGS_DIR/packages/%s/Kconfig"\nendmenu\n' % category)
    with open(os.path.join(pkgs, 'packages', category, 'Kconfig'), 'w') as f:
        f.write('menu "%s packages"\nsource "$PKGS_DIR/packages/%s/%s/Kconfig"\nendmenu\n'
                % (category, category, PKG_NAME))
    return pkgs


def load_kconfig(kconfiglib, top, srctree, pkgs):
    saved = {k: os.environ.get(k) for k in ('PKGS_DIR', 'srctree', 'KCONFIG_CONFIG')}
    os.environ['PKGS_DIR'] = pkgs
    os.environ['srctree'] = srctree
    cwd = os.getcwd()
    try:
        os.chdir(srctree)
        return kconfiglib.Kconfig(top, warn_to_stderr=False)
    finally:
        os.chdir(cwd)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def menu_path(node):
    path = []
    node = node.parent
    while node is not None and node.parent is not None:
        if node.prompt:
            path.append(node.prompt[0])
        node = node.parent
    return list(reversed(path))


def check_kconfig_semantics(c, kconfiglib, kconf, pkg, label, kernel_default_mempool):
    syms = kconf.syms
    ours = [ENABLE, 'RTT_MEMPOOL_PARANOID_CHECKS', 'RTT_MEMPOOL_RUST_TARGET',
            'PKG_RTT_MEMPOOL_PATH', 'PKG_RTT_MEMPOOL_VER', 'PKG_USING_RTT_MEMPOOL_LATEST_VERSION']
    for name in ours:
        c.ok(name in syms and bool(syms[name].nodes), '%s: %s is defined' % (label, name))
    if not all(name in syms and syms[name].nodes for name in ours):
        return
    pkg_warnings = [w for w in kconf.warnings
                    if PKG_NAME in w or 'RTT_MEMPOOL' in w or 'RT_USING_MEMPOOL' in w]
    c.ok(not pkg_warnings, '%s: no kconfiglib warning about the package' % label,
         '; '.join(pkg_warnings))
    enable = syms[ENABLE]
    c.ok('RT-Thread online packages' in menu_path(enable.nodes[0]),
         '%s: %s is inside the "RT-Thread online packages" menu' % (label, ENABLE),
         'menu path %r' % menu_path(enable.nodes[0]))
    c.ok(enable.nodes[0].is_menuconfig, '%s: %s is a menuconfig' % (label, ENABLE))

    # Defaults of a fresh configuration.
    kconf.unset_values()
    mempool = syms['RT_USING_MEMPOOL']
    c.ok(enable.str_value == 'n', '%s: %s defaults to n' % (label, ENABLE))
    c.ok(mempool.str_value == kernel_default_mempool,
         '%s: RT_USING_MEMPOOL keeps the kernel default (%s) while the package is off'
         % (label, kernel_default_mempool))
    c.ok(syms['RTT_MEMPOOL_PARANOID_CHECKS'].visibility == 0,
         '%s: the package options are hidden while the package is off' % label)
    c.ok(enable.set_value('y') and enable.str_value == 'y', '%s: %s can be enabled'
         % (label, ENABLE))
    expect = {
        'RTT_MEMPOOL_PARANOID_CHECKS': 'n',
        'RTT_MEMPOOL_RUST_TARGET': '',
        'PKG_RTT_MEMPOOL_VER': 'latest',
        'PKG_RTT_MEMPOOL_PATH': '/packages/%s/%s' % (pkg.get('category'), PKG_NAME),
        'PKG_USING_RTT_MEMPOOL_LATEST_VERSION': 'y',
    }
    for name, value in expect.items():
        c.ok(syms[name].str_value == value, '%s: %s defaults to %r' % (label, name, value),
             'got %r' % syms[name].str_value)
    c.ok(mempool.str_value == 'y', '%s: RT_USING_MEMPOOL is on with the package' % label)

    # select RT_USING_MEMPOOL: on even when the user had switched it off, and not
    # switchable off while the package is enabled.
    kconf.unset_values()
    mempool.set_value('n')
    c.ok(mempool.str_value == 'n', '%s: RT_USING_MEMPOOL can be off without the package'
         % label)
    enable.set_value('y')
    c.ok(mempool.str_value == 'y', '%s: enabling %s forces RT_USING_MEMPOOL on (select)'
         % (label, ENABLE))
    mempool.set_value('n')
    c.ok(mempool.str_value == 'y', '%s: RT_USING_MEMPOOL cannot be switched off while %s is on'
         % (label, ENABLE))

    # A .config written by menuconfig with the kernel option off still comes back with it on.
    tmp = tempfile.mkdtemp(prefix='rtt-mempool-kconfig-')
    try:
        cfg = os.path.join(tmp, '.config')
        with open(cfg, 'w') as f:
            f.write('# CONFIG_RT_USING_MEMPOOL is not set\nCONFIG_%s=y\n'
                    'CONFIG_RTT_MEMPOOL_PARANOID_CHECKS=y\n'
                    'CONFIG_RTT_MEMPOOL_RUST_TARGET="thumbv7em-none-eabihf"\n'
                    'CONFIG_PKG_USING_RTT_MEMPOOL_V010=y\n' % ENABLE)
        kconf.load_config(cfg)
        got = {n: syms[n].str_value for n in ('RT_USING_MEMPOOL', 'RTT_MEMPOOL_PARANOID_CHECKS',
                                                'RTT_MEMPOOL_RUST_TARGET',
                                                'PKG_RTT_MEMPOOL_VER')}
        c.ok(got == {'RT_USING_MEMPOOL': 'y', 'RTT_MEMPOOL_PARANOID_CHECKS': 'y',
                     'RTT_MEMPOOL_RUST_TARGET': 'thumbv7em-none-eabihf',
                     'PKG_RTT_MEMPOOL_VER': 'v0.1.0'},
             '%s: a .config setting every package option loads as written' % label,
             'got %r' % got)
        header = os.path.join(tmp, 'rtconfig.h')
        kconf.write_autoconf(header)
        with open(header) as f:
            text = f.read()
        c.ok('_RT_USING_MEMPOOL 1' in text and '_RTT_MEMPOOL_PARANOID_CHECKS 1' in text,
             '%s: the generated config header defines RT_USING_MEMPOOL and '
             'RTT_MEMPOOL_PARANOID_CHECKS' % label)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    # Every version of the Kconfig choice is a site entry of package.json and back.
    ver = syms['PKG_RTT_MEMPOOL_VER']
    kconfig_versions = {d[0].name for d in ver.defaults}
    site_versions = {s.get('version') for s in pkg.get('site', [])}
    c.ok(kconfig_versions == site_versions,
         '%s: the Kconfig version choices equal the package.json site versions' % label,
         'Kconfig %s, package.json %s' % (sorted(kconfig_versions), sorted(site_versions)))
    kconf.unset_values()


def check_kconfig(c, root, pkg):
    kconfiglib = import_kconfiglib(root)
    if kconfiglib is None:
        print('SKIPPED: Kconfig check (kconfiglib is missing and could not be installed with pip; '
              'install pip, e.g. apt-get install python3-pip, or kconfiglib itself)')
        return
    tmp = tempfile.mkdtemp(prefix='rtt-mempool-pkgs-')
    try:
        pkgs = make_packages_dir(tmp, root, pkg)
        top = os.path.join(tmp, 'Kconfig')
        with open(top, 'w') as f:
            f.write(STUB_KERNEL)
        try:
            kconf = load_kconfig(kconfiglib, top, tmp, pkgs)
        except kconfiglib.KconfigError as e:
            c.ok(False, 'stub kernel: the package Kconfig parses', str(e))
        else:
            c.ok(True, 'stub kernel: the package Kconfig parses inside "RT-Thread online '
                 'packages"')
            check_kconfig_semantics(c, kconfiglib, kconf, pkg, 'stub kernel', 'y')

        rtt_root = os.environ.get('RTT_ROOT', '')
        bsp = os.path.join(rtt_root, 'bsp', 'qemu-vexpress-a9')
        if not rtt_root:
            print('note: RTT_ROOT is not set: the Kconfig was checked with a stub kernel only')
        elif not os.path.isfile(os.path.join(bsp, 'Kconfig')):
            print('note: %s has no Kconfig: the Kconfig was checked with a stub kernel only'
                  % bsp)
        else:
            # The real BSP's Kconfig reads the kernel's Kconfig files and ours through
            # PKGS_DIR; kconfiglib only reads, nothing is written into RTT_ROOT.
            try:
                kconf = load_kconfig(kconfiglib, 'Kconfig', bsp, pkgs)
            except kconfiglib.KconfigError as e:
                c.ok(False, 'RT-Thread BSP: the package Kconfig parses', str(e))
            else:
                c.ok(True, 'RT-Thread BSP qemu-vexpress-a9: the package Kconfig parses inside '
                     '"RT-Thread online packages"')
                kernel_default = kconf.syms['RT_USING_MEMPOOL'].str_value \
                    if 'RT_USING_MEMPOOL' in kconf.syms else '?'
                check_kconfig_semantics(c, kconfiglib, kconf, pkg, 'RT-Thread BSP',
                                        kernel_default)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n', 1)[0])
    ap.add_argument('--root', default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                   '..'),
                    help='the repository (default: this script\'s parent folder)')
    args = ap.parse_args()
    root = os.path.abspath(args.root)
    c = Checker()

    cargo = cargo_package(root)
    try:
        pkg = json.loads(read(root, 'package.json'))
    except (OSError, ValueError) as e:
        c.ok(False, 'package.json is valid JSON', str(e))
        pkg = {}
    kconfig_text = read(root, 'Kconfig')

    check_versions(c, root, pkg, cargo)
    check_package_json(c, root, pkg, cargo, kconfig_text)
    check_c_examples(c, root)
    check_kconfig(c, root, pkg)

    print('package checks: %d passed, %d failed' % (c.passed, c.failed))
    return 1 if c.failed else 0


if __name__ == '__main__':
    sys.exit(main())
