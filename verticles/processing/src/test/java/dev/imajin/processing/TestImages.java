package dev.imajin.processing;

import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/** Image files the tests make by hand. */
public final class TestImages {
  private TestImages() {}

  /**
   * A PNG signature and IHDR chunk declaring the size, and nothing else: a decompression bomb's
   * header.
   */
  public static byte[] pngHeaderOnly(int width, int height) {
    ByteBuffer ihdr =
        ByteBuffer.allocate(17)
            .put("IHDR".getBytes())
            .putInt(width)
            .putInt(height)
            .put((byte) 8)
            .put((byte) 2)
            .put((byte) 0)
            .put((byte) 0)
            .put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(ihdr.array());
    return ByteBuffer.allocate(33)
        .put(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})
        .putInt(13)
        .put(ihdr.array())
        .putInt((int) crc.getValue())
        .array();
  }
}
