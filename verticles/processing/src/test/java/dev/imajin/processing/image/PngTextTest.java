package dev.imajin.processing.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.imajin.processing.image.PngText.A1111;
import dev.imajin.processing.image.PngText.Chunk;
import dev.imajin.processing.image.PngText.Limits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Node;

class PngTextTest {

  private static final String NATIVE = "javax_imageio_png_1.0";
  private static final List<Chunk> MIXED =
      List.of(
          new Chunk("Title", "Green circle"),
          new Chunk("Comment", "starter pack sample, ".repeat(40), true),
          new Chunk("Description", "緑の円 🟢 on white\nsecond line", false),
          new Chunk(PngText.JSON_KEYWORD, "{\"prompt\":\"猫の絵 🐈\",\"seed\":42}", true),
          new Chunk("Author", "Zoë Ünal, ©"));

  private static BufferedImage image;
  private static byte[] png;

  @BeforeAll
  static void encode() throws IOException {
    image = new BufferedImage(23, 17, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        image.setRGB(x, y, x * 11 << 16 | y * 15 << 8 | (x * y) & 0xff);
      }
    }
    png = imageio(image, null);
  }

  @Test
  @DisplayName("Chunks written into an ImageIO PNG read back in order, with their types and flags")
  void roundTrip() {
    byte[] written = PngText.write(png, MIXED, false);

    assertThat(PngText.read(written)).containsExactlyElementsOf(MIXED);
    List<String> types = chunkTypes(written);
    assertThat(types.subList(0, types.indexOf("IDAT")))
        .endsWith("tEXt", "zTXt", "iTXt", "iTXt", "tEXt")
        .startsWith("IHDR");
    assertThat(types).endsWith("IEND");
    assertThat(PngText.read(png)).isEmpty();
  }

  @Test
  @DisplayName("The image still decodes to the same pixels, and other chunks are copied unchanged")
  void pixelsAndOtherChunksUnchanged() throws IOException {
    byte[] original = png.clone();
    byte[] written = PngText.write(png, MIXED, false);

    BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(written));
    assertThat(rgb(decoded)).isEqualTo(rgb(image));
    assertThat(nonTextChunks(written)).isEqualTo(nonTextChunks(png));
    assertThat(written.length).isGreaterThan(png.length);
    assertThat(png).isEqualTo(original);
  }

  @Test
  @DisplayName("javax.imageio's own PNG metadata reader sees the chunks we write")
  void imageioReadsOurChunks() throws IOException {
    Node root = imageioMetadata(PngText.write(png, MIXED, false));

    assertThat(entries(root, "tEXtEntry", "keyword", "value"))
        .containsExactly("Title=Green circle", "Author=Zoë Ünal, ©");
    assertThat(entries(root, "zTXtEntry", "keyword", "text"))
        .containsExactly("Comment=" + MIXED.get(1).text());
    assertThat(entries(root, "iTXtEntry", "keyword", "text", "compressionFlag"))
        .containsExactly(
            "Description=緑の円 🟢 on white\nsecond line=FALSE",
            PngText.JSON_KEYWORD + "={\"prompt\":\"猫の絵 🐈\",\"seed\":42}=TRUE");
  }

  @Test
  @DisplayName("We read the text chunks that javax.imageio writes")
  void weReadImageioChunks() throws IOException {
    IIOMetadataNode root = new IIOMetadataNode(NATIVE);
    root.appendChild(entry("tEXt", "tEXtEntry", "keyword", "Software", "value", "ImageIO"));
    root.appendChild(
        entry(
            "zTXt",
            "zTXtEntry",
            "keyword",
            "Comment",
            "compressionMethod",
            "deflate",
            "text",
            "zipped à la mode"));
    root.appendChild(
        entry(
            "iTXt",
            "iTXtEntry",
            "keyword",
            "Title",
            "compressionFlag",
            "TRUE",
            "compressionMethod",
            "0",
            "languageTag",
            "ja",
            "translatedKeyword",
            "題名",
            "text",
            "富士山 🗻"));
    byte[] file = imageio(image, root);

    assertThat(PngText.read(file))
        .containsExactlyInAnyOrder(
            new Chunk("Software", "ImageIO"),
            new Chunk("Comment", "zipped à la mode", true),
            new Chunk("Title", "富士山 🗻", true));
  }

  @Test
  @DisplayName(
      "Without replaceAll only chunks with a new keyword go; with it every text chunk goes")
  void replaceSemantics() {
    byte[] first =
        PngText.write(
            png,
            List.of(new Chunk("A", "a1"), new Chunk("B", "b1"), new Chunk("B", "b2", true)),
            false);

    byte[] merged = PngText.write(first, List.of(new Chunk("B", "b3"), new Chunk("C", "c")), false);
    assertThat(PngText.read(merged))
        .containsExactly(new Chunk("A", "a1"), new Chunk("B", "b3"), new Chunk("C", "c"));

    byte[] replaced = PngText.write(merged, List.of(new Chunk("D", "d")), true);
    assertThat(PngText.read(replaced)).containsExactly(new Chunk("D", "d"));
    assertThat(PngText.read(PngText.write(merged, List.of(), true))).isEmpty();
    assertThat(PngText.write(png, List.of(), false)).isEqualTo(png);
  }

  @Test
  @DisplayName("Text chunks after the image data are found, and removed when replaced")
  void chunksAfterIdat() {
    byte[] late = insertBefore(png, "IEND", chunk("tEXt", latin1("Late\0after data")));

    assertThat(PngText.read(late)).containsExactly(new Chunk("Late", "after data"));
    byte[] rewritten = PngText.write(late, List.of(new Chunk("Late", "early")), false);
    assertThat(PngText.read(rewritten)).containsExactly(new Chunk("Late", "early"));
    assertThat(chunkTypes(rewritten).indexOf("tEXt"))
        .isLessThan(chunkTypes(rewritten).indexOf("IDAT"));
  }

  @Test
  @DisplayName("A bad signature, a CRC mismatch and truncation are reported with the offset")
  void malformedFiles() {
    byte[] written = PngText.write(png, MIXED, false);
    assertThatThrownBy(() -> PngText.read(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("signature");

    byte[] badCrc = written.clone();
    badCrc[16] ^= 1; // IHDR width
    assertThatThrownBy(() -> PngText.read(badCrc))
        .hasMessageContaining("CRC mismatch in IHDR chunk at offset 8");
    int text = indexOf(written, "zTXt") - 4;
    byte[] badText = written.clone();
    badText[text + 20] ^= 0x40;
    assertThatThrownBy(() -> PngText.read(badText))
        .hasMessageContaining("CRC mismatch in zTXt chunk at offset " + text);
    assertThatThrownBy(() -> PngText.write(badText, List.of(), false))
        .hasMessageContaining("CRC mismatch");

    int idat = indexOf(written, "IDAT") - 4;
    assertThatThrownBy(() -> PngText.read(Arrays.copyOf(written, idat + 20)))
        .hasMessageContaining("truncated IDAT chunk at offset " + idat);
    assertThatThrownBy(() -> PngText.read(Arrays.copyOf(written, written.length - 12)))
        .hasMessageContaining("truncated PNG: no IEND");
    assertThatThrownBy(() -> PngText.read(Arrays.copyOf(written, written.length - 5)))
        .hasMessageContaining("truncated chunk header at offset " + (written.length - 12));
    assertThatThrownBy(() -> PngText.write(Arrays.copyOf(written, 40), MIXED, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  @DisplayName("Compressed text may inflate to 1 MiB and no further")
  void inflateCap() {
    int limit = Limits.DEFAULT.maxTextBytes();
    byte[] atLimit = insertBefore(png, "IDAT", ztxt("Bomb", limit));
    assertThat(PngText.read(atLimit).get(0).text()).hasSize(limit);

    byte[] bomb = insertBefore(png, "IDAT", ztxt("Bomb", 64 * limit));
    assertThat(bomb.length).isLessThan(png.length + 100_000);
    assertThatThrownBy(() -> PngText.read(bomb))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("zTXt chunk at offset 33")
        .hasMessageContaining("more than " + limit + " bytes");

    byte[] itxt = new byte[limit + 1];
    Arrays.fill(itxt, (byte) 'x');
    byte[] data = concat(latin1("Bomb\0\1\0\0\0"), deflate(itxt));
    assertThatThrownBy(() -> PngText.read(insertBefore(png, "IDAT", chunk("iTXt", data))))
        .hasMessageContaining("iTXt chunk at offset 33 has compressed text inflating to more");

    byte[] corrupt = concat(latin1("Broken\0\0"), Arrays.copyOf(deflate(itxt), 50));
    assertThatThrownBy(() -> PngText.read(insertBefore(png, "IDAT", chunk("zTXt", corrupt))))
        .hasMessageContaining("truncated or corrupt compressed text");
  }

  @Test
  @DisplayName("The number of text chunks and their total size are capped")
  void chunkCaps() {
    List<Chunk> five = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      five.add(new Chunk("k" + i, "x".repeat(100)));
    }
    byte[] written = PngText.write(png, five, false);

    assertThat(PngText.read(written, new Limits(100, 5, 500))).hasSize(5);
    assertThatThrownBy(() -> PngText.read(written, new Limits(100, 4, 500)))
        .hasMessageContaining("more than 4 text chunks");
    assertThatThrownBy(() -> PngText.read(written, new Limits(100, 5, 499)))
        .hasMessageContaining("more than 499 bytes in all");
    assertThatThrownBy(() -> PngText.read(written, new Limits(99, 5, 500)))
        .hasMessageContaining("text of 100 bytes, more than 99");

    byte[] cats = PngText.write(png, List.of(new Chunk("cats", "猫".repeat(100), true)), false);
    assertThat(PngText.read(cats, new Limits(300, 1, 300))).hasSize(1);
    assertThatThrownBy(() -> PngText.read(cats, new Limits(300, 1, 299)))
        .hasMessageContaining("more than 299 bytes in all");
    assertThatThrownBy(() -> PngText.read(cats, new Limits(299, 1, 300)))
        .hasMessageContaining("inflating to more than 299 bytes");
  }

  @Test
  @DisplayName("Invalid keywords and NUL in text are rejected")
  void invalidArguments() {
    for (String keyword :
        List.of(
            "", "k".repeat(80), " lead", "trail ", "two  spaces", "tab\there", "Ω", "nb\u00a0sp")) {
      assertThatThrownBy(() -> PngText.write(png, List.of(new Chunk(keyword, "t")), false))
          .as(keyword)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("keyword");
    }
    assertThat(PngText.read(PngText.write(png, List.of(new Chunk("k".repeat(79), "ok")), false)))
        .hasSize(1);
    assertThatThrownBy(() -> PngText.write(png, List.of(new Chunk("k", "a\0b")), false))
        .hasMessageContaining("NUL");
    assertThatThrownBy(() -> new Chunk(null, "t")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PngText.write(png, null, false))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("A1111 text round-trips prompts with newlines and values with commas and quotes")
  void a1111RoundTrip() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("Steps", "20");
    settings.put("Sampler", "euler");
    settings.put("CFG scale", "7.5");
    settings.put("Seed", "42");
    settings.put("Size", "64x64");
    settings.put("Model hash", "abcd1234");
    settings.put("Model", "name");
    settings.put("Lora hashes", "cat: 1a2b, dog: \"3c\"\\x");
    settings.put("Note", " padded\tand\nbroken ");
    String prompt = "a cat, sitting\non a mat\n\nwith a hat: red";

    String text = PngText.a1111(prompt, "blurry, noisy\nlow quality", settings);
    assertThat(text)
        .startsWith(prompt + "\nNegative prompt: blurry, noisy\nlow quality\n")
        .contains("Steps: 20, Sampler: euler, CFG scale: 7.5, Seed: 42, Size: 64x64,")
        .contains(" Model hash: abcd1234, Model: name, Lora hashes: \"cat: 1a2b, dog: \\\"3c\\\"");
    A1111 parsed = PngText.parseA1111(text);
    assertThat(parsed.prompt()).isEqualTo(prompt);
    assertThat(parsed.negativePrompt()).isEqualTo("blurry, noisy\nlow quality");
    assertThat(parsed.settings()).containsExactlyEntriesOf(settings);

    assertThat(PngText.parseA1111(PngText.a1111("only a prompt", null, Map.of())))
        .isEqualTo(new A1111("only a prompt", null, Map.of()));
    assertThat(PngText.parseA1111(PngText.a1111(null, "", Map.of("Steps", "5"))))
        .isEqualTo(new A1111("", null, Map.of("Steps", "5")));
  }

  @Test
  @DisplayName("A1111 text from other tools parses, and prose is not taken for settings")
  void a1111Parsing() {
    A1111 webui =
        PngText.parseA1111(
            "masterpiece, (cat:1.2)\n"
                + "Negative prompt:  ugly\n"
                + "Steps: 30, Sampler: DPM++ 2M Karras, CFG scale: 7, Seed: 123, "
                + "Lora hashes: \"add_detail: 7c6bad76eb54, \\u732b: 00\", Version: v1.6.0");
    assertThat(webui.prompt()).isEqualTo("masterpiece, (cat:1.2)");
    assertThat(webui.negativePrompt()).isEqualTo(" ugly");
    assertThat(webui.settings())
        .containsEntry("Sampler", "DPM++ 2M Karras")
        .containsEntry("Lora hashes", "add_detail: 7c6bad76eb54, 猫: 00")
        .containsEntry("Version", "v1.6.0")
        .hasSize(6);

    for (String prose :
        List.of(
            "style: anime, mood: calm",
            "photo\nNegative prompt: a: 1, b: 2, c: 3",
            "x\nSteps: \"unterminated, Seed: 1",
            "x\nSteps: 1, junk")) {
      assertThat(PngText.parseA1111(prose).settings()).as(prose).isEmpty();
    }
    assertThat(PngText.parseA1111("style: anime, mood: calm").prompt())
        .isEqualTo("style: anime, mood: calm");
    assertThatThrownBy(() -> PngText.a1111("p", null, Map.of("bad:key", "v")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("Reading and writing a 1024x1024 PNG takes milliseconds")
  void speed() throws IOException {
    BufferedImage big = new BufferedImage(1024, 1024, BufferedImage.TYPE_INT_RGB);
    int[] data = ((java.awt.image.DataBufferInt) big.getRaster().getDataBuffer()).getData();
    for (int i = 0; i < data.length; i++) {
      data[i] = (int) (i * 2654435761L >>> 8);
    }
    byte[] file = imageio(big, null);
    List<Chunk> chunks = List.of(MIXED.get(0), MIXED.get(1), MIXED.get(3));
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 20; i++) {
      long t0 = System.nanoTime();
      byte[] written = PngText.write(file, chunks, false);
      assertThat(PngText.read(written)).hasSize(3);
      best = Math.min(best, System.nanoTime() - t0);
    }
    System.out.printf(
        "PngText write+read of a %d-byte 1024x1024 PNG: %.2f ms%n", file.length, best / 1e6);
    assertThat(best).isLessThan(200_000_000L);
  }

  // --- helpers -----------------------------------------------------------------------------

  private static byte[] imageio(BufferedImage img, IIOMetadataNode text) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(ios);
      IIOMetadata md =
          writer.getDefaultImageMetadata(
              ImageTypeSpecifier.createFromRenderedImage(img), writer.getDefaultWriteParam());
      if (text != null) {
        md.mergeTree(NATIVE, text);
      }
      writer.write(new IIOImage(img, null, md));
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  private static Node imageioMetadata(byte[] file) throws IOException {
    ImageReader reader = ImageIO.getImageReadersByFormatName("png").next();
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(file))) {
      reader.setInput(in);
      return reader.getImageMetadata(0).getAsTree(NATIVE);
    } finally {
      reader.dispose();
    }
  }

  private static List<String> entries(Node root, String name, String... attributes) {
    List<String> out = new ArrayList<>();
    collect(root, name, attributes, out);
    return out;
  }

  private static void collect(Node node, String name, String[] attributes, List<String> out) {
    if (node.getNodeName().equals(name)) {
      List<String> values = new ArrayList<>();
      for (String a : attributes) {
        values.add(node.getAttributes().getNamedItem(a).getNodeValue());
      }
      out.add(String.join("=", values));
    }
    for (Node c = node.getFirstChild(); c != null; c = c.getNextSibling()) {
      collect(c, name, attributes, out);
    }
  }

  private static IIOMetadataNode entry(String parent, String name, String... attributes) {
    IIOMetadataNode entry = new IIOMetadataNode(name);
    for (int i = 0; i < attributes.length; i += 2) {
      entry.setAttribute(attributes[i], attributes[i + 1]);
    }
    IIOMetadataNode node = new IIOMetadataNode(parent);
    node.appendChild(entry);
    return node;
  }

  private static int[] rgb(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }

  /** Chunk types in file order, parsed here independently of PngText. */
  private static List<String> chunkTypes(byte[] file) {
    List<String> types = new ArrayList<>();
    for (int at = 8; at < file.length; at += 12 + length(file, at)) {
      types.add(new String(file, at + 4, 4, StandardCharsets.US_ASCII));
    }
    return types;
  }

  private static List<String> nonTextChunks(byte[] file) {
    List<String> chunks = new ArrayList<>();
    for (int at = 8; at < file.length; at += 12 + length(file, at)) {
      String type = new String(file, at + 4, 4, StandardCharsets.US_ASCII);
      if (!type.endsWith("Xt")) {
        chunks.add(Arrays.toString(Arrays.copyOfRange(file, at, at + 12 + length(file, at))));
      }
    }
    return chunks;
  }

  private static int length(byte[] file, int at) {
    return (file[at] & 0xff) << 24
        | (file[at + 1] & 0xff) << 16
        | (file[at + 2] & 0xff) << 8
        | (file[at + 3] & 0xff);
  }

  private static int indexOf(byte[] file, String type) {
    byte[] needle = type.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + 4 <= file.length; i++) {
      if (Arrays.equals(file, i, i + 4, needle, 0, 4)) {
        return i;
      }
    }
    throw new AssertionError(type + " not found");
  }

  private static byte[] insertBefore(byte[] file, String type, byte[] chunk) {
    int at = indexOf(file, type) - 4;
    return concat(Arrays.copyOf(file, at), chunk, Arrays.copyOfRange(file, at, file.length));
  }

  private static byte[] chunk(String type, byte[] data) {
    byte[] out = new byte[12 + data.length];
    out[0] = (byte) (data.length >>> 24);
    out[1] = (byte) (data.length >>> 16);
    out[2] = (byte) (data.length >>> 8);
    out[3] = (byte) data.length;
    System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, out, 4, 4);
    System.arraycopy(data, 0, out, 8, data.length);
    CRC32 crc = new CRC32();
    crc.update(out, 4, 4 + data.length);
    long v = crc.getValue();
    for (int i = 0; i < 4; i++) {
      out[8 + data.length + i] = (byte) (v >>> (24 - 8 * i));
    }
    return out;
  }

  private static byte[] ztxt(String keyword, int size) {
    byte[] text = new byte[size];
    Arrays.fill(text, (byte) 'a');
    return chunk("zTXt", concat(latin1(keyword + "\0\0"), deflate(text)));
  }

  private static byte[] deflate(byte[] bytes) {
    Deflater deflater = new Deflater(9);
    deflater.setInput(bytes);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[65536];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
