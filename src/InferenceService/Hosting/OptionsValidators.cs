using Microsoft.Extensions.Options;

namespace InferenceService.Hosting;

[OptionsValidator]
internal sealed partial class ModelRepositoryOptionsValidator : IValidateOptions<ModelRepositoryOptions>;

[OptionsValidator]
internal sealed partial class LimitsOptionsValidator : IValidateOptions<LimitsOptions>;

[OptionsValidator]
internal sealed partial class TaskLimitsOptionsValidator : IValidateOptions<TaskLimitsOptions>;

[OptionsValidator]
internal sealed partial class ResilienceOptionsValidator : IValidateOptions<ResilienceOptions>;

[OptionsValidator]
internal sealed partial class ResponseCacheOptionsValidator : IValidateOptions<ResponseCacheOptions>;

[OptionsValidator]
internal sealed partial class RateLimitingOptionsValidator : IValidateOptions<RateLimitingOptions>;

[OptionsValidator]
internal sealed partial class OpenAIOptionsValidator : IValidateOptions<OpenAIOptions>;

[OptionsValidator]
internal sealed partial class TeiOptionsValidator : IValidateOptions<TeiOptions>;
