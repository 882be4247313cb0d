namespace Breaker.AspNetCore.Endpoints;

/// <summary>Marks the reset endpoint of a management group, so the monitor can tell the dashboard where to send actions.</summary>
internal sealed class ManagementEndpointMetadata
{
    public static ManagementEndpointMetadata Instance { get; } = new();

    private ManagementEndpointMetadata()
    {
    }
}
