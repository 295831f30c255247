package org.daxfs.locking;

/**
 * Thrown by the lock-order checker (debug mode, {@code -Ddaxfs.lockorder=true}) when a thread takes a lock
 * outer to one it holds. An {@link Error}, so that {@code catch (Exception)} and {@code catch
 * (RuntimeException)} on the way up cannot hide it. The message names both locks; the cause, if any, is
 * where the held lock was taken.
 */
public final class LockOrderViolation extends Error {
    private static final long serialVersionUID = 1L;

    LockOrderViolation(String message, Throwable heldSite) {
        super(message, heldSite);
    }
}
