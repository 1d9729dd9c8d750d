using Grpc.Core;
using InferenceService.Grpc;
using InferenceService.Hosting;
using InferenceService.Runtime.Inference;
using InferenceService.Runtime.Repository;

namespace InferenceService.Apis;

/// <summary>
/// Triton's model repository extension over gRPC, on the rules of the REST routes (<see cref="RepositoryControl"/>):
/// not served without an admin key (UNIMPLEMENTED, as for RPCs a server lacks), the key in the <c>x-api-key</c>
/// metadata (UNAUTHENTICATED without, PERMISSION_DENIED wrong), load and unload refused alike (INVALID_ARGUMENT, NOT_FOUND).
/// </summary>
internal sealed partial class GrpcInferenceApi
{
    /// <summary>The admin key's metadata key: the REST header's name, lower case as gRPC metadata keys are.</summary>
    public static readonly string AdminKeyMetadata = AdminOptions.HeaderName.ToLowerInvariant();

    // Triton's unload parameter: unloading here never touches other models, so it changes nothing.
    private const string UnloadDependents = "unload_dependents";

    public override Task<RepositoryIndexResponse> RepositoryIndex(RepositoryIndexRequest request, ServerCallContext context)
    {
        RequireAdmin(context);
        RequireOneRepository(request.RepositoryName);
        var response = new RepositoryIndexResponse();
        response.Models.AddRange(manager.Index()
            .Where(r => !request.Ready || r.State == ModelState.Ready.ToString().ToUpperInvariant())
            .Select(r => new RepositoryIndexResponse.Types.ModelIndex { Name = r.Name, Version = r.Version ?? string.Empty, State = r.State, Reason = r.Reason ?? string.Empty }));
        return Task.FromResult(response);
    }

    public override async Task<RepositoryModelLoadResponse> RepositoryModelLoad(RepositoryModelLoadRequest request, ServerCallContext context)
    {
        RequireAdmin(context);
        RequireOneRepository(request.RepositoryName);
        RequireNoParameters(request.Parameters.Keys, "the model is loaded from its folder in the repository as it is there");
        try
        {
            await RepositoryControl.LoadAsync(manager, repository.Value.ControlMode, request.ModelName, context.CancellationToken).ConfigureAwait(false);
            return new RepositoryModelLoadResponse();
        }
        catch (InferenceException e)
        {
            throw GrpcErrors.From(e);
        }
    }

    public override async Task<RepositoryModelUnloadResponse> RepositoryModelUnload(RepositoryModelUnloadRequest request, ServerCallContext context)
    {
        RequireAdmin(context);
        RequireOneRepository(request.RepositoryName);
        RequireNoParameters(request.Parameters.Keys.Where(k => k != UnloadDependents), $"only {UnloadDependents} is accepted");
        try
        {
            await RepositoryControl.UnloadAsync(manager, repository.Value.ControlMode, request.ModelName, context.CancellationToken).ConfigureAwait(false);
            return new RepositoryModelUnloadResponse();
        }
        catch (InferenceException e)
        {
            throw GrpcErrors.From(e);
        }
    }

    private void RequireAdmin(ServerCallContext context, string extension = "model repository")
    {
        if (!RepositoryControl.IsServed(admin.Value))
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, $"The {extension} extension is not served: it needs an admin key (Admin:ApiKey) configured."));
        }

        switch (RepositoryControl.CheckKey(context.RequestHeaders.GetValue(AdminKeyMetadata), admin.Value))
        {
            case AdminKeyCheck.Missing:
                throw new RpcException(new Status(StatusCode.Unauthenticated, $"This RPC needs the admin key in the {AdminKeyMetadata} metadata."));
            case AdminKeyCheck.Wrong:
                throw new RpcException(new Status(StatusCode.PermissionDenied, "The admin key is wrong."));
        }
    }

    /// <summary>Triton's answer too: this server has one repository, which a request does not name.</summary>
    private static void RequireOneRepository(string name)
    {
        if (!string.IsNullOrEmpty(name))
        {
            throw GrpcErrors.From(InferenceException.BadRequest($"repository_name must be empty: this server has one model repository (got '{name}')."));
        }
    }

    private static void RequireNoParameters(IEnumerable<string> names, string why)
    {
        var given = names.Order(StringComparer.Ordinal).ToList();
        if (given.Count > 0)
        {
            throw GrpcErrors.From(InferenceException.BadRequest($"parameters {string.Join(", ", given)} are not supported: {why}."));
        }
    }
}
