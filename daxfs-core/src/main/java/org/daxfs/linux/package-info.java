/**
 * Linux system calls through the FFM API, for the layers that need calls the JDK does not offer (the
 * device layer's memfd, mmap and mprotect; the FUSE front end's /dev/fuse and mount): one way to find a
 * call, capture its errno and name a failure. No locks.
 */
package org.daxfs.linux;
