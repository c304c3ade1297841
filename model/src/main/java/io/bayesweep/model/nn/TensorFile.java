package io.bayesweep.model.nn;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * A self-checking file of named float tensors plus string metadata: the format of the base model and of
 * trial checkpoints.
 *
 * <pre>
 * magic "BSWTENS1" | int metaCount | (utf key, utf value)* | int tensorCount
 *   | (utf name, int rank, long[rank] shape, float[] data little-endian)* | long CRC32 of everything before
 * </pre>
 * A truncated or altered file fails {@link #read} with a message that says so.
 */
public final class TensorFile {
    private static final byte[] MAGIC = "BSWTENS1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** One tensor: its shape and data (row-major). */
    public record Tensor(long[] shape, float[] data) {
        public Tensor {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape does not match data length " + data.length);
            }
        }
    }

    /** The decoded contents. */
    public record Contents(Map<String, String> meta, Map<String, Tensor> tensors) {
    }

    /** Thrown when a file is truncated, altered or not a tensor file. */
    public static final class CorruptFileException extends IOException {
        public CorruptFileException(String message) {
            super(message);
        }
    }

    private TensorFile() {
    }

    public static byte[] encode(Map<String, String> meta, Map<String, Tensor> tensors) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(meta.size());
            for (Map.Entry<String, String> e : meta.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeUTF(e.getValue());
            }
            out.writeInt(tensors.size());
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                out.writeUTF(e.getKey());
                long[] shape = e.getValue().shape();
                out.writeInt(shape.length);
                for (long d : shape) {
                    out.writeLong(d);
                }
                float[] data = e.getValue().data();
                ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                buf.asFloatBuffer().put(data);
                out.write(buf.array());
            }
            out.flush();
            CRC32 crc = new CRC32();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes atomically: a temp file in the same folder, fsync, then rename over {@code target}. */
    public static void write(Path target, Map<String, String> meta, Map<String, Tensor> tensors) throws IOException {
        byte[] data = encode(meta, tensors);
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(OutputStream out, Map<String, String> meta, Map<String, Tensor> tensors) throws IOException {
        out.write(encode(meta, tensors));
    }

    public static Contents read(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file.toString());
    }

    public static Contents read(InputStream in, String what) throws IOException {
        return decode(in.readAllBytes(), what);
    }

    public static Contents decode(byte[] bytes, String what) throws CorruptFileException {
        if (bytes.length < MAGIC.length + 12) {
            throw new CorruptFileException(what + " is truncated (" + bytes.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new CorruptFileException(what + " is not a bayesweep tensor file (bad magic)");
            }
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        long stored = ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
        if (stored != crc.getValue()) {
            throw new CorruptFileException(what + " is truncated or corrupt (checksum mismatch, "
                    + bytes.length + " bytes)");
        }
        try {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes, MAGIC.length,
                    bytes.length - 8 - MAGIC.length));
            Map<String, String> meta = new LinkedHashMap<>();
            int metaCount = in.readInt();
            for (int i = 0; i < metaCount; i++) {
                meta.put(in.readUTF(), in.readUTF());
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            int count = in.readInt();
            for (int i = 0; i < count; i++) {
                String name = in.readUTF();
                int rank = in.readInt();
                long[] shape = new long[rank];
                long n = 1;
                for (int d = 0; d < rank; d++) {
                    shape[d] = in.readLong();
                    n *= shape[d];
                }
                byte[] raw = new byte[Math.toIntExact(n * 4)];
                in.readFully(raw);
                float[] data = new float[(int) n];
                ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
                tensors.put(name, new Tensor(shape, data));
            }
            return new Contents(meta, tensors);
        } catch (IOException | RuntimeException e) {
            throw new CorruptFileException(what + " cannot be decoded: " + e);
        }
    }
}
