package org.daxfs.fuse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.daxfs.Errno;
import org.daxfs.FsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session loop over a socket pair standing in for /dev/fuse (SOCK_SEQPACKET keeps message boundaries as the
 * device does): every request gets exactly one reply with its unique id, failures of every kind become errnos, a
 * request that gets no reply gets none, deferred replies go out later, and end of input ends the session.
 */
class FuseSessionTest {
    private int[] fds;
    private FuseSession session;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final CompletableFuture<Long> deferred = new CompletableFuture<>();
    private boolean peerClosed;

    @BeforeEach
    void setUp() throws Throwable {
        fds = Syscalls.seqpacketPair();
        FuseSession.Handler handler = (h, msg, out) -> switch (h.opcode()) {
            case FuseProtocol.INIT -> {
                out.set(FuseCodec.U32, 0, 7);
                yield 4;
            }
            case FuseProtocol.GETATTR -> throw new IllegalStateException("an engine bug");
            case FuseProtocol.LOOKUP -> throw FsException.of(Errno.ENOENT, "x");
            case FuseProtocol.ACCESS -> throw new FuseError(FuseError.ENOSYS, "not served");
            case FuseProtocol.READ -> {
                FuseCodec.readIn(msg); // too short: malformed
                yield 0;
            }
            case FuseProtocol.FORGET -> FuseSession.NO_REPLY;
            case FuseProtocol.SETLKW -> {
                deferred.complete(h.unique());
                yield FuseSession.DEFERRED;
            }
            default -> {
                MemorySegment.copy(msg, FuseProtocol.IN_HEADER_SIZE, out, 0, msg.byteSize() - FuseProtocol.IN_HEADER_SIZE);
                yield (int) (msg.byteSize() - FuseProtocol.IN_HEADER_SIZE); // echo the body
            }
        };
        session = new FuseSession(fds[0], handler, 1 << 16, 2, log::add, false);
        session.start("test-session");
    }

    @AfterEach
    void tearDown() throws Throwable {
        if (!peerClosed) {
            Syscalls.close(fds[1]);
        }
        session.exited().get(30, TimeUnit.SECONDS);
        Syscalls.close(fds[0]);
    }

    /** A reply: its header fields and body (as Latin-1 text, so records compare by content). */
    private record Reply(int length, int error, long unique, String body) {
    }

    private Reply exchange(MemorySegment request) throws Throwable {
        Syscalls.send(fds[1], request.toArray(ValueLayout.JAVA_BYTE));
        return receive();
    }

    private Reply receive() throws Throwable {
        byte[] r = Syscalls.receive(fds[1]);
        MemorySegment m = MemorySegment.ofArray(r);
        assertEquals(r.length, m.get(FuseCodec.U32, 0), "the header's length is the message's");
        return new Reply(r.length, m.get(FuseCodec.U32, 4), m.get(FuseCodec.U64, 8),
                new String(r, 16, r.length - 16, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    @Test
    void everyRequestIsAnsweredWithItsUniqueId() throws Throwable {
        Reply init = exchange(Bytes.of().u32(7).u32(31).u32(0).u32(0).request(FuseProtocol.INIT, 1, 0, 0, 0, 0));
        assertEquals(new Reply(20, 0, 1, init.body()), init);
        session.initialized().get(30, TimeUnit.SECONDS);
        Reply echo = exchange(Bytes.of().raw("payload".getBytes()).request(FuseProtocol.STATFS, 2, 1, 0, 0, 0));
        assertEquals(2, echo.unique());
        assertEquals(0, echo.error());
        assertEquals("payload", echo.body());
        assertEquals(new Reply(16, -5, 3, ""), exchange(Bytes.of().request(FuseProtocol.GETATTR, 3, 1, 0, 0, 0)),
                "a runtime failure is EIO");
        assertEquals(new Reply(16, -2, 4, ""), exchange(Bytes.of().request(FuseProtocol.LOOKUP, 4, 1, 0, 0, 0)),
                "an engine error is its errno");
        assertEquals(new Reply(16, -38, 5, ""), exchange(Bytes.of().request(FuseProtocol.ACCESS, 5, 1, 0, 0, 0)));
        assertEquals(new Reply(16, -22, 6, ""), exchange(Bytes.of().u64(1).request(FuseProtocol.READ, 6, 1, 0, 0, 0)),
                "a malformed request is EINVAL");
        // FORGET gets no reply: the next reply is the next request's.
        Syscalls.send(fds[1], Bytes.of().u64(1).request(FuseProtocol.FORGET, 7, 5, 0, 0, 0).toArray(ValueLayout.JAVA_BYTE));
        assertEquals(8, exchange(Bytes.of().request(FuseProtocol.STATFS, 8, 1, 0, 0, 0)).unique());
        assertEquals(2, log.size(), "the bug and the malformed request were logged: " + log);
        assertTrue(log.get(0).contains("an engine bug"), log.toString());
    }

    @Test
    void deferredRepliesGoOutLater() throws Throwable {
        Syscalls.send(fds[1], Bytes.of().zeros(48).request(FuseProtocol.SETLKW, 40, 5, 0, 0, 0).toArray(ValueLayout.JAVA_BYTE));
        long unique = deferred.get(30, TimeUnit.SECONDS);
        assertEquals(41, exchange(Bytes.of().request(FuseProtocol.STATFS, 41, 1, 0, 0, 0)).unique(), "others go on meanwhile");
        session.reply(unique, FuseError.EINTR, new byte[0]);
        assertEquals(new Reply(16, -4, 40, ""), receive());
    }

    @Test
    void endOfInputEndsTheSession() throws Throwable {
        Syscalls.close(fds[1]);
        peerClosed = true;
        session.exited().get(30, TimeUnit.SECONDS);
        assertTrue(session.initialized().isCompletedExceptionally(), "no INIT came");
        assertFalse(log.stream().anyMatch(l -> l.contains("failed")), log.toString());
    }
}
