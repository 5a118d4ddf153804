package dev.imajin.gpuboss;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A lease holder in its own JVM, for the kill test: acquires a lease over HTTP, prints {@code LEASE
 * <id> <token>}, then renews it every third of its TTL until killed. When a renewal is refused (it
 * was paused past its TTL, like a long GC pause), it prints {@code LOST <status> <detail>} and
 * exits with status 3. Uses only the JDK.
 *
 * <p>Arguments: broker URL, device, bytes, TTL in ms.
 */
public final class HolderMain {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    HttpClient http = HttpClient.newHttpClient();
    String body =
        "{\"device\":\"%s\",\"bytes\":%s,\"holder\":\"victim@child\",\"ttl_ms\":%s}"
            .formatted(args[1], args[2], args[3]);
    String lease = post(http, url + "/v1/leases", body);
    String id = field(lease, "\"lease_id\":\"([^\"]+)\"");
    String token = field(lease, "\"fencing_token\":(\\d+)");
    System.out.println("LEASE " + id + " " + token);
    System.out.flush();
    long every = Long.parseLong(args[3]) / 3;
    while (true) {
      Thread.sleep(every);
      HttpResponse<String> renewed =
          send(http, url + "/v1/leases/" + id + "/renew", "{\"fencing_token\":" + token + "}");
      if (renewed.statusCode() != 200) {
        System.out.println("LOST " + renewed.statusCode() + " " + renewed.body());
        System.out.flush();
        System.exit(3);
      }
    }
  }

  private static HttpResponse<String> send(HttpClient http, String url, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String post(HttpClient http, String url, String body) throws Exception {
    HttpResponse<String> response = send(http, url, body);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          url + " answered " + response.statusCode() + ": " + response.body());
    }
    return response.body();
  }

  private static String field(String json, String pattern) {
    Matcher m = Pattern.compile(pattern).matcher(json);
    if (!m.find()) {
      throw new IllegalStateException("no " + pattern + " in " + json);
    }
    return m.group(1);
  }
}
