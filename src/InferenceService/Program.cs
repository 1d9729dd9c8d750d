var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/", () => "InferenceService");
app.Run();

public partial class Program;
