using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using Breaker.AspNetCore.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Breaker.AspNetCore.Tests.Samples;

/// <summary>
/// The web sample as its README uses it, on Kestrel: curl with the operator key, a browser that signs in once and then
/// uses the dashboard's buttons, and what an attacker's page or a rebinding host name gets.
/// </summary>
[Collection(SampleCollection.Name)]
public sealed class WebSampleTests : IClassFixture<SampleServer>, IClassFixture<ChromiumFixture>, IAsyncLifetime
{
    private const string Breaker = "quotes-api";

    private readonly SampleServer _sample;
    private readonly ChromiumFixture _chromium;
    private readonly HttpClient _client;

    public WebSampleTests(SampleServer sample, ChromiumFixture chromium)
    {
        _sample = sample;
        _chromium = chromium;
        _client = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = sample.BaseAddress };
    }

    public async Task InitializeAsync()
    {
        // The sample's breakers live in the default registry: each test starts from a closed quotes-api, signed out.
        await _chromium.ClearCookiesAsync();
        (await SendAsync(HttpMethod.Delete, "downstream/outage")).EnsureSuccessStatusCode();
        (await SendAsync(HttpMethod.Get, "quotes/warm-up")).Dispose();
        (await SendAsync(HttpMethod.Post, $"circuit-breakers/{Breaker}/reset", ("X-Api-Key", SampleServer.OperatorKey))).EnsureSuccessStatusCode();
    }

    public Task DisposeAsync()
    {
        _client.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task The_dashboard_buttons_are_refused_until_the_browser_signs_in_and_then_work()
    {
        await IsolateWithTheKeyAsync();
        IPage page = await _chromium.OpenAsync(_sample.BaseAddress, "circuit-breakers/dashboard?refresh=250");
        ILocator card = page.GetByRole(AriaRole.Article, new() { Name = Breaker });
        await Expect(card.Locator(".state")).ToHaveTextAsync("Isolated");

        await card.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync($"Reset \"{Breaker}\" failed (HTTP 401)");
        Assert.Equal("Isolated", await StateAsync());

        await page.GotoAsync(new Uri(_sample.BaseAddress, "sign-in").ToString());
        await page.GetByLabel("Operator key").FillAsync("not-the-key");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("That is not the operator key.");
        await page.GetByLabel("Operator key").FillAsync(SampleServer.OperatorKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(_sample.BaseAddress, "circuit-breakers/dashboard").ToString());
        card = page.GetByRole(AriaRole.Article, new() { Name = Breaker });
        await Expect(card.Locator(".state")).ToHaveTextAsync("Isolated");
        await card.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Expect(card.Locator(".state")).ToHaveTextAsync("Closed");
        Assert.Equal("Closed", await StateAsync());

        BrowserContextCookiesResult cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "breaker-operator");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        await page.CloseAsync();
    }

    [Fact]
    public async Task Tools_use_the_key_and_a_signed_in_cookie_sent_from_another_origin_is_refused()
    {
        HttpResponseMessage anonymous = await SendAsync(HttpMethod.Post, $"circuit-breakers/{Breaker}/isolate");
        HttpResponseMessage wrongKey = await SendAsync(HttpMethod.Post, $"circuit-breakers/{Breaker}/isolate", ("X-Api-Key", "guess"));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal("Closed", await StateAsync());

        string cookie = await SignInAsync();
        string own = _sample.BaseAddress.GetLeftPart(UriPartial.Authority);
        HttpResponseMessage fromEvil = await SendAsync(HttpMethod.Post, $"circuit-breakers/{Breaker}/isolate", ("Cookie", cookie), ("Origin", "https://evil.example"));
        HttpResponseMessage fromNull = await SendAsync(HttpMethod.Post, $"circuit-breakers/{Breaker}/isolate", ("Cookie", cookie), ("Origin", "null"));
        Assert.Equal(HttpStatusCode.Forbidden, fromEvil.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, fromNull.StatusCode);
        Assert.Equal("Closed", await StateAsync());

        HttpResponseMessage fromItself = await SendAsync(HttpMethod.Post, $"circuit-breakers/{Breaker}/isolate", ("Cookie", cookie), ("Origin", own));
        Assert.Equal(HttpStatusCode.OK, fromItself.StatusCode);
        Assert.Equal("Isolated", await StateAsync());
    }

    [Fact]
    public async Task The_sign_in_cookie_is_HttpOnly_and_SameSite_Strict_and_a_wrong_key_gets_none()
    {
        using HttpResponseMessage wrong = await PostSignInAsync("guess");
        using HttpResponseMessage right = await PostSignInAsync(SampleServer.OperatorKey);

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.False(wrong.Headers.Contains("Set-Cookie"));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/circuit-breakers/dashboard", right.Headers.Location?.OriginalString);
        string setCookie = Assert.Single(right.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith("breaker-operator=", setCookie, StringComparison.Ordinal);
        Assert.Contains("samesite=strict", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("httponly", setCookie, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_rebinding_host_name_is_refused_by_host_filtering_before_it_reaches_management()
    {
        RawResponse rebound = await RawHttp.SendAsync(_sample.BaseAddress, "POST", $"/circuit-breakers/{Breaker}/isolate", ("Host", "rebind.evil.example"), ("Sec-Fetch-Site", "same-origin"), ("X-Api-Key", SampleServer.OperatorKey));
        RawResponse monitor = await RawHttp.SendAsync(_sample.BaseAddress, "GET", "/circuit-breakers", ("Host", "rebind.evil.example"));

        Assert.Equal(400, rebound.Status);
        Assert.Equal(400, monitor.Status);
        Assert.Equal("Closed", await StateAsync());
    }

    [Fact]
    public async Task An_outage_opens_quotes_api_and_quotes_come_from_the_fallback()
    {
        (await SendAsync(HttpMethod.Post, "downstream/outage")).EnsureSuccessStatusCode();

        var sources = new List<string>();
        for (int i = 0; i < 10 && await StateAsync() != "Open"; i++)
        {
            JsonNode quote = JsonNode.Parse(await (await SendAsync(HttpMethod.Get, "quotes/abc")).Content.ReadAsStringAsync())!;
            sources.Add((string)quote["source"]!);
        }

        // appsettings.json: quotes-api opens once 4 calls are in its window and half of them failed.
        Assert.Equal("Open", await StateAsync());
        Assert.Equal(["fallback", "fallback", "fallback", "fallback"], sources);
    }

    private async Task IsolateWithTheKeyAsync()
    {
        (await SendAsync(HttpMethod.Post, $"circuit-breakers/{Breaker}/isolate", ("X-Api-Key", SampleServer.OperatorKey))).EnsureSuccessStatusCode();
        Assert.Equal("Isolated", await StateAsync());
    }

    private async Task<string?> StateAsync() =>
        (string?)JsonNode.Parse(await (await SendAsync(HttpMethod.Get, $"circuit-breakers/{Breaker}")).Content.ReadAsStringAsync())!["state"];

    private async Task<string> SignInAsync()
    {
        using HttpResponseMessage response = await PostSignInAsync(SampleServer.OperatorKey);
        return response.Headers.GetValues("Set-Cookie").Single().Split(';')[0];
    }

    private Task<HttpResponseMessage> PostSignInAsync(string key) => _client.PostAsync(
        "sign-in",
        new FormUrlEncodedContent([new KeyValuePair<string, string>("key", key)]));

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path);
        foreach ((string name, string value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return await _client.SendAsync(request);
    }
}

/// <summary>The sample's breakers live in the process-wide default registry: its tests never run beside each other.</summary>
[CollectionDefinition(Name)]
public sealed class SampleCollection
{
    public const string Name = "web sample";
}
