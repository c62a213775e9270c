package dev.spinet.hal.eth;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;

import dev.spinet.hal.spi.SpiBus;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A Mockito mock of {@link SpiBus} that records every transaction as hex ("00 39 00 00"; a
 * header + payload transaction as "header | payload") and answers each with what a function of
 * the sent bytes returns (the bytes the chip would shift out, same length, or null for zeros).
 */
public final class ScriptedSpi {

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ").withUpperCase();

    public final SpiBus bus = mock(SpiBus.class);
    public final List<String> transactions = new ArrayList<>();

    /**
     * @param chip given the transaction's bytes (header then payload), returns the MISO bytes for
     *     the whole transaction, or null
     */
    public ScriptedSpi(Function<byte[], byte[]> chip) {
        doAnswer(invocation -> {
            byte[] tx = invocation.getArgument(0);
            int txOffset = invocation.getArgument(1);
            byte[] rx = invocation.getArgument(2);
            int rxOffset = invocation.getArgument(3);
            int length = invocation.getArgument(4);
            byte[] sent = tx == null ? new byte[length] : java.util.Arrays.copyOfRange(tx, txOffset, txOffset + length);
            transactions.add(HEX.formatHex(sent));
            byte[] answer = chip.apply(sent);
            if (rx != null && answer != null) {
                System.arraycopy(answer, 0, rx, rxOffset, Math.min(length, answer.length));
            }
            return null;
        }).when(bus).transfer(any(), anyInt(), any(), anyInt(), anyInt());
        doAnswer(invocation -> {
            byte[] header = invocation.getArgument(0);
            int headerOffset = invocation.getArgument(1);
            int headerLength = invocation.getArgument(2);
            byte[] tx = invocation.getArgument(3);
            int txOffset = invocation.getArgument(4);
            byte[] rx = invocation.getArgument(5);
            int rxOffset = invocation.getArgument(6);
            int length = invocation.getArgument(7);
            byte[] head = java.util.Arrays.copyOfRange(header, headerOffset, headerOffset + headerLength);
            byte[] payload = tx == null ? new byte[length] : java.util.Arrays.copyOfRange(tx, txOffset, txOffset + length);
            transactions.add(HEX.formatHex(head) + " | " + (tx == null ? "read " + length : HEX.formatHex(payload)));
            byte[] all = new byte[headerLength + length];
            System.arraycopy(head, 0, all, 0, headerLength);
            System.arraycopy(payload, 0, all, headerLength, length);
            byte[] answer = chip.apply(all);
            if (rx != null && answer != null) {
                System.arraycopy(answer, headerLength, rx, rxOffset, Math.min(length, answer.length - headerLength));
            }
            return null;
        }).when(bus).transfer(any(), anyInt(), anyInt(), any(), anyInt(), any(), anyInt(), anyInt());
    }

    public static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /** Transactions recorded since the last call, then forgotten. */
    public List<String> take() {
        List<String> copy = List.copyOf(transactions);
        transactions.clear();
        return copy;
    }
}
