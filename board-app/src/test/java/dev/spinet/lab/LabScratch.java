package dev.spinet.lab;

/** Development aid: prints labs' timelines (all labs' results with "all"). */
final class LabScratch {
    public static void main(String[] args) {
        if (args[0].equals("all")) {
            for (Lab lab : LabCatalogue.standard().labs()) {
                LabResult r = LabRun.run(lab, 1);
                System.out.println(lab.name() + ": " + (r.passed() ? "ok" : r.mismatches()));
            }
            return;
        }
        for (String name : args) {
            System.out.println(TimelineText.format(LabRun.run(LabCatalogue.standard().lab(name), 1)));
        }
    }
}
