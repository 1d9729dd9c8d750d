using System.Reflection;
using InferenceService.Hosting;
using InferenceService.Runtime.Sessions;

namespace InferenceService.Tests.Docs;

/// <summary>
/// The configuration keys the service reads, derived from the code: every options class of the host (the types with a
/// <c>const string Section</c>, the convention each <c>BindConfiguration</c> call and <c>GetSection(...).Get</c> uses)
/// times its settable properties, plus the few keys read one by one.
/// </summary>
internal static class BoundSettings
{
    /// <summary>
    /// Keys the code reads directly (<c>configuration["..."]</c>, <c>GetValue</c>), which reflection over options classes
    /// cannot see; <see cref="ConfigurationTableTests"/> checks the sources for literal reads missing here.
    /// </summary>
    public static readonly string[] ReadDirectly =
    [
        "urls", "http_ports", "Grpc:Url", // KestrelEndpoints.Read
        "Logging:LogLevel:Default", // RuntimeLogSettings, the level POST /v2/logging starts from
        InferenceService.Hosting.Observability.OtlpEndpointVariable, "OTEL_SERVICE_NAME", // Observability.AddObservability
    ];

    /// <summary>
    /// Keys the framework reads on the service's behalf that change what it does: the ONNX Runtime log category the
    /// service defines, and ASP.NET Core's host filtering that appsettings.json sets.
    /// </summary>
    public static readonly string[] ReadByTheFramework = ["Logging:LogLevel:" + OnnxRuntimeEnvironment.LogCategory, "AllowedHosts"];

    public static IReadOnlyList<Type> OptionsTypes { get; } =
        typeof(ServiceDefaults).Assembly.GetTypes().Where(t => SectionOf(t) is not null).OrderBy(t => t.Name, StringComparer.Ordinal).ToList();

    /// <summary>Section:Property for each options class (nested classes as Section:Property:Inner; a list is one key).</summary>
    public static IReadOnlyList<(string Key, Type Options, PropertyInfo Property)> OptionKeys { get; } =
        OptionsTypes.SelectMany(t => KeysOf(t, SectionOf(t)!)).ToList();

    public static IReadOnlySet<string> All { get; } =
        OptionKeys.Select(k => k.Key).Concat(ReadDirectly).Concat(ReadByTheFramework).ToHashSet(StringComparer.Ordinal);

    public static string? SectionOf(Type type) =>
        type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.FieldType == typeof(string)
            ? (string?)field.GetRawConstantValue()
            : null;

    private static IEnumerable<(string Key, Type Options, PropertyInfo Property)> KeysOf(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod is { IsPublic: true }))
        {
            var key = prefix + ":" + property.Name;
            var valueType = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (valueType.IsClass && valueType != typeof(string) && !valueType.IsArray)
            {
                foreach (var inner in KeysOf(valueType, key))
                {
                    yield return inner;
                }
            }
            else
            {
                yield return (key, type, property);
            }
        }
    }
}
