package dev.spinet.cli;

import dev.spinet.lab.Lab;
import dev.spinet.lab.LabAnswerSheet;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code spinet lab answers --html FILE}: the instructor's page, with every quiz's computed answers, to a file. */
final class LabQuizSheet {

    private LabQuizSheet() {
    }

    static int write(Path file, List<Lab> labs, PrintWriter console) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(parent);
            Files.writeString(file, LabAnswerSheet.render(labs, "spinet " + SpinetVersion.get()), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException("--html " + file + ": cannot write it: " + OneLineErrors.describe(e), e);
        }
        console.println("wrote " + file + " (" + labs.size() + " labs with their quizzes; open it in a browser, print one lab per page)");
        console.flush();
        return 0;
    }
}
