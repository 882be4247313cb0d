using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;

namespace Breaker.Refit.Tests;

/// <summary>
/// Runs samples/Breaker.Samples.Refit as its own process (its breakers run on the sample's clock, not this assembly's),
/// as `dotnet run` would, and checks what it prints: the sample's claims are what happened.
/// </summary>
public sealed class RefitSampleTests
{
    [Fact]
    public async Task The_Refit_sample_runs_by_itself_and_shows_the_circuit_open_the_fallback_answer_and_Retry_After_honoured()
    {
        string sample = Path.Combine(AppContext.BaseDirectory, "Breaker.Samples.Refit.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(sample);
        using Process process = Process.Start(start)!;
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(process.ExitCode == 0, output + await errors);
        Assert.Contains("GetUserAsync(\"octocat\") -> User { Login = octocat, Name = The octocat }", output);
        Assert.Contains("the server received 2 of 3 requests for 'flaky'", output);
        Assert.Contains("GetUserAsync(\"flaky\") -> User { Login = flaky, Name = (unavailable) }", output);
        Assert.Contains("GetUserAsync(\"ghost\") -> ApiException 404", output);
        Assert.Contains("the server received 3 of 3 requests for 'ghost'", output);
        Assert.Contains("31 s later: GetReposAsync(\"busy\") -> [] (still open: Retry-After honoured)", output);
        Assert.Contains("121 s later: GetReposAsync(\"busy\") -> [busy/breaker] (the probe reaches the server)", output);
        Assert.Contains("the server received 3 of 4 requests for 'busy'", output);
        Assert.Contains("GetUserAsync(\"offline\") -> User { Login = offline, Name = (unavailable) }", output);
        Assert.EndsWith("Done." + Environment.NewLine, output);
    }
}
