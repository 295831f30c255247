/**
 * The device layer, the bottom of DaxFS: the byte-addressable region that holds a whole file system.
 *
 * <h2>What is here</h2>
 * <ul>
 *   <li>{@link org.daxfs.device.Device}: the interface every layer above uses.
 *   <li>{@link org.daxfs.device.Devices}: creates images and opens devices; {@link org.daxfs.device.DeviceOptions}
 *       says how.
 *   <li>{@link org.daxfs.device.MappedDevice}: image file, devdax node or memfd, mapped into memory (direct
 *       access). {@link org.daxfs.device.BlockOnlyDevice}: pread/pwrite only.
 *       {@link org.daxfs.device.CrashSimulatorDevice}: memory with a live and a durable image, for crash tests.
 *   <li>{@link org.daxfs.device.DeviceWindow}: reserved address space in which chosen device blocks are shown,
 *       so scattered blocks read as one contiguous range; {@code WindowSource} is the descriptor it maps.
 *   <li>{@code DeviceLifetime}: read-side sections and kill, shared by all devices through
 *       {@code AbstractDevice}. {@link org.daxfs.device.BadSectorList}: media errors.
 * </ul>
 *
 * <h2>Locks</h2>
 * The device is the innermost level of the lock order (see DESIGN.md and {@link org.daxfs.locking.LockOrder},
 * which checks it in debug mode): a device read-side section may be entered while holding any file-system
 * lock, and nothing in this package takes a file-system lock or calls back into the layers above, except kill
 * listeners, which run on the killing thread after every section has left, and the crash simulator's persist
 * listeners (test hooks, run in a {@link org.daxfs.locking.LockOrder#suspend()} scope). Never call
 * {@link org.daxfs.device.Device#kill()} or {@link org.daxfs.device.Device#close()} from inside a section of
 * the same device: it would wait for itself, so it throws IllegalStateException.
 */
package org.daxfs.device;
