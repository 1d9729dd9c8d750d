using InferenceService.Bench;

// Commands used by bench/run.sh; `micro` runs the BenchmarkDotNet suite.
return args.FirstOrDefault() switch
{
    "raw" => await RawThroughput.RunAsync(BenchArgs.Parse(args[1..])),
    "bodies" => RequestBodies.Write(BenchArgs.Parse(args[1..])),
    "nobatch" => RepositoryCopies.WithoutBatching(BenchArgs.Parse(args[1..])),
    "report" => Report.Write(BenchArgs.Parse(args[1..])),
    "micro" => MicroBenchmarks.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: InferenceService.Bench raw --models DIR --seconds S --out FILE
               InferenceService.Bench bodies --models DIR --out DIR
               InferenceService.Bench nobatch --models DIR --model NAME --out DIR
               InferenceService.Bench report --run DIR --out DIR [--readme FILE]
               InferenceService.Bench micro [--quick] [BenchmarkDotNet args]
        bench/run.sh drives all of these; see bench/README.md.
        """);
    return 2;
}
