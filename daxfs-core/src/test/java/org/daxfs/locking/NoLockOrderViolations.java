package org.daxfs.locking;

import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test during which the lock-order checker reported a violation on any thread, including one a
 * worker thread swallowed or a test caught. Registered for every test by autodetection
 * ({@code junit-platform.properties}); does nothing while the checker is off. Tests run one at a time in
 * this suite, so a violation belongs to the test that was running.
 */
public final class NoLockOrderViolations implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoLockOrderViolations.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        context.getStore(NS).put("count", LockOrder.violationCount());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!LockOrder.ENABLED) {
            return;
        }
        Long before = context.getStore(NS).get("count", Long.class);
        long now = LockOrder.violationCount();
        if (before != null && now > before) {
            List<LockOrderViolation> all = LockOrder.violations();
            LockOrderViolation first = before < all.size() ? all.get(before.intValue()) : null;
            AssertionError e = new AssertionError((now - before) + " lock-order violation(s) during this test"
                    + (first == null ? "" : "; the first: " + first.getMessage()));
            if (first != null) {
                e.initCause(first);
            }
            throw e;
        }
    }
}
