using System;
using System.Collections.Generic;
using System.Globalization;

namespace Breaker.Outage;

/// <summary>One run: the load, the phases, the shapes and arms to run, and where the CSV and charts go.</summary>
public sealed record OutageSettings
{
    /// <summary>Requests per second sent to the front, on a clock (open loop).</summary>
    public int Rate { get; init; } = 500;

    /// <summary>Seconds of healthy downstream before the outage.</summary>
    public double HealthySeconds { get; init; } = 15;

    /// <summary>Seconds of outage.</summary>
    public double DownSeconds { get; init; } = 25;

    /// <summary>Seconds after healing.</summary>
    public double HealedSeconds { get; init; } = 20;

    /// <summary>
    /// Requests sent one after another before the clock starts, to compile every path. They are successes in the breakers'
    /// windows too, so a run whose healthy phase is shorter than the window (the smoke test) sends fewer.
    /// </summary>
    public int WarmUpRequests { get; init; } = 200;

    /// <summary>The front's timeout on each downstream call, in every arm.</summary>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The outage shapes to run, in order.</summary>
    public IReadOnlyList<OutageShape> Shapes { get; init; } = Enum.GetValues<OutageShape>();

    /// <summary>The arms to run for each shape, in order.</summary>
    public IReadOnlyList<Arm> Arms { get; init; } = Enum.GetValues<Arm>();

    /// <summary>Where summary.csv, timeline.csv and the charts are written.</summary>
    public string OutputDirectory { get; init; } = "docs/outage";

    /// <summary>Whether to draw the charts after the run.</summary>
    public bool DrawCharts { get; init; } = true;

    public double TotalSeconds => HealthySeconds + DownSeconds + HealedSeconds;

    public double OutageStart => HealthySeconds;

    public double HealStart => HealthySeconds + DownSeconds;

    /// <summary>Reads <c>--rate N --healthy S --down S --healed S --timeout-ms N --shapes a,b --arms a,b --out DIR --no-charts</c>.</summary>
    public static OutageSettings Parse(IReadOnlyList<string> args)
    {
        var settings = new OutageSettings();
        for (int i = 0; i < args.Count; i++)
        {
            string value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            settings = args[i] switch
            {
                "--rate" => settings with { Rate = PositiveInt(value(), "--rate") },
                "--healthy" => settings with { HealthySeconds = PositiveSeconds(value(), "--healthy") },
                "--down" => settings with { DownSeconds = PositiveSeconds(value(), "--down") },
                "--healed" => settings with { HealedSeconds = PositiveSeconds(value(), "--healed") },
                "--timeout-ms" => settings with { CallTimeout = TimeSpan.FromMilliseconds(PositiveInt(value(), "--timeout-ms")) },
                "--shapes" => settings with { Shapes = ParseList<OutageShape>(value()) },
                "--arms" => settings with { Arms = ParseList<Arm>(value()) },
                "--out" => settings with { OutputDirectory = value() },
                "--no-charts" => settings with { DrawCharts = false },
                _ => throw new ArgumentException($"Unknown argument '{args[i]}'. See docs/outage.md."),
            };
        }

        return settings;
    }

    private static int PositiveInt(string text, string name) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n > 0 && n <= 100_000 ? n
        : throw new ArgumentException($"{name} must be a whole number from 1 to 100000 (was '{text}').");

    private static double PositiveSeconds(string text, string name) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double s) && s > 0 && s <= 3600 ? s
        : throw new ArgumentException($"{name} must be a number of seconds in (0, 3600] (was '{text}').");

    private static TEnum[] ParseList<TEnum>(string text)
        where TEnum : struct, Enum
    {
        string[] parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var values = new TEnum[parts.Length];
        for (int i = 0; i < parts.Length; i++)
        {
            values[i] = Names.Parse<TEnum>(parts[i]);
        }

        return values.Length > 0 ? values : throw new ArgumentException($"An empty list of {typeof(TEnum).Name}.");
    }
}
