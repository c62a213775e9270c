package dev.spinet.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the jar manifest (set by Maven), or "development" when run from classes. */
final class SpinetVersion implements IVersionProvider {

    static String version() {
        String version = SpinetVersion.class.getPackage().getImplementationVersion();
        return version == null ? "development" : version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"spinet " + version() + " (Java " + Runtime.version() + ")"};
    }
}
