package dev.spinet.doctor;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.when;

import dev.spinet.hal.linux.SpiIocTransfer;
import dev.spinet.testkit.FakeGpioChips;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A Raspberry Pi as files in a temporary directory: /proc/device-tree/model, /proc/self/status,
 * /etc/group, /etc/os-release, /dev/spidev0.0, /sys/bus/spi/devices, and GPIO chips answered by
 * {@link FakeGpioChips}; SPI messages on the spidev node are recorded byte for byte and answered
 * from a queue. Starts healthy: a Pi 5 on a kernel before 6.6.45 (header chip gpiochip4), the
 * user in groups spi and gpio, SPI enabled with spidev bound.
 */
final class FakePi {

    static final int SPI_FD = 7;
    static final int USER_UID = 4242;
    static final int USER_GID = 4242;

    final Path root;
    final FakeGpioChips chips;
    final int nodeGid;
    /** The bytes each SPI message sent (all segments' tx, concatenated). */
    final List<byte[]> spiSent = new ArrayList<>();
    /** What the chip answers, one byte per message with a receive segment. */
    final Deque<Integer> spiAnswers = new ArrayDeque<>();

    FakePi(Path root) throws IOException {
        this.root = root;
        write("proc/device-tree/model", "Raspberry Pi 5 Model B Rev 1.0\0");
        write("etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 13 (trixie)\"\nVERSION_CODENAME=trixie\n");
        Path spidev = write("dev/spidev0.0", "");
        Files.setPosixFilePermissions(spidev, PosixFilePermissions.fromString("rw-rw----"));
        nodeGid = (Integer) Files.getAttribute(spidev, "unix:gid");
        // A test cannot chown its files: every node has the test's own group, named spi here.
        write("etc/group", "spi:x:" + nodeGid + ":\nusers:x:" + USER_GID + ":\n");
        userInGroups(nodeGid);
        spiDevice("spi0.0", "spidev");
        spiDevice("spi0.1", "spidev");
        chips = new FakeGpioChips(root.resolve("dev")).chip(0, "gpio-brcmstb@107d508500", 32)
                .chip(1, "gpio-brcmstb@107d508520", 4).chip(4, "pinctrl-rp1", 54);
        for (int i : new int[] {0, 1, 4}) {
            Files.setPosixFilePermissions(root.resolve("dev/gpiochip" + i), PosixFilePermissions.fromString("rw-rw----"));
        }
        when(chips.syscalls().open(eq(spidev.toString()), anyInt())).thenReturn(SPI_FD);
        when(chips.syscalls().ioctl(eq(SPI_FD), anyLong(), any())).thenAnswer(invocation -> {
            long request = invocation.getArgument(1);
            MemorySegment transfers = invocation.getArgument(2);
            int segments = request == SpiIocTransfer.SPI_IOC_MESSAGE_1 ? 1 : request == SpiIocTransfer.SPI_IOC_MESSAGE_2 ? 2 : 0;
            ByteArrayOutputStream sent = new ByteArrayOutputStream();
            for (int i = 0; i < segments; i++) {
                long base = (long) i * SpiIocTransfer.SIZE;
                long tx = transfers.get(ValueLayout.JAVA_LONG, base);
                long rx = transfers.get(ValueLayout.JAVA_LONG, base + 8);
                int len = transfers.get(ValueLayout.JAVA_INT, base + 16);
                if (tx != 0) {
                    sent.writeBytes(MemorySegment.ofAddress(tx).reinterpret(len).toArray(ValueLayout.JAVA_BYTE));
                }
                if (rx != 0) {
                    int answer = spiAnswers.isEmpty() ? 0 : spiAnswers.removeFirst();
                    MemorySegment.ofAddress(rx).reinterpret(len).fill((byte) answer);
                }
            }
            if (segments > 0) {
                spiSent.add(sent.toByteArray());
            }
            return 0;
        });
    }

    Path write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
        return file;
    }

    /** This process's groups, as /proc/self/status lists them. */
    void userInGroups(int... groups) throws IOException {
        StringBuilder list = new StringBuilder();
        for (int g : groups) {
            list.append(g).append(' ');
        }
        write("proc/self/status", "Name:\tjava\nUid:\t" + USER_UID + "\t" + USER_UID + "\t" + USER_UID + "\t" + USER_UID
                + "\nGid:\t" + USER_GID + "\t" + USER_GID + "\t" + USER_GID + "\t" + USER_GID + "\nGroups:\t" + list.toString().trim() + "\n");
    }

    /** /sys/bus/spi/devices/NAME with its driver link pointing at DRIVER. */
    void spiDevice(String name, String driver) throws IOException {
        Path device = root.resolve("sys/devices/platform/soc/spi@7e204000/" + name);
        Files.createDirectories(device);
        Path drivers = Files.createDirectories(root.resolve("sys/bus/spi/drivers/" + driver));
        Path link = device.resolve("driver");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, drivers);
        Path bus = Files.createDirectories(root.resolve("sys/bus/spi/devices")).resolve(name);
        Files.deleteIfExists(bus);
        Files.createSymbolicLink(bus, device);
        write("sys/devices/platform/soc/spi@7e204000/" + name + "/modalias", "spi:" + driver + "\n");
    }

    Doctor doctor(JavaRuntime java) {
        return new Doctor(root, chips.syscalls(), java, "pi");
    }

    Doctor doctor() {
        return doctor(new JavaRuntime("25.0.1+8-LTS", 25, false, "Eclipse Adoptium", "aarch64", 64));
    }
}
