package org.daxfs.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.daxfs.device.Device;

/**
 * One 4 KiB metadata block held in memory: its number on the device and its bytes, little-endian.
 *
 * <p>Every metadata block but the inode-table blocks starts with the common header
 * {@code u32 magic, u32 crc32c, u64 owner}: the magic says what the block is, the CRC covers the whole
 * block with the CRC field taken as zero, and the owner is the inode the block belongs to (0 for the file
 * system itself) so that fsck can tell whose a block is.
 *
 * <p>A Block is not thread safe. Blocks read through {@link MetadataBlocks#read} must not be modified.
 */
public final class Block {
    public static final int SIZE = Device.BLOCK_SIZE;
    public static final int MAGIC = 0;
    public static final int CRC = 4;
    public static final int OWNER = 8;
    /** First byte after the common header. */
    public static final int HEADER_END = 16;

    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final long number;
    private final byte[] data;

    public Block(long number, byte[] data) {
        if (data.length != SIZE) {
            throw new IllegalArgumentException("block of " + data.length + " bytes");
        }
        this.number = number;
        this.data = data;
    }

    /** A zero-filled block. */
    public static Block zeroed(long number) {
        return new Block(number, new byte[SIZE]);
    }

    public long number() {
        return number;
    }

    /** The bytes themselves (not a copy). */
    public byte[] data() {
        return data;
    }

    /** A private copy with the same number. */
    public Block copy() {
        return new Block(number, data.clone());
    }

    public int getByte(int off) {
        return data[off] & 0xff;
    }

    public void putByte(int off, int v) {
        data[off] = (byte) v;
    }

    public int getShort(int off) {
        return (short) SHORT.get(data, off) & 0xffff;
    }

    public void putShort(int off, int v) {
        SHORT.set(data, off, (short) v);
    }

    public int getInt(int off) {
        return (int) INT.get(data, off);
    }

    public long getUInt(int off) {
        return getInt(off) & 0xffffffffL;
    }

    public void putInt(int off, int v) {
        INT.set(data, off, v);
    }

    public long getLong(int off) {
        return (long) LONG.get(data, off);
    }

    public void putLong(int off, long v) {
        LONG.set(data, off, v);
    }

    public void getBytes(int off, byte[] dst, int dstOff, int len) {
        System.arraycopy(data, off, dst, dstOff, len);
    }

    public void putBytes(int off, byte[] src, int srcOff, int len) {
        System.arraycopy(src, srcOff, data, off, len);
    }

    /** Moves {@code len} bytes within the block (overlap allowed). */
    public void move(int from, int to, int len) {
        System.arraycopy(data, from, data, to, len);
    }

    public void fill(int off, int len, int v) {
        Arrays.fill(data, off, off + len, (byte) v);
    }

    // ---- common header -------------------------------------------------------------------------

    /** Clears the block and writes the common header (CRC is computed by {@link #seal()}). */
    public void init(int magic, long owner) {
        Arrays.fill(data, (byte) 0);
        putInt(MAGIC, magic);
        putLong(OWNER, owner);
    }

    public int magic() {
        return getInt(MAGIC);
    }

    public long owner() {
        return getLong(OWNER);
    }

    /** Computes and stores the CRC of a block with the common header. */
    public void seal() {
        putInt(CRC, crcOf(data, CRC));
    }

    /**
     * Checks magic and CRC of a block with the common header.
     *
     * @throws FsException EUCLEAN naming the block if either is wrong
     */
    public Block verify(int expectedMagic, String what) throws FsException {
        if (magic() != expectedMagic) {
            throw corrupt(what + ": bad magic 0x" + Integer.toHexString(magic()));
        }
        if (getInt(CRC) != crcOf(data, CRC)) {
            throw corrupt(what + ": checksum mismatch");
        }
        return this;
    }

    /** EUCLEAN for this block. */
    public FsException corrupt(String detail) {
        return FsException.atOffset(Errno.EUCLEAN, number * SIZE, "block " + number + ": " + detail);
    }

    /** CRC32C of {@code data} with the 4 bytes at {@code crcOffset} taken as zero. */
    public static int crcOf(byte[] data, int crcOffset) {
        return crcOf(data, 0, data.length, crcOffset);
    }

    /** CRC32C of {@code data[from, from+len)} with the 4 bytes at absolute {@code crcOffset} taken as zero. */
    public static int crcOf(byte[] data, int from, int len, int crcOffset) {
        CRC32C crc = new CRC32C();
        crc.update(data, from, crcOffset - from);
        crc.update(ZERO4, 0, 4);
        crc.update(data, crcOffset + 4, from + len - crcOffset - 4);
        return (int) crc.getValue();
    }

    private static final byte[] ZERO4 = new byte[4];
}
