package org.gort.spi.sched;

/** What happens to the P when its M enters a blocking syscall. */
public enum SyscallEntry {
    /** Keep the P in {@code SYSCALL} state; sysmon may retake it later (Go 1.1+ {@code entersyscall}). */
    KEEP_P,
    /** Give the P up at once and hand it to another M (Go 1.0's {@code entersyscall}, and {@code entersyscallblock}). */
    HAND_OFF
}
