package dev.imajin.inference.runtime;

import dev.imajin.contracts.ErrorType;
import dev.imajin.contracts.ImajinException;
import java.util.List;

/** A model file that ONNX Runtime refuses; the message names the file. Answers 422. */
public final class ModelLoadException extends ImajinException {
  public ModelLoadException(String detail, Throwable cause) {
    super(ErrorType.UNPROCESSABLE, detail, null, List.of(), null, cause);
  }
}
