using InferenceService.Apis;
using InferenceService.Hosting;

if (ProvisionCommand.IsRequested(args))
{
    return ProvisionCommand.Run(args);
}

if (InspectCommand.IsRequested(args))
{
    return InspectCommand.Run(args, Console.Out, Console.Error);
}

var builder = WebApplication.CreateBuilder(args);
builder.AddInferenceServiceDefaults();

var app = builder.Build();
app.UseInferenceServiceDefaults();
app.UseDemoPage();
app.MapHealthApi();
app.MapV2Api();
app.MapStatisticsApi();
app.MapModelConfigApi();
app.MapRepositoryApi();
app.MapLoggingApi();
app.MapVisionApi();
app.MapTextApi();
app.MapRecommendationsApi();
app.MapOpenAIApi();
app.MapTeiApi();
return app.RunService();

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
