package dev.spinet.lab;

/** Prints a lab's timeline (development aid: java -cp ... dev.spinet.lab.LabScratch NAME). */
final class LabScratch {
    public static void main(String[] args) {
        for (String name : args) {
            System.out.println(TimelineText.format(LabRun.run(LabCatalogue.standard().lab(name), 1)));
        }
    }
}
