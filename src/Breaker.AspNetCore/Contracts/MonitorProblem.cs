namespace Breaker.AspNetCore.Contracts;

/// <summary>
/// An error as RFC 9457 problem details. The monitor writes it with its own serializer context, so it works whatever JSON
/// options the application has (under NativeAOT the application's options know nothing of <c>ProblemDetails</c>).
/// </summary>
internal sealed record MonitorProblem(string Type, string Title, int Status, string Detail);
