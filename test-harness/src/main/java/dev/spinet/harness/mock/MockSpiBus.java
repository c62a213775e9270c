package dev.spinet.harness.mock;

import dev.spinet.hal.spi.SpiBus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A scripted {@link SpiBus} for driver tests: it records every transaction and answers with
 * byte arrays the test queued beforehand.
 *
 * <ul>
 *   <li>Recording: each call to either {@code transfer} method is ONE transaction (one chip-select
 *       frame). Its tx bytes are stored as a fresh copy: for the two-part method, header bytes
 *       followed by payload bytes, with {@link #headerLength(int)} telling where the payload
 *       starts. A {@code null} tx records zeros, as the bus clocks out zeros.</li>
 *   <li>Answering: each transaction takes the next queued rx array (FIFO) and copies it into the
 *       caller's {@code rx}: for {@link #transfer(byte[], int, byte[], int, int)} it covers the
 *       whole transaction; for the two-part method it covers the payload phase only (what comes
 *       back during the header is discarded by contract). Missing bytes (queue empty, or an answer
 *       shorter than the transaction) read as zeros; extra bytes of an answer are ignored.</li>
 * </ul>
 *
 * <p>This mock allocates (it records copies) and is not thread-safe: it is for single-threaded
 * driver tests, not for allocation tests. Use a chip emulator for those.
 */
public final class MockSpiBus implements SpiBus {

    private final List<byte[]> transactions = new ArrayList<>();
    private final List<Integer> headerLengths = new ArrayList<>();
    private final ArrayDeque<byte[]> answers = new ArrayDeque<>();

    /** Queues the bytes the next transaction reads back (copied). */
    public MockSpiBus answer(byte... rx) {
        answers.addLast(rx.clone());
        return this;
    }

    /** Answers not yet consumed by a transaction. */
    public int pendingAnswers() {
        return answers.size();
    }

    @Override
    public void transfer(byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        checkRange(tx, txOffset, length, "tx");
        checkRange(rx, rxOffset, length, "rx");
        byte[] recorded = new byte[length];
        if (tx != null) {
            System.arraycopy(tx, txOffset, recorded, 0, length);
        }
        transactions.add(recorded);
        headerLengths.add(0);
        reply(rx, rxOffset, length);
    }

    @Override
    public void transfer(byte[] header, int headerOffset, int headerLength,
                         byte[] tx, int txOffset, byte[] rx, int rxOffset, int length) {
        if (header == null) {
            throw new NullPointerException("header must not be null (see SpiBus: the two-part transfer always sends a header)");
        }
        checkRange(header, headerOffset, headerLength, "header");
        checkRange(tx, txOffset, length, "tx");
        checkRange(rx, rxOffset, length, "rx");
        byte[] recorded = new byte[headerLength + length];
        System.arraycopy(header, headerOffset, recorded, 0, headerLength);
        if (tx != null) {
            System.arraycopy(tx, txOffset, recorded, headerLength, length);
        }
        transactions.add(recorded);
        headerLengths.add(headerLength);
        reply(rx, rxOffset, length);
    }

    private void reply(byte[] rx, int rxOffset, int length) {
        byte[] answer = answers.pollFirst();
        if (rx == null) {
            return;
        }
        int copied = answer == null ? 0 : Math.min(answer.length, length);
        if (copied > 0) {
            System.arraycopy(answer, 0, rx, rxOffset, copied);
        }
        Arrays.fill(rx, rxOffset + copied, rxOffset + length, (byte) 0);
    }

    private static void checkRange(byte[] array, int offset, int length, String name) {
        if (length < 0) {
            throw new IndexOutOfBoundsException("negative length " + length);
        }
        if (array != null) {
            java.util.Objects.checkFromIndexSize(offset, length, array.length);
        }
    }

    /** Every transaction's tx bytes, in order (the live list: tests may {@link List#clear()} it via {@link #clear()}). */
    public List<byte[]> transactions() {
        return transactions;
    }

    /** The tx bytes of transaction {@code index}. */
    public byte[] transaction(int index) {
        return transactions.get(index);
    }

    /** How many transactions happened. */
    public int transactionCount() {
        return transactions.size();
    }

    /** The header length of transaction {@code index}: 0 for the one-part {@code transfer}. */
    public int headerLength(int index) {
        return headerLengths.get(index);
    }

    /** Forgets recorded transactions and queued answers. */
    public void clear() {
        transactions.clear();
        headerLengths.clear();
        answers.clear();
    }
}
