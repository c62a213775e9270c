package dev.spinet.dns;

/**
 * A fixed-size cache of lookup results, keyed by the name asked for (case-insensitively, RFC
 * 4343): its addresses, or a negative result (RFC 2308: NXDOMAIN or NODATA, kept only when the
 * answer carried an SOA to take the negative TTL from), the canonical name behind any aliases,
 * and when it expires. An entry lives for the smallest TTL of the records it was made from
 * (RFC 1035 3.2.1, RFC 2181 5.2), capped at 7 days (RFC 8767 4); a TTL of 0 is not cached.
 * When full, the entry closest to expiring makes room. Stack thread only; nothing allocates
 * after construction.
 */
public final class DnsCache {

    /** Addresses kept per name; more are left out and counted. */
    public static final int MAX_ADDRESSES = 32;
    /** RFC 8767 4: "a cap of 7 days (604800 seconds)". */
    public static final long MAX_TTL_SECONDS = 604_800;

    private static final long SECOND = 1_000_000_000L;

    private final boolean[] used;
    private final byte[][] names;
    private final int[] nameLengths;
    private final byte[][] canonicalNames;
    private final int[] canonicalLengths;
    private final DnsStatus[] statuses;
    private final int[][] addresses;
    private final int[] addressCounts;
    private final long[] expiresAt;

    public DnsCache(int entries) {
        if (entries < 0) {
            throw new IllegalArgumentException("cache entries must be >= 0, was " + entries);
        }
        used = new boolean[entries];
        names = new byte[entries][DnsMessage.MAX_NAME_LENGTH];
        nameLengths = new int[entries];
        canonicalNames = new byte[entries][DnsMessage.MAX_NAME_LENGTH];
        canonicalLengths = new int[entries];
        statuses = new DnsStatus[entries];
        addresses = new int[entries][MAX_ADDRESSES];
        addressCounts = new int[entries];
        expiresAt = new long[entries];
    }

    public int capacity() {
        return used.length;
    }

    /** Entries holding an unexpired result at {@code nowNanos}. */
    public int size(long nowNanos) {
        int live = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && expiresAt[i] - nowNanos > 0) {
                live++;
            }
        }
        return live;
    }

    /** The entry for {@code name}, or -1 if there is none or it expired (then it is freed). */
    public int find(byte[] name, int nameLength, long nowNanos) {
        for (int i = 0; i < used.length; i++) {
            if (used[i] && DnsMessage.sameName(names[i], nameLengths[i], name, nameLength)) {
                if (expiresAt[i] - nowNanos <= 0) {
                    used[i] = false;
                    return -1;
                }
                return i;
            }
        }
        return -1;
    }

    /**
     * Keeps a result for {@code ttlSeconds} (capped; 0 keeps nothing), replacing an entry for
     * the same name, else taking a free or expired entry, else the one closest to expiring.
     */
    public void store(byte[] name, int nameLength, DnsStatus status, byte[] canonical, int canonicalLength,
                      int[] found, int count, long ttlSeconds, long nowNanos) {
        if (used.length == 0 || ttlSeconds <= 0) {
            return;
        }
        int entry = choose(name, nameLength, nowNanos);
        used[entry] = true;
        System.arraycopy(name, 0, names[entry], 0, nameLength);
        nameLengths[entry] = nameLength;
        System.arraycopy(canonical, 0, canonicalNames[entry], 0, canonicalLength);
        canonicalLengths[entry] = canonicalLength;
        statuses[entry] = status;
        int kept = Math.min(count, MAX_ADDRESSES);
        System.arraycopy(found, 0, addresses[entry], 0, kept);
        addressCounts[entry] = kept;
        expiresAt[entry] = nowNanos + Math.min(ttlSeconds, MAX_TTL_SECONDS) * SECOND;
    }

    private int choose(byte[] name, int nameLength, long nowNanos) {
        int soonest = 0;
        for (int i = 0; i < used.length; i++) {
            if (used[i] && DnsMessage.sameName(names[i], nameLengths[i], name, nameLength)) {
                return i;
            }
        }
        for (int i = 0; i < used.length; i++) {
            if (!used[i] || expiresAt[i] - nowNanos <= 0) {
                return i;
            }
            if (expiresAt[i] - expiresAt[soonest] < 0) {
                soonest = i;
            }
        }
        return soonest;
    }

    /** Forgets everything (the servers changed, or a test starts over). */
    public void clear() {
        java.util.Arrays.fill(used, false);
    }

    public DnsStatus status(int entry) {
        return statuses[entry];
    }

    public int addressCount(int entry) {
        return addressCounts[entry];
    }

    public int address(int entry, int index) {
        return addresses[entry][index];
    }

    public byte[] canonicalName(int entry) {
        return canonicalNames[entry];
    }

    public int canonicalNameLength(int entry) {
        return canonicalLengths[entry];
    }

    /** Whole seconds the entry has left at {@code nowNanos}. */
    public long ttlSeconds(int entry, long nowNanos) {
        return Math.max(0, (expiresAt[entry] - nowNanos) / SECOND);
    }
}
