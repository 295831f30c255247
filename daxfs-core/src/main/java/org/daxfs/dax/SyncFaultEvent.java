package org.daxfs.dax;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** Write access granted to a mapping (mkwrite), after the metadata commit for a sync mapping. */
@Name("org.daxfs.SyncFault")
@Label("DAX Write Enable")
@Category({"DaxFS", "Address Space"})
@Description("A mapping made writable: metadata committed first for sync mappings, entries re-checked")
@Enabled(false)
@StackTrace(false)
final class SyncFaultEvent extends jdk.jfr.Event {
    @Label("Inode")
    long inode;
    @Label("First Page")
    long index;
    @Label("Pages")
    long pages;
    @Label("Sync")
    boolean sync;
    @Label("Retries")
    int retries;
    @Label("Outcome")
    String outcome;
}
