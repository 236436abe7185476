//! Build script: turns the user's RT-Thread headers into Rust, compiles the C glue and writes
//! the library's C header.
//!
//! Where the kernel headers come from:
//! - `RTT_MEMPOOL_CFLAGS` set (the package's SConscript does this): the `-I`/`-D` flags the BSP
//!   compiles its kernel with, so `struct rt_mempool` and every option follow that BSP's
//!   `rtconfig.h`.
//! - unset: the project's own host test kernel in `c_tests/kernel/include` (tests, CI, and the
//!   size check of `make test`).
//!
//! Outputs: `$OUT_DIR/bindings.rs` (bindgen), `librtt_mempool_glue.a` (cc), cfgs for the kernel
//! options the library depends on, and `$OUT_DIR/rtt_mempool.h` (cbindgen; copied to `include/`
//! when `RTT_MEMPOOL_BLESS=1`, and compared with the committed copy by a unit test).

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Kernel options that change what the library compiles, as `(cfg name, predicate over the
/// defined macros)`.
const KERNEL_CFGS: &[(&str, &[&str])] = &[
    ("rtt_smp", &["RT_USING_SMP"]),
    ("rtt_heap", &["RT_USING_HEAP"]),
    ("rtt_hook", &["RT_USING_HOOK", "RT_HOOK_USING_FUNC_PTR"]),
    ("rtt_debug", &["RT_USING_DEBUG"]),
    ("rtt_paranoid", &["RTT_MEMPOOL_PARANOID_CHECKS"]),
];

fn main() {
    let manifest =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    let target = env::var("TARGET").expect("cargo sets TARGET");

    for var in [
        "RTT_MEMPOOL_CFLAGS",
        "RTT_HOST_ALIGN_SIZE",
        "RTT_HOST_PARANOID",
        "RTT_MEMPOOL_BLESS",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    for path in ["src", "include", "c_tests/kernel/include", "cbindgen.toml"] {
        println!("cargo:rerun-if-changed={path}");
    }
    for (name, _) in KERNEL_CFGS {
        println!("cargo::rustc-check-cfg=cfg({name})");
    }
    if env::var_os("CARGO_FEATURE_CAPI").is_none() {
        // The pool logic alone needs no kernel headers.
        return;
    }

    let kernel_flags = kernel_flags(&manifest);
    let compiler = cc::Build::new().get_compiler();
    let system_includes = if target.contains("-none") {
        cross_system_includes(compiler.path())
    } else {
        Vec::new()
    };

    let defined = defined_macros(&kernel_flags, &out);
    for (name, needs) in KERNEL_CFGS {
        if needs.iter().all(|m| defined.iter().any(|d| d == m)) {
            println!("cargo:rustc-cfg={name}");
        }
    }
    if !defined.iter().any(|d| d == "RT_USING_MEMPOOL") {
        panic!(
            "rtt-mempool: RT_USING_MEMPOOL is not defined by the kernel configuration; \
             the kernel headers then declare no rt_mp_* API. Enable it in rtconfig.h \
             (the package's Kconfig option selects it)."
        );
    }

    generate_bindings(&kernel_flags, &system_includes, &target, &out);
    compile_glue(&kernel_flags);
    generate_header(&manifest, &out);
}

/// The compiler flags that locate and configure the kernel headers.
fn kernel_flags(manifest: &Path) -> Vec<String> {
    if let Ok(flags) = env::var("RTT_MEMPOOL_CFLAGS") {
        let flags: Vec<String> = flags.split_whitespace().map(str::to_owned).collect();
        if !flags.is_empty() {
            return flags;
        }
    }
    let mut flags = vec![format!(
        "-I{}",
        manifest.join("c_tests/kernel/include").display()
    )];
    if let Ok(align) = env::var("RTT_HOST_ALIGN_SIZE") {
        flags.push(format!("-DRT_ALIGN_SIZE={align}"));
    }
    if env::var("RTT_HOST_PARANOID").is_ok_and(|v| v == "1") {
        flags.push("-DRTT_MEMPOOL_PARANOID_CHECKS".into());
    }
    flags
}

/// Names of every macro the kernel headers define for this configuration, from the C
/// preprocessor (`-dM`), so that empty `#define RT_USING_X` options are seen too.
fn defined_macros(kernel_flags: &[String], out: &Path) -> Vec<String> {
    let probe = out.join("rtt_config_probe.c");
    std::fs::write(&probe, "#include <rtthread.h>\n").expect("write config probe");
    let mut build = cc::Build::new();
    build.file(&probe).flag("-dM").cargo_metadata(false);
    for flag in kernel_flags {
        build.flag(flag);
    }
    let expanded = build.expand();
    String::from_utf8_lossy(&expanded)
        .lines()
        .filter_map(|line| line.strip_prefix("#define "))
        .filter_map(|rest| rest.split([' ', '(']).next())
        .map(str::to_owned)
        .collect()
}

/// The cross compiler's own include directories (newlib, gcc's stddef.h), which clang does
/// not know for a bare-metal target.
fn cross_system_includes(compiler: &Path) -> Vec<String> {
    let Ok(output) = Command::new(compiler)
        .args(["-E", "-Wp,-v", "-xc", "/dev/null"])
        .output()
    else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&output.stderr);
    text.lines()
        .skip_while(|l| !l.starts_with("#include <...>"))
        .skip(1)
        .take_while(|l| l.starts_with(' '))
        .map(|l| format!("-isystem{}", l.trim()))
        .collect()
}

fn clang_target(rust_target: &str) -> String {
    // clang spells the bare-metal ARM triples as rustc does; only the hosted x86 ones differ.
    match rust_target {
        "i686-unknown-linux-gnu" => "i686-linux-gnu".into(),
        "x86_64-unknown-linux-gnu" => "x86_64-linux-gnu".into(),
        other => other.into(),
    }
}

fn generate_bindings(
    kernel_flags: &[String],
    system_includes: &[String],
    target: &str,
    out: &Path,
) {
    // The configuration values go through an enum: clang evaluates it whatever defines the
    // macro (rtconfig.h or a -D flag), where bindgen itself only sees macros from headers.
    let header = "#include <rtthread.h>\n#include <rthw.h>\n\
                  enum rtt_mempool_config {\n\
                      RTT_MEMPOOL_ALIGN_SIZE = RT_ALIGN_SIZE,\n\
                      RTT_MEMPOOL_NAME_MAX = RT_NAME_MAX,\n\
                  };\n";
    let bindings = bindgen::Builder::default()
        .header_contents("rtt_mempool_kernel.h", header)
        .clang_arg(format!("--target={}", clang_target(target)))
        .clang_args(kernel_flags)
        .clang_args(system_includes)
        .use_core()
        .ctypes_prefix("core::ffi")
        .generate_comments(false)
        .layout_tests(true)
        .derive_debug(false)
        .derive_default(false)
        .prepend_enum_name(false)
        .allowlist_type("rt_mempool")
        .allowlist_type("rt_thread")
        .allowlist_type("rt_object_information")
        .allowlist_type("rtt_mempool_config")
        .allowlist_function("rt_object_(init|detach|allocate|delete|get_type|is_systemobject|get_information)")
        .allowlist_function("rt_(enter|exit)_critical|rt_critical_level")
        .allowlist_function("rt_spin_(lock_init|lock_irqsave|unlock_irqrestore)")
        .allowlist_function("rt_hw_interrupt_(disable|enable)")
        .allowlist_function("rt_susp_list_(dequeue|resume_all)|rt_thread_suspend_to_list")
        .allowlist_function("rt_thread_self|rt_tick_get|rt_timer_(control|start)|rt_schedule")
        .allowlist_function("rt_(set|get)_errno|rt_malloc|rt_free|rt_interrupt_get_nest|rt_kprintf")
        // The kernel's own declarations of the API this library defines: the shell checks
        // at compile time that its exports have exactly these types.
        .allowlist_function("rt_mp_.*")
        .allowlist_var("RT_(EOK|ERROR|ETIMEOUT|ENOMEM|EINVAL|WAITING_FOREVER)")
        .allowlist_var("RT_(IPC_FLAG_FIFO|UNINTERRUPTIBLE|TIMER_CTRL_SET_TIME)")
        .allowlist_var("RT_Object_Class_(MemPool|Static)")
        .generate()
        .unwrap_or_else(|e| {
            panic!("rtt-mempool: bindgen could not read the kernel headers ({e}); flags: {kernel_flags:?}")
        });
    bindings
        .write_to_file(out.join("bindings.rs"))
        .expect("write bindings.rs");
}

fn compile_glue(kernel_flags: &[String]) {
    let mut build = cc::Build::new();
    build.file("src/glue.c").warnings(true).extra_warnings(true);
    for flag in kernel_flags {
        build.flag(flag);
    }
    build.compile("rtt_mempool_glue");
}

fn generate_header(manifest: &Path, out: &Path) {
    let config =
        cbindgen::Config::from_file(manifest.join("cbindgen.toml")).expect("read cbindgen.toml");
    let generated = out.join("rtt_mempool.h");
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(manifest.join("src/api.rs"))
        .generate()
        .expect("cbindgen could not generate include/rtt_mempool.h")
        .write_to_file(&generated);
    println!(
        "cargo:rustc-env=RTT_MEMPOOL_GENERATED_HEADER={}",
        generated.display()
    );
    if env::var("RTT_MEMPOOL_BLESS").is_ok_and(|v| v == "1") {
        std::fs::copy(&generated, manifest.join("include/rtt_mempool.h")).expect("bless header");
    }
}
