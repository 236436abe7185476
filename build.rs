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

use std::collections::BTreeSet;
use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// Kernel options that change what the library compiles, as `(cfg name, predicate over the
/// defined macros)`.
const KERNEL_CFGS: &[(&str, &[&str])] = &[
    ("rtt_smp", &["RT_USING_SMP"]),
    ("rtt_heap", &["RT_USING_HEAP"]),
    ("rtt_hook", &["RT_USING_HOOK", "RT_HOOK_USING_FUNC_PTR"]),
    ("rtt_debug", &["RT_USING_DEBUG"]),
    ("rtt_paranoid", &["RTT_MEMPOOL_PARANOID_CHECKS"]),
    ("rtt_omit_mp_check", &["RTT_MEMPOOL_OMIT_MP_CHECK"]),
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
        "RTT_HOST_OMIT_MP_CHECK",
        "RTT_MEMPOOL_BLESS",
    ] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    // The kernel headers bindgen reads are tracked by its own cargo callbacks.
    for path in ["src", "include", "cbindgen.toml"] {
        println!("cargo:rerun-if-changed={path}");
    }
    for (name, _) in KERNEL_CFGS {
        println!("cargo::rustc-check-cfg=cfg({name})");
    }
    for (name, _) in KERNEL_SHAPES {
        println!("cargo::rustc-check-cfg=cfg({name})");
    }
    println!(
        "cargo::rustc-check-cfg=cfg(rtt_wrapped, values({}))",
        WRAPPABLE
            .iter()
            .map(|f| format!("\"{f}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if env::var_os("CARGO_FEATURE_CAPI").is_none() {
        // The pool logic alone needs no kernel headers.
        return;
    }

    let kernel_flags = kernel_flags(&manifest);
    let compiler = cc::Build::new().get_compiler();
    let system_includes = if target.contains("-none") {
        cross_system_includes(&compiler)
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

    let stdc_atomic = defined.iter().any(|d| d == "RT_USING_STDC_ATOMIC");
    let seen = generate_bindings(&kernel_flags, &system_includes, &target, stdc_atomic, &out);
    let mut glue_defines = Vec::new();
    if stdc_atomic {
        glue_defines.push("-DRTT_PLAIN_ATOMIC_VIEW=1".to_owned());
    }
    for (name, shape) in KERNEL_SHAPES {
        if shape.holds(&seen) {
            println!("cargo:rustc-cfg={name}");
            glue_defines.push(format!("-D{}=1", name.to_uppercase()));
        }
    }
    // A kernel service the library calls that these headers offer only as a macro or a
    // static inline (bindgen then generates no function for it) is called through a C
    // wrapper that the glue compiles only for such a kernel.
    for function in WRAPPABLE {
        if !seen.functions.contains(*function) {
            println!("cargo:rustc-cfg=rtt_wrapped=\"{function}\"");
            glue_defines.push(format!("-DRTT_WRAP_{}=1", function.to_uppercase()));
        }
    }
    compile_glue(&kernel_flags, &glue_defines);
    generate_header(&manifest, &out);
}

/// How the kernel is built, as bindgen sees it in the user's headers: which functions they
/// declare and which fields their structs have. This, not a table of release numbers, decides
/// how the library locks, suspends and wakes (RT-Thread's releases differ there: see
/// `src/kernel.rs`).
#[derive(Debug, Default)]
struct Seen {
    functions: BTreeSet<String>,
    fields: BTreeSet<(String, String)>,
}

/// A fact about the kernel's shape, checked against what bindgen saw.
enum Shape {
    Function(&'static str),
    Field(&'static str, &'static str),
}

impl Shape {
    fn holds(&self, seen: &Seen) -> bool {
        match self {
            Shape::Function(f) => seen.functions.contains(*f),
            Shape::Field(ty, field) => seen.fields.contains(&(ty.to_string(), field.to_string())),
        }
    }
}

/// The cfgs the library's kernel layer is written against, each from one fact of the user's
/// headers. (RT-Thread 4.1 and 5.0 have none of these; 5.1 and later have all.)
const KERNEL_SHAPES: &[(&str, Shape)] = &[
    // The pool has its own spinlock (taken on SMP); without it the pool lock is
    // rt_hw_interrupt_disable, as that kernel's C mempool takes it.
    ("rtt_pool_spinlock", Shape::Field("rt_mempool", "spinlock")),
    // The object containers have their own spinlock; without it the kernel guards them with
    // rt_hw_interrupt_disable.
    (
        "rtt_registry_spinlock",
        Shape::Field("rt_object_information", "spinlock"),
    ),
    // Waiters queue through the scheduler's suspend-list API (FIFO); without it, with
    // rt_thread_suspend and a list insert at the head, woken from the head (LIFO).
    (
        "rtt_susp_list",
        Shape::Function("rt_thread_suspend_to_list"),
    ),
    // Suspend lists are guarded by the scheduler lock (a timeout unlinks a waiter under it,
    // not under the pool lock).
    ("rtt_sched_lock", Shape::Function("rt_sched_lock")),
];

/// Kernel services that some releases or configurations define only as a macro or a static
/// inline function (RT-Thread 4.1/5.0 SMP: `rt_hw_interrupt_disable` is `rt_cpus_lock`; 5.1
/// single core: `rt_spin_lock_irqsave` is a static inline).
const WRAPPABLE: &[&str] = &[
    "rt_hw_interrupt_disable",
    "rt_hw_interrupt_enable",
    "rt_spin_lock_irqsave",
    "rt_spin_unlock_irqrestore",
    "rt_spin_lock_init",
    "rt_strncmp",
];

/// Records what bindgen generates, and lets bindgen's own cargo callbacks track every header
/// it read for rebuilds.
#[derive(Debug)]
struct Recorder {
    seen: Arc<Mutex<Seen>>,
    cargo: bindgen::CargoCallbacks,
}

impl bindgen::callbacks::ParseCallbacks for Recorder {
    fn item_name(&self, item: bindgen::callbacks::ItemInfo) -> Option<String> {
        if let bindgen::callbacks::ItemKind::Function = item.kind {
            if let Ok(mut seen) = self.seen.lock() {
                seen.functions.insert(item.name.to_owned());
            }
        }
        None
    }

    fn field_visibility(
        &self,
        info: bindgen::callbacks::FieldInfo<'_>,
    ) -> Option<bindgen::FieldVisibilityKind> {
        if let Ok(mut seen) = self.seen.lock() {
            seen.fields
                .insert((info.type_name.to_owned(), info.field_name.to_owned()));
        }
        None
    }

    fn include_file(&self, filename: &str) {
        bindgen::callbacks::ParseCallbacks::include_file(&self.cargo, filename);
    }

    fn read_env_var(&self, key: &str) {
        bindgen::callbacks::ParseCallbacks::read_env_var(&self.cargo, key);
    }
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
    if env::var("RTT_HOST_OMIT_MP_CHECK").is_ok_and(|v| v == "1") {
        flags.push("-DRTT_MEMPOOL_OMIT_MP_CHECK".into());
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

/// The cross compiler's own include directories (newlib or picolibc, gcc's stddef.h), which
/// clang does not know for a bare-metal target. Asked with the flags the BSP compiles with
/// (cc's view: its target flags, then `CFLAGS_<target>`, where the package's SConscript puts
/// the BSP's machine flags and `--specs=`), since they choose the C library and multilib.
fn cross_system_includes(compiler: &cc::Tool) -> Vec<String> {
    let Ok(output) = Command::new(compiler.path())
        .args(compiler.args())
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
    // clang spells the bare-metal ARM triples as rustc does; the hosted x86 ones, RISC-V (whose
    // ISA extensions rustc puts in the architecture name, clang in -march) and bare-metal
    // AArch64 differ.
    match rust_target {
        "i686-unknown-linux-gnu" => "i686-linux-gnu".into(),
        "x86_64-unknown-linux-gnu" => "x86_64-linux-gnu".into(),
        "aarch64-unknown-none" | "aarch64-unknown-none-softfloat" => "aarch64-none-elf".into(),
        other if other.starts_with("riscv64") => "riscv64-unknown-elf".into(),
        other if other.starts_with("riscv32") => "riscv32-unknown-elf".into(),
        other => other.into(),
    }
}

/// bindgen's view of a kernel configured with RT_USING_STDC_ATOMIC (`rt_atomic_t` is
/// `_Atomic(rt_base_t)`, e.g. qemu-virt64-riscv on RT-Thread 5.3): the headers as the kernel
/// itself reads them before C11 (rttypes.h then drops RT_USING_STDC_ATOMIC, and `rt_atomic_t`
/// is a plain `rt_base_t`). clang cannot compile those headers' inline atomics: it rejects
/// valid C on `_Atomic` values that are not lvalues (rtatomic.h compares the result of a
/// function returning `rt_atomic_t`; libclang 14, 15 and 16 alike, gcc accepts it), and with
/// only gcc's stdatomic.h on the path it rejects that header's `_Atomic` operands too. The
/// bindings lose nothing: bindgen translates `_Atomic(T)` as `T` anyway. That the two have
/// the same size and alignment is checked where it matters, by the BSP's compiler in the
/// glue (src/glue.c), on the real configuration.
const PLAIN_ATOMIC_VIEW: &str = "#include <rtconfig.h>\n#undef RT_USING_STDC_ATOMIC\n";

fn generate_bindings(
    kernel_flags: &[String],
    system_includes: &[String],
    target: &str,
    stdc_atomic: bool,
    out: &Path,
) -> Seen {
    // The configuration values go through an enum: clang evaluates it whatever defines the
    // macro (rtconfig.h or a -D flag), where bindgen itself only sees macros from headers.
    let prelude = if stdc_atomic { PLAIN_ATOMIC_VIEW } else { "" };
    let header = prelude.to_owned()
        + "#include <rtthread.h>\n#include <rthw.h>\n\
                  enum rtt_mempool_config {\n\
                      RTT_MEMPOOL_ALIGN_SIZE = RT_ALIGN_SIZE,\n\
                      RTT_MEMPOOL_NAME_MAX = RT_NAME_MAX,\n\
                      RTT_MEMPOOL_EOK = RT_EOK,\n\
                      RTT_MEMPOOL_ERROR = RT_ERROR,\n\
                      RTT_MEMPOOL_ETIMEOUT = RT_ETIMEOUT,\n\
                      RTT_MEMPOOL_ENOMEM = RT_ENOMEM,\n\
                      RTT_MEMPOOL_EINVAL = RT_EINVAL,\n\
                  };\n";
    let recorder = Recorder {
        seen: Arc::default(),
        cargo: bindgen::CargoCallbacks::new(),
    };
    let seen = Arc::clone(&recorder.seen);
    let bindings = bindgen::Builder::default()
        .header_contents("rtt_mempool_kernel.h", &header)
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
        .parse_callbacks(Box::new(recorder))
        .allowlist_function("rt_(enter|exit)_critical|rt_critical_level")
        .allowlist_function("rt_sched_(lock|unlock)")
        .allowlist_function("rt_thread_(suspend|resume)")
        .allowlist_function("rt_spin_(lock_init|lock_irqsave|unlock_irqrestore)")
        .allowlist_function("rt_hw_interrupt_(disable|enable)")
        .allowlist_function("rt_susp_list_(dequeue|resume_all)|rt_thread_suspend_to_list")
        .allowlist_function("rt_thread_self|rt_tick_get|rt_timer_(control|start)|rt_schedule")
        .allowlist_function("rt_(set|get)_errno|rt_malloc|rt_free|rt_interrupt_get_nest|rt_kprintf")
        .allowlist_function("rt_strncmp")
        // The kernel's own declarations of the API this library defines: the shell checks
        // at compile time that its exports have exactly these types.
        .allowlist_function("rt_mp_.*")
        .allowlist_var("RT_(EOK|ERROR|ETIMEOUT|ENOMEM|EINVAL|WAITING_FOREVER)")
        .allowlist_var("RT_(IPC_FLAG_FIFO|UNINTERRUPTIBLE|TIMER_CTRL_SET_TIME)")
        .allowlist_var("RT_Object_Class_(MemPool|Static)")
        .generate()
        .unwrap_or_else(|e| {
            panic!("rtt-mempool: bindgen could not read the kernel headers ({e}); flags: {kernel_flags:?}; system includes: {system_includes:?}")
        });
    bindings
        .write_to_file(out.join("bindings.rs"))
        .expect("write bindings.rs");
    let seen = std::mem::take(&mut *seen.lock().expect("bindgen recorder"));
    seen
}

fn compile_glue(kernel_flags: &[String], defines: &[String]) {
    let mut build = cc::Build::new();
    build.file("src/glue.c").warnings(true).extra_warnings(true);
    for flag in kernel_flags.iter().chain(defines) {
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
        .with_src(manifest.join("src/diag.rs"))
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
