package org.daxfs.fuse;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds a struct's bytes field by field, in the order and widths linux/fuse.h declares them, in the host's
 * byte order: the expected layouts of the protocol tests, written independently of the codec's offsets.
 */
final class Bytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static Bytes of() {
        return new Bytes();
    }

    Bytes u16(int v) {
        return put(ByteBuffer.allocate(2).order(ByteOrder.nativeOrder()).putShort((short) v).array());
    }

    Bytes u32(long v) {
        return put(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putInt((int) v).array());
    }

    Bytes u64(long v) {
        return put(ByteBuffer.allocate(8).order(ByteOrder.nativeOrder()).putLong(v).array());
    }

    Bytes zeros(int n) {
        return put(new byte[n]);
    }

    /** A name and its terminating NUL. */
    Bytes cstring(String s) {
        put(s.getBytes(StandardCharsets.UTF_8));
        return zeros(1);
    }

    Bytes raw(byte[] b) {
        return put(b);
    }

    Bytes put(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] array() {
        return out.toByteArray();
    }

    /**
     * A whole request: fuse_in_header (len, opcode, unique, nodeid, uid, gid, pid, total_extlen, padding) followed
     * by this body.
     */
    MemorySegment request(int opcode, long unique, long nodeid, int uid, int gid, int pid) {
        byte[] body = array();
        byte[] all = of().u32(40 + body.length).u32(opcode).u64(unique).u64(nodeid).u32(uid).u32(gid).u32(pid)
                .u16(0).u16(0).raw(body).array();
        return MemorySegment.ofArray(all);
    }

    MemorySegment request(int opcode, long nodeid) {
        return request(opcode, 77, nodeid, 1000, 100, 4242);
    }
}
