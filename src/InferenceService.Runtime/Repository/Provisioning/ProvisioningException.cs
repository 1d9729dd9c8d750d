namespace InferenceService.Runtime.Repository.Provisioning;

/// <summary>A pretrained model could not be provisioned; the message says how to fix it.</summary>
public sealed class ProvisioningException : Exception
{
    public ProvisioningException()
    {
    }

    public ProvisioningException(string message)
        : base(message)
    {
    }

    public ProvisioningException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
