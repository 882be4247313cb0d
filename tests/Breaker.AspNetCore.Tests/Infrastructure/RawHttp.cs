using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading.Tasks;

namespace Breaker.AspNetCore.Tests.Infrastructure;

/// <summary>
/// Sends one HTTP/1.1 request exactly as written, over a plain socket: the request target goes out byte for byte (an
/// HttpClient would normalise <c>..</c> away and refuse control characters), as an attacker's tool would send it.
/// </summary>
internal static class RawHttp
{
    public static async Task<RawResponse> SendAsync(Uri server, string method, string target, params (string Name, string Value)[] headers)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        NetworkStream stream = client.GetStream();
        StringBuilder request = new StringBuilder()
            .Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n")
            .Append("Host: ").Append(server.Authority).Append("\r\n")
            .Append("Content-Length: 0\r\nConnection: close\r\n");
        foreach ((string name, string value) in headers)
        {
            request.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        byte[] bytes = Encoding.Latin1.GetBytes(request.Append("\r\n").ToString());
        await stream.WriteAsync(bytes);
        using var received = new MemoryStream();
        await stream.CopyToAsync(received).WaitAsync(TimeSpan.FromSeconds(30));
        return RawResponse.Parse(Encoding.UTF8.GetString(received.ToArray()));
    }
}

/// <summary>A response as it came off the wire: the status, the headers (names lower-cased) and the body (chunks joined).</summary>
internal sealed record RawResponse(int Status, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out string? value) ? value : null;

    public static RawResponse Parse(string text)
    {
        int split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string[] head = text[..split].Split("\r\n");
        var headers = new Dictionary<string, string>();
        foreach (string line in head[1..])
        {
            int colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        string body = text[(split + 4)..];
        if (headers.TryGetValue("transfer-encoding", out string? encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }

        return new RawResponse(int.Parse(head[0].Split(' ')[1]), headers, body);
    }

    private static string Unchunk(string chunked)
    {
        var body = new StringBuilder();
        int at = 0;
        while (true)
        {
            int lineEnd = chunked.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = Convert.ToInt32(chunked[at..lineEnd].Split(';')[0], 16);
            if (size == 0)
            {
                return body.ToString();
            }

            // Chunk sizes count bytes; the test bodies are ASCII JSON (System.Text.Json escapes everything else).
            body.Append(chunked, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
