package dev.spinet.doctor;

import java.util.Objects;

/**
 * One line of {@code spinet doctor}.
 *
 * @param name   short stable identifier ({@code spi-enabled}, {@code int-line}...), also the JSON key
 * @param status the outcome
 * @param detail what was found
 * @param fix    what to do about a FAIL or WARN, or null
 */
public record DoctorCheck(String name, DoctorStatus status, String detail, String fix) {

    public DoctorCheck {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(detail, "detail");
    }

    static DoctorCheck pass(String name, String detail) {
        return new DoctorCheck(name, DoctorStatus.PASS, detail, null);
    }

    static DoctorCheck warn(String name, String detail, String fix) {
        return new DoctorCheck(name, DoctorStatus.WARN, detail, fix);
    }

    static DoctorCheck fail(String name, String detail, String fix) {
        return new DoctorCheck(name, DoctorStatus.FAIL, detail, fix);
    }

    static DoctorCheck skip(String name, String why) {
        return new DoctorCheck(name, DoctorStatus.SKIP, why, null);
    }
}
