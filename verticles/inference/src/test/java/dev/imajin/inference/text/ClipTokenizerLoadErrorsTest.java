package dev.imajin.inference.text;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.imajin.inference.testing.TokenizerFixtures;
import dev.imajin.inference.testing.TokenizerFixtures.Form;
import dev.imajin.inference.testing.TokenizerFixtures.Pad;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("Loading a broken tokenizer folder fails with a message that starts with the file")
class ClipTokenizerLoadErrorsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tmp;

  private Path folder(Form form) {
    return TokenizerFixtures.writeClip(tmp.resolve("tok"), form, Pad.EXCLAMATION);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> failsNaming(
      Path folder, Path file) {
    return assertThatThrownBy(() -> ClipTokenizer.load(folder))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(file.toString());
  }

  private static void editJson(Path file, Consumer<ObjectNode> edit) throws IOException {
    ObjectNode json = (ObjectNode) JSON.readTree(file.toFile());
    edit.accept(json);
    Files.writeString(file, JSON.writeValueAsString(json));
  }

  @Test
  void missingFolder() {
    Path nowhere = tmp.resolve("nowhere");
    failsNaming(nowhere, nowhere);
  }

  @Test
  void noVocabulary() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("empty"));
    failsNaming(dir, dir.resolve("vocab.json")).hasMessageContaining("no tokenizer.json");
  }

  @Test
  void vocabWithoutMerges() throws IOException {
    Path dir = folder(Form.VOCAB_AND_MERGES);
    Files.delete(dir.resolve("merges.txt"));
    failsNaming(dir, dir.resolve("merges.txt")).hasMessageContaining("missing");
  }

  @Test
  void malformedTokenizerJson() throws IOException {
    Path dir = folder(Form.BOTH);
    Files.writeString(dir.resolve("tokenizer.json"), "{\"model\": {\"vocab\": ");
    failsNaming(dir, dir.resolve("tokenizer.json")).hasMessageContaining("malformed JSON");
  }

  @Test
  @DisplayName("tokenizer.json that is JSON but not a tokenizer is reported by the native loader")
  void notATokenizer() throws IOException {
    Path dir = folder(Form.TOKENIZER_JSON);
    editJson(dir.resolve("tokenizer.json"), j -> ((ObjectNode) j.get("model")).put("merges", 42));
    failsNaming(dir, dir.resolve("tokenizer.json")).hasMessageContaining("cannot load");
  }

  @Test
  void tokenizerJsonWithoutVocabulary() throws IOException {
    Path dir = folder(Form.TOKENIZER_JSON);
    editJson(dir.resolve("tokenizer.json"), j -> j.remove("model"));
    failsNaming(dir, dir.resolve("tokenizer.json")).hasMessageContaining("model.vocab");
  }

  @Test
  void unigramTokenizerJson() throws IOException {
    Path dir = folder(Form.TOKENIZER_JSON);
    editJson(
        dir.resolve("tokenizer.json"), j -> ((ObjectNode) j.get("model")).put("type", "Unigram"));
    failsNaming(dir, dir.resolve("tokenizer.json")).hasMessageContaining("BPE");
  }

  @Test
  void malformedTokenizerConfig() throws IOException {
    Path dir = folder(Form.TOKENIZER_JSON);
    Files.writeString(dir.resolve("tokenizer_config.json"), "[1, 2");
    failsNaming(dir, dir.resolve("tokenizer_config.json"));
  }

  @Test
  void badModelMaxLength() throws IOException {
    Path dir = folder(Form.TOKENIZER_JSON);
    editJson(dir.resolve("tokenizer_config.json"), c -> c.put("model_max_length", 1));
    failsNaming(dir, dir.resolve("tokenizer_config.json")).hasMessageContaining("model_max_length");
  }

  @Test
  void badTokenValue() throws IOException {
    Path dir = folder(Form.TOKENIZER_JSON);
    editJson(dir.resolve("special_tokens_map.json"), m -> m.put("eos_token", 7));
    failsNaming(dir, dir.resolve("special_tokens_map.json")).hasMessageContaining("eos_token");
  }

  @Test
  @DisplayName("A pad token missing from the vocabulary names the file that declared it")
  void padNotInVocabulary() throws IOException {
    for (Form form : new Form[] {Form.TOKENIZER_JSON, Form.VOCAB_AND_MERGES}) {
      Path dir = TokenizerFixtures.writeClip(tmp.resolve(form.name()), form, Pad.EXCLAMATION);
      editJson(dir.resolve("special_tokens_map.json"), m -> m.put("pad_token", "<pad>"));
      failsNaming(dir, dir.resolve("special_tokens_map.json"))
          .hasMessageContaining("pad_token '<pad>' is not in the vocabulary");
    }
  }

  @Test
  void badVocabJson() throws IOException {
    Path dir = folder(Form.VOCAB_AND_MERGES);
    editJson(dir.resolve("vocab.json"), v -> v.put("a", "zero"));
    failsNaming(dir, dir.resolve("vocab.json")).hasMessageContaining("'a'");
  }

  @Test
  void duplicateIdInVocabJson() throws IOException {
    Path dir = folder(Form.VOCAB_AND_MERGES);
    editJson(dir.resolve("vocab.json"), v -> v.put("a", 0));
    failsNaming(dir, dir.resolve("vocab.json")).hasMessageContaining("share id 0");
  }

  @Test
  void malformedMergeLine() throws IOException {
    Path dir = folder(Form.VOCAB_AND_MERGES);
    Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nr e\nred\n");
    failsNaming(dir, dir.resolve("merges.txt")).hasMessageContaining("line 3");
  }

  @Test
  void mergeOutsideVocabulary() throws IOException {
    Path dir = folder(Form.VOCAB_AND_MERGES);
    Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\nr e\nx y\n");
    failsNaming(dir, dir.resolve("merges.txt")).hasMessageContaining("'xy'");
  }
}
