package dev.imajin.processing.image;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Reads and writes PNG text chunks (tEXt, zTXt, iTXt) in encoded PNG bytes, and formats and parses
 * the A1111-style {@code parameters} text that common image tools display.
 *
 * <p>Works on the file's bytes: pixels are never decoded, and chunks other than text chunks are
 * copied byte-for-byte. Every method is static and thread-safe. Malformed input (bad signature,
 * truncated chunk, CRC mismatch, corrupt or oversized compressed text) and unusable arguments
 * (invalid keywords, NUL in text) raise {@link IllegalArgumentException} naming what is wrong and,
 * for the file, the byte offset of the offending chunk.
 */
public final class PngText {

  /** Keyword of the text chunk holding the generation parameters as JSON. */
  public static final String JSON_KEYWORD = "imajin:parameters";

  /** Keyword of the A1111-style text chunk that common image tools read. */
  public static final String A1111_KEYWORD = "parameters";

  /** The line prefix that starts the negative prompt in A1111-style text. */
  public static final String NEGATIVE_PROMPT_PREFIX = "Negative prompt:";

  private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final int IHDR = type("IHDR");
  private static final int IDAT = type("IDAT");
  private static final int IEND = type("IEND");
  private static final int TEXT = type("tEXt");
  private static final int ZTXT = type("zTXt");
  private static final int ITXT = type("iTXt");
  private static final int MAX_KEYWORD = 79;

  /**
   * A text chunk. {@code compressed} is true for zTXt and for iTXt with its compression flag set;
   * on write it asks for zTXt (Latin-1 text) or a compressed iTXt (other text).
   */
  public record Chunk(String keyword, String text, boolean compressed) {
    public Chunk {
      if (keyword == null || text == null) {
        throw new IllegalArgumentException("chunk keyword and text must not be null");
      }
    }

    /** An uncompressed chunk. */
    public Chunk(String keyword, String text) {
      this(keyword, text, false);
    }
  }

  /**
   * Limits that bound the memory {@link #read(byte[], Limits)} spends on text.
   *
   * @param maxTextBytes the most bytes one chunk's text may have, after inflating
   * @param maxTextChunks the most text chunks a file may have
   * @param maxTotalTextBytes the most text bytes all chunks together may have, after inflating
   */
  public record Limits(int maxTextBytes, int maxTextChunks, long maxTotalTextBytes) {
    /** 1 MiB per chunk, 1024 chunks, 8 MiB in all. */
    public static final Limits DEFAULT = new Limits(1 << 20, 1024, 8L << 20);

    public Limits {
      if (maxTextBytes < 1 || maxTextChunks < 1 || maxTotalTextBytes < 1) {
        throw new IllegalArgumentException("limits must be positive");
      }
    }
  }

  /**
   * A1111-style generation parameters: the prompt, the negative prompt ({@code null} when the text
   * has none) and the settings of the last line in their order (unmodifiable).
   */
  public record A1111(String prompt, String negativePrompt, Map<String, String> settings) {
    public A1111 {
      Objects.requireNonNull(prompt, "prompt");
      settings =
          Collections.unmodifiableMap(settings == null ? Map.of() : new LinkedHashMap<>(settings));
    }
  }

  private PngText() {}

  /** Every text chunk of {@code png} in file order, within {@link Limits#DEFAULT}. */
  public static List<Chunk> read(byte[] png) {
    return read(png, Limits.DEFAULT);
  }

  /**
   * Every tEXt, zTXt and iTXt chunk of {@code png} in file order. The whole file is checked:
   * signature, chunk lengths, chunk types, CRCs, IHDR first, an IDAT, and an IEND (bytes after IEND
   * are ignored). Fails when a chunk's text or all text together exceeds {@code limits}, which is
   * checked while inflating, so a decompression bomb costs no more than the limit.
   */
  public static List<Chunk> read(byte[] png, Limits limits) {
    Objects.requireNonNull(limits, "limits");
    Walker walker = new Walker(png);
    List<Chunk> chunks = new ArrayList<>();
    while (walker.next()) {
      if (!walker.isText()) {
        continue;
      }
      if (chunks.size() == limits.maxTextChunks()) {
        throw new IllegalArgumentException(
            "more than "
                + limits.maxTextChunks()
                + " text chunks (at offset "
                + walker.start
                + ")");
      }
      Chunk chunk = TextCodec.decode(walker, limits.maxTextBytes());
      if (walker.textBytes > limits.maxTotalTextBytes()) {
        throw new IllegalArgumentException(
            "text chunks hold more than " + limits.maxTotalTextBytes() + " bytes in all");
      }
      chunks.add(chunk);
    }
    return chunks;
  }

  /**
   * A new PNG with {@code chunks} inserted just before the first IDAT. With {@code replaceAll}
   * every existing text chunk is removed first; otherwise only existing text chunks whose keyword
   * equals a new one are removed. All other chunks are copied unchanged; bytes after IEND are
   * dropped. Latin-1 text becomes tEXt (zTXt when compressed), other text iTXt. Keywords must be 1
   * to 79 printable Latin-1 characters without leading, trailing or consecutive spaces; text must
   * not contain NUL and must encode to at most {@link Limits#DEFAULT}'s per-chunk bytes.
   */
  public static byte[] write(byte[] png, List<Chunk> chunks, boolean replaceAll) {
    if (chunks == null) {
      throw new IllegalArgumentException("chunks must not be null");
    }
    ByteArrayOutputStream inserted = new ByteArrayOutputStream();
    Set<String> keywords = new HashSet<>();
    for (Chunk chunk : chunks) {
      if (chunk == null) {
        throw new IllegalArgumentException("chunks must not contain null");
      }
      TextCodec.encode(chunk, Limits.DEFAULT.maxTextBytes(), inserted);
      keywords.add(chunk.keyword());
    }
    byte[] insert = inserted.toByteArray();
    Walker walker = new Walker(png);
    ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + insert.length);
    out.write(SIGNATURE, 0, SIGNATURE.length);
    boolean done = false;
    while (walker.next()) {
      if (walker.isText() && (replaceAll || keywords.contains(TextCodec.keyword(walker)))) {
        continue;
      }
      if (walker.type == IDAT && !done) {
        out.writeBytes(insert);
        done = true;
      }
      out.write(png, walker.start, walker.end() - walker.start);
    }
    return out.toByteArray();
  }

  /**
   * A1111-style text: the prompt, a {@code Negative prompt: } line when {@code negativePrompt} is
   * neither null nor empty, and a last line of {@code Key: value} settings joined by {@code ", "}
   * when {@code settings} is not empty (its order is kept). The usual keys are {@code Steps},
   * {@code Sampler}, {@code CFG scale}, {@code Seed}, {@code Size} ({@code WxH}), {@code Model
   * hash}, {@code Model}, {@code Denoising strength} and {@code Version}. Values containing a
   * comma, colon, quote, control character or surrounding space are written as JSON strings, as
   * A1111 does. Keys are letters, digits and {@code _ -/.()} and inner spaces, starting with a
   * letter, digit or underscore.
   */
  public static String a1111(String prompt, String negativePrompt, Map<String, String> settings) {
    return A1111Text.format(prompt, negativePrompt, settings);
  }

  /**
   * Parses A1111-style text. The last line is the settings line when it reads entirely as {@code
   * Key: value} pairs (values possibly quoted) and has three or more of them or a {@code Steps}
   * key; the first line starting with {@code Negative prompt:} starts the negative prompt, which
   * runs to the settings line; everything before it is the prompt, newlines included. Text that
   * does not follow the form is returned whole as the prompt.
   */
  public static A1111 parseA1111(String text) {
    if (text == null) {
      throw new IllegalArgumentException("text must not be null");
    }
    return A1111Text.parse(text);
  }

  static int type(String name) {
    byte[] b = name.getBytes(StandardCharsets.US_ASCII);
    return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
  }

  static String typeName(int type) {
    byte[] b = {(byte) (type >>> 24), (byte) (type >>> 16), (byte) (type >>> 8), (byte) type};
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** Walks a PNG's chunks, checking each one's structure and CRC as it reaches it. */
  static final class Walker {
    final byte[] png;
    int start;
    int length;
    int type;
    private int next = SIGNATURE.length;
    private boolean seenIdat;
    private boolean ended;

    /** Bytes of text decoded so far, for the total limit of {@link PngText#read}. */
    long textBytes;

    private final CRC32 crc = new CRC32();

    Walker(byte[] png) {
      if (png == null) {
        throw new IllegalArgumentException("png must not be null");
      }
      if (png.length < SIGNATURE.length
          || !Arrays.equals(png, 0, SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
        throw new IllegalArgumentException("not a PNG: bad signature at offset 0");
      }
      this.png = png;
    }

    /** Moves to the next chunk; false once IEND has been passed. */
    boolean next() {
      if (ended) {
        return false;
      }
      start = next;
      int remaining = png.length - start;
      if (remaining == 0) {
        throw new IllegalArgumentException("truncated PNG: no IEND chunk before offset " + start);
      }
      if (remaining < 12) {
        throw new IllegalArgumentException("truncated chunk header at offset " + start);
      }
      long declared = readInt(start) & 0xffffffffL;
      type = readInt(start + 4);
      checkType();
      if (declared > remaining - 12) {
        throw new IllegalArgumentException(
            String.format(
                "truncated %s chunk at offset %d: declares %d data bytes, %d remain",
                typeName(type), start, declared, remaining - 12));
      }
      length = (int) declared;
      checkOrder();
      checkCrc();
      ended = type == IEND;
      next = end();
      return true;
    }

    int dataStart() {
      return start + 8;
    }

    int end() {
      return start + 12 + length;
    }

    boolean isText() {
      return type == TEXT || type == ZTXT || type == ITXT;
    }

    private void checkType() {
      for (int shift = 24; shift >= 0; shift -= 8) {
        int c = type >>> shift & 0xff;
        if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
          throw new IllegalArgumentException(
              String.format("invalid chunk type 0x%08x at offset %d", type, start));
        }
      }
    }

    private void checkOrder() {
      if (start == SIGNATURE.length && (type != IHDR || length != 13)) {
        throw new IllegalArgumentException(
            "first chunk at offset 8 is " + typeName(type) + " of " + length + " bytes, not IHDR");
      }
      seenIdat |= type == IDAT;
      if (type == IEND && !seenIdat) {
        throw new IllegalArgumentException("no IDAT chunk before IEND at offset " + start);
      }
    }

    private void checkCrc() {
      crc.reset();
      crc.update(png, start + 4, length + 4);
      long stored = readInt(start + 8 + length) & 0xffffffffL;
      if (crc.getValue() != stored) {
        throw new IllegalArgumentException(
            String.format(
                "CRC mismatch in %s chunk at offset %d: stored %08x, computed %08x",
                typeName(type), start, stored, crc.getValue()));
      }
    }

    private int readInt(int at) {
      return (png[at] & 0xff) << 24
          | (png[at + 1] & 0xff) << 16
          | (png[at + 2] & 0xff) << 8
          | (png[at + 3] & 0xff);
    }
  }

  /** Decodes and encodes the data of tEXt, zTXt and iTXt chunks. */
  static final class TextCodec {
    private TextCodec() {}

    static String keyword(Walker w) {
      int nul = indexOfNul(w.png, w.dataStart(), w.end() - 4);
      if (nul < 0) {
        throw malformed(w, "no NUL after its keyword");
      }
      return new String(w.png, w.dataStart(), nul - w.dataStart(), StandardCharsets.ISO_8859_1);
    }

    static Chunk decode(Walker w, int maxTextBytes) {
      byte[] png = w.png;
      int end = w.end() - 4;
      String keyword = keyword(w);
      int p = w.dataStart() + keyword.length() + 1;
      if (w.type == TEXT) {
        checkSize(w, end - p, maxTextBytes);
        w.textBytes += end - p;
        return new Chunk(keyword, new String(png, p, end - p, StandardCharsets.ISO_8859_1));
      }
      if (w.type == ZTXT) {
        if (p >= end || png[p] != 0) {
          throw malformed(w, "no compression method 0");
        }
        byte[] text = inflate(w, p + 1, end, maxTextBytes);
        return new Chunk(keyword, new String(text, StandardCharsets.ISO_8859_1), true);
      }
      if (p + 2 > end || (png[p] & 0xfe) != 0 || png[p] == 1 && png[p + 1] != 0) {
        throw malformed(w, "an invalid compression flag or method");
      }
      boolean compressed = png[p] == 1;
      p = skipNulTerminated(w, skipNulTerminated(w, p + 2, end), end);
      if (compressed) {
        byte[] text = inflate(w, p, end, maxTextBytes);
        return new Chunk(keyword, new String(text, StandardCharsets.UTF_8), true);
      }
      checkSize(w, end - p, maxTextBytes);
      w.textBytes += end - p;
      return new Chunk(keyword, new String(png, p, end - p, StandardCharsets.UTF_8), false);
    }

    static void encode(Chunk chunk, int maxTextBytes, ByteArrayOutputStream out) {
      checkKeyword(chunk.keyword());
      String text = chunk.text();
      if (text.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("text of chunk '" + chunk.keyword() + "' contains NUL");
      }
      boolean latin1 = isLatin1(text);
      byte[] bytes = text.getBytes(latin1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
      if (bytes.length > maxTextBytes) {
        throw new IllegalArgumentException(
            String.format(
                "text of chunk '%s' is %d bytes, more than %d",
                chunk.keyword(), bytes.length, maxTextBytes));
      }
      ByteArrayOutputStream data = new ByteArrayOutputStream(bytes.length + 100);
      data.writeBytes(chunk.keyword().getBytes(StandardCharsets.ISO_8859_1));
      data.write(0);
      int type;
      if (latin1) {
        type = chunk.compressed() ? ZTXT : TEXT;
        if (chunk.compressed()) {
          data.write(0);
        }
      } else {
        type = ITXT;
        data.writeBytes(new byte[] {(byte) (chunk.compressed() ? 1 : 0), 0, 0, 0});
      }
      data.writeBytes(chunk.compressed() ? deflate(bytes) : bytes);
      writeChunk(type, data.toByteArray(), out);
    }

    static void checkKeyword(String keyword) {
      int n = keyword.length();
      if (n < 1 || n > MAX_KEYWORD) {
        throw new IllegalArgumentException(
            "keyword '" + keyword + "' must have 1 to " + MAX_KEYWORD + " characters, has " + n);
      }
      for (int i = 0; i < n; i++) {
        char c = keyword.charAt(i);
        if (c < 0x20 || c > 0x7e && c < 0xa1 || c > 0xff) {
          throw new IllegalArgumentException(
              String.format(
                  "keyword '%s' has U+%04X at index %d, not a printable Latin-1 character",
                  keyword, (int) c, i));
        }
      }
      if (keyword.charAt(0) == ' ' || keyword.charAt(n - 1) == ' ') {
        throw new IllegalArgumentException(
            "keyword '" + keyword + "' has a leading or trailing space");
      }
      if (keyword.contains("  ")) {
        throw new IllegalArgumentException("keyword '" + keyword + "' has consecutive spaces");
      }
    }

    private static boolean isLatin1(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (s.charAt(i) > 0xff) {
          return false;
        }
      }
      return true;
    }

    private static void writeChunk(int type, byte[] data, ByteArrayOutputStream out) {
      byte[] header = new byte[8];
      putInt(header, 0, data.length);
      putInt(header, 4, type);
      CRC32 crc = new CRC32();
      crc.update(header, 4, 4);
      crc.update(data);
      byte[] trailer = new byte[4];
      putInt(trailer, 0, (int) crc.getValue());
      out.writeBytes(header);
      out.writeBytes(data);
      out.writeBytes(trailer);
    }

    private static void putInt(byte[] b, int at, int v) {
      b[at] = (byte) (v >>> 24);
      b[at + 1] = (byte) (v >>> 16);
      b[at + 2] = (byte) (v >>> 8);
      b[at + 3] = (byte) v;
    }

    private static byte[] deflate(byte[] bytes) {
      Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
      try {
        deflater.setInput(bytes);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 2 + 64);
        byte[] buffer = new byte[8192];
        while (!deflater.finished()) {
          out.write(buffer, 0, deflater.deflate(buffer));
        }
        return out.toByteArray();
      } finally {
        deflater.end();
      }
    }

    /** Inflates png[from, to), failing as soon as the output would exceed {@code max} bytes. */
    private static byte[] inflate(Walker w, int from, int to, int max) {
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(w.png, from, to - from);
        ByteArrayOutputStream out =
            new ByteArrayOutputStream((int) Math.min(max, 4L * (to - from) + 64));
        byte[] buffer = new byte[8192];
        while (!inflater.finished()) {
          int n = inflater.inflate(buffer);
          if (n == 0 && !inflater.finished()) {
            throw malformed(w, "a truncated or corrupt compressed text");
          }
          if (out.size() + n > max) {
            throw malformed(w, "compressed text inflating to more than " + max + " bytes");
          }
          out.write(buffer, 0, n);
        }
        w.textBytes += out.size();
        return out.toByteArray();
      } catch (DataFormatException e) {
        throw malformed(w, "corrupt compressed text (" + e.getMessage() + ")");
      } finally {
        inflater.end();
      }
    }

    private static void checkSize(Walker w, int size, int max) {
      if (size > max) {
        throw malformed(w, "text of " + size + " bytes, more than " + max);
      }
    }

    private static int skipNulTerminated(Walker w, int from, int to) {
      int nul = indexOfNul(w.png, from, to);
      if (nul < 0) {
        throw malformed(w, "a missing NUL separator");
      }
      return nul + 1;
    }

    private static int indexOfNul(byte[] b, int from, int to) {
      for (int i = from; i < to; i++) {
        if (b[i] == 0) {
          return i;
        }
      }
      return -1;
    }

    private static IllegalArgumentException malformed(Walker w, String what) {
      return new IllegalArgumentException(
          typeName(w.type) + " chunk at offset " + w.start + " has " + what);
    }
  }

  /** Formats and parses A1111-style parameters text. */
  static final class A1111Text {
    private A1111Text() {}

    static String format(String prompt, String negativePrompt, Map<String, String> settings) {
      StringBuilder sb = new StringBuilder(prompt == null ? "" : prompt);
      if (negativePrompt != null && !negativePrompt.isEmpty()) {
        sb.append('\n').append(NEGATIVE_PROMPT_PREFIX).append(' ').append(negativePrompt);
      }
      if (settings != null && !settings.isEmpty()) {
        String separator = "\n";
        for (Map.Entry<String, String> e : settings.entrySet()) {
          if (e.getKey() == null || !isKey(e.getKey()) || e.getValue() == null) {
            throw new IllegalArgumentException("invalid A1111 setting '" + e.getKey() + "'");
          }
          sb.append(separator).append(e.getKey()).append(": ");
          quote(e.getValue(), sb);
          separator = ", ";
        }
      }
      return sb.toString();
    }

    static A1111 parse(String text) {
      List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
      Map<String, String> settings = settings(lines.get(lines.size() - 1));
      if (settings == null) {
        settings = Map.of();
      } else {
        lines.remove(lines.size() - 1);
      }
      int negative = 0;
      while (negative < lines.size() && !lines.get(negative).startsWith(NEGATIVE_PROMPT_PREFIX)) {
        negative++;
      }
      String prompt = String.join("\n", lines.subList(0, negative));
      if (negative == lines.size()) {
        return new A1111(prompt, null, settings);
      }
      String first = lines.get(negative).substring(NEGATIVE_PROMPT_PREFIX.length());
      lines.set(negative, first.startsWith(" ") ? first.substring(1) : first);
      return new A1111(prompt, String.join("\n", lines.subList(negative, lines.size())), settings);
    }

    /** The settings of {@code line}, or null when it is not a settings line. */
    private static Map<String, String> settings(String line) {
      String s = line.strip();
      if (s.isEmpty() || s.startsWith(NEGATIVE_PROMPT_PREFIX)) {
        return null;
      }
      Map<String, String> settings = new LinkedHashMap<>();
      int[] pos = {0};
      while (pos[0] < s.length()) {
        int colon = s.indexOf(':', pos[0]);
        if (colon < 0 || !isKey(s.substring(pos[0], colon).strip())) {
          return null;
        }
        String key = s.substring(pos[0], colon).strip();
        pos[0] = skipSpaces(s, colon + 1);
        String value = value(s, pos);
        if (value == null) {
          return null;
        }
        settings.put(key, value);
      }
      return settings.size() >= 3 || settings.containsKey("Steps") ? settings : null;
    }

    /** Reads one value and the comma after it; null when the line is malformed there. */
    private static String value(String s, int[] pos) {
      String value;
      if (pos[0] < s.length() && s.charAt(pos[0]) == '"') {
        value = unquote(s, pos);
        if (value == null) {
          return null;
        }
        pos[0] = skipSpaces(s, pos[0]);
      } else {
        int comma = s.indexOf(',', pos[0]);
        int end = comma < 0 ? s.length() : comma;
        value = s.substring(pos[0], end).strip();
        pos[0] = end;
      }
      if (pos[0] < s.length()) {
        if (s.charAt(pos[0]) != ',') {
          return null;
        }
        pos[0] = skipSpaces(s, pos[0] + 1);
      }
      return value;
    }

    private static boolean isKey(String key) {
      if (key.isEmpty() || !isKeyStart(key.charAt(0)) || key.endsWith(" ")) {
        return false;
      }
      for (int i = 1; i < key.length(); i++) {
        char c = key.charAt(i);
        if (!isKeyStart(c) && " -/.()".indexOf(c) < 0) {
          return false;
        }
      }
      return true;
    }

    private static boolean isKeyStart(char c) {
      return Character.isLetterOrDigit(c) || c == '_';
    }

    private static int skipSpaces(String s, int i) {
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
      return i;
    }

    private static void quote(String value, StringBuilder sb) {
      boolean plain = !value.isEmpty() && value.strip().equals(value) && value.charAt(0) != '"';
      for (int i = 0; plain && i < value.length(); i++) {
        char c = value.charAt(i);
        plain = c >= 0x20 && c != ',' && c != ':' && c != '"';
      }
      if (plain || value.isEmpty()) {
        sb.append(value);
        return;
      }
      sb.append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> sb.append("\\\"");
          case '\\' -> sb.append("\\\\");
          case '\n' -> sb.append("\\n");
          case '\r' -> sb.append("\\r");
          case '\t' -> sb.append("\\t");
          default -> {
            if (c < 0x20) {
              sb.append(String.format("\\u%04x", (int) c));
            } else {
              sb.append(c);
            }
          }
        }
      }
      sb.append('"');
    }

    /** Reads the JSON string at s[pos]; null when it is unterminated or has a bad escape. */
    private static String unquote(String s, int[] pos) {
      StringBuilder sb = new StringBuilder();
      int i = pos[0] + 1;
      while (i < s.length()) {
        char c = s.charAt(i++);
        if (c == '"') {
          pos[0] = i;
          return sb.toString();
        }
        if (c != '\\') {
          sb.append(c);
          continue;
        }
        if (i >= s.length()) {
          return null;
        }
        char e = s.charAt(i++);
        switch (e) {
          case '"', '\\', '/' -> sb.append(e);
          case 'b' -> sb.append('\b');
          case 'f' -> sb.append('\f');
          case 'n' -> sb.append('\n');
          case 'r' -> sb.append('\r');
          case 't' -> sb.append('\t');
          case 'u' -> {
            if (i + 4 > s.length()) {
              return null;
            }
            try {
              sb.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
            } catch (NumberFormatException ex) {
              return null;
            }
            i += 4;
          }
          default -> {
            return null;
          }
        }
      }
      return null;
    }
  }
}
