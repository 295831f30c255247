package org.daxfs.stress;

import org.daxfs.Errno;
import org.daxfs.FsException;

/**
 * What one operation answered, or must answer: an errno, or success with a number (bytes read or written,
 * -1 at end of file, a flag) and for reads the bytes; or, for an access through a mapping that a range
 * operation took away, {@link #revoked()}. The model's outcome and DaxFS's are compared field by field by
 * {@link Comparison}.
 *
 * @param errno the error, or null for success
 * @param value the number the call returned (0 where it returns nothing)
 * @param data the bytes a read returned, or null
 * @param detail the engine's message for an error, for the report; never compared
 */
record Outcome(Errno errno, long value, byte[] data, String detail) {
    private static final Outcome OK = new Outcome(null, 0, null, null);
    /** The value of {@link #revoked()}: no count a call returns is this. */
    private static final long REVOKED_VALUE = Long.MIN_VALUE;
    private static final Outcome REVOKED = new Outcome(null, REVOKED_VALUE, null, null);
    /** {@link #undecided()}: never compared, an operation settles it first. */
    private static final Outcome UNDECIDED = new Outcome(null, Long.MIN_VALUE + 1, null, "undecided");

    static Outcome ok() {
        return OK;
    }

    static Outcome ok(long value) {
        return new Outcome(null, value, null, null);
    }

    /** A read: {@code count} bytes (or -1 at end of file) and the bytes themselves. */
    static Outcome read(long count, byte[] data) {
        return new Outcome(null, count, data, null);
    }

    /** An access through a mapping threw IllegalStateException: the mapping was revoked. */
    static Outcome revoked() {
        return REVOKED;
    }

    /**
     * A read through a mapping that was revoked part way (flip mode): {@code before}, the bytes read
     * before the access that threw, are compared by the operation itself.
     */
    static Outcome revokedAfter(byte[] before) {
        return new Outcome(null, REVOKED_VALUE, before, null);
    }

    /** Whether this is {@link #revoked()} or {@link #revokedAfter}. */
    boolean isRevoked() {
        return errno == null && value == REVOKED_VALUE;
    }

    /**
     * What {@link Operation#expect} returns when only DaxFS's answer can tell which of two outcomes is due;
     * {@link Operation#settle} replaces it.
     */
    static Outcome undecided() {
        return UNDECIDED;
    }

    static Outcome failed(Errno errno) {
        return new Outcome(errno, 0, null, null);
    }

    static Outcome failed(FsException e) {
        return new Outcome(e.errno(), 0, null, e.getMessage());
    }

    boolean succeeded() {
        return errno == null;
    }

    /** Short form for the operation log: {@code ok}, {@code 512}, {@code EOF}, {@code EFBIG}. */
    @Override
    public String toString() {
        if (errno != null) {
            return errno.name();
        }
        if (value == REVOKED_VALUE) {
            return data == null ? "revoked" : "revoked after " + data.length + " bytes";
        }
        if (data != null) {
            return value < 0 ? "EOF" : value + " bytes";
        }
        return this == OK ? "ok" : Long.toString(value);
    }
}
