using Google.Protobuf;
using Onnx;

namespace InferenceService.Tests.Shared;

/// <summary>The pieces every ONNX graph a test builds in code needs: a node, and the model bytes at opset 17.</summary>
internal static class OnnxNodes
{
    public static NodeProto Node(string op, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.Add(inputs);
        node.Output.Add(output);
        node.Attribute.Add(attributes);
        return node;
    }

    public static byte[] Serialize(GraphProto graph, string producer)
    {
        var model = new ModelProto { IrVersion = 8, ProducerName = producer, Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = string.Empty, Version = 17 });
        return model.ToByteArray();
    }
}
