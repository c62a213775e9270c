package dev.spinet.doctor;

import java.util.List;
import java.util.Locale;

/** {@code spinet doctor}'s output: one line per check, or the same as JSON for bug reports. */
public final class DoctorReport {

    private DoctorReport() {
    }

    /** {@code FAIL spi-enabled      no /dev/spidev0.0 -> add 'dtparam=spi=on' ...}, then a summary line. */
    public static String text(DoctorResult result) {
        StringBuilder out = new StringBuilder();
        for (DoctorCheck check : result.checks()) {
            out.append(String.format(Locale.ROOT, "%-4s %-17s %s", check.status(), check.name(), check.detail()));
            if (check.fix() != null) {
                out.append(" -> ").append(check.fix());
            }
            out.append('\n');
        }
        out.append(summary(result)).append('\n');
        return out.toString();
    }

    static String summary(DoctorResult result) {
        String counts = result.count(DoctorStatus.PASS) + " passed, " + result.count(DoctorStatus.WARN) + " warnings, "
                + result.count(DoctorStatus.FAIL) + " failed, " + result.count(DoctorStatus.SKIP) + " not run";
        if (!result.raspberryPi()) {
            return "doctor: this machine is not a Raspberry Pi (" + result.found() + "), so the SPI, GPIO and chip checks"
                    + " were not run: " + String.join(", ", result.notRun()) + " (" + counts + ")";
        }
        return "doctor: " + counts;
    }

    /** The same as a JSON object. */
    public static String json(DoctorResult result, String spinetVersion) {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"spinet\": ").append(quote(spinetVersion)).append(",\n");
        out.append("  \"raspberryPi\": ").append(result.raspberryPi()).append(",\n");
        out.append("  \"model\": ").append(quote(result.model())).append(",\n");
        if (!result.raspberryPi()) {
            out.append("  \"notAPi\": ").append(quote("this machine is not a Raspberry Pi: " + result.found())).append(",\n");
        }
        out.append("  \"passed\": ").append(!result.failed()).append(",\n");
        out.append("  \"summary\": ").append(quote(summary(result))).append(",\n");
        out.append("  \"notRun\": [");
        List<String> notRun = result.notRun();
        for (int i = 0; i < notRun.size(); i++) {
            out.append(i == 0 ? "" : ", ").append(quote(notRun.get(i)));
        }
        out.append("],\n  \"checks\": [\n");
        List<DoctorCheck> checks = result.checks();
        for (int i = 0; i < checks.size(); i++) {
            DoctorCheck c = checks.get(i);
            out.append("    {\"name\": ").append(quote(c.name()))
                    .append(", \"status\": ").append(quote(c.status().name()))
                    .append(", \"detail\": ").append(quote(c.detail()))
                    .append(", \"fix\": ").append(quote(c.fix())).append('}')
                    .append(i + 1 < checks.size() ? ",\n" : "\n");
        }
        out.append("  ]\n}\n");
        return out.toString();
    }

    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder(text.length() + 2).append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
