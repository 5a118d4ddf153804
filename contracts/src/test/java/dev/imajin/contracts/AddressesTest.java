package dev.imajin.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class AddressesTest {
  @ParameterizedTest
  @EnumSource(ServiceId.class)
  @DisplayName("Addresses has a constant for every operation of every contract, and no other")
  void constantsMatchContracts(ServiceId service) throws Exception {
    Set<String> expected = new TreeSet<>();
    JsonObject paths = Contracts.bundled(service).getJsonObject("paths");
    for (String path : paths.fieldNames()) {
      JsonObject item = paths.getJsonObject(path);
      item.fieldNames().stream()
          .filter(Contracts.HTTP_METHODS::contains)
          .forEach(
              m ->
                  expected.add(
                      Addresses.of(service, item.getJsonObject(m).getString("operationId"))));
    }
    Class<?> holder =
        Arrays.stream(Addresses.class.getClasses())
            .filter(c -> c.getSimpleName().equalsIgnoreCase(service.id().replace("-", "")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no Addresses class for " + service));
    Set<String> constants = new TreeSet<>();
    for (Field field : holder.getFields()) {
      if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class) {
        constants.add((String) field.get(null));
      }
    }
    assertThat(constants).isEqualTo(expected);
  }
}
