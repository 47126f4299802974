package org.gort.kernel;

/** Go's goroutine states ({@code _Gidle ... _Gdead}), with Go's numbering for {@code scheddetail}. */
public enum GStatus {
    IDLE(0), RUNNABLE(1), RUNNING(2), SYSCALL(3), WAITING(4), DEAD(6);

    public final int code;

    GStatus(int code) {
        this.code = code;
    }
}
