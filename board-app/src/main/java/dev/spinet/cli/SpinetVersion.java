package dev.spinet.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code spinet --version}: the Maven project version filtered into the jar at build time. */
final class SpinetVersion implements IVersionProvider {

    @Override
    public String[] getVersion() {
        return new String[] {"spinet " + dev.spinet.image.SpinetVersion.get() + " (Java " + Runtime.version() + ")"};
    }
}
