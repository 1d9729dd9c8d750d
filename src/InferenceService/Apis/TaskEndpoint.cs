using Microsoft.AspNetCore.Http.HttpResults;

namespace InferenceService.Apis;

/// <summary>Runs a task handler and maps what it throws for the client to problem+json, in one place for every task route.</summary>
internal static class TaskEndpoint
{
    public static async Task<Results<Ok<T>, ProblemHttpResult, ValidationProblem>> RunAsync<T>(HttpResponse response, Func<Task<T>> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        try
        {
            return TypedResults.Ok(await handler().ConfigureAwait(false));
        }
        catch (TaskFieldException e)
        {
            return TaskProblems.Invalid(e.Field, e.Message);
        }
        catch (Exception e) when (TaskProblems.TryCreate(e, response, out var problem))
        {
            return problem;
        }
    }
}
