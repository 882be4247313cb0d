using System;

namespace Breaker.Samples.Console.Infrastructure;

/// <summary>Writes the demo's output: numbered steps, indented lines and states in colour.</summary>
internal static class Terminal
{
    private static int s_step;

    public static void Step(string title)
    {
        s_step++;
        System.Console.WriteLine();
        Write(ConsoleColor.Cyan, $"── {s_step}. {title} ");
        System.Console.WriteLine(new string('─', Math.Max(0, 72 - title.Length)));
    }

    public static void Line(string text) => System.Console.WriteLine($"   {text}");

    public static void State(CircuitBreaker breaker) => State(breaker.Name, breaker.State);

    public static void State(string name, CircuitState state)
    {
        System.Console.Write($"   {name} is ");
        Write(ColorOf(state), state.ToString());
        System.Console.WriteLine();
    }

    public static void Outcome(bool ok, string text)
    {
        System.Console.Write("   ");
        Write(ok ? ConsoleColor.Green : ConsoleColor.Red, ok ? "✔ " : "✘ ");
        System.Console.WriteLine(text);
    }

    private static ConsoleColor ColorOf(CircuitState state) => state switch
    {
        CircuitState.Closed => ConsoleColor.Green,
        CircuitState.HalfOpen => ConsoleColor.Yellow,
        CircuitState.MetricsOnly => ConsoleColor.Blue,
        _ => ConsoleColor.Red,
    };

    private static void Write(ConsoleColor color, string text)
    {
        if (System.Console.IsOutputRedirected)
        {
            System.Console.Write(text);
            return;
        }

        System.Console.ForegroundColor = color;
        System.Console.Write(text);
        System.Console.ResetColor();
    }
}
