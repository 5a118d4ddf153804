package dev.imajin.inference.testing;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.AttributeProto.AttributeType;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.OperatorSetIdProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl.TensorShapeProto;
import ai.onnx.proto.OnnxMl.TypeProto;
import ai.onnx.proto.OnnxMl.ValueInfoProto;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;

/**
 * A small builder for ONNX graphs over the {@code ai.onnx.proto.OnnxMl} protobuf classes, enough to
 * write tiny test models by hand.
 *
 * <p>Values are referred to by name. {@link #op} and {@link #node} add a node and return the name
 * of its single output; initializers get generated names. Dimensions are given as {@code Integer}
 * (a fixed size) or {@code String} (a symbolic {@code dim_param}); no dimensions means a rank-0
 * tensor. Models use opset {@value #OPSET} of the default domain and IR version {@value
 * #IR_VERSION} (ONNX 1.12), which every ONNX Runtime from 1.12 on loads.
 *
 * <p>Not thread-safe; build one graph per thread.
 */
public final class OnnxGraph {
  public static final int OPSET = 17;
  public static final int IR_VERSION = 8;

  private final GraphProto.Builder graph;
  private int counter;

  public OnnxGraph(String name) {
    this.graph = GraphProto.newBuilder().setName(name);
  }

  /** Declares a graph input and returns its name. */
  public String input(String name, DataType type, Object... dims) {
    graph.addInput(valueInfo(name, type, dims));
    return name;
  }

  /** Declares a graph output {@code name} that carries {@code value} (through an Identity node). */
  public void output(String name, String value, DataType type, Object... dims) {
    graph.addNode(NodeProto.newBuilder().setOpType("Identity").addInput(value).addOutput(name));
    graph.addOutput(valueInfo(name, type, dims));
  }

  /** Adds a node without attributes and returns its output. */
  public String op(String opType, String... inputs) {
    return node(opType).in(inputs).out();
  }

  /** Starts a node; finish it with {@link Node#out()}. */
  public Node node(String opType) {
    return new Node(opType);
  }

  /** A float initializer of the given shape. */
  public String floats(float[] values, long... dims) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      bytes.putFloat(v);
    }
    return initializer(DataType.FLOAT, bytes, dims);
  }

  /** A float initializer filled uniformly from {@code [offset - scale, offset + scale)}. */
  public String floats(SplittableRandom random, float offset, float scale, long... dims) {
    long count = 1;
    for (long d : dims) {
      count *= d;
    }
    float[] values = new float[Math.toIntExact(count)];
    for (int i = 0; i < values.length; i++) {
      values[i] = offset + (float) random.nextDouble(-scale, scale);
    }
    return floats(values, dims);
  }

  /** A rank-0 float initializer. */
  public String scalar(float value) {
    return floats(new float[] {value});
  }

  /** A 1-D int64 initializer (shapes, axes). */
  public String longs(long... values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      bytes.putLong(v);
    }
    return initializer(DataType.INT64, bytes, values.length);
  }

  /** A rank-0 int64 initializer (a single axis). */
  public String scalarInt64(long value) {
    ByteBuffer bytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value);
    return initializer(DataType.INT64, bytes);
  }

  /** Casts {@code value} from {@code from} to {@code to}; no node when they are equal. */
  public String cast(String value, DataType from, DataType to) {
    return from == to ? value : node("Cast").in(value).attr("to", to.getNumber()).out();
  }

  /** The finished model. */
  public ModelProto model() {
    return ModelProto.newBuilder()
        .setIrVersion(IR_VERSION)
        .setProducerName("imajin-test-fixtures")
        .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
        .setGraph(graph)
        .build();
  }

  private String initializer(DataType type, ByteBuffer bytes, long... dims) {
    String name = "w" + counter++;
    TensorProto.Builder tensor =
        TensorProto.newBuilder().setName(name).setDataType(type.getNumber());
    for (long d : dims) {
      tensor.addDims(d);
    }
    graph.addInitializer(tensor.setRawData(ByteString.copyFrom(bytes.flip())));
    return name;
  }

  private static ValueInfoProto valueInfo(String name, DataType type, Object... dims) {
    TensorShapeProto.Builder shape = TensorShapeProto.newBuilder();
    for (Object d : dims) {
      TensorShapeProto.Dimension.Builder dim = shape.addDimBuilder();
      if (d instanceof Integer size) {
        dim.setDimValue(size);
      } else if (d instanceof String param) {
        dim.setDimParam(param);
      } else {
        throw new IllegalArgumentException("dimension must be an Integer or a String: " + d);
      }
    }
    TypeProto.Tensor tensor =
        TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape).build();
    return ValueInfoProto.newBuilder()
        .setName(name)
        .setType(TypeProto.newBuilder().setTensorType(tensor))
        .build();
  }

  /** A node being built: inputs, then attributes, then {@link #out()}. */
  public final class Node {
    private final NodeProto.Builder node;

    private Node(String opType) {
      this.node = NodeProto.newBuilder().setOpType(opType);
    }

    /** Appends inputs; an empty name skips an optional input. */
    public Node in(String... inputs) {
      for (String input : inputs) {
        node.addInput(input);
      }
      return this;
    }

    public Node attr(String name, long value) {
      return attr(AttributeProto.newBuilder().setType(AttributeType.INT).setI(value), name);
    }

    public Node attr(String name, float value) {
      return attr(AttributeProto.newBuilder().setType(AttributeType.FLOAT).setF(value), name);
    }

    public Node attr(String name, String value) {
      AttributeProto.Builder a = AttributeProto.newBuilder().setType(AttributeType.STRING);
      return attr(a.setS(ByteString.copyFromUtf8(value)), name);
    }

    public Node attr(String name, long... values) {
      AttributeProto.Builder a = AttributeProto.newBuilder().setType(AttributeType.INTS);
      for (long v : values) {
        a.addInts(v);
      }
      return attr(a, name);
    }

    /** Adds the node to the graph and returns the name of its output. */
    public String out() {
      String output = node.getOpType().toLowerCase() + counter++;
      graph.addNode(node.setName(output).addOutput(output));
      return output;
    }

    private Node attr(AttributeProto.Builder attribute, String name) {
      node.addAttribute(attribute.setName(name));
      return this;
    }
  }
}
