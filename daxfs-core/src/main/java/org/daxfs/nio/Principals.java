package org.daxfs.nio;

import java.io.IOException;
import java.nio.file.ProviderMismatchException;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;

/**
 * Owners and groups. An image stores numbers, not names, and has no user database, so a principal is
 * named by its number ({@code "0"}, {@code "1000"}), and the lookup service accepts numbers only.
 *
 * <p>Locks: none.
 */
final class Principals extends UserPrincipalLookupService {
    static final Principals INSTANCE = new Principals();

    /** A user, named by its uid. */
    record User(int id) implements UserPrincipal {
        @Override
        public String getName() {
            return Integer.toUnsignedString(id);
        }

        @Override
        public String toString() {
            return getName();
        }
    }

    /** A group, named by its gid. */
    record Group(int id) implements GroupPrincipal {
        @Override
        public String getName() {
            return Integer.toUnsignedString(id);
        }

        @Override
        public String toString() {
            return getName();
        }
    }

    @Override
    public UserPrincipal lookupPrincipalByName(String name) throws IOException {
        return new User(number(name));
    }

    @Override
    public GroupPrincipal lookupPrincipalByGroupName(String group) throws IOException {
        return new Group(number(group));
    }

    private static int number(String name) throws UserPrincipalNotFoundException {
        long n;
        try {
            n = Long.parseLong(name.strip());
        } catch (NumberFormatException e) {
            throw new UserPrincipalNotFoundException(name);
        }
        if (n < 0 || n > 0xFFFF_FFFEL) {
            throw new UserPrincipalNotFoundException(name);
        }
        return (int) n;
    }

    /** The uid of an owner: one of ours, or any principal whose name is a number. */
    static int uidOf(UserPrincipal owner) throws IOException {
        if (owner instanceof User u) {
            return u.id();
        }
        if (owner instanceof GroupPrincipal) {
            throw new IOException("'owner' parameter cannot be a group");
        }
        return foreign(owner);
    }

    /** The gid of a group: one of ours, or any principal whose name is a number. */
    static int gidOf(GroupPrincipal group) throws IOException {
        if (group instanceof Group g) {
            return g.id();
        }
        return foreign(group);
    }

    private static int foreign(UserPrincipal p) {
        try {
            return number(p.getName());
        } catch (UserPrincipalNotFoundException e) {
            throw new ProviderMismatchException("principal '" + p.getName() + "' is not numeric and not of DaxFS");
        }
    }
}
