package dev.imajin.contracts.common;

import dev.imajin.contracts.ImajinException;

/**
 * An image carried inline: the encoded file as base64, with an optional media type hint. The
 * optional {@code width}, {@code height} and {@code bytes} let an {@code ImageResult} be sent back
 * as it is; {@link #checkDescribes} holds them to the file.
 */
public record ImageData(
    String b64, MediaType mediaType, Integer width, Integer height, Long bytes) {

  public ImageData(String b64, MediaType mediaType) {
    this(b64, mediaType, null, null, null);
  }

  /**
   * Checks the optional size fields against the decoded file.
   *
   * @param field the request field, for messages ({@code image}, {@code candidates[2]})
   * @throws ImajinException 422 naming the first field that disagrees
   */
  public void checkDescribes(int fileWidth, int fileHeight, long fileBytes, String field) {
    disagree(field + ".width", width, fileWidth, "wide");
    disagree(field + ".height", height, fileHeight, "high");
    disagree(field + ".bytes", bytes, fileBytes, "bytes long");
  }

  private static void disagree(String field, Number given, long actual, String what) {
    if (given != null && given.longValue() != actual) {
      throw ImajinException.unprocessable(
          field + " says " + given + ", but the file is " + actual + " " + what);
    }
  }
}
