package org.gort.spi.sched;

/** Go's P states ({@code _Pidle, _Prunning, _Psyscall, _Pgcstop}); Go's numbering. */
public enum ProcStatus {
    IDLE, RUNNING, SYSCALL, GCSTOP;

    /** Go's numeric value, as printed by {@code scheddetail}. */
    public int code() {
        return ordinal();
    }
}
