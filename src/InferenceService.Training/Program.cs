using System.CommandLine;
using InferenceService.Training.Commands;

var root = new RootCommand("InferenceService training: train, verify and publish ONNX models")
{
    TrainCommand.Create(),
    VerifyCommand.Create(),
    PublishCommand.Create(),
    DataCommand.Create(),
};
return root.Parse(args).Invoke();
