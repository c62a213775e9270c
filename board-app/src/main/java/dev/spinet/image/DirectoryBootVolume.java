package dev.spinet.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/** A mounted boot partition (or any folder standing in for one): {@code spinet image build --overlay DIR}. */
final class DirectoryBootVolume implements BootVolume {

    private final Path root;

    DirectoryBootVolume(Path root) {
        if (!Files.isDirectory(root)) {
            throw new ImageException(ImageException.BAD_INPUT, "--overlay " + root
                    + " is not a directory: pass the folder where the card's boot partition is mounted"
                    + " (for example /media/$USER/bootfs)");
        }
        this.root = root;
    }

    private Path resolve(String path) {
        Path p = root.resolve(path).normalize();
        if (!p.startsWith(root.normalize())) {
            throw new IllegalArgumentException("path " + path + " leaves the boot partition");
        }
        return p;
    }

    @Override
    public Optional<byte[]> read(String path) throws IOException {
        Path p = resolve(path);
        return Files.isRegularFile(p) ? Optional.of(Files.readAllBytes(p)) : Optional.empty();
    }

    @Override
    public void write(String path, byte[] content) throws IOException {
        Path p = resolve(path);
        Files.createDirectories(p.getParent());
        // Write beside and rename, so a full or yanked card never holds half a config.txt.
        Path tmp = p.resolveSibling(p.getFileName() + ".spinet-tmp");
        Files.write(tmp, content);
        Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public long freeBytes() throws IOException {
        return Files.getFileStore(root).getUsableSpace();
    }

    @Override
    public long allocationUnit() {
        return 4096;
    }

    @Override
    public String describe() {
        return "boot partition folder " + root;
    }

    @Override
    public void close() {
        // Nothing buffered: every write went straight to the file system.
    }
}
