import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/**
 * Load driver for the processing service, run as a single-file program against a running service:
 *
 * <pre>
 *   java tools/bench/ProcessingLoad.java resize|embed|bombs [--url URL] [--format png|jpeg]
 *       [--concurrency N] [--requests N] [--warmup N]
 * </pre>
 *
 * {@code resize} and {@code embed} send 1024x1024 photo-like images (smooth gradients plus noise,
 * so the encoders work as hard as on real pictures) and report requests per second and latency
 * percentiles. {@code bombs} sends a mix of hostile inputs (a PNG header claiming 30000x30000, a
 * truncated PNG, bytes of no known format) together with real 1024x1024 resizes, and reports the
 * answers by status. Uses only the JDK, so it needs no build.
 */
public final class ProcessingLoad {

  public static void main(String[] args) throws Exception {
    if (args.length == 0) {
      System.err.println(
          "usage: java ProcessingLoad.java resize|embed|bombs [--url URL] [--format png|jpeg]"
              + " [--concurrency N] [--requests N] [--warmup N]");
      System.exit(2);
    }
    String mode = args[0];
    Map<String, String> options = new TreeMap<>();
    for (int i = 1; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    String url = options.getOrDefault("url", "http://127.0.0.1:8004");
    String format = options.getOrDefault("format", "png");
    int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "4"));
    int requests = Integer.parseInt(options.getOrDefault("requests", "200"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "20"));

    String image = Base64.getEncoder().encodeToString(photo(1024, 1024, format));
    List<Call> calls =
        switch (mode) {
          case "resize" -> List.of(resize(url, image));
          case "embed" -> List.of(embed(url, image));
          case "bombs" -> bombs(url, image);
          default -> throw new IllegalArgumentException("unknown mode " + mode);
        };

    HttpClient client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(Math.max(2, concurrency)))
            .build();
    run(client, calls, Math.min(concurrency, 4), warmup);
    Result result = run(client, calls, concurrency, requests);
    System.out.printf(
        "%s %s 1024x1024: %d requests, concurrency %d, %.1f s, %.1f req/s, p50 %.0f ms, p90 %.0f"
            + " ms, p99 %.0f ms, max %.0f ms%n",
        mode,
        format,
        requests,
        concurrency,
        result.seconds,
        requests / result.seconds,
        result.percentile(50),
        result.percentile(90),
        result.percentile(99),
        result.percentile(100));
    System.out.println("answers by call and status: " + result.statuses);
    System.exit(0);
  }

  /** One kind of request, named in the report. */
  private record Call(String name, HttpRequest request) {}

  private record Result(double seconds, double[] millis, Map<String, Integer> statuses) {
    double percentile(double p) {
      double[] sorted = millis.clone();
      Arrays.sort(sorted);
      int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
      return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
  }

  private static Result run(HttpClient client, List<Call> calls, int concurrency, int requests)
      throws Exception {
    double[] millis = new double[requests];
    Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    AtomicInteger next = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(concurrency);
    long start = System.nanoTime();
    List<Future<?>> workers = new ArrayList<>();
    for (int w = 0; w < concurrency; w++) {
      workers.add(
          senders.submit(
              () -> {
                for (int i = next.getAndIncrement(); i < requests; i = next.getAndIncrement()) {
                  Call call = calls.get(i % calls.size());
                  long t0 = System.nanoTime();
                  String outcome;
                  try {
                    HttpResponse<byte[]> response =
                        client.send(call.request(), HttpResponse.BodyHandlers.ofByteArray());
                    outcome = call.name() + " " + response.statusCode();
                  } catch (IOException e) {
                    outcome = call.name() + " " + e.getClass().getSimpleName();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  millis[i] = (System.nanoTime() - t0) / 1e6;
                  statuses.computeIfAbsent(outcome, k -> new LongAdder()).increment();
                }
              }));
    }
    for (Future<?> worker : workers) {
      worker.get();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    senders.shutdown();
    Map<String, Integer> counted = new TreeMap<>();
    statuses.forEach((k, v) -> counted.put(k, v.intValue()));
    return new Result(seconds, millis, counted);
  }

  private static Call resize(String url, String image) {
    return json(
        "resize",
        url + "/v1/resize",
        "{\"image\":{\"b64\":\"" + image + "\"},\"width\":512,\"mode\":\"fit\"}");
  }

  private static Call embed(String url, String image) {
    return json(
        "embed",
        url + "/v1/watermark/embed",
        "{\"image\":{\"b64\":\"" + image + "\"},\"key\":\"benchmark-key-0001\"}");
  }

  private static List<Call> bombs(String url, String image) {
    byte[] real = Base64.getDecoder().decode(image);
    byte[] truncated = Arrays.copyOf(real, real.length / 2);
    byte[] garbage = new byte[4096];
    new Random(7).nextBytes(garbage);
    List<Call> calls = new ArrayList<>();
    calls.add(raw("bomb-30000x30000", url, pngHeader(30000, 30000)));
    calls.add(raw("truncated", url, truncated));
    calls.add(raw("unknown-format", url, garbage));
    calls.add(resize(url, image));
    return calls;
  }

  private static Call raw(String name, String url, byte[] body) {
    String json = "{\"image\":{\"b64\":\"" + Base64.getEncoder().encodeToString(body) + "\"}";
    return json(name, url + "/v1/resize", json + ",\"width\":512}");
  }

  private static Call json(String name, String uri, String body) {
    return new Call(
        name,
        HttpRequest.newBuilder(URI.create(uri))
            .timeout(Duration.ofSeconds(120))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  /** Smooth colour gradients with a little noise: compresses like a photograph, not like a flat fill. */
  private static byte[] photo(int width, int height, String format) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double fx = x / (double) width;
        double fy = y / (double) height;
        int r = (int) (128 + 100 * Math.sin(fx * 9 + fy * 3)) + random.nextInt(9) - 4;
        int g = (int) (128 + 100 * Math.cos(fy * 7 - fx * 2)) + random.nextInt(9) - 4;
        int b = (int) (128 + 90 * Math.sin((fx + fy) * 5)) + random.nextInt(9) - 4;
        image.setRGB(x, y, clamp(r) << 16 | clamp(g) << 8 | clamp(b));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, format.equals("jpeg") ? "jpg" : "png", out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static int clamp(int v) {
    return Math.max(0, Math.min(255, v));
  }

  /** A PNG signature and IHDR chunk declaring the given size, followed by no pixel data. */
  private static byte[] pngHeader(int width, int height) {
    ByteBuffer png = ByteBuffer.allocate(8 + 25).order(ByteOrder.BIG_ENDIAN);
    png.put(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
    png.putInt(13);
    int typeAt = png.position();
    png.put(new byte[] {'I', 'H', 'D', 'R'});
    png.putInt(width).putInt(height).put((byte) 8).put((byte) 6).put((byte) 0);
    png.put((byte) 0).put((byte) 0);
    CRC32 crc = new CRC32();
    crc.update(png.array(), typeAt, 17);
    png.putInt((int) crc.getValue());
    return png.array();
  }
}
