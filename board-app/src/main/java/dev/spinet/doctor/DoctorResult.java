package dev.spinet.doctor;

import java.util.List;

/**
 * Everything one {@code spinet doctor} run found.
 *
 * @param model  the device tree's model string when this is a Raspberry Pi, else null
 * @param found  what the model file said on a machine that is not a Pi ("no /proc/device-tree/model"...)
 * @param checks one per line, in order
 */
public record DoctorResult(String model, String found, List<DoctorCheck> checks) {

    public DoctorResult {
        checks = List.copyOf(checks);
    }

    public boolean raspberryPi() {
        return model != null;
    }

    public boolean failed() {
        return checks.stream().anyMatch(c -> c.status() == DoctorStatus.FAIL);
    }

    public long count(DoctorStatus status) {
        return checks.stream().filter(c -> c.status() == status).count();
    }

    /** The names of the checks that did not run. */
    public List<String> notRun() {
        return checks.stream().filter(c -> c.status() == DoctorStatus.SKIP).map(DoctorCheck::name).toList();
    }
}
