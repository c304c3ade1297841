package io.bayesweep.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Artifacts in a local or mounted directory: {@code <root>/<trialId>/{checkpoints,samples,attempts}}. */
public final class DirectoryArtifactStore implements ArtifactStore {
    private final Path root;

    public DirectoryArtifactStore(Path root) {
        this.root = root;
    }

    @Override
    public Path checkpointDir(String trialId) throws IOException {
        return Files.createDirectories(trialDir(trialId).resolve("checkpoints"));
    }

    @Override
    public void writeSampleGrid(String trialId, long step, byte[] png) throws IOException {
        Path dir = Files.createDirectories(trialDir(trialId).resolve("samples"));
        writeAtomically(dir.resolve(String.format("step-%06d.png", step)), png);
    }

    @Override
    public synchronized int nextAttempt(String trialId) throws IOException {
        Path file = Files.createDirectories(trialDir(trialId)).resolve("attempts");
        int previous = 0;
        if (Files.exists(file)) {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            previous = text.isEmpty() ? 0 : Integer.parseInt(text);
        }
        int attempt = previous + 1;
        writeAtomically(file, String.valueOf(attempt).getBytes(StandardCharsets.UTF_8));
        return attempt;
    }

    @Override
    public void markFinished(String trialId) throws IOException {
        writeAtomically(Files.createDirectories(trialDir(trialId)).resolve("finished"), new byte[0]);
    }

    @Override
    public boolean isFinished(String trialId) {
        return Files.exists(trialDir(trialId).resolve("finished"));
    }

    private Path trialDir(String trialId) {
        // Trial ids come from messages: never let one name a path outside the root.
        if (!trialId.matches("[A-Za-z0-9._-]{1,128}") || trialId.startsWith(".")) {
            throw new IllegalArgumentException("trial id '" + trialId + "' is not a safe folder name");
        }
        return root.resolve(trialId);
    }

    /** A reader never sees half a file: write beside it, then rename over it. */
    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
