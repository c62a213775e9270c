package dev.spinet.lab;

/** Development aid: prints labs' timelines (all labs' results with "all"; "steps NAME" prints the walked steps as code). */
final class LabScratch {
    public static void main(String[] args) {
        if (args[0].equals("all")) {
            for (Lab lab : LabCatalogue.standard().labs()) {
                LabResult r = LabRun.run(lab, 1);
                System.out.println(lab.name() + ": " + (r.passed() ? "ok" : r.mismatches()));
            }
            return;
        }
        if (args[0].equals("steps")) {
            LabResult r = LabRun.run(LabCatalogue.standard().lab(args[1]), 1);
            for (Side side : Side.values()) {
                StringBuilder b = new StringBuilder(".expect" + side + "(");
                for (Step s : r.actual(side)) {
                    b.append("t(").append(s.from()).append(", ").append(s.to()).append(", ").append(s.cause()).append("),\n        ");
                }
                System.out.println(b + ")");
            }
            return;
        }
        for (String name : args) {
            System.out.println(TimelineText.format(LabRun.run(LabCatalogue.standard().lab(name), 1)));
        }
    }
}
