/*
 * MPS2 port: Reset_Handler, the first code after reset (on the main stack the vector table
 * gives). Enables the FPU on a hard-float build, points VTOR at the vector table, copies
 * .data from its load address to RAM, zeroes .bss and calls RT-Thread's entry()
 * (src/components.c), which never returns.
 */
    .syntax unified
    .thumb
    .text

    .global Reset_Handler
    .type Reset_Handler, %function
Reset_Handler:
    cpsid   i

#if defined(__VFP_FP__) && !defined(__SOFTFP__)
    /* CPACR (0xE000ED88): full access to coprocessors 10 and 11, the FPU; without it the
       first floating-point instruction takes a UsageFault (NOCP) */
    ldr     r0, =0xE000ED88
    ldr     r1, [r0]
    orr     r1, r1, #(0xF << 20)
    str     r1, [r0]
    /* FPCCR (0xE000EF34): ASPEN (bit 31) and LSPEN (bit 30), the reset values, said here
       because RT-Thread's cortex-m4 context switch relies on them: a thread that used the
       FPU gets an extended exception frame (EXC_RETURN bit 4 clear), whose S0-S15 are
       stacked lazily, and PendSV saves S16-S31 for it */
    ldr     r0, =0xE000EF34
    ldr     r1, [r0]
    orr     r1, r1, #0xC0000000
    str     r1, [r0]
    dsb
    isb
#endif

    /* VTOR (0xE000ED08): the table at 0 (its reset value); libcpu's
       rt_hw_context_switch_to reads the initial MSP back from it */
    ldr     r0, =0xE000ED08
    ldr     r1, =mps2_vectors
    str     r1, [r0]

    /* .data: copy from its load address in SSRAM1 to SSRAM2 */
    ldr     r0, =__mps2_data_load
    ldr     r1, =__mps2_data_start
    ldr     r2, =__mps2_data_end
1:  cmp     r1, r2
    bhs     2f
    ldr     r3, [r0], #4
    str     r3, [r1], #4
    b       1b

    /* .bss: zero */
2:  ldr     r1, =__mps2_bss_start
    ldr     r2, =__mps2_bss_end
    movs    r3, #0
3:  cmp     r1, r2
    bhs     4f
    str     r3, [r1], #4
    b       3b

4:  bl      entry
5:  b       5b

    .pool
    .size Reset_Handler, . - Reset_Handler
