package org.gort.spi.sched;

/** Why a G becomes runnable; strategies place it accordingly (Go's {@code runqput} {@code next} flag and friends). */
public enum ReadyReason {
    /** Created by {@code go f()} ({@code newproc}). */
    NEW,
    /** Woken by another goroutine or a timer ({@code goready}). */
    READIED,
    /** Gave up its P voluntarily ({@code Gosched}). */
    YIELDED,
    /** Stopped at a safepoint after sysmon asked it to ({@code gopreempt_m}). */
    PREEMPTED,
    /** Returned from a blocking syscall and found no P ({@code exitsyscall0}). */
    SYSCALL_EXIT,
    /** Re-queued by a hot swap from the previous scheduler's queues. */
    SWAPPED
}
