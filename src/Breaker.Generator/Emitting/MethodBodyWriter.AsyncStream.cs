using System.Collections.Generic;
using System.Linq;
using Breaker.Generator.Model;

namespace Breaker.Generator.Emitting;

/// <summary>
/// The body of a method returning <c>IAsyncEnumerable&lt;T&gt;</c>: the method resolves its breaker and returns an async
/// iterator (a local function), so nothing runs until the caller's first <c>MoveNextAsync</c>. There the permit is taken;
/// the stream's end records one success, its first failure one failure, and the caller's cancellation or an early
/// <c>DisposeAsync</c> gives the permit back without a verdict. The timeout covers each <c>MoveNextAsync</c>.
/// </summary>
internal sealed partial class MethodBodyWriter
{
    private const string InfiniteTimeSpan = "global::System.Threading.Timeout.InfiniteTimeSpan";

    private bool StreamHasFailureFallback => _model.Fallback is { } fallback && (fallback.FailureCases.Count > 0 || fallback.TimeoutCase is not null);

    private void WriteAsyncStream()
    {
        MethodSignatureModel signature = _model.Signature;
        var arguments = new List<string> { _breaker };
        arguments.AddRange(signature.Parameters.Select(p => p.Name));
        if (_timeoutToken is not null)
        {
            // The method's own token also cancels the enumeration: the iterator combines it with GetAsyncEnumerator's.
            arguments.Add(_timeoutToken.Name);
        }

        _writer.Line("return " + _stream.Iterator + "(" + string.Join(", ", arguments) + ");");
        _writer.Line();

        var parameters = new List<string> { "global::Breaker.CircuitBreaker " + _breaker };
        parameters.AddRange(signature.Parameters.Select(p => p.Type + " " + p.Name));
        parameters.Add("[global::System.Runtime.CompilerServices.EnumeratorCancellation] global::System.Threading.CancellationToken " + _stream.EnumeratorToken + " = default");

        // Not static for an instance method: the iterator reaches the implementation, fallback or inner instance through
        // 'this', which it captures alone (no closure object: the compiler makes it an instance method).
        _writer.Line((signature.IsStatic ? "static " : string.Empty) + "async " + signature.ReturnType + " " + _stream.Iterator + "(" + string.Join(", ", parameters) + ")").Open();
        _writer.Line("var " + _permit + " = " + _breaker
            + (_model.Fallback?.RejectionCase is null ? ".TryAcquire();" : ".TryAcquire(rejectionUsesFallback: true);"));
        _writer.Line("if (!" + _permit + ".IsGranted)").Open();
        if (_model.Fallback?.RejectionCase is { } rejection)
        {
            WriteYieldAll(FallbackCall(rejection, _breaker + ".CreateRejectedException()", receiver: string.Empty));
            _writer.Line("yield break;");
        }
        else
        {
            _writer.Line("throw " + _breaker + ".CreateRejectedException();");
        }

        _writer.Close().Line();
        _writer.Line("var " + _timeout + " = " + _breaker + ".Timeout;");
        WriteStreamTimeoutToken();
        _writer.Line("global::System.Collections.Generic.IAsyncEnumerator<" + _model.ResultType + ">? " + _stream.Enumerator + " = null;");
        _writer.Line("var " + _stream.Recorded + " = false;");
        if (StreamHasFailureFallback)
        {
            _writer.Line("var " + _stream.Yielded + " = false;");
            _writer.Line(signature.ReturnType + "? " + _stream.FallbackStream + " = null;");
        }

        _writer.Line("try").Open();
        _writer.Line("while (true)").Open();
        _writer.Line("bool " + _stream.More + ";");
        _writer.Line("try").Open();
        _writer.Line("// The timer runs only while the stream is asked for its next element, not while the caller handles one.");
        _writer.Line(ArmTimeout(_timeout));
        _writer.Line(_stream.Enumerator + " ??= " + Call(_model.Implementation, Arguments(replaceToken: true), receiver: string.Empty) + ".GetAsyncEnumerator(" + _token + ");");
        _writer.Line(_stream.More + " = await " + _stream.Enumerator + ".MoveNextAsync().ConfigureAwait(false);");
        _writer.Line(ArmTimeout(InfiniteTimeSpan));
        _writer.Close();
        WriteStreamCatches();
        _writer.Line();
        _writer.Line("if (!" + _stream.More + ")").Open().Line("break;").Close().Line();
        if (StreamHasFailureFallback)
        {
            _writer.Line(_stream.Yielded + " = true;");
        }

        _writer.Line("yield return " + _stream.Enumerator + ".Current;");
        _writer.Close().Line();
        if (StreamHasFailureFallback)
        {
            _writer.Line("if (" + _stream.FallbackStream + " is not null)").Open();
            _writer.Line("// The failed stream is let go before the fallback's is read (it is null when the call itself threw).");
            _writer.Line("if (" + _stream.Enumerator + " is not null)").Open();
            _writer.Line("await " + _stream.Enumerator + ".DisposeAsync().ConfigureAwait(false);");
            _writer.Line(_stream.Enumerator + " = null;");
            _writer.Close().Line();
            WriteYieldAll(_stream.FallbackStream);
            _writer.Line("yield break;");
            _writer.Close().Line();
        }

        _writer.Line(_stream.Recorded + " = true;");
        _writer.Line(_permit + ".RecordSuccess();");
        _writer.Close();
        _writer.Line("finally").Open();
        _writer.Line("// Not recorded: the caller disposed of the stream early (or stopped asking), which is no verdict on the dependency.");
        _writer.Line("if (!" + _stream.Recorded + ")").Open().Line(_permit + ".RecordIgnored();").Close().Line();
        if (!_target.TimeProviderInFramework)
        {
            _writer.Line(_stream.Timer + "?.Dispose();");
        }

        _writer.Line(_linkedSource + "?.Dispose();");
        _writer.Line(_timeoutSource + "?.Dispose();");
        _writer.Line("if (" + _stream.Enumerator + " is not null)").Open();
        _writer.Line("await " + _stream.Enumerator + ".DisposeAsync().ConfigureAwait(false);");
        _writer.Close();
        _writer.Close();
        _writer.Close();
    }

    /// <summary>
    /// The token every step of the stream observes. On .NET 8+ the timeout source runs on the breaker's clock and
    /// <c>CancelAfter</c> re-arms it per step. Before .NET 8 a source's <c>CancelAfter</c> runs on the system clock whatever
    /// TimeProvider made it, so a timer of the breaker's TimeProvider, re-armed per step, cancels the source instead.
    /// </summary>
    private void WriteStreamTimeoutToken()
    {
        if (_target.TimeProviderInFramework)
        {
            WriteTimeoutToken(_stream.EnumeratorToken);
            return;
        }

        _writer.Line("var " + _token + " = " + _stream.EnumeratorToken + ";");
        _writer.Line(TokenSource + "? " + _timeoutSource + " = null;");
        _writer.Line(TokenSource + "? " + _linkedSource + " = null;");
        _writer.Line("global::System.Threading.ITimer? " + _stream.Timer + " = null;");
        _writer.Line("if (" + _timeout + " > " + Zero + ")").Open();
        _writer.Line(_timeoutSource + " = new " + TokenSource + "();");
        _writer.Line("// The timer may fire while the stream ends and disposes the source: that late cancel is moot.");
        _writer.Line(_stream.Timer + " = " + _breaker + ".TimeProvider.CreateTimer(static state =>").Open();
        _writer.Line("try").Open().Line("((" + TokenSource + ")state!).Cancel();").Close();
        _writer.Line("catch (global::System.ObjectDisposedException)").Open().Close();
        _writer.Close(", " + _timeoutSource + ", " + InfiniteTimeSpan + ", " + InfiniteTimeSpan + ");");
        _writer.Line(_linkedSource + " = " + TokenSource + ".CreateLinkedTokenSource(" + _stream.EnumeratorToken + ", " + _timeoutSource + ".Token);");
        _writer.Line(_token + " = " + _linkedSource + ".Token;");
        _writer.Close().Line();
    }

    /// <summary>Starts (or with an infinite delay stops) the timeout of one step: see <see cref="WriteStreamTimeoutToken"/>.</summary>
    private string ArmTimeout(string delay) => _target.TimeProviderInFramework
        ? _timeoutSource + "?.CancelAfter(" + delay + ");"
        : _stream.Timer + "?.Change(" + delay + ", " + InfiniteTimeSpan + ");";

    /// <summary>
    /// The catch clauses around one step of the stream. Each records the permit's one outcome; a failure before the first
    /// element may switch to the fallback's stream (after an element the caller already has part of the data, so it throws).
    /// </summary>
    private void WriteStreamCatches()
    {
        _writer.Line("catch (global::System.OperationCanceledException) when (" + _stream.EnumeratorToken + ".IsCancellationRequested)").Open();
        WriteStreamRecord("RecordIgnored()").Line("throw;");
        _writer.Close();

        _writer.Line("catch (global::System.OperationCanceledException " + _exception + ") when (" + _timeoutSource + " is not null && " + _timeoutSource + ".IsCancellationRequested)").Open();
        _writer.Line("var " + _timeoutException + " = " + _breaker + ".CreateTimeoutException(" + _exception + ");");
        WriteStreamRecord("RecordFailure(" + _timeoutException + ", global::Breaker.FailureKind.Timeout)");
        if (_model.Fallback?.TimeoutCase is { } timeoutCase)
        {
            _writer.Line("if (!" + _stream.Yielded + ")").Open();
            WriteFallbackSwitch(timeoutCase, _timeoutException);
            _writer.Close().Line();
        }

        _writer.Line("throw " + _timeoutException + ";");
        _writer.Close();

        if (_model.Ignores.Count > 0)
        {
            _writer.Line("catch (" + Exception + " " + _exception + ") when (" + TypeTest(_model.Ignores) + ")").Open();
            WriteStreamRecord("RecordIgnored()").Line("throw;");
            _writer.Close();
        }

        if (_model.Handles.Count > 0)
        {
            _writer.Line("catch (" + Exception + " " + _exception + ") when (!(" + TypeTest(_model.Handles) + "))").Open();
            WriteStreamRecord("RecordSuccess()").Line("throw;");
            _writer.Close();
        }

        _writer.Line("catch (" + Exception + " " + _exception + ")").Open();
        WriteStreamRecord("RecordFailure(" + _exception + ")");
        EquatableArray<FallbackCaseModel> cases = _model.Fallback?.FailureCases ?? EquatableArray<FallbackCaseModel>.Empty;
        if (cases.Count > 0)
        {
            _writer.Line("if (" + _stream.Yielded + ")").Open().Line("throw;").Close().Line();
        }

        bool takesAny = false;
        for (int i = 0; i < cases.Count && !takesAny; i++)
        {
            FallbackCaseModel fallback = cases[i];
            takesAny = fallback.ExceptionType is null || fallback.ExceptionType == Exception;
            if (takesAny)
            {
                WriteFallbackSwitch(fallback, fallback.ExceptionType is null ? null : _exception);
            }
            else
            {
                _writer.Line("if (" + _exception + " is " + fallback.ExceptionType + " " + _caughtNames[i] + ")").Open();
                WriteFallbackSwitch(fallback, _caughtNames[i]);
                _writer.Close().Line();
            }
        }

        if (!takesAny)
        {
            _writer.Line("throw;");
        }

        _writer.Close();
    }

    private IndentedWriter WriteStreamRecord(string record) =>
        _writer.Line(_stream.Recorded + " = true;").Line(_permit + "." + record + ";");

    /// <summary>Counts the fallback and leaves the loop to read its stream (no <c>yield</c> is allowed in a catch clause).</summary>
    private void WriteFallbackSwitch(FallbackCaseModel fallback, string? error)
    {
        _writer.Line(_breaker + ".RecordFallback();");
        _writer.Line(_stream.FallbackStream + " = " + FallbackCall(fallback, error, receiver: string.Empty) + ";");
        _writer.Line("break;");
    }

    private void WriteYieldAll(string stream)
    {
        _writer.Line("await foreach (var " + _stream.Item + " in global::System.Threading.Tasks.TaskAsyncEnumerableExtensions.WithCancellation(" + stream + ", " + _stream.EnumeratorToken + ").ConfigureAwait(false))").Open();
        _writer.Line("yield return " + _stream.Item + ";");
        _writer.Close().Line();
    }

    /// <summary>The names of the async stream's locals, taken after the others so existing names never change.</summary>
    private sealed class StreamNames
    {
        public StreamNames(NameScope names)
        {
            Iterator = names.Take("EnumerateAsync");
            EnumeratorToken = names.Take("enumeratorToken");
            Enumerator = names.Take("enumerator");
            More = names.Take("more");
            Recorded = names.Take("recorded");
            Yielded = names.Take("yielded");
            FallbackStream = names.Take("fallbackStream");
            Item = names.Take("item");
            Timer = names.Take("timeoutTimer");
        }

        public string Iterator { get; }

        public string EnumeratorToken { get; }

        public string Enumerator { get; }

        public string More { get; }

        public string Recorded { get; }

        public string Yielded { get; }

        public string FallbackStream { get; }

        public string Item { get; }

        public string Timer { get; }
    }
}
