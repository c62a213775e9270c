package dev.spinet.image;

import java.nio.channels.WritableByteChannel;

/**
 * Wraps the channel {@code spinet image flash} writes the card through. The identity in
 * production; tests put a decorator here that corrupts a byte, to prove the read-back check
 * catches what a failing card does.
 */
@FunctionalInterface
public interface WriteHook {

    WriteHook NONE = channel -> channel;

    WritableByteChannel wrap(WritableByteChannel target);
}
