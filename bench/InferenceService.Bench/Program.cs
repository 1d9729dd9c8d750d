using InferenceService.Bench;

// Commands used by bench/run.sh; `micro` runs the BenchmarkDotNet suite.
return args.FirstOrDefault() switch
{
    "raw" => await RawThroughput.RunAsync(BenchArgs.Parse(args[1..])),
    "bodies" => RequestBodies.Write(BenchArgs.Parse(args[1..])),
    "nobatch" => RepositoryCopies.WithoutBatching(BenchArgs.Parse(args[1..])),
    "variant" => RepositoryCopies.Variant(BenchArgs.Parse(args[1..])),
    "sweep" => await LatencySweep.RunAsync(BenchArgs.Parse(args[1..])),
    "overload" => await Overload.RunAsync(BenchArgs.Parse(args[1..])),
    "mixed-raw" => await MixedRaw.RunAsync(BenchArgs.Parse(args[1..])),
    "mixed-load" => await MixedLoad.RunAsync(BenchArgs.Parse(args[1..])),
    "latency-report" => LatencyReport.Write(BenchArgs.Parse(args[1..])),
    "report" => Report.Write(BenchArgs.Parse(args[1..])),
    "tax" => await ComputeTax.RunAsync(BenchArgs.Parse(args[1..])),
    "lone" => await LoneClient.RunAsync(BenchArgs.Parse(args[1..])),
    "timers" => await TimerLateness.RunAsync(BenchArgs.Parse(args[1..])),
    "micro" => MicroBenchmarks.Run(args[1..]),
    "floats" => FloatFormatCheck.Run(BenchArgs.Parse(args[1..])),
    "float-cpu" => FloatCpuCost.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: InferenceService.Bench raw --models DIR --seconds S --out FILE
               InferenceService.Bench bodies --models DIR --out DIR
               InferenceService.Bench nobatch --models DIR --model NAME --out DIR
               InferenceService.Bench report --run DIR --out DIR [--readme FILE]
               InferenceService.Bench variant --models DIR --model NAME --name SERVED_NAME --out DIR --set-json JSON
               InferenceService.Bench sweep --base URL --model SERVED_NAME --workload TEXT --label TEXT --kind static|target
                   --body FILE --content-type TYPE [--raw-binary] --capacity RPS --fractions F,F,... --seconds S
                   [--warmup S] [--max-in-flight N] --out FILE
               InferenceService.Bench overload --base URL --model SERVED_NAME --body FILE --content-type TYPE [--raw-binary]
                   --connections N --seconds S --out FILE
               InferenceService.Bench mixed-raw --models DIR --seconds S --out FILE [--budget TOKENS] [--count N] [--sweep [--sweep-count N]]
               InferenceService.Bench mixed-load --base URL --models DIR --clients N --seconds S [--warmup S] [--texts K]
                   [--model SERVED_NAME] [--count N] --out FILE
               InferenceService.Bench latency-report --run DIR --out DIR [--target-ms MS] [--readme FILE]
               InferenceService.Bench tax --base URL --models DIR [--rounds N] [--seconds S] [--out FILE]
               InferenceService.Bench lone --base URL --models DIR [--rounds N] [--seconds S] [--out FILE]
               InferenceService.Bench timers [--delay-us US] [--rounds N] [--out FILE]
               InferenceService.Bench micro [--quick] [BenchmarkDotNet args]
               InferenceService.Bench floats [--from HEX] [--to HEX] [--threads N]
               InferenceService.Bench float-cpu
        bench/run.sh drives all of these; see bench/README.md.
        """);
    return 2;
}
