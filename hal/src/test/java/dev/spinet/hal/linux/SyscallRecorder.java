package dev.spinet.hal.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** Records ioctl calls made on a mocked {@link LinuxSyscalls}: the request and the struct bytes at call time. */
final class SyscallRecorder {

    record Call(int fd, long request, byte[] argument, long argumentAddress) {
    }

    final List<Call> calls = new ArrayList<>();

    int record(int fd, long request, MemorySegment argument) {
        calls.add(new Call(fd, request, argument.toArray(ValueLayout.JAVA_BYTE), argument.address()));
        return 0;
    }

    Call last() {
        return calls.getLast();
    }

    /** Reads {@code length} bytes of native memory at {@code address} (what the kernel would read). */
    static byte[] nativeBytes(long address, int length) {
        return MemorySegment.ofAddress(address).reinterpret(length).toArray(ValueLayout.JAVA_BYTE);
    }

    static long u64(byte[] b, int offset) {
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).getLong(offset);
    }

    static int u32(byte[] b, int offset) {
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).getInt(offset);
    }

    static int u16(byte[] b, int offset) {
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.nativeOrder()).getShort(offset) & 0xFFFF;
    }
}
