package org.daxfs.device;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * CPU cache-line writeback (CLWB/CLFLUSHOPT + fence) for device memory that the JDK did not map itself.
 *
 * <p>Why this exists: {@code FileChannel.map} cannot map a devdax character device (it tries to grow the
 * "file" to the mapping size with ftruncate, which a character device refuses), so DaxFS maps devdax with
 * mmap through FFM. {@code force()} only works on segments the JDK mapped, and the JDK's writeback
 * primitive, {@code jdk.internal.misc.Unsafe.writebackMemory}, is not exported. When the JVM is started
 * with {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED} this class uses it; otherwise
 * {@link #instance()} is null and {@link #unavailableReason()} says what to add.
 *
 * <p>Locking: none. Thread safe.
 */
final class CacheLineWriteback {
    static final String EXPORT_FLAG = "--add-exports java.base/jdk.internal.misc=ALL-UNNAMED";

    private static final CacheLineWriteback INSTANCE;
    private static final String UNAVAILABLE_REASON;

    static {
        CacheLineWriteback instance = null;
        String reason = null;
        try {
            Class<?> unsafeClass = Class.forName("jdk.internal.misc.Unsafe");
            if (!unsafeClass.getModule().isExported("jdk.internal.misc", CacheLineWriteback.class.getModule())) {
                reason = "jdk.internal.misc is not exported to DaxFS; start the JVM with " + EXPORT_FLAG;
            } else {
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                Object unsafe = lookup.findStatic(unsafeClass, "getUnsafe", MethodType.methodType(unsafeClass))
                        .invoke();
                boolean enabled = (boolean) lookup.findStatic(unsafeClass, "isWritebackEnabled",
                        MethodType.methodType(boolean.class)).invoke();
                if (!enabled) {
                    reason = "this CPU or JVM has no cache-line writeback instruction";
                } else {
                    MethodHandle writeback = lookup.findVirtual(unsafeClass, "writebackMemory",
                            MethodType.methodType(void.class, long.class, long.class)).bindTo(unsafe);
                    instance = new CacheLineWriteback(writeback);
                }
            }
        } catch (Throwable t) {
            reason = "JDK writeback primitive not usable: " + t;
        }
        INSTANCE = instance;
        UNAVAILABLE_REASON = reason;
    }

    private final MethodHandle writeback;

    private CacheLineWriteback(MethodHandle writeback) {
        this.writeback = writeback;
    }

    /** The writeback, or null when it is not available in this JVM. */
    static CacheLineWriteback instance() {
        return INSTANCE;
    }

    /** Why {@link #instance()} is null, or null when it is not. */
    static String unavailableReason() {
        return UNAVAILABLE_REASON;
    }

    /**
     * Writes back every cache line of {@code segment} to memory and orders the writeback before later
     * stores. The segment must be native and alive (the caller holds a device section).
     */
    void writeback(MemorySegment segment) {
        if (segment.byteSize() == 0) {
            return;
        }
        try {
            writeback.invokeExact(segment.address(), segment.byteSize());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cache-line writeback failed", t);
        }
    }
}
