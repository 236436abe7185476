//! Compiles the host test kernel, the C test suite and the sample into two static archives,
//! linked whole so that the `UtestTcTab` and `FSymTab` sections (test cases and msh commands,
//! found only through the linker's `__start_`/`__stop_` symbols) are kept.

use std::env;
use std::path::{Path, PathBuf};

/// The host kernel, compiled with `-finstrument-functions`: its entry and exit hooks tell the
/// simulated tick interrupt when the running thread is inside kernel (or libc) code, where it
/// must not be preempted.
const KERNEL_LIB: &str = "rtt_host_kernel";
/// The test suite, the sample and the kernel's self-test: preemptible wherever interrupts are
/// enabled, as on a real CPU.
const SUITE_LIB: &str = "rtt_host_suite";
/// Kernel sources that are test code.
const KERNEL_TESTS: &[&str] = &["selftest.c", "selftest_fails.c"];

fn c_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "c"))
            .collect(),
        Err(_) => Vec::new(),
    };
    files.sort();
    files
}

fn main() {
    let here =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let repo = here
        .parent()
        .expect("c_tests lives inside the repository")
        .to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));

    for var in [
        "EXTRA_TESTS",
        "RTT_HOST_ALIGN_SIZE",
        "RTT_HOST_PARANOID",
        "RTT_HOST_OMIT_MP_CHECK",
        "RTT_ROOT",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    for dir in ["kernel/include", "kernel/src", "tests", "sample"] {
        println!("cargo:rerun-if-changed={}", here.join(dir).display());
    }

    let (kernel_tests, kernel_sources): (Vec<PathBuf>, Vec<PathBuf>) =
        c_files(&here.join("kernel/src"))
            .into_iter()
            .partition(|p| {
                p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| KERNEL_TESTS.contains(&n))
            });
    let mut sources = kernel_tests;
    sources.extend(c_files(&here.join("tests")));
    sources.push(here.join("sample/memp_sample.c"));
    if let Some(extra) = env::var_os("EXTRA_TESTS").filter(|v| !v.is_empty()) {
        let extra = PathBuf::from(extra);
        let extra = if extra.is_absolute() {
            extra
        } else {
            repo.join(extra)
        };
        let found = c_files(&extra);
        if found.is_empty() {
            panic!("EXTRA_TESTS={} holds no .c files", extra.display());
        }
        println!("cargo:rerun-if-changed={}", extra.display());
        sources.extend(found);
    }

    let expected = here.join("sample/memp_sample.expected");
    let expected_lp64 = here.join("sample/memp_sample.expected.lp64");
    let mut build = cc::Build::new();
    build
        .include(here.join("kernel/include"))
        .include(repo.join("include"))
        .define("RTT_HOST_KERNEL", None)
        .define(
            "RTT_SAMPLE_EXPECTED",
            format!("\"{}\"", expected.display()).as_str(),
        )
        .define(
            "RTT_SAMPLE_EXPECTED_LP64",
            format!("\"{}\"", expected_lp64.display()).as_str(),
        )
        .flag("-std=gnu11")
        .warnings(true)
        .extra_warnings(true)
        .warnings_into_errors(true)
        // RT-Thread thread entries take a parameter they often ignore, as the unchanged
        // sample does.
        .flag("-Wno-unused-parameter")
        .cargo_metadata(false);
    if let Ok(align) = env::var("RTT_HOST_ALIGN_SIZE") {
        build.define("RT_ALIGN_SIZE", align.as_str());
    }
    // The library's optional checks (Kconfig RTT_MEMPOOL_PARANOID_CHECKS), for the suite's
    // test cases that only hold with them.
    if env::var("RTT_HOST_OMIT_MP_CHECK").is_ok_and(|v| v == "1") {
        build.define("RTT_MEMPOOL_OMIT_MP_CHECK", None);
    }
    if env::var("RTT_HOST_PARANOID").is_ok_and(|v| v == "1") {
        build.define("RTT_MEMPOOL_PARANOID_CHECKS", None);
    }
    let kernel_mempool = kernel_mempool_source();
    let mut kernel = build.clone();
    kernel.files(&kernel_sources).flag("-finstrument-functions");
    kernel.compile(KERNEL_LIB);
    if kernel_mempool.is_some() {
        build.define("RTT_HOST_KERNEL_MEMPOOL", None);
    }
    build.files(&sources).compile(SUITE_LIB);
    if let Some(source) = kernel_mempool {
        compile_kernel_mempool(&here, &repo, &source);
    }

    println!("cargo:rustc-link-search=native={}", out.display());
    for lib in [KERNEL_LIB, SUITE_LIB] {
        println!("cargo:rustc-link-lib=static:+whole-archive,-bundle={lib}");
    }
    // The sections are reached only through __start_/__stop_ symbols; lld (and GNU ld with
    // -z start-stop-gc) would otherwise drop them under --gc-sections.
    println!("cargo:rustc-link-arg=-Wl,-z,nostart-stop-gc");
}

/// The kernel's own `src/mempool.c` of the RT-Thread tree in `RTT_ROOT`, for the differential
/// test (`tc_mempool_differential.c`), when that release queues waiters as the host kernel
/// does (5.1+: the suspend-list API, which the host kernel implements).
fn kernel_mempool_source() -> Option<PathBuf> {
    let root = PathBuf::from(env::var_os("RTT_ROOT").filter(|v| !v.is_empty())?);
    let source = root.join("src/mempool.c");
    let rtdef = std::fs::read_to_string(root.join("include/rtdef.h")).ok()?;
    let version = |name: &str| -> Option<u32> {
        rtdef.lines().find_map(|line| {
            let mut words = line.split_whitespace();
            (words.next() == Some("#define") && words.next() == Some(name))
                .then(|| words.next()?.parse().ok())
                .flatten()
        })
    };
    let (major, minor) = (version("RT_VERSION_MAJOR")?, version("RT_VERSION_MINOR")?);
    if !source.is_file() || (major, minor) < (5, 1) {
        println!(
            "cargo:warning=RTT_ROOT={}: no 5.1+ src/mempool.c, differential test left out",
            root.display()
        );
        return None;
    }
    println!("cargo:rerun-if-changed={}", source.display());
    Some(source)
}

/// Compiles the kernel's C mempool against the host kernel with its exports renamed
/// `rt_mp_*` -> `kmp_*`, so that it links beside the library. It is the user's RT-Thread
/// source, read from RTT_ROOT at build time, never copied into the project.
fn compile_kernel_mempool(here: &Path, repo: &Path, source: &Path) {
    let mut build = cc::Build::new();
    build
        .file(source)
        .include(here.join("kernel/include"))
        .include(repo.join("include"))
        .define("RTT_HOST_KERNEL", None)
        .flag("-std=gnu11")
        // Kernel code, as the host kernel's own: the tick interrupt is not taken inside it.
        .flag("-finstrument-functions")
        .cargo_metadata(false);
    for name in [
        "init",
        "detach",
        "create",
        "delete",
        "alloc",
        "free",
        "alloc_sethook",
        "free_sethook",
    ] {
        build.define(&format!("rt_mp_{name}"), format!("kmp_{name}").as_str());
    }
    if let Ok(align) = env::var("RTT_HOST_ALIGN_SIZE") {
        build.define("RT_ALIGN_SIZE", align.as_str());
    }
    build.compile("rtt_kernel_mempool");
    println!("cargo:rustc-link-lib=static:+whole-archive,-bundle=rtt_kernel_mempool");
}
