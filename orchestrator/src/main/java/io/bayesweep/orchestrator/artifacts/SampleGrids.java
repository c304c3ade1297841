package io.bayesweep.orchestrator.artifacts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the sample grids (PNG) that workers write at each eval step into the shared artifact store, the layout of
 * the worker's DirectoryArtifactStore: {@code <root>/<trialId>/samples/step-<step as %06d>.png}, each written
 * beside its final name and renamed over it, so a file with that name is complete. Nothing else is ever read:
 * not the {@code .tmp} files of writes in progress, not links, not names outside a trial's {@code samples} folder
 * (trial ids are checked like the worker checks them, steps are numbers).
 */
public final class SampleGrids {

    /** The worker's rule for a trial id that may name a folder. */
    private static final Pattern SAFE_TRIAL_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
    private static final Pattern GRID_FILE = Pattern.compile("step-(\\d{6,18})\\.png");

    private final Path root;

    public SampleGrids(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /** True when the artifacts directory exists and can be read. */
    public boolean available() {
        return Files.isDirectory(root) && Files.isReadable(root);
    }

    /**
     * The steps of the trial that have a complete grid, ascending; empty when it has none yet.
     *
     * @throws ArtifactsUnavailableException when the artifacts directory is missing or unreadable
     */
    public List<Long> steps(String trialId) {
        requireAvailable();
        try {
            return list(trialId);
        } catch (IOException e) {
            throw new ArtifactsUnavailableException("cannot read the sample grids of " + trialId + " in " + root
                    + ": " + e.getMessage());
        }
    }

    /** The newest step with a grid; empty when there is none or nothing can be read (never throws). */
    public OptionalLong latestStep(String trialId) {
        if (!available()) {
            return OptionalLong.empty();
        }
        try {
            List<Long> steps = list(trialId);
            return steps.isEmpty() ? OptionalLong.empty() : OptionalLong.of(steps.get(steps.size() - 1));
        } catch (IOException | UncheckedIOException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The PNG of one step; empty when that step has no complete grid.
     *
     * @throws ArtifactsUnavailableException when the artifacts directory is missing or unreadable
     */
    public Optional<byte[]> read(String trialId, long step) {
        requireAvailable();
        Optional<Path> dir = samplesDir(trialId);
        if (dir.isEmpty() || step < 0) {
            return Optional.empty();
        }
        Path file = dir.get().resolve(fileName(step));
        if (!file.normalize().startsWith(dir.get()) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(file));
        } catch (NoSuchFileException gone) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ArtifactsUnavailableException("cannot read " + file + ": " + e.getMessage());
        }
    }

    /** The worker's rule: a trial id that can name a folder in the artifact store (no separators, no dot first). */
    public static boolean isSafeTrialId(String trialId) {
        return trialId != null && SAFE_TRIAL_ID.matcher(trialId).matches() && !trialId.startsWith(".");
    }

    /** The worker's file name for a step's grid. */
    static String fileName(long step) {
        return String.format("step-%06d.png", step);
    }

    private List<Long> list(String trialId) throws IOException {
        Optional<Path> dir = samplesDir(trialId);
        if (dir.isEmpty() || !Files.isDirectory(dir.get())) {
            return List.of();
        }
        List<Long> steps = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir.get())) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                Matcher m = GRID_FILE.matcher(name);
                if (!m.matches()) {
                    continue; // a .tmp file of a write in progress, or anything else
                }
                long step = Long.parseLong(m.group(1));
                // Only the worker's own spelling of the step, so that each step is listed once.
                if (fileName(step).equals(name) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    steps.add(step);
                }
            }
        } catch (NoSuchFileException | NotDirectoryException gone) {
            return List.of();
        }
        steps.sort(null);
        return steps;
    }

    /** {@code <root>/<trialId>/samples}, or empty for an id that is not a safe folder name. */
    private Optional<Path> samplesDir(String trialId) {
        if (!isSafeTrialId(trialId)) {
            return Optional.empty();
        }
        Path dir = root.resolve(trialId).resolve("samples").normalize();
        return dir.startsWith(root) ? Optional.of(dir) : Optional.empty();
    }

    private void requireAvailable() {
        if (!available()) {
            throw new ArtifactsUnavailableException("sample grids are not available: the artifacts directory " + root
                    + " does not exist or cannot be read (bayesweep.artifacts.dir / BAYESWEEP_ARTIFACTS_DIR must name "
                    + "the directory the workers write to)");
        }
    }
}
