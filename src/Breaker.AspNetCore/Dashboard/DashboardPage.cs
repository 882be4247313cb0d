using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace Breaker.AspNetCore.Dashboard;

/// <summary>
/// The dashboard: one self-contained HTML page, embedded in this assembly, that polls the monitor's summary. It is served
/// with a content security policy that allows only its own inline script and style (by hash) and requests to its own origin.
/// </summary>
internal sealed class DashboardPage
{
    private const string ResourceName = "Breaker.AspNetCore.Dashboard.dashboard.html";

    private static readonly Lazy<DashboardPage> Loaded = new(Load);

    private readonly byte[] _html;
    private readonly string _contentSecurityPolicy;

    internal DashboardPage(string html)
    {
        _html = Encoding.UTF8.GetBytes(html);
        _contentSecurityPolicy =
            "default-src 'none'; " +
            $"script-src '{Hash(Inner(html, "script"))}'; " +
            $"style-src '{Hash(Inner(html, "style"))}'; " +
            "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    }

    public static DashboardPage Instance => Loaded.Value;

    public Task ServeAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers.ContentSecurityPolicy = _contentSecurityPolicy;
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.ContentLength = _html.Length;
        return response.Body.WriteAsync(_html, context.RequestAborted).AsTask();
    }

    private static DashboardPage Load()
    {
        using Stream stream = typeof(DashboardPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The dashboard page '{ResourceName}' is missing from {typeof(DashboardPage).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new DashboardPage(reader.ReadToEnd());
    }

    // The page has exactly one <script> and one <style> element, written without attributes.
    private static string Inner(string html, string element)
    {
        string open = $"<{element}>";
        int start = html.IndexOf(open, StringComparison.Ordinal) + open.Length;
        int end = html.IndexOf($"</{element}>", start, StringComparison.Ordinal);
        return html[start..end];
    }

    // The browser hashes the element's text as its HTML parser produced it, and the parser turns every CR LF pair, then
    // every lone CR, into LF: a checkout with Windows line endings must hash the same text, or the page never runs.
    private static string Hash(string content) =>
        "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(content.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n'))));
}
